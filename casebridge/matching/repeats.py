"""Repeat identification: repeat perpetrators, repeat victims, hotspots and "also known to".

- Repeat victim: the partnership's case review rules (``case_reviews.ReviewRules``; by default
  3 incidents in the last 3 months), counted over the incidents of every case where
  the person is the victim, from the same day ``months`` months ago to now — the same rule as
  the case review alerts, so the two never disagree.
- Repeat perpetrator: a perpetrator in ``perpetrator_cases`` cases, or ``perpetrator_incidents``
  incidents within ``perpetrator_days`` of each other (``RepeatThresholds``).
- Hotspot: ``hotspot_incidents`` incidents at one location within ``hotspot_days``.
- Also known to: the other organisations holding a record on the person (existence only).

A window check: ``n`` incidents fall within ``days`` when, with the incidents in date order,
some incident and the one ``n - 1`` places after it are at most ``days`` apart.
Counts cover every case in the partnership (recognising a repeat victim at first contact is the
point), but only the flag is shown, never the cases behind it. Callers show the flags of
people and places the user may see; for anyone else, at most that a record exists.

Every function here costs a fixed number of queries whatever the number of rows asked about.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from casebridge.case_reviews.models import ReviewRules
from casebridge.case_reviews.selectors import rules_for
from casebridge.case_reviews.threshold import months_before
from casebridge.cases.models import Case, CaseLocation, CaseParty, Incident, PartyRole
from casebridge.matching.models import RepeatThresholds
from casebridge.matching.selectors import organisations_holding_ids
from casebridge.organisations.models import Partnership
from casebridge.people.models import Person, PersonAddress

if TYPE_CHECKING:
    from casebridge.cases.selectors import CaseRow

REPEAT_ROLES = (PartyRole.PERPETRATOR, PartyRole.VICTIM)


def thresholds_for(partnership: Partnership) -> RepeatThresholds:
    found = RepeatThresholds.objects.filter(partnership=partnership).first()
    return found or RepeatThresholds(partnership=partnership)


def within_window(moments: Iterable[dt.datetime], *, count: int, days: int) -> bool:
    ordered = sorted(moments)
    span = dt.timedelta(days=days)
    return any(ordered[i + count - 1] - ordered[i] <= span for i in range(len(ordered) - count + 1))


def is_repeat_victim(moments: Iterable[dt.datetime], *, rules: ReviewRules, today: dt.date) -> bool:
    """At least ``repeat_victim_incidents`` incidents on or after the day ``repeat_victim_months`` ago."""
    since = months_before(today, rules.repeat_victim_months)
    recent = sum(1 for moment in moments if timezone.localdate(moment) >= since)
    return recent >= rules.repeat_victim_incidents


@dataclass
class PersonFlags:
    repeat_perpetrator: bool = False
    repeat_victim: bool = False
    known_to: list[str] = field(default_factory=list)


@dataclass
class CaseFlags:
    """The flags of a case's parties and places, for a row of a case list."""

    repeat_perpetrator: bool = False
    repeat_victim: bool = False
    hotspot: bool = False

    def __bool__(self) -> bool:
        return self.repeat_perpetrator or self.repeat_victim or self.hotspot


def person_flags(
    *,
    partnership: Partnership,
    person_ids: Sequence[int],
    organisation_id: int | None = None,
    known_to: bool = True,
    today: dt.date | None = None,
    limits: RepeatThresholds | None = None,
    parties: "QuerySet[CaseParty] | None" = None,
) -> dict[int, PersonFlags]:
    """Flags for many people: six queries (thresholds, rules, parties, incidents, two for holders).

    ``parties`` is the victim and perpetrator roles of these people, when the caller has them.
    """
    limits = limits or thresholds_for(partnership)
    rules = rules_for(partnership)
    today = today or timezone.localdate()
    flags = {pk: PersonFlags() for pk in person_ids}
    if parties is None:
        parties = CaseParty.objects.filter(partnership=partnership, person_id__in=person_ids, role__in=REPEAT_ROLES)
    cases_by_role: dict[tuple[int, str], set[int]] = {}
    for person_id, case_id, role in parties.values_list("person_id", "case_id", "role").order_by():
        cases_by_role.setdefault((person_id, role), set()).add(case_id)
    moments: dict[int, list[dt.datetime]] = {}
    # A subquery rather than the ids: the same one query whether or not anyone has a case.
    incidents = Incident.objects.filter(case_id__in=parties.values("case_id").order_by())
    for case_id, occurred_at in incidents.values_list("case_id", "occurred_at"):
        moments.setdefault(case_id, []).append(occurred_at)
    for pk in person_ids:
        perpetrated = cases_by_role.get((pk, PartyRole.PERPETRATOR), set())
        suffered = cases_by_role.get((pk, PartyRole.VICTIM), set())
        against = [moment for case in perpetrated for moment in moments.get(case, [])]
        flags[pk].repeat_perpetrator = len(perpetrated) >= limits.perpetrator_cases or within_window(
            against, count=limits.perpetrator_incidents, days=limits.perpetrator_days
        )
        suffered_at = [moment for case in suffered for moment in moments.get(case, [])]
        flags[pk].repeat_victim = is_repeat_victim(suffered_at, rules=rules, today=today)
    if known_to:
        for pk, holders in organisations_holding_ids(person_ids=person_ids).items():
            flags[pk].known_to = sorted(name for org_id, name in holders if org_id != organisation_id)
    return flags


