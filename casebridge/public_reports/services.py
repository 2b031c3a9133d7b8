"""Writes for residents' online reports: no one is signed in, so every input is checked here."""

import datetime
import secrets
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.cases.models import IncidentCategory, RiskLevel
from casebridge.organisations.models import Partnership
from casebridge.public_reports.models import Frequency, Impact, PostcodeDistrict, PublicReport
from casebridge.public_reports.tasks import send_report_confirmation
from casebridge.referrals import services as referral_services
from casebridge.referrals.models import ReferralSubject

DEFAULT_DISTRICTS = {
    "SH": ["GU15", "GU16", "GU17", "GU18", "GU19", "GU20", "GU24"],
    "RU": ["KT15", "KT16", "TW18", "TW20"],
}
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def postcode_districts_seed(*, partnership: Partnership) -> None:
    """The default districts for the partnerships we know (Surrey Heath, Runnymede)."""
    for district in DEFAULT_DISTRICTS.get(partnership.code, []):
        PostcodeDistrict.objects.get_or_create(district=district, defaults={"partnership": partnership})


@dataclass(frozen=True)
class ReportAnswers:
    partnership: Partnership
    category_name: str
    description: str
    occurred_on: datetime.date
    frequency: str
    postcode: str = ""
    place: str = ""
    people_involved: str = ""
    impacts: list[str] = field(default_factory=list)
    contact_name: str = ""
    email: str = ""
    phone: str = ""

    @property
    def is_anonymous(self) -> bool:
        return not (self.contact_name or self.email or self.phone)


def risk_from_impacts(impacts: list[str]) -> str:
    """The short vulnerability screen: each answer raises the initial risk, to be reassessed at contact."""
    count = len(set(impacts) & set(Impact.values))
    if count >= 3:
        return RiskLevel.HIGH
    return RiskLevel.MEDIUM if count else RiskLevel.STANDARD


def _new_reference() -> str:
    for _attempt in range(10):
        reference = "ASB-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        if not PublicReport.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("Could not find a free reference.")


@transaction.atomic
def public_report_submit(*, answers: ReportAnswers) -> PublicReport:
    """File the report in its partnership's triage queue and, if an email was given, send the reference."""
    partnership = answers.partnership
    category = IncidentCategory.objects.filter(partnership=partnership, name=answers.category_name).first()
    if category is None:
        raise ValueError("The category is not configured for this partnership.")
    reason = "\n\n".join(
        part
        for part in [
            answers.description,
            _("How often: %(f)s") % {"f": Frequency(answers.frequency).label},
            _("Who was involved: %(who)s") % {"who": answers.people_involved} if answers.people_involved else "",
        ]
        if part
    )
    vulnerabilities = "\n".join(str(Impact(i).label) for i in answers.impacts)
    occurred_at = timezone.make_aware(datetime.datetime.combine(answers.occurred_on, datetime.time(12, 0)))
    subjects = [
        referral_services.SubjectData(
            kind=ReferralSubject.Kind.LOCATION, address=answers.place[:200], postcode=answers.postcode
        )
    ]
    referral = referral_services.referral_public_create(
        partnership=partnership,
        category=category,
        occurred_at=occurred_at,
        place=answers.place,
        postcode=answers.postcode,
        reason=reason,
        vulnerabilities=vulnerabilities,
        risk_level=risk_from_impacts(answers.impacts),
        subjects=subjects,
    )
    report = PublicReport.objects.create(
        partnership=partnership,
        referral=referral,
        reference=_new_reference(),
        frequency=answers.frequency,
        people_involved=answers.people_involved,
        impacts=list(answers.impacts),
        is_anonymous=answers.is_anonymous,
        contact_name=answers.contact_name,
        email=answers.email,
        phone=answers.phone,
    )
    if answers.email:
        transaction.on_commit(
            partial(send_report_confirmation.enqueue, email=answers.email, reference=report.reference)
        )
    return report
