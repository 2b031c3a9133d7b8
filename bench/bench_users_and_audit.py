"""Benchmark: bulk user import, bulk audit writes, and the cost of auditing one write.

Run by hand against a throwaway database (never a real one):

    DATABASE_URL=sqlite:///:memory: .venv/bin/python bench/bench_users_and_audit.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/bench_users_and_audit.py

SQLite runs in a temporary file; PostgreSQL in a database named
``casebridge_bench`` that the script creates and drops (the database named in
the URL is only used to connect).
"""

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DATABASE = "casebridge_bench"
USERS = 1_000
AUDIT_EVENTS = 100_000
AUDIT_BATCH = 1_000
WRITES = 2_000


@contextmanager
def throwaway_database(url: str) -> Iterator[str]:
    """Yields a DATABASE_URL for an empty database that is removed afterwards."""
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
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")


def timed(label: str, count: int, unit: str, work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    print(f"{label}: {count:,} {unit} in {elapsed:.2f} s = {count / elapsed:,.0f} {unit}/s")
    return elapsed


def run() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from casebridge.accounts.models import User
    from casebridge.accounts.staff.importing import rows_from_csv
    from casebridge.accounts.staff.users_import import users_import
    from casebridge.audit.models import Action, AuditEvent
    from casebridge.audit.services import PendingEvent, audit_record, audit_record_batch
    from casebridge.organisations.models import Membership, Organisation, OrganisationType, Partnership, Role

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    partnership = Partnership.objects.create(name="Benchmark", code="BN")
    organisations = [Organisation.objects.create(name=f"Agency {n}", type=OrganisationType.OTHER) for n in range(5)]
    for organisation in organisations:
        organisation.partnerships.add(partnership)
    admin = User.objects.create_user("admin@bench.example", None, first_name="Ada", last_name="Admin")
    admin.organisation = organisations[0]
    admin.save(update_fields=["organisation"])
    Membership.objects.create(user=admin, partnership=partnership, role=Role.ADMINISTRATOR)

    lines = ["email,first_name,last_name,organisation,team,partnership,role"]
    for n in range(USERS):
        lines.append(f"user{n}@bench.example,First{n},Last{n},Agency {n % 5},Team {n % 10},BN,practitioner")
    rows = rows_from_csv("\n".join(lines).encode())

    def import_once() -> None:
        report = users_import(actor=admin, rows=rows, partnership=partnership)
        print(f"  created {report.created}, unchanged {report.unchanged}, errors {len(report.errors)}")

    timed("import users (new, with invitation emails)", USERS, "rows", import_once)
    timed("import users again (idempotent, no changes)", USERS, "rows", import_once)

    def audit_batches() -> None:
        for batch in range(AUDIT_EVENTS // AUDIT_BATCH):
            with transaction.atomic():
                audit_record_batch(
                    [
                        PendingEvent(
                            Action.VIEWED,
                            actor=admin,
                            partnership_id=partnership.pk,
                            object_type="case",
                            object_id=f"BN-{batch}-{n}",
                            data={"n": n},
                        )
                        for n in range(AUDIT_BATCH)
                    ]
                )

    timed(f"audit_record_batch in batches of {AUDIT_BATCH:,}", AUDIT_EVENTS, "events", audit_batches)
    print(f"  audit events stored: {AuditEvent.objects.count():,}")

    target = User.objects.get(email="user1@bench.example")

    def plain_writes(count: int) -> None:
        for n in range(count):
            with transaction.atomic():
                target.job_title = f"Officer {n}"
                target.save(update_fields=["job_title"])

    def audited_writes(count: int) -> None:
        for n in range(count):
            with transaction.atomic():
                target.job_title = f"Audited officer {n}"
                target.save(update_fields=["job_title"])
                audit_record(
                    actor=admin,
                    action=Action.USER_CHANGED,
                    partnership_id=partnership.pk,
                    obj=target,
                    data={"changes": {"job_title": {"from": "x", "to": target.job_title}}},
                )

    # Alternate short rounds so that both sides see the same machine load.
    rounds, plain, audited = 10, 0.0, 0.0
    for _round in range(rounds):
        started = time.perf_counter()
        plain_writes(WRITES // rounds)
        plain += time.perf_counter() - started
        started = time.perf_counter()
        audited_writes(WRITES // rounds)
        audited += time.perf_counter() - started
    print(
        f"single-row update, {WRITES:,} of each: unaudited {plain / WRITES * 1e6:,.0f} µs/write, "
        f"audited (update + audit_record) {audited / WRITES * 1e6:,.0f} µs/write, ratio {audited / plain:.2f}x"
    )


def main() -> None:
    url = os.environ.get("DATABASE_URL") or "sqlite:///:memory:"
    with throwaway_database(url) as bench_url:
        os.environ["DATABASE_URL"] = bench_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebridge.test_settings")
        run()


if __name__ == "__main__":
    main()
