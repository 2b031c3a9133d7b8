"""Benchmark: importing a cases spreadsheet end to end, against django-import-export and a raw floor.

Run by hand against throwaway databases (never a real one):

    .venv/bin/pip install -r bench/requirements-bench.txt     # django-import-export, for the comparison
    .venv/bin/python bench/bench_import.py                      # SQLite, then PostgreSQL if reachable
    .venv/bin/python bench/bench_import.py --rows 20000 --databases sqlite --skip-import-export

It generates realistic cases spreadsheets (CSV and XLSX) of 20,000 and 100,000 rows: one to
two people per case, about 15% of people appearing on more than one row, about 1% of bad
rows (missing case type, impossible date, closed without a reason) and some unknown officer
emails (warnings). Each measurement runs in its own process, importing into a fresh
partnership of one throwaway database, so that its peak memory (maximum resident set size,
including Django itself) is its own:

- Casebridge: ``create_job`` + ``run_import`` (read, check, match people, write, audit);
- django-import-export: an idiomatic ``ModelResource`` on Case with foreign-key widgets and
  the people and parties created in ``after_save_instance`` (20,000-row CSV only);
- the floor: plain ``executemany`` of the same people, cases and parties, precomputed.

SQLite runs in a temporary file; PostgreSQL in a database named ``casebridge_bench_import``
that the script creates and drops (the URL in PG_URL, or DATABASE_URL, is only used to connect).
"""

import argparse
import csv
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DATABASE = "casebridge_bench_import"
ORGANISATIONS = ["Bench Borough Council", "Bench Police", "Bench Homes"]
OFFICERS = 20
FIRST = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Noah",
    "Oliver",
    "George",
    "Arthur",
    "Leo",
    "Harry",
    "Oscar",
    "Jack",
    "Sophie",
    "Grace",
    "Freya",
    "Lily",
    "Ella",
    "Mohammed",
    "Aisha",
    "Priya",
    "Tomasz",
    "Kacper",
    "Chloe",
]
LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Thomas",
    "Clarke",
    "Jackson",
    "Wood",
    "Harris",
    "Edwards",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Hughes",
    "Moore",
    "Clark",
    "King",
    "Harrison",
    "Lewis",
    "Baker",
    "Lee",
    "Allen",
    "Morris",
    "Khan",
    "Scott",
    "Watson",
    "Davis",
    "Parker",
    "James",
]
CASE_TYPES = ["ASB perpetrator", "ASB victim", "ASB location", "Victim and witness care", "Support referral"]
ROLES = ["victim", "perpetrator", "witness", "complainant"]
HEADERS = [
    "legacy_ref",
    "case_type",
    "status",
    "opened_on",
    "closed_on",
    "closure_reason",
    "lead_organisation",
    "lead_officer_email",
    "risk_level",
    "summary",
]
HEADERS += [
    f"person_{n}_{f}" for n in (1, 2) for f in ("legacy_id", "first_name", "last_name", "date_of_birth", "role")
]


# -- data ------------------------------------------------------------------------------------


def generate_rows(count: int, seed: int = 6) -> list[list[str]]:
    rng = random.Random(seed)
    people: list[tuple[str, str, str, str]] = []
    rows = []
    for n in range(count):
        opened = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2500))
        closed = rng.random() < 0.4
        row = [
            f"OLD-{n:07d}",
            rng.choice(CASE_TYPES),
            "Closed" if closed else rng.choice(["Open", "Open", "Under review"]),
            opened.strftime("%d/%m/%Y"),
            (opened + dt.timedelta(days=rng.randrange(1, 400))).strftime("%d/%m/%Y") if closed else "",
            rng.choice(["Resolved", "NFA", "Transferred"]) if closed else "",
            rng.choice(ORGANISATIONS),
            f"officer{rng.randrange(OFFICERS)}@bench.example" if rng.random() < 0.95 else "gone@old.example",
            rng.choice(["Low", "Medium", "High"]),
            f"Noise and intimidation reported near {rng.randrange(1, 200)} {rng.choice(LAST)} Road.",
        ]
        for _group in range(1 if rng.random() < 0.5 else 2):
            if people and rng.random() < 0.15:
                person = rng.choice(people)
            else:
                born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(25_000))
                person = (f"P{len(people):07d}", rng.choice(FIRST), rng.choice(LAST), born.strftime("%d/%m/%Y"))
                people.append(person)
            row += [*person, rng.choice(ROLES)]
        row += [""] * (len(HEADERS) - len(row))
        bad = rng.random()
        if bad < 0.004:
            row[1] = ""
        elif bad < 0.007:
            row[3] = "31/02/2023"
        elif bad < 0.01:
            row[2], row[5] = "Closed", ""
        rows.append(row)
    return rows


