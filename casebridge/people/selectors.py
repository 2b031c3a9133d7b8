"""Reads on people, and the search that spans people and cases."""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from rapidfuzz import fuzz

from casebridge.accounts.models import User
from casebridge.cases import selectors as case_selectors
from casebridge.cases.models import Case, CaseLocation, CaseParty, Incident
from casebridge.cases.policy import Act, visible_cases, visible_cases_each, visible_incidents
from casebridge.lib.addresses import POSTCODE_RE, normalise_postcode
from casebridge.organisations.models import Partnership
from casebridge.people.access import visible_details_of, visible_people, visible_warnings
from casebridge.people.models import (
    Location,
    Person,
    PersonAddress,
    PersonAlias,
    PersonIdentifier,
    PersonLink,
    fold,
    name_key,
)
from casebridge.people.validators import normalise_identifier

REFERENCE_RE = re.compile(r"^[A-Z]{2,6}-\d{4}-\d{6}$")
IDENTIFIER_RE = re.compile(r"^(\d{2,4}/\d{1,7}[A-Z]|\d{10}|[A-Z]{2}\d{6}[A-D])$")
CANDIDATE_LIMIT = 500
RESULT_LIMIT = 50
MIN_SCORE = 70
# Rows of each kind on a location page (the newest first).
PAGE_LIMIT = 100


def person_links_visible(*, user: User, person: Person) -> QuerySet[PersonLink]:
    """Links to people the user may see; links to anyone else are not even named."""
    visible = visible_people(user, person.partnership).filter(pk=OuterRef("other_id"))
    return PersonLink.objects.filter(person=person).filter(Exists(visible)).select_related("other")


def person_cases_visible(*, user: User, person: Person) -> QuerySet[CaseParty]:
    case_visible = visible_cases_each(user, person.partnership, Act.VIEW).filter(pk=OuterRef("case_id"))
    return (
        CaseParty.objects.filter(person=person)
        .filter(Exists(case_visible))
        .select_related("case", "case__case_type", "case__lead_organisation")
        .order_by("-case__updated_at")
    )


def case_parties_visible(*, user: User, case: Case) -> QuerySet[CaseParty]:
    """A case's parties with the warning markers the user may see on each (two queries, rule 7)."""
    warnings = visible_warnings(user, Partnership(pk=case.partnership_id))
    return case_selectors.case_parties(case=case).prefetch_related(Prefetch("person__warning_markers", warnings))


def person_source_cases(*, user: User, person: Person) -> list[Case]:
    """The person's cases the user may contribute to: those a detail can be recorded under (rule 7)."""
    case_open = visible_cases_each(user, person.partnership, Act.CONTRIBUTE).filter(pk=OuterRef("case_id"))
    party = CaseParty.objects.filter(person=person).filter(Exists(case_open)).values("case_id")
    return list(Case.objects.filter(pk__in=party).select_related("case_type").order_by("reference"))


@dataclass
class PersonResult:
    person: Person
    visible: bool
    score: float
    holders: list[str] = field(default_factory=list)
    # The repeat flags (matching.repeats.PersonFlags), set by the page: matching sits above people.
    flags: Any = None


@dataclass
class CaseResult:
    case: Case
    visible: bool


@dataclass
class SearchResults:
    kind: str
    people: list[PersonResult] = field(default_factory=list)
    cases: list[CaseResult] = field(default_factory=list)


