"""Repeat victims and the ASB Case Review threshold, counted from the incidents recorded for each victim.

Incidents on every case where a person is the victim count together, so reports about the same
victim on different cases are linked. Only cases the user may see are listed.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from casebridge.case_reviews.models import ReviewRules
from casebridge.cases.models import Case, CaseParty, Incident, PartyRole
from casebridge.cases.models import Status as CaseStatus
from casebridge.organisations.models import Partnership
from casebridge.people.models import Person
from casebridge.sharing.policy import Act, visible_cases

if TYPE_CHECKING:
    from casebridge.accounts.models import User


def rules_for(partnership: Partnership) -> ReviewRules:
    rules = ReviewRules.objects.filter(partnership=partnership).first()
    return rules or ReviewRules(partnership=partnership)


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return datetime.date(year, month + 1, min(day.day, 28))


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
    repeat_from = _months_before(today, rules.repeat_victim_months)
    threshold_from = _months_before(today, rules.threshold_months)
    recent = qualifying = hate = 0
    for incident in incidents:
        occurred = timezone.localdate(incident.occurred_at)
        if occurred >= repeat_from:
            recent += 1
        reported_in_time = (incident.reported_on - occurred).days <= rules.reported_within_days
        if occurred >= threshold_from and reported_in_time:
            qualifying += 1
            hate += incident.is_hate
    return recent, qualifying, hate


def victims_needing_attention(*, user: "User", partnership: Partnership) -> list[VictimStanding]:
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
    earliest = _months_before(today, max(rules.repeat_victim_months, rules.threshold_months))
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
