"""A realistic synthetic data set for demonstrations and benchmarks, written fast and without audit.

Rows are made in Python in batches and written with COPY on PostgreSQL and ``executemany`` on
SQLite, bypassing the ORM's per-object work. Primary keys are allocated up front (so parties,
shares and incidents can point at cases of the same batch) and the sequences are reset after.
Case references are taken from ``CaseReferenceCounter`` in one block per year, so real cases
created later continue after them and never collide.

This writes no audit events: it is test data, not anyone's action.
"""

import datetime
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.cases.models import (
    Case,
    CaseParty,
    CaseReferenceCounter,
    Incident,
    Share,
)
from casebridge.cases.services import partnership_seed_configuration
from casebridge.lib.bulk import TableWriter
from casebridge.organisations.models import Membership, Organisation, Partnership, Role, Team
from casebridge.people.models import Gender, Location, Person, PersonAddress, fold, name_key
from casebridge.synthetic import names
from casebridge.synthetic.bulk import FastRandom, Picker, next_id, weighted
from casebridge.synthetic.cases import LEAD_WEIGHTS, CaseLookups, CaseRows, FirstIds, cases_write
from casebridge.synthetic.forked import in_second_process
from casebridge.synthetic.indexes import drop_secondary_indexes, rebuild_indexes

BATCH = 20_000
BULK_TABLES: tuple[type[models.Model], ...] = (Location, Person, PersonAddress, Case, CaseParty, Share, Incident)
UUID_VERSION_MASK = (0xF000 << 64) | (0xC000 << 48)
UUID_VERSION_4 = (0x4000 << 64) | (0x8000 << 48)
YEARS_OF_HISTORY = 8
POSTCODE_UNITS = "ABDEFGHJLNPQRSTUWXYZ"

ROLE_WEIGHTS = {
    Role.PRACTITIONER: 85,
    Role.MANAGER: 6,
    Role.COORDINATOR: 3,
    Role.ADMINISTRATOR: 2,
    Role.ANALYST: 2,
    Role.AUDITOR: 2,
}


