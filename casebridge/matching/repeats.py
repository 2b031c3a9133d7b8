"""Repeat identification: repeat perpetrators, repeat victims, hotspots and "also known to".

A window check: ``n`` incidents fall within ``days`` when, with the incidents in date order,
some incident and the one ``n - 1`` places after it are at most ``days`` apart.
Counts cover every case in the partnership (recognising a repeat victim at first contact is the
point), but only the flag is shown, never the cases behind it.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from casebridge.cases.models import CaseParty, Incident, PartyRole
from casebridge.matching.models import RepeatThresholds
from casebridge.matching.selectors import organisations_holding_ids
from casebridge.organisations.models import Partnership
from casebridge.people.models import Person, PersonAddress


def thresholds_for(partnership: Partnership) -> RepeatThresholds:
    found = RepeatThresholds.objects.filter(partnership=partnership).first()
    return found or RepeatThresholds(partnership=partnership)


def within_window(moments: Iterable[dt.datetime], *, count: int, days: int) -> bool:
    ordered = sorted(moments)
    span = dt.timedelta(days=days)
    return any(ordered[i + count - 1] - ordered[i] <= span for i in range(len(ordered) - count + 1))


@dataclass
class PersonFlags:
    repeat_perpetrator: bool = False
    repeat_victim: bool = False
    known_to: list[str] = field(default_factory=list)


def person_flags(
    *, partnership: Partnership, person_ids: Sequence[int], organisation_id: int | None = None
) -> dict[int, PersonFlags]:
    """Flags for many people in three queries (parties, incidents, holders)."""
    limits = thresholds_for(partnership)
    flags = {pk: PersonFlags() for pk in person_ids}
    cases_by_role: dict[tuple[int, str], set[int]] = {}
    parties = CaseParty.objects.filter(partnership=partnership, person_id__in=person_ids)
    for person_id, case_id, role in parties.values_list("person_id", "case_id", "role"):
        cases_by_role.setdefault((person_id, role), set()).add(case_id)
    wanted = {case for cases in cases_by_role.values() for case in cases}
    moments: dict[int, list[dt.datetime]] = {}
    for case_id, occurred_at in Incident.objects.filter(case_id__in=wanted).values_list("case_id", "occurred_at"):
        moments.setdefault(case_id, []).append(occurred_at)
    for pk in person_ids:
        perpetrated = cases_by_role.get((pk, PartyRole.PERPETRATOR), set())
        suffered = cases_by_role.get((pk, PartyRole.VICTIM), set())
        against = [moment for case in perpetrated for moment in moments.get(case, [])]
        flags[pk].repeat_perpetrator = len(perpetrated) >= limits.perpetrator_cases or within_window(
            against, count=limits.perpetrator_incidents, days=limits.perpetrator_days
        )
        suffered_at = [moment for case in suffered for moment in moments.get(case, [])]
        flags[pk].repeat_victim = within_window(suffered_at, count=limits.victim_incidents, days=limits.victim_days)
    for pk, holders in organisations_holding_ids(person_ids=person_ids).items():
        flags[pk].known_to = sorted(name for org_id, name in holders if org_id != organisation_id)
    return flags


def hotspot_location_ids(*, partnership: Partnership, location_ids: Sequence[int]) -> set[int]:
    """Which of these locations have had repeated incidents (one query)."""
    limits = thresholds_for(partnership)
    moments: dict[int, list[dt.datetime]] = {}
    rows = Incident.objects.filter(partnership=partnership, location_id__in=location_ids)
    for location_id, occurred_at in rows.values_list("location_id", "occurred_at"):
        moments.setdefault(location_id, []).append(occurred_at)
    return {
        location_id
        for location_id, times in moments.items()
        if within_window(times, count=limits.hotspot_incidents, days=limits.hotspot_days)
    }


def person_page_context(*, person: Person, organisation_id: int | None) -> dict[str, object]:
    """``repeat_flags`` and ``hotspots`` (location ids among the person's addresses) for the person page."""
    partnership = person.partnership
    flags = person_flags(partnership=partnership, person_ids=[person.pk], organisation_id=organisation_id)
    location_ids = list(PersonAddress.objects.filter(person=person).values_list("location_id", flat=True))
    return {
        "repeat_flags": flags[person.pk],
        "hotspots": hotspot_location_ids(partnership=partnership, location_ids=location_ids),
    }
