"""Reads for the public reporting pages: nothing here needs, or shows, anyone's identity."""

from django.db.models import QuerySet

from casebridge.cases.models import IncidentCategory
from casebridge.lib.addresses import POSTCODE_RE, normalise_postcode
from casebridge.organisations.models import Partnership
from casebridge.public_reports.models import PostcodeDistrict, PublicReport


def outward_code(postcode: str) -> str:
    return normalise_postcode(postcode).split(" ")[0]


def partnership_for_postcode(postcode: str) -> Partnership | None:
    """The partnership whose postcode districts include this full UK postcode, if any."""
    if not POSTCODE_RE.match(normalise_postcode(postcode)):
        return None
    district = PostcodeDistrict.objects.select_related("partnership").filter(district=outward_code(postcode)).first()
    return district.partnership if district else None


def partnerships_taking_reports() -> QuerySet[Partnership]:
    covered = PostcodeDistrict.objects.values("partnership_id")
    return Partnership.objects.filter(pk__in=covered).order_by("name")


def category_names() -> list[str]:
    """The categories residents choose from; each partnership has its own rows with these names."""
    return sorted(set(IncidentCategory.objects.values_list("name", flat=True)))


def report_for_progress(*, reference: str, email: str) -> PublicReport | None:
    """The report only when both the reference and the email given with it match."""
    reference = reference.strip().upper()
    email = email.strip()
    if not reference or not email:
        return None
    return (
        PublicReport.objects.select_related("referral", "partnership")
        .filter(reference=reference, email__iexact=email, is_anonymous=False)
        .first()
    )
