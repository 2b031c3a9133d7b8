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

from casebridge.access.capabilities import Capability, holds, roles_holding
from casebridge.accounts.models import User
from casebridge.cases.models import Case, CaseLocation, CaseParty
from casebridge.cases.models import Status as CaseStatus
from casebridge.cases.policy import Act, can, visible_cases
from casebridge.lib.addresses import normalise_postcode
from casebridge.matching.engine import Band, Match, PersonRecord, score
from casebridge.matching.models import (
    CandidateStatus,
    DecisionOutcome,
    DuplicateCandidate,
    MergeDecision,
    MergeProposal,
    NotSamePerson,
    PersonMerge,
    ProposalStatus,
)
from casebridge.matching.normalise import normalise_phone, transposed_date
from casebridge.organisations.models import Organisation, Partnership
from casebridge.people.access import (
    detail_visible_q,
    visible_details,
    visible_details_of,
    visible_locations,
    visible_people,
    with_visible_columns,
)
from casebridge.people.models import Location, Person, PersonAddress, PersonAlias, PersonIdentifier, name_key
from casebridge.people.selectors import CaseResult, PersonResult, search
from casebridge.referrals.models import Referral, ReferralSubject

PER_KEY_LIMIT = 500
# People, places and cases shown at most for a referral at intake.
MATCH_LIMIT = 20


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
    """The duplicates queue, merging and unmerging: the partnership's coordinators (``MERGE_PEOPLE``)."""
    return partnership is not None and holds(user, Capability.MERGE_PEOPLE, partnership.pk)


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


# -- who must agree to a merge ----------------------------------------------------------------


def cases_of(*, person_ids: Iterable[int]) -> QuerySet[Case]:
    return Case.objects.filter(pk__in=CaseParty.objects.filter(person_id__in=list(person_ids)).values("case_id"))


def organisations_to_agree(*, user: User, partnership: Partnership, person_ids: Iterable[int]) -> set[int]:
    """The lead organisations of the cases these people are in that ``user`` may not manage.

    Empty when the user may manage every such case, and may then merge (or unmerge) directly.
    The queryset form of ``cases.policy.can(user, Act.MANAGE, case)`` for each case, which it agrees with.
    """
    manageable = visible_cases(user, partnership, Act.MANAGE).values("pk")
    cases = cases_of(person_ids=person_ids).filter(partnership=partnership).exclude(pk__in=manageable)
    return set(cases.values_list("lead_organisation_id", flat=True))


DECIDING_ROLES_CAPABILITIES = (Capability.MERGE_PEOPLE, Capability.MANAGE_STAFF)


def proposal_people(proposal: MergeProposal) -> dict[str, Person | None]:
    """The proposal's two people as they are now (None for one that a merge has removed)."""
    found = Person.objects.in_bulk([proposal.survivor_public_id, proposal.merged_public_id], field_name="public_id")
    return {"survivor": found.get(proposal.survivor_public_id), "merged": found.get(proposal.merged_public_id)}


def proposal_person_ids(proposal: MergeProposal) -> list[int]:
    return [person.pk for person in proposal_people(proposal).values() if person is not None]


def may_decide_proposals(user: User, partnership: Partnership) -> bool:
    """Who may open the proposals pages at all: coordinators, who propose, and those who decide."""
    return any(holds(user, capability, partnership.pk) for capability in DECIDING_ROLES_CAPABILITIES)


def may_decide(user: User, decision: MergeDecision) -> bool:
    """A coordinator or manager of the deciding organisation, who may manage its cases both people are in."""
    proposal = decision.proposal
    if user.organisation_id != decision.organisation_id or not any(
        holds(user, capability, proposal.partnership_id) for capability in DECIDING_ROLES_CAPABILITIES
    ):
        return False
    cases = cases_of(person_ids=proposal_person_ids(proposal)).filter(
        partnership_id=proposal.partnership_id, lead_organisation_id=decision.organisation_id
    )
    return all(can(user, Act.MANAGE, case) for case in cases)


