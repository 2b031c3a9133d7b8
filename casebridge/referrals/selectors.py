"""Reads on referrals, always through the access policy."""

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from casebridge.cases.models import Case, CaseLocation, CaseParty
from casebridge.cases.models import Status as CaseStatus
from casebridge.cases.policy import Act, visible_cases
from casebridge.lib.addresses import normalise_postcode
from casebridge.matching.engine import PersonRecord
from casebridge.matching.selectors import PersonMatch, person_matches_for
from casebridge.organisations.models import Partnership
from casebridge.people.models import Location, Person
from casebridge.people.selectors import CaseResult, PersonResult, search
from casebridge.referrals.access import can_referral, visible_referrals
from casebridge.referrals.models import Referral, ReferralDocument, ReferralSubject, ReferralUpdate

if TYPE_CHECKING:
    from casebridge.accounts.models import User

MATCH_LIMIT = 20
REPEAT_DAYS = 92


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    source: str = ""
    purpose: str = ""
    urgency: str = ""


def referral_queue(*, user: "User", partnership: Partnership, filters: QueueFilters) -> QuerySet[Referral]:
    """The triage queue: urgent first, then oldest first, so nothing waits unseen."""
    referrals = visible_referrals(user, partnership)
    for name in ("status", "source", "purpose", "urgency"):
        value = getattr(filters, name)
        if value:
            referrals = referrals.filter(**{name: value})
    # Repeat reports: other referrals about the same postcode in the last three months.
    same_place = (
        Referral.objects.filter(
            partnership=partnership,
            postcode=OuterRef("postcode"),
            created_at__gte=timezone.now() - datetime.timedelta(days=REPEAT_DAYS),
        )
        .exclude(pk=OuterRef("pk"))
        .exclude(postcode="")
        .order_by()
        .values("postcode")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        referrals.select_related("referrer_organisation", "category")
        .annotate(
            subject_count=Count("subjects"),
            same_place_count=Coalesce(Subquery(same_place), Value(0)),
        )
        .order_by("-urgency", "created_at", "pk")
    )


def referrals_made_by(*, user: "User", partnership: Partnership) -> QuerySet[Referral]:
    return (
        visible_referrals(user, partnership)
        .filter(referred_by=user)
        .select_related("case")
        .order_by("-created_at", "-pk")
    )


def referral_subjects(*, referral: Referral) -> QuerySet[ReferralSubject]:
    return referral.subjects.all()


def referral_updates(*, referral: Referral) -> QuerySet[ReferralUpdate]:
    return referral.updates.select_related("author")


def referral_documents(*, referral: Referral) -> QuerySet[ReferralDocument]:
    return referral.documents.select_related("uploaded_by")


def referral_document_for(*, user: "User", public_id: UUID, partnership: Partnership | None) -> ReferralDocument:
    if partnership is None:
        raise Http404
    document = (
        ReferralDocument.objects.select_related("referral").filter(partnership=partnership, public_id=public_id).first()
    )
    if document is None or not can_referral(user, Act.VIEW, document.referral):
        raise Http404
    return document


@dataclass
class IntakeMatches:
    people: list[PersonResult] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    cases: list[CaseResult] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.people or self.locations or self.cases)


def intake_matches(*, user: "User", referral: Referral) -> IntakeMatches:
    """Possible existing people, places and open cases for a referral's subjects.

    People come first from the person matching engine (``matching.selectors.person_matches_for``):
    each person the referral is about, and for a resident's online report the resident who
    gave their name, so a repeat victim is recognised at first contact; then namesakes from the
    people search. People and cases the
    user may not open are shown existence-only (name, date of birth, holders; a case's lead
    organisation).
    """
    partnership = referral.partnership
    subjects = list(referral.subjects.all())
    found: dict[str, PersonMatch] = {}
    for candidate in _people_in(referral, subjects):
        for match in person_matches_for(user=user, partnership=partnership, candidate=candidate, limit=MATCH_LIMIT):
            if match.public_id not in found or found[match.public_id].probability < match.probability:
                found[match.public_id] = match
    profiles = Person.objects.in_bulk(list(found), field_name="public_id")
    people = {
        profiles[UUID(public_id)].pk: PersonResult(
            profiles[UUID(public_id)], match.visible, round(match.probability * 100), match.holders
        )
        for public_id, match in sorted(found.items(), key=lambda item: -item[1].probability)
        if UUID(public_id) in profiles
    }
    # A referral often gives little more than a name, too little for the engine to propose
    # anyone: the people search (phonetic and fuzzy names) still lists namesakes after them.
    for subject in subjects:
        name = f"{subject.first_name} {subject.last_name}".strip()
        if subject.kind == ReferralSubject.Kind.PERSON and name:
            for result in search(user=user, partnership=partnership, text=name).people:
                people.setdefault(result.person.pk, result)
    postcodes = {normalise_postcode(s.postcode) for s in subjects if s.postcode}
    if referral.postcode:
        postcodes.add(normalise_postcode(referral.postcode))
    locations = list(Location.objects.filter(partnership=partnership, postcode__in=postcodes)[:MATCH_LIMIT])
    case_ids = set(
        CaseParty.objects.filter(person_id__in=list(people)).values_list("case_id", flat=True)[:MATCH_LIMIT]
    ) | set(CaseLocation.objects.filter(location__in=locations).values_list("case_id", flat=True)[:MATCH_LIMIT])
    open_cases = list(
        Case.objects.filter(pk__in=case_ids)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("lead_organisation", "case_type")
        .order_by("-updated_at")
    )
    visible = set(visible_cases(user, partnership, Act.VIEW).filter(pk__in=case_ids).values_list("pk", flat=True))
    return IntakeMatches(
        people=list(people.values())[:MATCH_LIMIT],
        locations=locations,
        cases=[CaseResult(case, case.pk in visible) for case in open_cases],
    )


def _people_in(referral: Referral, subjects: list[ReferralSubject]) -> list[PersonRecord]:
    """The referral's people as engine records: its person subjects, and a named resident who reported."""
    records = [
        PersonRecord(
            id=f"subject-{subject.pk}",
            first_name=subject.first_name,
            last_name=subject.last_name,
            date_of_birth=subject.date_of_birth,
            postcode=subject.postcode,
            address=subject.address,
        )
        for subject in subjects
        if subject.kind == ReferralSubject.Kind.PERSON and (subject.first_name or subject.last_name)
    ]
    try:
        report = referral.public_report  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        report = None
    if report is not None and not report.is_anonymous and report.contact_name:
        first, _, last = report.contact_name.strip().partition(" ")
        records.append(
            PersonRecord(id="reporter", first_name=first, last_name=last, email=report.email, phone=report.phone)
        )
    return records


def attachable_cases(*, user: "User", partnership: Partnership) -> QuerySet[Case]:
    """Open cases the user may add a referral to."""
    return (
        visible_cases(user, partnership, Act.CONTRIBUTE)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("case_type")
        .order_by("-updated_at")
    )
