"""Reads: repeat victims and the threshold (alerts and flags), and the ASB Case Reviews themselves.

Incidents on every case where a person is the victim count together, so reports about the same
victim on different cases are linked. Only cases the user may see are listed.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.case_reviews.access import owned_recommendations, visible_reviews
from casebridge.case_reviews.models import OPEN_RECOMMENDATION, CaseReview, Recommendation, ReviewRules, ReviewStatus
from casebridge.case_reviews.threshold import Report, ThresholdResult, evaluate, months_before, reported_in_time
from casebridge.case_reviews.timescales import Timescale, timescales
from casebridge.cases.models import Case, CaseParty, Incident, PartyRole
from casebridge.cases.models import Status as CaseStatus
from casebridge.cases.policy import Act, visible_cases, visible_entries
from casebridge.meetings.models import Kind, Meeting
from casebridge.organisations.models import Partnership
from casebridge.people.models import Person, name_key
from casebridge.referrals.models import Referral, ReferralSubject


def rules_for(partnership: Partnership) -> ReviewRules:
    rules = ReviewRules.objects.filter(partnership=partnership).first()
    return rules or ReviewRules(partnership=partnership)


@dataclass
class VictimStanding:
    person: Person
    cases: list[Case] = field(default_factory=list)
    recent_incidents: int = 0
    qualifying_complaints: int = 0
    qualifying_hate: int = 0
    repeat_victim: bool = False
    meets_threshold: bool = False


def assess(rules: ReviewRules, incidents: list[Incident], today: datetime.date) -> tuple[int, int, int]:
    """(incidents in the repeat-victim window, qualifying complaints, qualifying hate incidents)."""
    repeat_from = months_before(today, rules.repeat_victim_months)
    threshold_from = months_before(today, rules.threshold_months)
    recent = qualifying = hate = 0
    for incident in incidents:
        occurred = timezone.localdate(incident.occurred_at)
        if occurred >= repeat_from:
            recent += 1
        if occurred >= threshold_from and reported_in_time(rules, occurred, incident.reported_on):
            qualifying += 1
            hate += incident.is_hate
    return recent, qualifying, hate


def victims_needing_attention(*, user: User, partnership: Partnership) -> list[VictimStanding]:
    """Victims on open cases the user can see who are repeat victims or meet the case review threshold.

    Three queries however many victims: the victims, their incidents, the rules.
    """
    rules = rules_for(partnership)
    today = timezone.localdate()
    visible = visible_cases(user, partnership, Act.VIEW).exclude(status=CaseStatus.CLOSED).values("pk")
    parties = list(
        CaseParty.objects.filter(case_id__in=visible, role=PartyRole.VICTIM).select_related("person", "case")
    )
    by_person: dict[int, VictimStanding] = {}
    for party in parties:
        standing = by_person.setdefault(party.person_id, VictimStanding(person=party.person))
        standing.cases.append(party.case)
    earliest = months_before(today, max(rules.repeat_victim_months, rules.threshold_months))
    victim_cases = CaseParty.objects.filter(person_id__in=list(by_person), role=PartyRole.VICTIM)
    incidents: dict[int, list[Incident]] = defaultdict(list)
    rows = Incident.objects.filter(
        case_id__in=victim_cases.values("case_id"), occurred_at__date__gte=earliest
    ).values_list("pk", "case__parties__person_id", "case__parties__role")
    incident_people: dict[int, set[int]] = defaultdict(set)
    for incident_id, person_id, role in rows:
        if role == PartyRole.VICTIM and person_id in by_person:
            incident_people[incident_id].add(person_id)
    for incident in Incident.objects.filter(pk__in=list(incident_people)):
        for person_id in incident_people[incident.pk]:
            incidents[person_id].append(incident)
    result = []
    for person_id, standing in by_person.items():
        recent, qualifying, hate = assess(rules, incidents[person_id], today)
        standing.recent_incidents, standing.qualifying_complaints, standing.qualifying_hate = recent, qualifying, hate
        standing.repeat_victim = recent >= rules.repeat_victim_incidents
        standing.meets_threshold = qualifying >= rules.threshold_complaints or (
            rules.single_hate_incident_qualifies and hate >= 1
        )
        if standing.repeat_victim or standing.meets_threshold:
            result.append(standing)
    return sorted(result, key=lambda s: (not s.meets_threshold, -s.qualifying_complaints, s.person.last_name))


# -- flags on the case page and the triage queue ---------------------------------------------


@dataclass(frozen=True)
class VictimFlags:
    repeat_victim: bool = False
    meets_threshold: bool = False


def flags_for_people(*, partnership: Partnership, person_ids: list[int]) -> dict[int, VictimFlags]:
    """Repeat-victim and threshold flags counted over every case of the partnership where each is the victim.

    Like matching.repeats, the count covers cases the user may not see, and only the flag is shown.
    Three queries however many people: the rules, the victim parties, their incidents.
    """
    if not person_ids:
        return {}
    rules = rules_for(partnership)
    today = timezone.localdate()
    earliest = months_before(today, max(rules.repeat_victim_months, rules.threshold_months))
    cases_of: dict[int, set[int]] = defaultdict(set)
    parties = CaseParty.objects.filter(partnership=partnership, person_id__in=person_ids, role=PartyRole.VICTIM)
    for person_id, case_id in parties.values_list("person_id", "case_id"):
        cases_of[case_id].add(person_id)
    incidents: dict[int, list[Incident]] = defaultdict(list)
    for incident in Incident.objects.filter(case_id__in=list(cases_of), occurred_at__date__gte=earliest).only(
        "case_id", "occurred_at", "reported_on", "is_hate"
    ):
        for person_id in cases_of[incident.case_id]:
            incidents[person_id].append(incident)
    flags = {}
    for person_id in person_ids:
        recent, qualifying, hate = assess(rules, incidents[person_id], today)
        flags[person_id] = VictimFlags(
            repeat_victim=recent >= rules.repeat_victim_incidents,
            meets_threshold=qualifying >= rules.threshold_complaints
            or (rules.single_hate_incident_qualifies and hate >= 1),
        )
    return flags


def flags_for_case(*, case: Case) -> list[tuple[Person, VictimFlags]]:
    """The case's victims who are repeat victims or meet the threshold, with their flags."""
    victims = [p.person for p in CaseParty.objects.filter(case=case, role=PartyRole.VICTIM).select_related("person")]
    flags = flags_for_people(partnership=case.partnership, person_ids=[p.pk for p in victims])
    return [(p, flags[p.pk]) for p in victims if flags[p.pk].repeat_victim or flags[p.pk].meets_threshold]