def write_csv(rows: list[list[str]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        writer.writerows(rows)


def write_xlsx(rows: list[list[str]], path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("cases")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


# -- databases -------------------------------------------------------------------------------


@contextmanager
def throwaway_database(url: str) -> Iterator[str]:
    if url.startswith("sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"
        return
    import psycopg

    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    try:
        yield urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")


def postgres_reachable(url: str) -> bool:
    try:
        import psycopg

        parts = urlsplit(url)
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), connect_timeout=3):
            return True
    except Exception:  # any failure means: skip PostgreSQL
        return False


# -- stages, each run in its own process -----------------------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebridge.test_settings")
    import django

    django.setup()


def stage_setup() -> dict[str, Any]:
    _django()
    from django.core.management import call_command

    from casebridge.accounts.models import User
    from casebridge.organisations.models import Organisation, OrganisationType

    call_command("migrate", verbosity=0)
    organisations = [Organisation.objects.create(name=name, type=OrganisationType.OTHER) for name in ORGANISATIONS]
    admin = User.objects.create_user("admin@bench.example", None, first_name="Ada", last_name="Admin")
    admin.organisation = organisations[0]
    admin.save(update_fields=["organisation"])
    for n in range(OFFICERS):
        User.objects.create_user(
            f"officer{n}@bench.example", None, first_name="Officer", last_name=str(n), organisation=organisations[n % 3]
        )
    return {}


def _partnership(code: str) -> Any:
    from casebridge.accounts.models import User
    from casebridge.cases.services import partnership_seed_configuration
    from casebridge.organisations.models import Membership, Organisation, Partnership, Role

    partnership = Partnership.objects.create(name=f"Bench {code}", code=code)
    partnership_seed_configuration(partnership=partnership)
    for organisation in Organisation.objects.filter(name__in=ORGANISATIONS):
        organisation.partnerships.add(partnership)
    Membership.objects.create(
        user=User.objects.get(email="admin@bench.example"), partnership=partnership, role=Role.ADMINISTRATOR
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, partnership=partnership, role=Role.PRACTITIONER)
            for user in User.objects.filter(email__startswith="officer")
        ]
    )
    return partnership


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stage_import(path: str, code: str) -> dict[str, Any]:
    _django()
    from casebridge.accounts.models import User
    from casebridge.audit.models import AuditEvent
    from casebridge.cases.models import Case, CaseParty
    from casebridge.imports import services
    from casebridge.people.models import Person

    partnership = _partnership(code)
    admin = User.objects.get(email="admin@bench.example")
    data = Path(path).read_bytes()
    started, cpu = time.perf_counter(), time.process_time()
    job = services.create_job(
        actor=admin, partnership=partnership, template="cases", data=data, file_name=Path(path).name
    )
    report = services.run_import(job)
    elapsed = time.perf_counter() - started
    return {
        "seconds": elapsed,
        "cpu_seconds": time.process_time() - cpu,
        "peak_mb": _peak_mb(),
        "rows": report.rows_total,
        "counts": report.counts,
        "cases": Case.objects.filter(partnership=partnership).count(),
        "people": Person.objects.filter(partnership=partnership).count(),
        "parties": CaseParty.objects.filter(partnership=partnership).count(),
        "audit_events": AuditEvent.objects.filter(partnership=partnership).count(),
    }


