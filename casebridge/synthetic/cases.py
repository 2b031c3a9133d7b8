"""The cases of the synthetic data set, with their parties, shares and incidents.

``CaseRows`` makes the rows, a batch of cases at a time, and does no database work: for more than
one batch it runs in a second process while this one writes (``cases_write``) the batch before.
The same seed makes the same rows whichever process makes them.
"""

import datetime
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from casebridge.access.capabilities import Capability, role_holds
from casebridge.accounts.models import User
from casebridge.cases.models import (
    Case,
    CaseParty,
    CaseType,
    ClosureReason,
    HateStrand,
    Incident,
    IncidentCategory,
    Level,
    PartyRole,
    RiskLevel,
    Share,
    Status,
)
from casebridge.lib.bulk import TableWriter
from casebridge.organisations.models import Organisation, Partnership, Team
from casebridge.synthetic.bulk import FastRandom, Picker

if TYPE_CHECKING:
    from casebridge.synthetic.generator import Generator

CASE_TYPE_WEIGHTS = {
    "asb_perpetrator": 25,
    "asb_victim": 25,
    "asb_location": 10,
    "victim_witness_care": 12,
    "support_referral": 12,
    "family_support": 10,
    "hate_incident": 6,
}
RISK_WEIGHTS = {RiskLevel.STANDARD: 65, RiskLevel.MEDIUM: 25, RiskLevel.HIGH: 10}
# How many organisations (other than the lead) a case is shared with: most cases with one to four.
SHARE_COUNT_WEIGHTS = {0: 15, 1: 34, 2: 26, 3: 16, 4: 9}
LEVEL_WEIGHTS = {Level.VIEW: 60, Level.CONTRIBUTE: 35, Level.MANAGE: 5}
LEAD_WEIGHTS = {"police": 6, "council": 8, "housing": 5}
PARTY_ROLES_BY_TYPE = {
    "asb_perpetrator": [PartyRole.PERPETRATOR, PartyRole.VICTIM, PartyRole.COMPLAINANT, PartyRole.WITNESS],
    "asb_victim": [PartyRole.VICTIM, PartyRole.PERPETRATOR, PartyRole.WITNESS, PartyRole.FAMILY_MEMBER],
    "asb_location": [PartyRole.COMPLAINANT, PartyRole.PERPETRATOR, PartyRole.WITNESS, PartyRole.ASSOCIATE],
    "victim_witness_care": [PartyRole.VICTIM, PartyRole.WITNESS, PartyRole.FAMILY_MEMBER, PartyRole.PROFESSIONAL],
    "support_referral": [PartyRole.VICTIM, PartyRole.FAMILY_MEMBER, PartyRole.PROFESSIONAL, PartyRole.ASSOCIATE],
    "family_support": [PartyRole.FAMILY_MEMBER, PartyRole.FAMILY_MEMBER, PartyRole.FAMILY_MEMBER, PartyRole.VICTIM],
    "hate_incident": [PartyRole.VICTIM, PartyRole.PERPETRATOR, PartyRole.WITNESS, PartyRole.COMPLAINANT],
}
SUMMARIES = [
    "Repeated noise complaints from neighbours at {street}, mostly late at night.",
    "Group of young people gathering near the shops on {street}; intimidation reported by residents.",
    "Neighbour dispute over parking and boundary at {street} escalating to verbal abuse.",
    "Suspected drug dealing from a flat on {street}; several visitors an hour reported.",
    "Fly-tipping and rubbish accumulating in the rear garden at {street}.",
    "Vulnerable adult targeted by local youths; support and safeguarding needed.",
    "Racially aggravated abuse directed at a family on {street}.",
    "Vehicle nuisance: cars racing on {street} most weekends.",
    "Family support referral after repeated police call-outs to {street}.",
    "Graffiti and criminal damage to communal areas at {street}.",
]
SHARE_REASONS = [
    "Joint visit planned with the neighbourhood policing team.",
    "Tenancy enforcement: the perpetrator is our tenant.",
    "Victim support referral accepted; worker needs the history.",
    "Agreed at CHaRMM: partner to take an action on this case.",
    "Safeguarding concern for a child in the household.",
    "Youth diversion: the young person is known to the service.",
]
INCIDENT_TEXTS = [
    "Loud music and shouting reported until the early hours.",
    "Resident was verbally abused while walking past the property.",
    "Items thrown over the fence into the neighbour's garden.",
    "Group blocking the entrance to the block of flats.",
    "Bags of rubbish dumped on the pavement.",
    "Car window smashed outside the address.",
    "Threats made towards the complainant's children.",
]
Grantee = tuple[int | None, int | None, int | None]  # organisation, team or user
OUTCOMES = ["Behaviour stopped after warning letter.", "No further reports received.", "Case transferred."]
STATUS_WEIGHTS = {Status.OPEN: 60, Status.UNDER_REVIEW: 15, Status.CLOSED: 25}
# Cases opened more than a year ago.
OLD_STATUS_WEIGHTS = {Status.CLOSED: 93, Status.OPEN: 7}
PARTY_COUNT_WEIGHTS = {1: 35, 2: 35, 3: 20, 4: 10}
INCIDENT_COUNT_WEIGHTS = {0: 45, 1: 30, 2: 15, 3: 10}

