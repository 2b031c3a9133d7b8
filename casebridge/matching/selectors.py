"""Reads for matching: people as engine records, likely matches for a new person or a referral, the queue.

How matches are found for one new person
----------------------------------------
``person_matches_for`` does not hold an in-memory index of the partnership. It asks the
database for the few people who share a blocking key with the candidate, using the indexes
the people app already has: the phonetic surname key (of the name, of each part of a
double-barrelled name, of an alias, and of the first name for swapped names), the date of
birth and its day/month transposition, an identifier, the postcode of an address, the phone
number and the email. Each key is capped at ``PER_KEY_LIMIT`` rows, so the cost depends on
the size of the blocks, not of the partnership: it is the same for 200 people or 2 million.
Only those people are loaded as records (five ``values()`` queries, no per-person query) and
scored by the engine's model. The whole-partnership run (``find_duplicates``) loads every
person once in the same way and uses the engine's blocking in memory.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet

from casebridge.accounts.models import User
from casebridge.cases.models import Case, CaseLocation, CaseParty
from casebridge.cases.models import Status as CaseStatus
from casebridge.cases.policy import Act, visible_cases
from casebridge.lib.addresses import normalise_postcode
from casebridge.matching.engine import Band, Match, PersonRecord, score
from casebridge.matching.models import CandidateStatus, DuplicateCandidate, NotSamePerson, PersonMerge
from casebridge.matching.normalise import normalise_phone, transposed_date
from casebridge.organisations.models import Partnership, Role
from casebridge.people.access import (
    detail_visible_q,
    visible_details,
    visible_details_of,
    visible_people,
    with_visible_columns,
)
from casebridge.people.models import Location, Person, PersonAddress, PersonAlias, PersonIdentifier, name_key
from casebridge.people.selectors import CaseResult, PersonResult, search
from casebridge.referrals.models import Referral, ReferralSubject

PER_KEY_LIMIT = 500
# People, places and cases shown at most for a referral at intake.
MATCH_LIMIT = 20
REVIEWER_ROLES = frozenset({Role.ADMINISTRATOR, Role.MANAGER})


def person_records(
    *, partnership: Partnership, person_ids: Iterable[int] | None = None, user: User | None = None
) -> list[PersonRecord]:
    """People as engine records (id = pk as text), in four queries whatever their number.

    With ``user``, each record holds only the details that user may see (rule 7), so a match
    shown to them never rests on a detail hidden from them; without, every detail (the
    partnership's own duplicate finding, whose pairs reviewers see through the access rules).
    """
    people = Person.objects.filter(partnership=partnership)
    children: dict[str, QuerySet[Any]] = {
        "aliases": PersonAlias.objects.filter(partnership=partnership),
        "identifiers": PersonIdentifier.objects.filter(partnership=partnership),
        "addresses": PersonAddress.objects.filter(partnership=partnership, to_date__isnull=True),
    }
    if user is not None:
        children = {
            "aliases": visible_details_of(user, partnership, PersonAlias),
            "identifiers": visible_details_of(user, partnership, PersonIdentifier),
            "addresses": visible_details_of(user, partnership, PersonAddress).filter(to_date__isnull=True),
        }
        people = with_visible_columns(user, partnership, people)
    if person_ids is not None:
        ids = list(person_ids)
        people = people.filter(pk__in=ids)
        children = {name: rows.filter(person_id__in=ids) for name, rows in children.items()}
    aliases: dict[int, list[str]] = {}
    for person_id, first, last in children["aliases"].values_list("person_id", "first_name", "last_name"):
        aliases.setdefault(person_id, []).append(f"{first} {last}".strip())
    identifiers: dict[int, dict[str, str]] = {}
    for person_id, kind, value in children["identifiers"].values_list("person_id", "kind", "value"):
        identifiers.setdefault(person_id, {})[kind] = value
    # The current address: the open-ended one that started last (no start date counts as earliest).
    addresses: dict[int, tuple[str, str]] = {}
    rows = children["addresses"].order_by("person_id", "from_date", "pk")
    for person_id, line, postcode in rows.values_list("person_id", "location__address_line_1", "location__postcode"):
        addresses[person_id] = (line, postcode)
    records = []
    contact = ("phone", "email") if user is None else ("phone", "email", "phone_visible", "email_visible")
    for row in people.values("pk", "first_name", "last_name", "date_of_birth", "gender", *contact):
        pk = row["pk"]
        if user is not None:
            row["phone"] = row["phone"] if row["phone_visible"] else ""
            row["email"] = row["email"] if row["email_visible"] else ""
        ids_of = identifiers.get(pk, {})
        line, postcode = addresses.get(pk, ("", ""))
        records.append(
            PersonRecord(
                id=str(pk),
                first_name=row["first_name"],
                last_name=row["last_name"],
                aliases=tuple(aliases.get(pk, ())),
                date_of_birth=row["date_of_birth"],
                gender=row["gender"] if row["gender"] in ("male", "female") else "",
                postcode=postcode,
                address=line,
                phone=row["phone"],
                email=row["email"],
                pnc=ids_of.get("pnc", ""),
                nhs=ids_of.get("nhs", ""),
                ni=ids_of.get("ni", ""),
            )
        )
    return records


def _surname_keys(candidate: PersonRecord) -> set[str]:
    names = [candidate.last_name, *(alias.split()[-1] for alias in candidate.aliases if alias.split())]
    keys = set()
    for name in names:
        keys.add(name_key(name))
        keys.update(name_key(part) for part in name.replace("-", " ").split())
    return keys - {""}


def candidate_person_ids(*, partnership: Partnership, candidate: PersonRecord, user: User | None = None) -> set[int]:
    """Pks of people sharing at least one blocking key with the candidate (see the module docstring).

    With ``user``, an alias, identifier, address, phone or email blocks only where that user may
    see it (rule 7); names and dates of birth block for everyone (existence, rule 4).
    """
    people = Person.objects.filter(partnership=partnership)
    ids: set[int] = set()
    aliases = PersonAlias.objects.filter(partnership=partnership)
    identifiers = PersonIdentifier.objects.filter(partnership=partnership)
    addresses = PersonAddress.objects.filter(partnership=partnership)
    with_email, with_phone = people, people
    if user is not None:
        aliases = visible_details_of(user, partnership, PersonAlias)
        identifiers = visible_details_of(user, partnership, PersonIdentifier)
        addresses = visible_details_of(user, partnership, PersonAddress)
        shown = visible_people(user, partnership)
        with_email = shown.filter(detail_visible_q(user, partnership, "email_"))
        with_phone = shown.filter(detail_visible_q(user, partnership, "phone_"))

    def take(rows: QuerySet[Any], column: str = "pk") -> None:
        ids.update(rows.values_list(column, flat=True)[:PER_KEY_LIMIT])

    surnames = _surname_keys(candidate)
    if surnames:
        take(people.filter(last_name_key__in=surnames))
        take(aliases.filter(last_name_key__in=surnames), "person_id")
    first = name_key(candidate.first_name)
    if first:
        take(people.filter(last_name_key=first))
    if candidate.date_of_birth:
        dates = {candidate.date_of_birth, transposed_date(candidate.date_of_birth)} - {None}
        take(people.filter(date_of_birth__in=dates))
    values = [value for value in (candidate.pnc, candidate.nhs, candidate.ni) if value]
    if values:
        cleaned = [value.upper().replace(" ", "") for value in values]
        take(identifiers.filter(value__in=cleaned), "person_id")
    if candidate.postcode:
        postcode = normalise_postcode(candidate.postcode)
        take(addresses.filter(location__postcode=postcode), "person_id")
    if candidate.email:
        take(with_email.filter(email__iexact=candidate.email.strip()))
    phone = normalise_phone(candidate.phone) if candidate.phone else ""
    if len(phone) >= 10:
        take(with_phone.filter(Q(phone=candidate.phone) | Q(phone=phone)))
    return ids


@dataclass
class PersonMatch:
    """A likely existing profile; only ``visible`` ones carry the person, the rest existence only."""

    public_id: str
    name: str
    date_of_birth: dt.date | None
    holders: list[str]
    visible: bool
    band: Band
    probability: float
    person: Person | None = None
    agreeing: list[str] = field(default_factory=list)


def matches_among(candidate: PersonRecord, records: Sequence[PersonRecord], *, limit: int) -> list[Match]:
    found = [match for record in records if (match := score(candidate, record)).band is not None]
    found.sort(key=lambda match: (-match.weight, match.right_id))
    return found[:limit]


def person_matches_for(
    *, user: User, partnership: Partnership, candidate: PersonRecord, limit: int = 10
) -> list[PersonMatch]:
    """Existing people who may be ``candidate``, strongest first.

    People the user may not see appear existence-only (rule 4 in docs/access-model.md): name, date of birth
    and the organisations holding a record; ``person`` is then None.
    """
    # Only the details the user may see take part (rule 7): a hidden PNC or address neither
    # finds a person nor strengthens a match.
    ids = candidate_person_ids(partnership=partnership, candidate=candidate, user=user)
    if not ids:
        return []
    records = person_records(partnership=partnership, person_ids=ids, user=user)
    found = matches_among(candidate, records, limit=limit)
    chosen = [int(match.right_id) for match in found]
    people = Person.objects.in_bulk(chosen)
    visible = set(visible_people(user, partnership).filter(pk__in=chosen).values_list("pk", flat=True))
    holders = organisations_holding(person_ids=chosen)
    results = []
    for match in found:
        person = people[int(match.right_id)]
        shown = person.pk in visible
        results.append(
            PersonMatch(
                public_id=str(person.public_id),
                name=person.full_name,
                date_of_birth=person.date_of_birth,
                holders=holders.get(person.pk, []),
                visible=shown,
                band=Band(match.band or Band.POSSIBLE),
                probability=match.probability,
                person=person if shown else None,
                agreeing=[name for name, level in match.levels if level not in ("different", "missing")]
                if shown
                else [],
            )
        )
    return results


def organisations_holding_ids(*, person_ids: Sequence[int]) -> dict[int, set[tuple[int, str]]]:
    """Which organisations (id, name) hold a record on each person: a case they lead, or the profile."""
    held: dict[int, set[tuple[int, str]]] = {}
    parties = CaseParty.objects.filter(person_id__in=person_ids)
    for person_id, org_id, name in parties.values_list(
        "person_id", "case__lead_organisation_id", "case__lead_organisation__name"
    ):
        held.setdefault(person_id, set()).add((org_id, name))
    people = Person.objects.filter(pk__in=person_ids)
    for person_id, org_id, name in people.values_list(
        "pk", "created_by_organisation_id", "created_by_organisation__name"
    ):
        held.setdefault(person_id, set()).add((org_id, name))
    return held


def organisations_holding(*, person_ids: Sequence[int]) -> dict[int, list[str]]:
    """The names of the organisations holding a record on each person."""
    held = organisations_holding_ids(person_ids=person_ids)
    return {person_id: sorted({name for _id, name in names}) for person_id, names in held.items()}


def may_review_duplicates(user: User, partnership: Partnership | None) -> bool:
    return partnership is not None and user.role_in(partnership) in REVIEWER_ROLES


def candidates_visible_to(*, user: User, partnership: Partnership) -> QuerySet[DuplicateCandidate]:
    """Open candidates whose two people the reviewer may see in full (one query)."""
    if not may_review_duplicates(user, partnership):
        return DuplicateCandidate.objects.none()
    visible = visible_people(user, partnership).values("pk")
    return (
        DuplicateCandidate.objects.filter(partnership=partnership, status=CandidateStatus.OPEN)
        .filter(person_a__in=visible, person_b__in=visible)
        .select_related("person_a", "person_b")
    )


def not_same_pairs(*, partnership: Partnership) -> set[tuple[str, str]]:
    return {
        (str(first), str(second))
        for first, second in NotSamePerson.objects.filter(partnership=partnership).values_list("first", "second")
    }


def merges_visible_to(*, user: User, partnership: Partnership) -> QuerySet[PersonMerge]:
    """Recent merges whose surviving person the reviewer may see (one query)."""
    if not may_review_duplicates(user, partnership):
        return PersonMerge.objects.none()
    visible = visible_people(user, partnership).values("pk")
    return PersonMerge.objects.filter(partnership=partnership, survivor__in=visible).select_related("survivor")


@dataclass
class Side:
    person: Person
    cases: int
    aliases: list[str]
    identifiers: list[str]
    addresses: list[str]
    warnings: list[str]
    holders: list[str]
    phone: str = ""
    email: str = ""


def comparison(*, user: User, candidate: DuplicateCandidate) -> list[Side]:
    """Both people of a candidate with the details of each the reviewer may see (rule 7)."""
    people = [candidate.person_a, candidate.person_b]
    pks = [person.pk for person in people]
    holders = organisations_holding(person_ids=pks)
    sides = []
    for person in people:
        details = visible_details(user, person)
        sides.append(
            Side(
                person=person,
                cases=CaseParty.objects.filter(person=person).values("case_id").distinct().count(),
                aliases=[str(alias) for alias in details.aliases],
                identifiers=[str(identifier) for identifier in details.identifiers],
                addresses=[str(address) for address in details.addresses],
                warnings=[str(marker) for marker in details.warnings],
                holders=holders.get(person.pk, []),
                phone=details.phone,
                email=details.email,
            )
        )
    return sides


# -- a referral at intake: the people, places and open cases it may be about ------------------


@dataclass
class IntakeMatches:
    people: list[PersonResult] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    cases: list[CaseResult] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.people or self.locations or self.cases)


def intake_matches(*, user: User, referral: Referral) -> IntakeMatches:
    """Possible existing people, places and open cases for a referral's subjects.

    People come first from the person matching engine (``person_matches_for``):
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