def deciders(*, organisation: Organisation, partnership: Partnership) -> QuerySet[User]:
    """Who is told about a proposal awaiting this organisation: its coordinators and managers there."""
    roles: set[str] = set()
    for capability in DECIDING_ROLES_CAPABILITIES:
        roles |= roles_holding(capability)
    return User.objects.filter(
        organisation=organisation,
        is_active=True,
        memberships__partnership=partnership,
        memberships__role__in=roles,
    ).distinct()


def proposals_awaiting(*, user: User, partnership: Partnership) -> list[MergeDecision]:
    """Open proposals waiting for the user's organisation, that the user may decide."""
    if not user.organisation_id:
        return []
    pending = (
        MergeDecision.objects.filter(
            organisation_id=user.organisation_id,
            outcome=DecisionOutcome.PENDING,
            proposal__partnership=partnership,
            proposal__status=ProposalStatus.OPEN,
        )
        .select_related("proposal", "proposal__proposed_by")
        .order_by("-proposal__proposed_at")
    )
    return [decision for decision in pending if may_decide(user, decision)]


def proposals_made_by(*, user: User, partnership: Partnership) -> QuerySet[MergeProposal]:
    return MergeProposal.objects.filter(partnership=partnership, proposed_by=user).prefetch_related(
        "decisions__organisation"
    )


def proposal_for(*, user: User, partnership: Partnership, public_id: Any) -> MergeProposal | None:
    """A proposal the user made, or one put to their organisation that they may decide; else None (404)."""
    proposal = (
        MergeProposal.objects.filter(partnership=partnership, public_id=public_id)
        .select_related("partnership", "proposed_by", "merge")
        .first()
    )
    if proposal is None:
        return None
    if proposal.proposed_by_id == user.pk and may_review_duplicates(user, partnership):
        return proposal
    if user.organisation_id is None:
        return None
    for decision in proposal.decisions.filter(organisation_id=user.organisation_id):
        if may_decide(user, decision):
            return proposal
    return None


def pending_decision_for(*, user: User, proposal: MergeProposal) -> MergeDecision | None:
    """The decision the user may still make for their organisation on an open proposal, if any."""
    if proposal.status != ProposalStatus.OPEN or user.organisation_id is None:
        return None
    decision = proposal.decisions.filter(organisation_id=user.organisation_id, outcome=DecisionOutcome.PENDING).first()
    return decision if decision is not None and may_decide(user, decision) else None


@dataclass
class ProposedPerson:
    """What a proposal page shows of one person: rule 4's existence details, and the cases the reader may see."""

    role: str
    name: str
    date_of_birth: dt.date | None
    holders: list[str]
    cases: list[Case]
    person: Person | None


def proposal_sides(*, user: User, proposal: MergeProposal) -> list[ProposedPerson]:
    people = proposal_people(proposal)
    ids = [person.pk for person in people.values() if person is not None]
    holders = organisations_holding(person_ids=ids)
    visible = set(visible_people(user, proposal.partnership).filter(pk__in=ids).values_list("pk", flat=True))
    cases = visible_cases(user, proposal.partnership, Act.VIEW).select_related("lead_organisation")
    sides = []
    for role, name in (("survivor", proposal.survivor_name), ("merged", proposal.merged_name)):
        person = people[role]
        sides.append(
            ProposedPerson(
                role=role,
                name=person.full_name if person else name,
                date_of_birth=person.date_of_birth if person else None,
                holders=holders.get(person.pk, []) if person else [],
                cases=list(cases.filter(pk__in=cases_of(person_ids=[person.pk]).values("pk"))) if person else [],
                person=person if person is not None and person.pk in visible else None,
            )
        )
    return sides


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
class LocationResult:
    """A place at the referral's postcode; one the user may not open is shown existence-only (no address)."""

    location: Location
    visible: bool


@dataclass
class IntakeMatches:
    people: list[PersonResult] = field(default_factory=list)
    locations: list[LocationResult] = field(default_factory=list)
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
    organisation; a place's postcode, which the referral gave).
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
    open_places = set(
        visible_locations(user, partnership).filter(pk__in=[p.pk for p in locations]).values_list("pk", flat=True)
    )
    return IntakeMatches(
        people=list(people.values())[:MATCH_LIMIT],
        locations=[LocationResult(location, location.pk in open_places) for location in locations],
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