def flags_for_referrals(*, partnership: Partnership, referrals: list[Referral]) -> dict[int, VictimFlags]:
    """Flags per referral on a page of the triage queue, from the people it is about.

    A subject counts when it is linked to a profile, or when a profile of the partnership has the
    same name (phonetically) and the same date of birth; victims on the case a referral went to count too.
    """
    if not referrals:
        return {}
    ids = [r.pk for r in referrals]
    subjects = list(
        ReferralSubject.objects.filter(referral_id__in=ids, kind=ReferralSubject.Kind.PERSON).only(
            "referral_id", "person_id", "first_name", "last_name", "date_of_birth"
        )
    )
    people_of: dict[int, set[int]] = defaultdict(set)
    wanted: dict[tuple[str, str, datetime.date], set[int]] = defaultdict(set)
    for subject in subjects:
        if subject.person_id:
            people_of[subject.referral_id].add(subject.person_id)
        elif subject.date_of_birth and subject.last_name:
            key = (name_key(subject.first_name), name_key(subject.last_name), subject.date_of_birth)
            wanted[key].add(subject.referral_id)
    if wanted:
        match = Q(pk__in=[])
        for first, last, born in wanted:
            match |= Q(first_name_key=first, last_name_key=last, date_of_birth=born)
        for person in Person.objects.filter(match, partnership=partnership).only(
            "pk", "first_name_key", "last_name_key", "date_of_birth"
        ):
            if person.date_of_birth is None:
                continue
            for referral_id in wanted.get((person.first_name_key, person.last_name_key, person.date_of_birth), set()):
                people_of[referral_id].add(person.pk)
    case_ids = {r.case_id: r.pk for r in referrals if r.case_id}
    if case_ids:
        victims = CaseParty.objects.filter(case_id__in=list(case_ids), role=PartyRole.VICTIM)
        for case_id, person_id in victims.values_list("case_id", "person_id"):
            people_of[case_ids[case_id]].add(person_id)
    flags = flags_for_people(partnership=partnership, person_ids=sorted({p for s in people_of.values() for p in s}))
    result = {}
    for referral_id, people in people_of.items():
        result[referral_id] = VictimFlags(
            repeat_victim=any(flags[p].repeat_victim for p in people),
            meets_threshold=any(flags[p].meets_threshold for p in people),
        )
    return result