def stage_floor(path: str, code: str) -> dict[str, Any]:
    """The same people, cases and parties as precomputed tuples, written with executemany only."""
    _django()
    import uuid

    from django.db import connection, transaction

    from casebridge.accounts.models import User
    from casebridge.cases.models import CaseType
    from casebridge.imports.writing import import_page_cache
    from casebridge.organisations.models import Organisation

    partnership = _partnership(code)
    admin = User.objects.get(email="admin@bench.example")
    types = {t.name: t.pk for t in CaseType.objects.filter(partnership=partnership)}
    orgs = {o.name: o.pk for o in Organisation.objects.filter(name__in=ORGANISATIONS)}
    with open(path, newline="", encoding="utf-8") as source:
        rows = list(csv.reader(source))[1:]
    people: dict[str, tuple[Any, ...]] = {}
    cases: list[tuple[Any, ...]] = []
    parties: list[tuple[Any, ...]] = []
    stamp = "2026-01-01 00:00:00"
    base = 10_000_000 * (1 + sum(map(ord, code)) % 50)
    for n, row in enumerate(rows):
        if not row[1] or row[3] == "31/02/2023" or (row[2] == "Closed" and not row[5]):
            continue
        case_id = base + n
        closed = row[2] == "Closed"
        cases.append(
            (
                case_id,
                uuid.uuid4().hex,
                partnership.pk,
                f"{code}-{case_id}",
                types[row[1]],
                row[9],
                "closed" if closed else "open",
                "standard",
                orgs[row[6]],
                None,
                "resolved" if closed else "",
                "",
                stamp if closed else None,
                admin.pk,
                row[0],
                1,
                stamp,
                stamp,
            )
        )
        for group in (10, 15):
            legacy = row[group]
            if not legacy:
                continue
            if legacy not in people:
                born = dt.datetime.strptime(row[group + 3], "%d/%m/%Y").date().isoformat()
                people[legacy] = (
                    base + len(people),
                    uuid.uuid4().hex,
                    partnership.pk,
                    row[group + 1],
                    row[group + 2],
                    "",
                    "",
                    row[group + 2].lower(),
                    born,
                    "unknown",
                    "",
                    "",
                    "",
                    legacy,
                    orgs[ORGANISATIONS[0]],
                    1,
                    stamp,
                    stamp,
                )
            parties.append((base + len(parties), partnership.pk, case_id, people[legacy][0], row[group + 4], stamp))
    started, cpu = time.perf_counter(), time.process_time()
    # The same SQLite page cache as the import's, so that the floor stays a floor.
    with import_page_cache(), transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO people_person (id, public_id, partnership_id, first_name, last_name, first_name_key, "
            "last_name_key, last_name_folded, date_of_birth, gender, phone, email, vulnerabilities, legacy_id, "
            "created_by_organisation_id, version, created_at, updated_at) VALUES "
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            list(people.values()),
        )
        cursor.executemany(
            "INSERT INTO cases_case (id, public_id, partnership_id, reference, case_type_id, summary, status, "
            "risk_level, lead_organisation_id, lead_officer_id, closure_reason, outcome, closed_at, created_by_id, "
            "legacy_ref, version, created_at, updated_at) VALUES "
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            cases,
        )
        cursor.executemany(
            "INSERT INTO cases_caseparty (id, partnership_id, case_id, person_id, role, added_at) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            parties,
        )
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "peak_mb": _peak_mb(),
        "rows": len(rows),
    }