def search(
    *, user: User, partnership: Partnership, text: str, date_of_birth: datetime.date | None = None
) -> SearchResults:
    """By name (phonetic and fuzzy), alias, date of birth, case reference, identifier or postcode.

    Everyone learns that a record exists from its name and date of birth; only what they may see
    is linked. An alias, identifier or postcode is a detail (rule 7): it finds a person only
    through a detail the user may see, so a hidden one ties no name to it.
    """
    text = " ".join(text.split())
    upper = text.upper()
    people = Person.objects.filter(partnership=partnership)
    if REFERENCE_RE.match(upper):
        case = Case.objects.select_related("lead_organisation").filter(partnership=partnership, reference=upper).first()
        if case is None:
            return SearchResults(kind="reference")
        visible = visible_cases(user, partnership, Act.VIEW).filter(pk=case.pk).exists()
        return SearchResults(kind="reference", cases=[CaseResult(case, visible)])
    if IDENTIFIER_RE.match(upper.replace(" ", "")):
        value = upper.replace(" ", "") if "/" not in upper else normalise_identifier("pnc", upper)
        ids = visible_details_of(user, partnership, PersonIdentifier).filter(value=value).values("person_id")
        return _people_results(user, partnership, list(people.filter(pk__in=ids)[:RESULT_LIMIT]), kind="identifier")
    if POSTCODE_RE.match(normalise_postcode(text)):
        postcode = normalise_postcode(text)
        addresses = visible_details_of(user, partnership, PersonAddress).filter(location__postcode=postcode)
        at_postcode = people.filter(pk__in=addresses.values("person_id"))
        if date_of_birth:
            at_postcode = at_postcode.filter(date_of_birth=date_of_birth)
        return _people_results(user, partnership, list(at_postcode[:RESULT_LIMIT]), kind="postcode")
    if not text and date_of_birth:
        by_dob = list(people.filter(date_of_birth=date_of_birth)[:RESULT_LIMIT])
        return _people_results(user, partnership, by_dob, kind="date_of_birth")
    return _name_search(user, partnership, text, date_of_birth)


def _name_search(user: User, partnership: Partnership, text: str, date_of_birth: datetime.date | None) -> SearchResults:
    tokens = [t for t in re.split(r"[\s,]+", text) if t]
    if not tokens:
        return SearchResults(kind="name")
    keys = {name_key(t) for t in tokens} - {""}
    # Scored on their names alone (plain tuples, not model objects): only the best are fetched whole.
    names: dict[int, list[str]] = {}
    order: dict[int, tuple[str, str]] = {}
    for pk, first_name, last_name in name_candidates(user, partnership, tokens, keys, date_of_birth):
        names[pk] = [f"{first_name} {last_name}".strip().lower()]
        order[pk] = (last_name, first_name)
    aliases = (
        visible_details_of(user, partnership, PersonAlias)
        .filter(person_id__in=names)
        .values_list("person_id", "first_name", "last_name")
    )
    for person_id, first_name, last_name in aliases:
        names[person_id].append(f"{first_name} {last_name}".strip().lower())
    scored: list[tuple[float, int]] = []
    query = text.lower()
    for pk, spellings in names.items():
        score = max(fuzz.token_sort_ratio(query, n) for n in spellings)
        if len(tokens) == 1:
            score = max(score, *(fuzz.ratio(query, n.split()[-1]) for n in spellings if n))
        if score >= MIN_SCORE:
            scored.append((score, pk))
    scored.sort(key=lambda pair: (-pair[0], *order[pair[1]]))
    chosen = scored[:RESULT_LIMIT]
    found = Person.objects.in_bulk([pk for _, pk in chosen])
    result = _people_results(user, partnership, [found[pk] for _, pk in chosen if pk in found], kind="name")
    scores = {pk: score for score, pk in chosen}
    for item in result.people:
        item.score = scores.get(item.person.pk, 0)
    return result