# -- reviews ------------------------------------------------------------------------------


def open_reviews_for_people(*, partnership: Partnership, person_ids: list[int]) -> dict[int, CaseReview]:
    reviews = CaseReview.objects.filter(partnership=partnership, victim_id__in=person_ids).exclude(
        status__in=[ReviewStatus.NOT_MET, ReviewStatus.COMPLETED]
    )
    return {review.victim_id: review for review in reviews if review.victim_id is not None}


def review_reports(*, user: User, review: CaseReview) -> list[Report]:
    """The complaints listed with the application and the incidents recorded about the victim.

    Incidents on every case where the linked person is the victim count, and those on the linked
    case; the details of an incident are shown only when the user may see it.
    """
    reports = [
        Report(c.occurred_on, c.reported_on, c.is_hate, "complaint", c.reported_to) for c in review.complaints.all()
    ]
    case_ids: set[int] = set()
    if review.victim_id:
        case_ids |= set(
            CaseParty.objects.filter(person_id=review.victim_id, role=PartyRole.VICTIM).values_list(
                "case_id", flat=True
            )
        )
    if review.case_id:
        case_ids.add(review.case_id)
    if not case_ids:
        return reports
    shown_ids: set[int] = set()
    # One query per case the user may see (restrictions depend on each case's lead organisation).
    for case in visible_cases(user, review.partnership, Act.VIEW).filter(pk__in=case_ids):
        shown_ids |= set(visible_entries(user, case, Incident.objects.all()).values_list("pk", flat=True))
    for incident in Incident.objects.filter(case_id__in=case_ids).select_related("category", "case"):
        shown = incident.pk in shown_ids
        reports.append(
            Report(
                timezone.localdate(incident.occurred_at),
                incident.reported_on,
                incident.is_hate,
                "incident",
                f"{incident.case.reference}: {incident.category}" if shown else "",
                details_visible=shown,
            )
        )
    return reports


def review_threshold(*, user: User, review: CaseReview) -> ThresholdResult:
    return evaluate(rules_for(review.partnership), review_reports(user=user, review=review), review.received_on)


@dataclass(frozen=True)
class ReviewRow:
    review: CaseReview
    timescales: list[Timescale]

    @property
    def overdue(self) -> bool:
        return any(t.is_overdue for t in self.timescales)


def review_list(*, user: User, partnership: Partnership, state: str = "") -> list[ReviewRow]:
    """Reviews with their timescales; ``state`` is "", "open", "overdue" or a ReviewStatus. Two queries."""
    rules = rules_for(partnership)
    today = timezone.localdate()
    reviews = visible_reviews(user, partnership).select_related("panel_meeting")
    if state == "open" or state == "overdue":
        reviews = reviews.filter(status__in=[ReviewStatus.RECEIVED, ReviewStatus.IN_REVIEW])
    elif state in ReviewStatus.values:
        reviews = reviews.filter(status=state)
    rows = [ReviewRow(r, timescales(r, rules, today)) for r in reviews.order_by("received_on", "id")]
    return [row for row in rows if row.overdue] if state == "overdue" else rows


def panel_meetings(*, partnership: Partnership) -> QuerySet[Meeting]:
    """Meetings of the partnership's ASB Case Review panel series, newest first."""
    return (
        Meeting.objects.filter(partnership=partnership, series__kind=Kind.ASB_CASE_REVIEW)
        .select_related("series")
        .order_by("-starts_at")
    )


def recommendations_owned(*, user: User, partnership: Partnership) -> QuerySet[Recommendation]:
    return (
        owned_recommendations(user, partnership)
        .filter(status__in=OPEN_RECOMMENDATION)
        .select_related("review", "owner_organisation", "owner_user")
        .order_by("due_on", "id")
    )