CASE_FIELDS = [
    "id",
    "public_id",
    "partnership",
    "reference",
    "case_type",
    "summary",
    "status",
    "risk_level",
    "lead_organisation",
    "lead_officer",
    "closure_reason",
    "outcome",
    "closed_at",
    "created_by",
    "version",
    "created_at",
    "updated_at",
]
PARTY_FIELDS = ["id", "partnership", "case", "person", "role", "added_at"]
SHARE_FIELDS = ["id", "public_id", "partnership", "case", "organisation", "team", "user", "level", "reason"]
SHARE_FIELDS += ["granted_by", "granted_at", "expires_at", "revoked_at", "revoked_by"]
# Each share's copies of its case's update time and lead organisation are written with it, as
# the database's triggers would set them: PostgreSQL's are off for this load, and SQLite's then
# find nothing to correct.
SHARE_FIELDS += ["case_updated_at", "case_lead_organisation"]
INCIDENT_FIELDS = ["id", "public_id", "partnership", "case", "created_by", "created_at", "restriction"]
INCIDENT_FIELDS += ["occurred_at", "reported_on", "category", "location", "description", "is_hate"]
INCIDENT_FIELDS += ["hate_strand", "police_reference"]

Batch = dict[str, list[tuple[Any, ...]]]


class CaseLookups(NamedTuple):
    """What the rows point at, read from the database before any row is made."""

    types: dict[str, int]
    categories: list[int]
    caseworkers: dict[int, list[int]]
    teams: dict[int, list[int]]
    user_ids: list[int]
    org_ids: list[int]
    lead_weights: dict[int, int]

    @classmethod
    def read(
        cls, partnership: Partnership, organisations: list[Organisation], users: list[User], roles: dict[int, str]
    ) -> "CaseLookups":
        caseworkers: dict[int, list[int]] = {}
        for user in users:
            if role_holds(roles[user.pk], Capability.CASEWORK):
                caseworkers.setdefault(user.organisation_id or 0, []).append(user.pk)
        teams: dict[int, list[int]] = {}
        for team_id, organisation_id in Team.objects.filter(organisation__in=organisations).values_list(
            "pk", "organisation_id"
        ):
            teams.setdefault(organisation_id, []).append(team_id)
        return cls(
            types={t.code: t.pk for t in CaseType.objects.filter(partnership=partnership)},
            categories=list(IncidentCategory.objects.filter(partnership=partnership).values_list("pk", flat=True)),
            caseworkers=caseworkers,
            teams=teams,
            user_ids=[u.pk for u in users],
            org_ids=[o.pk for o in organisations],
            # Only organisations with caseworkers lead cases.
            lead_weights={o.pk: LEAD_WEIGHTS.get(o.type, 1) for o in organisations if caseworkers.get(o.pk)},
        )


class FirstIds(NamedTuple):
    """The primary keys the first rows of this load take (``next_id`` of each table)."""

    case: int
    party: int
    share: int
    incident: int


class NewCase(NamedTuple):
    """What a case's parties, shares and incidents take from it."""

    id: int
    year: int
    code: str
    lead: int
    officer: int
    created: datetime.datetime
    created_text: str
    updated_text: str