def name_candidates(
    user: User,
    partnership: Partnership,
    tokens: list[str],
    keys: set[str],
    date_of_birth: datetime.date | None = None,
) -> QuerySet[Any]:
    """(id, first name, last name) of up to CANDIDATE_LIMIT people, by surname then first name, whose
    surname (or the surname of an alias the user may see) sounds like a word of the search or
    starts with one, or, for a single word, whose first name sounds like it.

    One UNION of index lookups, one arm per index, instead of an OR across people and aliases
    that would make the database read every person of the partnership. Each arm carries the
    names itself, which PostgreSQL reads from the indexes alone (they include both names).
    """
    people = Person.objects.filter(partnership=partnership).order_by()
    aliases = visible_details_of(user, partnership, PersonAlias).order_by()
    if date_of_birth:
        people = people.filter(date_of_birth=date_of_birth)
        aliases = aliases.filter(person__date_of_birth=date_of_birth)
    person_names = ("pk", "first_name", "last_name")
    alias_names = ("person_id", "person__first_name", "person__last_name")
    arms: list[QuerySet[Any]] = [
        people.filter(last_name_key__in=keys).values_list(*person_names),
        aliases.filter(last_name_key__in=keys).values_list(*alias_names),
    ]
    if len(tokens) == 1:
        arms.append(people.filter(first_name_key__in=keys).values_list(*person_names))
    for prefix in {fold(token) for token in tokens} - {""}:
        # A range rather than LIKE: the same index serves it on both databases, in any case.
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        surname = {"last_name_folded__gte": prefix, "last_name_folded__lt": after}
        arms.append(people.filter(**surname).values_list(*person_names))
        arms.append(aliases.filter(**surname).values_list(*alias_names))
    first, *rest = arms
    return first.union(*rest).order_by("last_name", "first_name", "pk")[:CANDIDATE_LIMIT]


def _people_results(user: User, partnership: Partnership, found: list[Person], *, kind: str) -> SearchResults:
    """Mark which results the user may open, and which organisations hold each (two queries)."""
    ids = [p.pk for p in found]
    visible = set(visible_people(user, partnership).filter(pk__in=ids).values_list("pk", flat=True))
    holders: dict[int, set[str]] = {}
    for person_id, organisation in CaseParty.objects.filter(person_id__in=ids).values_list(
        "person_id", "case__lead_organisation__name"
    ):
        holders.setdefault(person_id, set()).add(organisation)
    creators = dict(Person.objects.filter(pk__in=ids).values_list("pk", "created_by_organisation__name"))
    results = []
    for person in found:
        held = holders.get(person.pk, set()) | {creators.get(person.pk, "")}
        results.append(PersonResult(person, person.pk in visible, 100, sorted(h for h in held if h)))
    return SearchResults(kind=kind, people=results)


def person_link_candidates(*, user: User, person: Person, other_id: object = None) -> list[Person]:
    """People the user may link this person to: those on the same cases, or one chosen from search."""
    visible = visible_people(user, person.partnership).exclude(pk=person.pk)
    cases = visible_cases(user, person.partnership, Act.VIEW).filter(parties__person=person).values("pk")
    same_cases = Q(case_parties__case_id__in=cases)
    chosen = Q(public_id=other_id) if other_id else Q(pk__in=[])
    return list(visible.filter(same_cases | chosen).distinct().order_by("last_name", "first_name"))


@dataclass
class LocationPage:
    cases: list[Case]
    incidents: list[Incident]
    people: list[Person]


def location_page(*, user: User, location: Location) -> LocationPage:
    """What the user may see at a place: its cases, incidents there and people living there (three queries)."""
    partnership = location.partnership
    # Only incidents the user may see tie a case to the place: a restricted one says nothing.
    incidents_here = visible_incidents(user, partnership).filter(location=location)
    tied = Q(pk__in=CaseLocation.objects.filter(location=location).values("case_id"))
    tied |= Q(pk__in=incidents_here.values("case_id"))
    cases = list(
        visible_cases(user, partnership, Act.VIEW)
        .filter(tied)
        .select_related("case_type", "lead_organisation")
        .order_by("-updated_at", "-pk")[:PAGE_LIMIT]
    )
    incidents = list(incidents_here.select_related("case", "category").order_by("-occurred_at", "-pk")[:PAGE_LIMIT])
    # Only an address the user may see ties a person to the place (rule 7).
    living_here = visible_details_of(user, partnership, PersonAddress).filter(location=location)
    people = list(
        Person.objects.filter(pk__in=living_here.values("person_id")).order_by("last_name", "first_name", "pk")[
            :PAGE_LIMIT
        ]
    )
    return LocationPage(cases=cases, incidents=incidents, people=people)