@dataclass
class Summary:
    """What was written, and how long each part took."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    partnership: Partnership | None = None


class Generator:
    def __init__(self, *, seed: int, partnership_code: str | None, log: Callable[[str], None]) -> None:
        self.seed = seed
        self.partnership_code = partnership_code
        self.log = log
        # The same seed gives the same data set; another partnership, or a second run into the
        # same database, gets fresh identifiers rather than colliding with the first.
        self.rng = random.Random(f"{seed}:{partnership_code or 'SYN'}:{next_id(Case)}")
        self.now = timezone.now()
        self.postgres = connection.vendor == "postgresql"
        self.summary = Summary()
        self.keys: dict[str, str] = {}

    # -- small helpers --------------------------------------------------------------------

    def uuid(self) -> str:
        """A version 4 UUID from the seeded generator, as 32 hex digits (both databases take that)."""
        bits = self.rng.getrandbits(128) & ~UUID_VERSION_MASK | UUID_VERSION_4
        return f"{bits:032x}"

    def stamp(self, moment: datetime.datetime) -> str:
        """UTC text: SQLite stores naive UTC as Django does; PostgreSQL is told the zone.

        Every moment here is derived from aware UTC datetimes, so isoformat ends in "+00:00".
        """
        text = moment.isoformat(" ")
        return text if self.postgres else text[:-6]

    def key(self, name: str) -> str:
        if name not in self.keys:
            self.keys[name] = name_key(name)
        return self.keys[name]

    def timed(self, label: str, count: int, work: Callable[[], None]) -> None:
        started = time.perf_counter()
        work()
        elapsed = time.perf_counter() - started
        self.summary.counts[label] = self.summary.counts.get(label, 0) + count
        self.summary.seconds[label] = elapsed
        self.log(f"{label}: {count:,} in {elapsed:.1f} s")

    # -- the set-up: small tables through the ORM ---------------------------------------------

    def partnership(self) -> Partnership:
        code = self.partnership_code or "SYN"
        partnership, _ = Partnership.objects.get_or_create(
            code=code, defaults={"name": f"{code} Community Safety Partnership (synthetic)"}
        )
        partnership_seed_configuration(partnership=partnership)
        return partnership

    def organisations(self, partnership: Partnership, count: int) -> list[Organisation]:
        taken = set(Organisation.objects.values_list("name", flat=True))
        made: list[Organisation] = []
        towns = [town for town, _, _ in names.TOWNS]
        n = 0
        while len(made) < count:
            kind, template = names.ORGANISATION_TEMPLATES[n % len(names.ORGANISATION_TEMPLATES)]
            town = towns[(n // len(names.ORGANISATION_TEMPLATES)) % len(towns)]
            name = template.format(town=town)
            round_ = n // (len(names.ORGANISATION_TEMPLATES) * len(towns))
            if round_:
                name = f"{name} {round_ + 1}"
            n += 1
            if name in taken:
                continue
            taken.add(name)
            made.append(Organisation(name=name, type=kind, public_id=uuid.UUID(self.uuid())))
        Organisation.objects.bulk_create(made)
        made = list(Organisation.objects.filter(name__in=[o.name for o in made]).order_by("pk"))
        through = Organisation.partnerships.through
        through.objects.bulk_create([through(organisation=o, partnership=partnership) for o in made])
        teams = [
            Team(organisation=o, name=name, public_id=uuid.UUID(self.uuid()))
            for o in made
            for name in self.rng.sample(names.TEAM_NAMES, 2)
        ]
        Team.objects.bulk_create(teams)
        return made

    def users(self, partnership: Partnership, organisations: list[Organisation], count: int) -> list[User]:
        teams: dict[int, list[int]] = {}
        for team_id, organisation_id in Team.objects.filter(organisation__in=organisations).values_list(
            "pk", "organisation_id"
        ):
            teams.setdefault(organisation_id, []).append(team_id)
        weights = [LEAD_WEIGHTS.get(o.type, 2) for o in organisations]
        unusable = make_password(None)
        start = next_id(User)
        users: list[User] = []
        for n in range(count):
            organisation = organisations[n] if n < len(organisations) else self.rng.choices(organisations, weights)[0]
            first = self.rng.choice(self.rng.choice([names.FEMALE, names.MALE]))
            last = self.rng.choice(names.LAST)
            slug = "".join(ch for ch in last.lower() if ch.isalpha())
            user_team: int | None = self.rng.choice(teams[organisation.pk]) if self.rng.random() < 0.8 else None
            users.append(
                User(
                    email=f"{first.lower()}.{slug}.{start + n}@synthetic.example",
                    first_name=first,
                    last_name=last,
                    organisation=organisation,
                    team_id=user_team,
                    password=unusable,
                    public_id=uuid.UUID(self.uuid()),
                    session_salt=uuid.UUID(self.uuid()).hex,
                )
            )
        User.objects.bulk_create(users, batch_size=2_000)
        users = list(User.objects.filter(email__endswith="@synthetic.example", pk__gte=start).order_by("pk"))
        roles = weighted(self.rng, ROLE_WEIGHTS, len(users))
        # Every organisation's first user is a practitioner, so each organisation can lead cases.
        for n in range(min(len(organisations), len(roles))):
            roles[n] = Role.PRACTITIONER
        Membership.objects.bulk_create(
            [Membership(user=u, partnership=partnership, role=r) for u, r in zip(users, roles, strict=True)],
            batch_size=2_000,
        )
        self.roles = dict(zip([u.pk for u in users], roles, strict=True))
        return users

    # -- the big tables: straight writes -----------------------------------------------------

    def locations(self, partnership: Partnership, organisations: list[Organisation], count: int) -> list[int]:
        """Addresses sharing realistic postcodes (about eight addresses a postcode)."""
        start = next_id(Location)
        writer = TableWriter(
            Location,
            [
                "id",
                "public_id",
                "partnership",
                "kind",
                "address_line_1",
                "address_line_2",
                "town",
                "postcode",
                "uprn",
                "place_name",
                "created_by_organisation",
                "created_at",
            ],
        )
        rng = self.rng
        created = self.stamp(self.now)
        postcodes: list[tuple[str, str, str]] = []
        for _ in range(max(1, count // 8)):
            town, area, districts = rng.choice(names.TOWNS)
            inward = f"{rng.randint(1, 9)}{rng.choice(POSTCODE_UNITS)}{rng.choice(POSTCODE_UNITS)}"
            street = f"{rng.choice(names.STREET_NAMES)} {rng.choice(names.STREET_SUFFIXES)}"
            postcodes.append((town, f"{area}{rng.choice(districts)} {inward}", street))
        rows: list[tuple[Any, ...]] = []
        for n in range(count):
            town, postcode, street = postcodes[n % len(postcodes)]
            flat = f"Flat {rng.randint(1, 24)}" if rng.random() < 0.2 else ""
            rows.append(
                (
                    start + n,
                    self.uuid(),
                    partnership.pk,
                    "address",
                    f"{rng.randint(1, 180)} {street}",
                    flat,
                    town,
                    postcode,
                    str(rng.randint(10_000_000, 100_099_999_999)) if rng.random() < 0.6 else "",
                    "",
                    rng.choice(organisations).pk,
                    created,
                )
            )
            if len(rows) == BATCH:
                writer.insert(rows)
                rows = []
        writer.insert(rows)
        self.streets = [street for _, _, street in postcodes]
        return [start, start + count]

    def people(self, partnership: Partnership, organisations: list[Organisation], count: int, places: int) -> int:
        start = next_id(Person)
        address_start = next_id(PersonAddress)
        person_writer = TableWriter(
            Person,
            [
                "id",
                "public_id",
                "partnership",
                "first_name",
                "last_name",
                "first_name_key",
                "last_name_key",
                "last_name_folded",
                "date_of_birth",
                "approximate_age",
                "gender",
                "phone",
                "email",
                "vulnerabilities",
                "legacy_id",
                "created_by_organisation",
                "version",
                "created_at",
                "updated_at",
                # Rule 7: each detail carries the organisation that recorded it (here, the profile's).
                "phone_source_organisation",
                "vulnerabilities_source_organisation",
            ],
        )
        address_writer = TableWriter(
            PersonAddress, ["id", "partnership", "person", "location", "from_date", "to_date", "source_organisation"]
        )
        rng = self.rng
        created = self.stamp(self.now)
        today = self.now.date()
        ages = list(range(8, 91))
        age_weights = [3 if a < 18 else 5 if a < 40 else 4 if a < 65 else 2 for a in ages]
        vulnerabilities = ["", "", "", "", "Mental health", "Learning disability", "Isolated, lives alone"]
        people: list[tuple[Any, ...]] = []
        addresses: list[tuple[Any, ...]] = []
        fast = FastRandom(rng)
        rand, pick, randint, below = fast.rand, fast.pick, fast.randint, fast.below
        pick_age = Picker(rng, dict(zip(ages, age_weights, strict=True)))

        for n in range(count):
            female = rand() < 0.5
            first = pick(names.FEMALE if female else names.MALE)
            last = pick(names.LAST)
            known_dob = rand() < 0.92
            age = pick_age()
            dob = (today - datetime.timedelta(days=age * 365 + randint(0, 364))).isoformat() if known_dob else None
            phone = f"07{randint(100_000_000, 999_999_999)}" if rand() < 0.6 else ""
            vulnerable = pick(vulnerabilities)
            recorder = pick(organisations).pk
            people.append(
                (
                    start + n,
                    self.uuid(),
                    partnership.pk,
                    first,
                    last,
                    self.key(first),
                    self.key(last),
                    fold(last),
                    dob,
                    None if known_dob else age,
                    Gender.FEMALE if female else Gender.MALE,
                    phone,
                    "",
                    vulnerable,
                    "",
                    recorder,
                    1,
                    created,
                    created,
                    recorder if phone else None,
                    recorder if vulnerable else None,
                )
            )
            moved_in = (today - datetime.timedelta(days=randint(30, 4_000))).isoformat()
            addresses.append(
                (
                    address_start + n,
                    partnership.pk,
                    start + n,
                    places + below(count // 2 or 1),
                    moved_in,
                    None,
                    recorder,
                )
            )
            if len(people) == BATCH:
                person_writer.insert(people)
                address_writer.insert(addresses)
                people, addresses = [], []
        person_writer.insert(people)
        address_writer.insert(addresses)
        return start

    def reference_blocks(self, partnership: Partnership, count: int) -> list[tuple[int, int, int]]:
        """(year, first number, how many) per year, taken from the counter so none is reused."""
        this_year = timezone.localdate().year
        years = list(range(this_year - YEARS_OF_HISTORY + 1, this_year + 1))
        weights = [10 + 2 * n for n in range(len(years))]
        per_year = [count * w // sum(weights) for w in weights]
        per_year[-1] += count - sum(per_year)
        blocks = []
        for year, how_many in zip(years, per_year, strict=True):
            if not how_many:
                continue
            counter, _ = CaseReferenceCounter.objects.select_for_update().get_or_create(
                partnership=partnership, year=year
            )
            if counter.last_number + how_many > 999_999:
                raise ValueError(f"Not enough {year} references left for {how_many:,} cases.")
            blocks.append((year, counter.last_number + 1, how_many))
            counter.last_number += how_many
            counter.save(update_fields=["last_number"])
        return blocks

    def cases(
        self,
        partnership: Partnership,
        organisations: list[Organisation],
        users: list[User],
        count: int,
        people: tuple[int, int],
        places: tuple[int, int],
    ) -> None:
        """The cases with their parties, shares and incidents: ``people`` and ``places`` are (first id, count)."""
        lookups = CaseLookups.read(partnership, organisations, users, self.roles)
        first = FirstIds(case=next_id(Case), party=next_id(CaseParty), share=next_id(Share), incident=next_id(Incident))
        blocks = self.reference_blocks(partnership, count)
        rows = CaseRows(self, partnership, lookups, first, people=people, places=places)
        # Making the rows (pure Python) and writing them (the database driver) take about as long
        # as each other: for more than one batch, the rows are made in a second process meanwhile.
        batches = rows.batches(blocks, BATCH)
        made = in_second_process(batches) if count > BATCH else batches
        self.summary.counts.update(cases_write(made))

    def _skip_row_by_row_foreign_key_checks(self) -> None:
        """Millions of deferred foreign-key trigger events would pile up until commit; the rows
        made here point only at rows made here, so where allowed (a superuser) the triggers are
        skipped for this transaction, as ``pg_restore --disable-triggers`` does."""
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            self.log("foreign keys checked row by row (not a superuser): slower")

    def reset_sequences(self) -> None:
        if not self.postgres:
            return
        statements = connection.ops.sequence_reset_sql(no_style(), list(BULK_TABLES))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def run(self, *, cases: int, people: int, organisations: int, users: int) -> Summary:
        if people < 1 or organisations < 1 or users < 1:
            raise ValueError("Give at least one person, one organisation and one user.")
        # Like loaddata: foreign keys are checked once at the end, not row by row (SQLite only,
        # and only when not already inside a transaction, where these pragmas cannot change).
        # The journal is kept in memory and not synced for the load only: a crash mid-load loses
        # nothing but the synthetic rows, which are one transaction anyway.
        outside = not connection.in_atomic_block
        checks_off = connection.vendor == "sqlite" and outside
        if checks_off:
            connection.disable_constraint_checking()
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
                cursor.execute("PRAGMA journal_mode = MEMORY")
                cursor.execute("PRAGMA synchronous = OFF")
        try:
            self._write(cases=cases, people=people, organisations=organisations, users=users)
        finally:
            if checks_off:
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA synchronous = NORMAL")
                    cursor.execute("PRAGMA journal_mode = WAL")
                connection.enable_constraint_checking()
        # Fresh planner statistics, as after any bulk load; on PostgreSQL VACUUM also marks the
        # pages all-visible, so that counts and lists can be answered from the indexes alone.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            if self.postgres and outside:
                tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in BULK_TABLES)
                cursor.execute(f"VACUUM (ANALYZE) {tables}")
            cursor.execute("ANALYZE")
        self.summary.seconds["statistics"] = time.perf_counter() - started
        self.log(f"statistics gathered in {self.summary.seconds['statistics']:.1f} s")
        return self.summary

    def _write(self, *, cases: int, people: int, organisations: int, users: int) -> None:
        with transaction.atomic():
            if self.postgres:
                self._skip_row_by_row_foreign_key_checks()
            partnership = self.partnership()
            self.summary.partnership = partnership
            made_organisations: list[Organisation] = []
            made_users: list[User] = []

            def make_organisations() -> None:
                made_organisations.extend(self.organisations(partnership, organisations))

            def make_users() -> None:
                made_users.extend(self.users(partnership, made_organisations, users))

            self.timed("organisations", organisations, make_organisations)
            self.timed("users", users, make_users)
            # Rebuilding pays only when this load is most of the data (not a small set added to a big one).
            defer = cases >= Case.objects.count()
            rebuild = drop_secondary_indexes(BULK_TABLES) if defer else []
            place_count = max(1, people // 2)
            place_range: list[int] = []
            person_start: list[int] = []

            def make_locations() -> None:
                place_range.extend(self.locations(partnership, made_organisations, place_count))

            def make_people() -> None:
                person_start.append(self.people(partnership, made_organisations, people, place_range[0]))

            self.timed("locations", place_count, make_locations)
            self.timed("people (with an address each)", people, make_people)
            self.timed(
                "cases (with parties, shares and incidents)",
                cases,
                lambda: self.cases(
                    partnership,
                    made_organisations,
                    made_users,
                    cases,
                    (person_start[0], people),
                    (place_range[0], place_count),
                ),
            )
            if rebuild:
                self.timed("indexes rebuilt", len(rebuild), lambda: rebuild_indexes(rebuild))
            self.reset_sequences()
            if self.postgres:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = origin")
            if connection.vendor == "sqlite" and not connection.needs_rollback:
                started = time.perf_counter()
                connection.check_constraints([m._meta.db_table for m in BULK_TABLES])
                self.log(f"foreign keys checked in {time.perf_counter() - started:.1f} s")


def generate(
    *,
    cases: int,
    people: int,
    organisations: int,
    users: int,
    seed: int,
    partnership_code: str | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> Summary:
    """Writes the data set in one transaction; no audit events (this is test data)."""
    return Generator(seed=seed, partnership_code=partnership_code, log=log).run(
        cases=cases, people=people, organisations=organisations, users=users
    )