def stage_import_export(path: str, code: str) -> dict[str, Any]:
    """django-import-export with an idiomatic resource on the same models."""
    _django()
    import tablib
    from import_export import fields, resources
    from import_export.widgets import ForeignKeyWidget

    from casebridge.accounts.models import User
    from casebridge.cases.models import Case, CaseParty, CaseType
    from casebridge.cases.services import case_reference_next
    from casebridge.organisations.models import Organisation
    from casebridge.people.models import Person

    partnership = _partnership(code)
    admin = User.objects.get(email="admin@bench.example")
    statuses = {"Open": "open", "Under review": "under_review", "Closed": "closed"}
    reasons = {"Resolved": "resolved", "NFA": "no_further_action", "Transferred": "transferred"}

    class CaseTypeWidget(ForeignKeyWidget):  # type: ignore[misc]
        def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> Any:
            return CaseType.objects.filter(partnership=partnership)

    class CaseResource(resources.ModelResource):  # type: ignore[misc]
        case_type = fields.Field(
            attribute="case_type", column_name="case_type", widget=CaseTypeWidget(CaseType, "name")
        )
        lead_organisation = fields.Field(
            attribute="lead_organisation",
            column_name="lead_organisation",
            widget=ForeignKeyWidget(Organisation, "name"),
        )
        lead_officer = fields.Field(
            attribute="lead_officer", column_name="lead_officer_email", widget=ForeignKeyWidget(User, "email")
        )

        class Meta:
            model = Case
            import_id_fields = ("legacy_ref",)
            fields = (
                "legacy_ref",
                "case_type",
                "status",
                "risk_level",
                "lead_organisation",
                "lead_officer",
                "summary",
                "closure_reason",
            )
            skip_unchanged = True

        def before_import_row(self, row: Any, **kwargs: Any) -> None:
            row["status"] = statuses.get(row["status"], row["status"])
            row["closure_reason"] = reasons.get(row["closure_reason"], row["closure_reason"])
            row["risk_level"] = {"Low": "standard"}.get(row["risk_level"], row["risk_level"].lower())
            if row["lead_officer_email"].endswith("@old.example"):
                row["lead_officer_email"] = ""

        def before_save_instance(self, instance: Case, row: Any, **kwargs: Any) -> None:
            instance.partnership = partnership
            instance.created_by = admin
            if instance.status == "closed":
                instance.closed_at = dt.datetime.strptime(row["closed_on"], "%d/%m/%Y").replace(tzinfo=dt.UTC)
            if not instance.reference:
                instance.reference = case_reference_next(partnership=partnership, year=2026)

        def after_save_instance(self, instance: Case, row: Any, **kwargs: Any) -> None:
            for group in (1, 2):
                legacy = row.get(f"person_{group}_legacy_id")
                if not legacy:
                    continue
                person, _created = Person.objects.get_or_create(
                    partnership=partnership,
                    legacy_id=legacy,
                    defaults={
                        "first_name": row[f"person_{group}_first_name"],
                        "last_name": row[f"person_{group}_last_name"],
                        "date_of_birth": dt.datetime.strptime(row[f"person_{group}_date_of_birth"], "%d/%m/%Y").date(),
                        "created_by_organisation": admin.organisation,
                    },
                )
                CaseParty.objects.get_or_create(
                    partnership=partnership, case=instance, person=person, role=row[f"person_{group}_role"]
                )

    dataset = tablib.Dataset().load(Path(path).read_text(encoding="utf-8"), format="csv")
    started, cpu = time.perf_counter(), time.process_time()
    result = CaseResource().import_data(dataset, dry_run=False, raise_errors=False, use_transactions=True)
    elapsed = time.perf_counter() - started
    return {
        "seconds": elapsed,
        "cpu_seconds": time.process_time() - cpu,
        "peak_mb": _peak_mb(),
        "rows": len(dataset),
        "errors": result.has_errors() or result.has_validation_errors(),
        "cases": Case.objects.filter(partnership=partnership).count(),
        "people": Person.objects.filter(partnership=partnership).count(),
    }