class CaseRows(FastRandom):
    """The rows of the cases, with their parties, shares and incidents, a batch of cases at a time.

    The random choices are drawn in a fixed order, so a seed always gives the same data set: a change
    to a step that draws in another order changes every data set made after it.
    """

    def __init__(
        self,
        generator: "Generator",
        partnership: Partnership,
        lookups: CaseLookups,
        first: FirstIds,
        *,
        people: tuple[int, int],
        places: tuple[int, int],
    ) -> None:
        rng = generator.rng
        super().__init__(rng)
        self.uuid, self.stamp, self.now = generator.uuid, generator.stamp, generator.now
        self.streets = generator.streets
        self.partnership_id, self.partnership_code = partnership.pk, partnership.code
        self.lookups = lookups
        self.pick_type = Picker(rng, {c: w for c, w in CASE_TYPE_WEIGHTS.items() if c in lookups.types})
        self.pick_status = Picker(rng, STATUS_WEIGHTS)
        self.pick_old_status = Picker(rng, OLD_STATUS_WEIGHTS)
        self.pick_risk = Picker(rng, RISK_WEIGHTS)
        self.pick_parties = Picker(rng, PARTY_COUNT_WEIGHTS)
        self.pick_share_count = Picker(rng, SHARE_COUNT_WEIGHTS)
        self.pick_level = Picker(rng, LEVEL_WEIGHTS)
        self.pick_incidents = Picker(rng, INCIDENT_COUNT_WEIGHTS)
        self.pick_lead = Picker(rng, lookups.lead_weights)
        self.case_id, self.party_id, self.share_id, self.incident_id = first
        self.person_first, self.person_count = people
        self.frequent = max(1, self.person_count // 20)
        self.place_first, self.place_count = places
        self.closure_reasons = list(ClosureReason.values)
        self.strands = [s for s in HateStrand.values if s]

    def batches(self, blocks: list[tuple[int, int, int]], size: int) -> Iterator[Batch]:
        """Every row, ``size`` cases a batch, for the reference blocks (year, first number, how many)."""
        rand, now = self.rand, self.now
        batch = new_batch()
        for year, first_number, how_many in blocks:
            year_start = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
            year_end = min(datetime.datetime(year + 1, 1, 1, tzinfo=datetime.UTC), now)
            span = (year_end - year_start).total_seconds()
            for n in range(how_many):
                created = year_start + datetime.timedelta(seconds=span * (n + rand()) / how_many)
                case = self.case(batch["cases"], year, first_number + n, created)
                self.parties(batch["parties"], case)
                self.shares(batch["shares"], case)
                self.incidents(batch["incidents"], case)
                if len(batch["cases"]) == size:
                    yield batch
                    batch = new_batch()
        yield batch

    def case(self, rows: list[tuple[Any, ...]], year: int, number: int, created: datetime.datetime) -> NewCase:
        pick, randint, rand, now, stamp = self.pick, self.randint, self.rand, self.now, self.stamp
        age_days = (now - created).days
        updated = min(now, created + datetime.timedelta(days=randint(0, min(age_days, 400))))
        status = self.pick_old_status() if age_days > 365 else self.pick_status()
        code = self.pick_type()
        lead = self.pick_lead()
        officer = pick(self.lookups.caseworkers[lead])
        closed = status == Status.CLOSED
        created_text, updated_text = stamp(created), stamp(updated)
        case_id = self.case_id
        self.case_id += 1
        rows.append(
            (
                case_id,
                self.uuid(),
                self.partnership_id,
                f"{self.partnership_code}-{year}-{number:06d}",
                self.lookups.types[code],
                pick(SUMMARIES).format(street=pick(self.streets)),
                status,
                self.pick_risk(),
                lead,
                officer if rand() < 0.97 else None,
                pick(self.closure_reasons) if closed else "",
                pick(OUTCOMES) if closed else "",
                updated_text if closed else None,
                officer,
                1,
                created_text,
                updated_text,
            )
        )
        return NewCase(case_id, year, code, lead, officer, created, created_text, updated_text)

    def parties(self, rows: list[tuple[Any, ...]], case: NewCase) -> None:
        """One to four people in the roles the case type has, each at most once."""
        rand, below, partnership_id = self.rand, self.below, self.partnership_id
        person_first, person_count, frequent = self.person_first, self.person_count, self.frequent
        party_id = self.party_id
        chosen: set[int] = set()
        for role in PARTY_ROLES_BY_TYPE[case.code][: self.pick_parties()]:
            # A twentieth of the people turn up again and again (repeat victims and perpetrators).
            person = person_first + (below(frequent) if rand() < 0.3 else below(person_count))
            if person in chosen:
                continue
            chosen.add(person)
            rows.append((party_id, partnership_id, case.id, person, role, case.created_text))
            party_id += 1
        self.party_id = party_id

    def shares(self, rows: list[tuple[Any, ...]], case: NewCase) -> None:
        """Shares with other organisations, now and then with a team or a single user; a few revoked or expiring."""
        pick, randint, rand, stamp, now = self.pick, self.randint, self.rand, self.stamp, self.now
        uuid, pick_level, partnership_id, share_id = self.uuid, self.pick_level, self.partnership_id, self.share_id
        org_ids, lead, officer, created = self.lookups.org_ids, case.lead, case.officer, case.created
        partners: dict[int, None] = {}
        for _ in range(min(self.pick_share_count(), len(org_ids) - 1)):
            partner = pick(org_ids)
            while partner == lead or partner in partners:
                partner = pick(org_ids)
            partners[partner] = None
        grantees: list[Grantee] = [(o, None, None) for o in partners]
        if rand() < 0.05:
            other = pick(org_ids)
            grantees.append((None, pick(self.lookups.teams[other]), None))
        if rand() < 0.03:
            grantees.append((None, None, pick(self.lookups.user_ids)))
        for share_org, share_team, share_user in grantees:
            granted = created + datetime.timedelta(days=randint(0, 20))
            revoked = rand() < 0.05
            expires: str | None = None
            if rand() < 0.06:
                expires = stamp(granted + datetime.timedelta(days=randint(30, 900)))
            rows.append(
                (
                    share_id,
                    uuid(),
                    partnership_id,
                    case.id,
                    share_org,
                    share_team,
                    share_user,
                    pick_level(),
                    pick(SHARE_REASONS),
                    officer,
                    stamp(granted),
                    expires,
                    stamp(min(now, granted + datetime.timedelta(days=60))) if revoked else None,
                    officer if revoked else None,
                    case.updated_text,
                    lead,
                )
            )
            share_id += 1
        self.share_id = share_id

    def incidents(self, rows: list[tuple[Any, ...]], case: NewCase) -> None:
        """Incidents in the month before the case was opened, most at one of the places."""
        pick, randint, rand, below, stamp = self.pick, self.randint, self.rand, self.below, self.stamp
        uuid, partnership_id, incident_id = self.uuid, self.partnership_id, self.incident_id
        place_first, place_count = self.place_first, self.place_count
        for _ in range(self.pick_incidents()):
            occurred = case.created - datetime.timedelta(hours=randint(1, 24 * 30))
            hate = case.code == "hate_incident" or rand() < 0.02
            rows.append(
                (
                    incident_id,
                    uuid(),
                    partnership_id,
                    case.id,
                    case.officer,
                    case.created_text,
                    "",
                    stamp(occurred),
                    (occurred + datetime.timedelta(days=randint(0, 5))).date().isoformat(),
                    pick(self.lookups.categories),
                    place_first + below(place_count) if rand() < 0.7 else None,
                    pick(INCIDENT_TEXTS),
                    hate,
                    pick(self.strands) if hate else "",
                    f"PR/{randint(10_000_000, 99_999_999)}/{case.year % 100:02d}" if rand() < 0.4 else "",
                )
            )
            incident_id += 1
        self.incident_id = incident_id


def new_batch() -> Batch:
    return {"cases": [], "parties": [], "shares": [], "incidents": []}


def cases_write(batches: Iterable[Batch]) -> dict[str, int]:
    """Writes the batches in turn; the number of parties, shares and incidents written."""
    case_writer = TableWriter(Case, CASE_FIELDS, constants={"legacy_ref": ""})
    party_writer = TableWriter(CaseParty, PARTY_FIELDS)
    share_writer = TableWriter(Share, SHARE_FIELDS)
    incident_writer = TableWriter(Incident, INCIDENT_FIELDS, constants={"legacy_ref": ""})
    counts = {"case parties": 0, "shares": 0, "incidents": 0}
    for batch in batches:
        counts["case parties"] += len(batch["parties"])
        counts["shares"] += len(batch["shares"])
        counts["incidents"] += len(batch["incidents"])
        case_writer.insert(batch["cases"])
        party_writer.insert(batch["parties"])
        share_writer.insert(batch["shares"])
        incident_writer.insert(batch["incidents"])
    return counts