def hotspot_location_ids(
    *,
    partnership: Partnership,
    location_ids: "Iterable[int] | QuerySet[Any]",
    limits: RepeatThresholds | None = None,
) -> set[int]:
    """Which of these locations (ids, or a subquery of ids) have had repeated incidents (two queries)."""
    limits = limits or thresholds_for(partnership)
    moments: dict[int, list[dt.datetime]] = {}
    chosen = location_ids if isinstance(location_ids, QuerySet) else list(location_ids)
    rows = Incident.objects.filter(partnership=partnership, location_id__in=chosen)
    for location_id, occurred_at in rows.values_list("location_id", "occurred_at"):
        moments.setdefault(location_id, []).append(occurred_at)
    return {
        location_id
        for location_id, times in moments.items()
        if within_window(times, count=limits.hotspot_incidents, days=limits.hotspot_days)
    }


def case_flags(*, partnership: Partnership, case_ids: Sequence[int]) -> dict[int, CaseFlags]:
    """Flags for the rows of a case list: seven queries whatever the number of cases."""
    result = {pk: CaseFlags() for pk in case_ids}
    limits = thresholds_for(partnership)
    # Every victim and perpetrator role of the people who are victims or perpetrators on these cases.
    on_these = CaseParty.objects.filter(partnership=partnership, case_id__in=case_ids, role__in=REPEAT_ROLES)
    roles = CaseParty.objects.filter(
        partnership=partnership, person_id__in=on_these.values("person_id").order_by(), role__in=REPEAT_ROLES
    )
    parties = list(roles.filter(case_id__in=case_ids).values_list("person_id", "case_id", "role").order_by())
    people = person_flags(
        partnership=partnership,
        person_ids=sorted({person for person, _, _ in parties}),
        known_to=False,
        limits=limits,
        parties=roles,
    )
    for person_id, case_id, role in parties:
        if role == PartyRole.PERPETRATOR and people[person_id].repeat_perpetrator:
            result[case_id].repeat_perpetrator = True
        if role == PartyRole.VICTIM and people[person_id].repeat_victim:
            result[case_id].repeat_victim = True
    linked = CaseLocation.objects.filter(case_id__in=case_ids).values_list("case_id", "location_id").order_by()
    incidents = Incident.objects.filter(case_id__in=case_ids, location__isnull=False)
    places = set(linked.union(incidents.values_list("case_id", "location_id").order_by()))
    # A UNION of the two small sets of places, not an OR of two IN tests (which makes the
    # database test every location of the partnership in turn).
    at_these = CaseLocation.objects.filter(case_id__in=case_ids).values("location_id").order_by()
    hotspots = hotspot_location_ids(
        partnership=partnership,
        location_ids=at_these.union(incidents.values("location_id").order_by()),
        limits=limits,
    )
    for case_id, location_id in places:
        if location_id in hotspots:
            result[case_id].hotspot = True
    return result


def annotate_cases(*, partnership: Partnership, cases: "Sequence[Case | CaseRow]") -> None:
    """Set ``repeat_flags`` (a ``CaseFlags``) on each case (or row) of a list page."""
    flags = case_flags(partnership=partnership, case_ids=[case.pk for case in cases])
    for case in cases:
        case.repeat_flags = flags[case.pk]  # type: ignore[union-attr]


def person_page_context(*, person: Person, organisation_id: int | None) -> dict[str, object]:
    """``repeat_flags`` and ``hotspots`` (location ids among the person's addresses) for the person page."""
    partnership = person.partnership
    flags = person_flags(partnership=partnership, person_ids=[person.pk], organisation_id=organisation_id)
    location_ids = list(PersonAddress.objects.filter(person=person).values_list("location_id", flat=True))
    return {
        "repeat_flags": flags[person.pk],
        "hotspots": hotspot_location_ids(partnership=partnership, location_ids=location_ids),
    }