STAGES: dict[str, Callable[..., dict[str, Any]]] = {
    "setup": stage_setup,
    "import": stage_import,
    "floor": stage_floor,
    "import_export": stage_import_export,
}


def run_stage(name: str, database_url: str, *args: str) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "casebridge.test_settings"}
    done = subprocess.run(
        [sys.executable, __file__, "--stage", name, *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"stage {name} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def bench_database(label: str, url: str, sizes: list[int], files: dict[tuple[int, str], Path], skip_ie: bool) -> None:
    with throwaway_database(url) as database_url:
        run_stage("setup", database_url)
        print(f"\n== {label} ==")
        code = iter(f"B{n}" for n in range(100))
        for size in sizes:
            floor = run_stage("floor", database_url, str(files[(size, "csv")]), next(code))
            print(
                f"{size:>7,} rows  plain executemany (floor):   {floor['seconds']:6.2f} s  "
                f"(CPU {floor['cpu_seconds']:.2f} s in this process)"
            )
            for kind in ("csv", "xlsx"):
                result = run_stage("import", database_url, str(files[(size, kind)]), next(code))
                c = result["counts"]
                print(
                    f"{size:>7,} rows  Casebridge import ({kind:4}):  {result['seconds']:6.2f} s  "
                    f"{result['rows'] / result['seconds']:8,.0f} rows/s  peak {result['peak_mb']:5.0f} MB  "
                    f"CPU {result['cpu_seconds']:.2f} s  ({result['seconds'] / floor['seconds']:.1f}x the floor)"
                )
                print(
                    f"      created {c['create']:,}, errors {c['error']:,}, warnings {c['warning']:,}; "
                    f"{result['cases']:,} cases, {result['people']:,} people, {result['parties']:,} parties, "
                    f"{result['audit_events']:,} audit events"
                )
                if kind == "csv" and size == min(sizes) and not skip_ie:
                    die = run_stage("import_export", database_url, str(files[(size, "csv")]), next(code))
                    print(
                        f"{size:>7,} rows  django-import-export (csv): {die['seconds']:6.2f} s  "
                        f"{die['rows'] / die['seconds']:8,.0f} rows/s  peak {die['peak_mb']:5.0f} MB  "
                        f"CPU {die['cpu_seconds']:.2f} s  "
                        f"({die['cases']:,} cases, {die['people']:,} people)"
                    )
                    if die["errors"] and not die["cases"]:
                        # Its default: one transaction for the file, rolled back when any row fails.
                        print("      django-import-export checked and saved every row, then rolled all back (bad rows)")
                    print(
                        f"      Casebridge is {die['seconds'] / result['seconds']:.1f}x faster "
                        "than django-import-export"
                    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--rows", default="20000,100000", help="Comma-separated sizes (default 20000,100000).")
    parser.add_argument("--databases", default="sqlite,postgres", help="sqlite, postgres or both.")
    parser.add_argument("--skip-import-export", action="store_true", help="Leave out django-import-export.")
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.stage:
        print(json.dumps(STAGES[options.stage](*options.args)))
        return
    sizes = [int(size) for size in options.rows.split(",")]
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}; CPUs: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as folder:
        files: dict[tuple[int, str], Path] = {}
        for size in sizes:
            rows = generate_rows(size)
            files[(size, "csv")] = Path(folder) / f"cases-{size}.csv"
            files[(size, "xlsx")] = Path(folder) / f"cases-{size}.xlsx"
            write_csv(rows, files[(size, "csv")])
            write_xlsx(rows, files[(size, "xlsx")])
        pg_url = (
            os.environ.get("PG_URL") or os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
        )
        for database in options.databases.split(","):
            if database == "sqlite":
                bench_database("SQLite", "sqlite://", sizes, files, options.skip_import_export)
            elif postgres_reachable(pg_url):
                bench_database("PostgreSQL", pg_url, sizes, files, options.skip_import_export)
            else:
                print("PostgreSQL not reachable: skipped")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
