"""Benchmark: case lists, search, case and person pages at a million cases, for an ordinary practitioner.

Run by hand against a throwaway database (never a real one):

    DATABASE_URL=sqlite:///:memory: .venv/bin/python bench/bench_case_lists.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/bench_case_lists.py

SQLite runs in a temporary file; PostgreSQL in a database named ``casebridge_scale_bench`` that the
script creates and drops. With ``--reuse`` the script uses DATABASE_URL itself (an SQLite file or a
PostgreSQL database of your own), generates the data set into it only if it is not already there,
and leaves it in place, so the next run starts measuring at once.

BENCH_CASES, BENCH_PEOPLE, BENCH_USERS and BENCH_REQUESTS change the sizes (defaults: the brief's
1,000,000 cases, 600,000 people, 60 organisations, 5,000 users, 200 requests a page). Pages are
fetched with Django's test Client (URL routing, middleware, view, template), signed in and
MFA-verified; the list and search queries are also run as hand-written SQL and printed as a
ratio; the query count of every page is compared between a 10,000-case partnership and the big
one. The "shared with me" list is read from the user's grants in order (each share carries its
case's update time); its hand-written SQL is the plain query that sorts every case behind the
grants: the reference for the answer, and the cost the copies save. That plain query runs
BENCH_SHARED_REQUESTS times (as many as BENCH_REQUESTS; 0 skips it). Every figure is printed with
the one-minute load average when it was taken.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DATABASE = "casebridge_scale_bench"
CASES = int(os.environ.get("BENCH_CASES", "1000000"))
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "600000"))
ORGANISATIONS = 60
USERS = int(os.environ.get("BENCH_USERS", "5000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
SHARED_REQUESTS = int(os.environ.get("BENCH_SHARED_REQUESTS", str(REQUESTS)))
SMALL_CASES = 10_000
PAGE_SIZE = 25
DEEP_PAGE = 200
TARGET_P95_MS = 150.0


@contextmanager
def throwaway_database(url: str) -> Iterator[str]:
    """Yields a DATABASE_URL for an empty database that is removed afterwards."""
    if url.startswith("sqlite"):
        with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as folder:
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


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000


def measure(label: str, work: Callable[[int], object], requests: int = REQUESTS) -> tuple[float, float]:
    """Runs ``work(n)`` ``requests`` times (after two warm-up calls) and prints p50 and p95."""
    work(0)
    work(1)
    samples = []
    for n in range(requests):
        started = time.perf_counter()
        work(n)
        samples.append(time.perf_counter() - started)
    p50, p95 = percentiles(samples)
    flag = "" if p95 < TARGET_P95_MS else f"  (over the {TARGET_P95_MS:.0f} ms target)"
    print(f"  {label:<48} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   load {os.getloadavg()[0]:.2f}{flag}", flush=True)
    return p50, p95


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


LIST_COLUMNS = """
SELECT c.id, c.reference, c.status, c.risk_level, c.updated_at, t.name, o.name, u.first_name, u.last_name
FROM cases_case c
JOIN cases_casetype t ON t.id = c.case_type_id
JOIN organisations_organisation o ON o.id = c.lead_organisation_id
LEFT JOIN accounts_user u ON u.id = c.lead_officer_id
"""
PAGE = "\nORDER BY c.updated_at DESC, c.id DESC LIMIT 25 OFFSET %(offset)s"
ORGANISATION_WHERE = "\nWHERE c.partnership_id = %(partnership)s AND c.lead_organisation_id = %(organisation)s"
FILTER_WHERE = " AND c.status = %(status)s AND c.risk_level = %(risk)s"
SHARED_WHERE = """
WHERE c.partnership_id = %(partnership)s
  AND c.id IN (
    SELECT s.case_id FROM cases_share s
    WHERE s.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > %(now)s)
      AND (s.organisation_id = %(organisation)s OR s.team_id = %(team)s OR s.user_id = %(user)s)
    UNION
    SELECT b.case_id FROM cases_breakglass b WHERE b.user_id = %(user)s AND b.expires_at > %(now)s
  )
  AND c.lead_organisation_id <> %(organisation)s
"""
# What the list page counts: at most COUNT_CAP + 1 rows, so "more than 10,000" costs no more than that.
COUNT_SQL = "SELECT COUNT(*) FROM (SELECT c.id FROM cases_case c {where} LIMIT %(cap)s) AS capped"
SEARCH_SQL = """
SELECT id, first_name, last_name FROM people_person
  WHERE partnership_id = %(partnership)s AND last_name_key = %(key)s
UNION SELECT a.person_id, p.first_name, p.last_name FROM people_personalias a JOIN people_person p ON p.id = a.person_id
  WHERE a.partnership_id = %(partnership)s AND a.last_name_key = %(key)s
UNION SELECT id, first_name, last_name FROM people_person
  WHERE partnership_id = %(partnership)s AND first_name_key = %(key)s
UNION SELECT id, first_name, last_name FROM people_person
  WHERE partnership_id = %(partnership)s AND last_name_folded >= %(prefix)s AND last_name_folded < %(after)s
UNION SELECT a.person_id, p.first_name, p.last_name FROM people_personalias a JOIN people_person p ON p.id = a.person_id
  WHERE a.partnership_id = %(partnership)s AND a.last_name_folded >= %(prefix)s AND a.last_name_folded < %(after)s
ORDER BY 3, 2, 1
LIMIT 500
"""
SURNAMES = ["Smith", "Jonson", "Patel", "Mcdonald", "O'Brien", "Wiliams", "Taylor", "Khan"]


def run(*, reuse: bool) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import QuerySet
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from casebridge.accounts.models import User
    from casebridge.cases.models import Case, CaseParty, PartyRole, RiskLevel, Status
    from casebridge.cases.pagination import COUNT_CAP
    from casebridge.cases.policy import Act, visible_cases
    from casebridge.cases.selectors import CaseFilters, case_list_paginator, page_rows
    from casebridge.organisations.models import Membership, OrganisationType, Partnership, Role
    from casebridge.people.models import Person, fold, name_key
    from casebridge.people.selectors import name_candidates
    from casebridge.synthetic.generator import generate
    from tests.personas import sign_in

    setup_test_environment()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores; load average {load()}")

    def build(code: str, cases: int, people: int, users: int) -> Partnership:
        existing = Partnership.objects.filter(code=code).first()
        if reuse and existing and Case.objects.filter(partnership=existing).count() >= cases:
            print(f"reusing partnership {code}: {cases:,} cases already there")
            return existing
        if existing:
            raise SystemExit(f"Partnership {code} exists but is incomplete: use an empty database.")
        started = time.perf_counter()
        generate(cases=cases, people=people, organisations=ORGANISATIONS, users=users, seed=1, partnership_code=code)
        elapsed = time.perf_counter() - started
        print(
            f"generate_synthetic {code}: {cases:,} cases, {people:,} people, {users:,} users in {elapsed:.1f} s"
            f" (load average after: {load()})",
            flush=True,
        )
        return Partnership.objects.get(code=code)

    def practitioner(partnership: Partnership) -> User:
        """A council practitioner in a team who leads cases: an ordinary caseworker."""
        membership = (
            Membership.objects.filter(
                partnership=partnership,
                role=Role.PRACTITIONER,
                user__organisation__type=OrganisationType.COUNCIL,
                user__team__isnull=False,
            )
            .select_related("user")
            .order_by("pk")
            .first()
        )
        assert membership is not None
        return membership.user

    def pages(partnership: Partnership, user: User) -> dict[str, Callable[[int], str]]:
        """The URL of each measured page; ``n`` varies the case, person or name."""
        visible = visible_cases(user, partnership, Act.VIEW)
        # Cases led by the user's organisation, each with a victim: a shared case's page asks three more
        # (constant) questions of the shares, and a case with a victim three more of the case review
        # rules, so mixing them would make the query counts differ for reasons other than size.
        led = visible.filter(lead_organisation_id=user.organisation_id, parties__role=PartyRole.VICTIM)
        newest = led.order_by("-updated_at").values_list("reference", flat=True)[: 2 * REQUESTS]
        references = list(dict.fromkeys(newest))  # a case with two victims comes twice
        people = list(
            CaseParty.objects.filter(case__in=visible.order_by("-updated_at")[:REQUESTS])
            .values_list("person__public_id", flat=True)
            .distinct()
        )
        filtered = f"status={Status.OPEN}&risk_level={RiskLevel.HIGH}"
        return {
            "case list, my organisation's, page 1": lambda n: "/cases/organisation/",
            f"case list, my organisation's, page {DEEP_PAGE}": lambda n: f"/cases/organisation/?page={DEEP_PAGE}",
            "case list, my organisation's, open + high risk": lambda n: f"/cases/organisation/?{filtered}",
            "case list, my cases, page 1": lambda n: "/cases/",
            "case list, shared with me, page 1": lambda n: "/cases/shared/",
            f"case list, shared with me, page {DEEP_PAGE}": lambda n: f"/cases/shared/?page={DEEP_PAGE}",
            "name search": lambda n: f"/people/search/?q={SURNAMES[n % len(SURNAMES)]}",
            "case page (summary)": lambda n: f"/cases/{references[n % len(references)]}/",
            "person page": lambda n: f"/people/{people[n % len(people)]}/",
        }

    def client_for(user: User) -> Client:
        client = Client()
        sign_in(client, user)
        return client

    def query_counts(client: Client, urls: dict[str, Callable[[int], str]]) -> dict[str, int]:
        counts = {}
        for label, url in urls.items():
            client.get(url(0))  # the first request of a session also reads caches and the session itself
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url(0))
            assert response.status_code == 200, (label, url(0), response.status_code)
            counts[label] = len(captured)
        return counts

    small = build("SM", SMALL_CASES, SMALL_CASES * 6 // 10, 500)
    small_user = practitioner(small)
    small_counts = query_counts(client_for(small_user), pages(small, small_user))

    big = build("BN", CASES, PEOPLE, USERS)
    user = practitioner(big)
    client = client_for(user)
    urls = pages(big, user)
    big_counts = query_counts(client, urls)
    led = Case.objects.filter(partnership=big, lead_organisation_id=user.organisation_id).count()
    visible_total = visible_cases(user, big, Act.VIEW).count()
    print(
        f"practitioner: {user.organisation} (team {user.team}); sees {visible_total:,} of "
        f"{Case.objects.filter(partnership=big).count():,} cases, {led:,} led by their organisation; "
        f"{Person.objects.filter(partnership=big).count():,} people"
    )

    print(f"\nqueries per page ({SMALL_CASES:,} cases vs {CASES:,} cases):")
    for label in urls:
        same = "same" if small_counts[label] == big_counts[label] else "DIFFERENT"
        print(f"  {label:<48} {small_counts[label]:3d} vs {big_counts[label]:3d}  {same}")

    print(f"\npages through the test client, {REQUESTS} requests each (load average before: {load()}):")
    for label, url in urls.items():

        def fetch(n: int, url: Callable[[int], str] = url) -> None:
            response = client.get(url(n))
            assert response.status_code == 200, response.status_code

        measure(label, fetch)

    print(f"\nthe same queries through the ORM (policy + selector) and as hand-written SQL, {REQUESTS} each:")
    params: dict[str, Any] = {
        "partnership": big.pk,
        "organisation": user.organisation_id,
        "team": user.team_id,
        "user": user.pk,
        "now": timezone.now(),
        "status": Status.OPEN,
        "risk": RiskLevel.HIGH,
        "cap": COUNT_CAP + 1,
    }
    open_high = CaseFilters(status=Status.OPEN, risk_level=RiskLevel.HIGH)
    lists = [
        ("my organisation's, page 1", "organisation", CaseFilters(), ORGANISATION_WHERE, 1),
        (f"my organisation's, page {DEEP_PAGE}", "organisation", CaseFilters(), ORGANISATION_WHERE, DEEP_PAGE),
        ("my organisation's, open + high risk", "organisation", open_high, ORGANISATION_WHERE + FILTER_WHERE, 1),
    ]
    if SHARED_REQUESTS:
        lists.append(("shared with me, page 1", "shared", CaseFilters(), SHARED_WHERE, 1))
        lists.append((f"shared with me, page {DEEP_PAGE}", "shared", CaseFilters(), SHARED_WHERE, DEEP_PAGE))
    ratios: list[float] = []
    for label, scope, filters, where, page in lists:
        offset = (page - 1) * PAGE_SIZE

        def orm(_: int, scope: str = scope, filters: CaseFilters = filters, page: int = page) -> list[Any]:
            # As the list page does: the policy's queryset, counted and paged, read as rows.
            paginator = case_list_paginator(
                user=user, partnership=big, scope=scope, filters=filters, per_page=PAGE_SIZE
            )
            rows = page_rows(cast(QuerySet[Case], paginator.get_page(page).object_list))
            assert paginator.count >= 0
            return rows

        def hand(_: int, where: str = where, offset: int = offset) -> list[Any]:
            with connection.cursor() as cursor:
                cursor.execute(COUNT_SQL.format(where=where), params)
                cursor.fetchone()
                cursor.execute(LIST_COLUMNS + where + PAGE, {**params, "offset": offset})
                rows: list[Any] = cursor.fetchall()
                return rows

        with CaptureQueriesContext(connection) as captured:
            orm_ids = [c.pk for c in orm(0)]
        hand_ids = [row[0] for row in hand(0)]
        assert orm_ids == hand_ids, f"the ORM and the hand-written SQL disagree on {label}"
        generated_sql = [query["sql"] for query in captured.captured_queries]

        def generated(_: int, statements: list[str] = generated_sql) -> None:
            """The SQL the ORM and the policy wrote, run as it is: the database's share of the ORM's time."""
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
                    cursor.fetchall()

        requests = SHARED_REQUESTS if scope == "shared" else REQUESTS
        orm_p50, orm_p95 = measure(f"ORM, {label} (count + page)", orm, requests=requests)
        _, gen_p95 = measure(f"ORM's SQL run raw, {label}", generated, requests=requests)
        sql_p50, sql_p95 = measure(f"hand SQL, {label} (count + page)", hand, requests=requests)
        ratios.append(orm_p95 / sql_p95)
        print(f"    ratio ORM / hand SQL: p50 {orm_p50 / sql_p50:.2f}x, p95 {orm_p95 / sql_p95:.2f}x")
        print(f"    ratio ORM's SQL / hand SQL (database work only): p95 {gen_p95 / sql_p95:.2f}x")

    def search_orm(n: int) -> list[Any]:
        token = SURNAMES[n % len(SURNAMES)]
        keys = {name_key(token)}
        return list(name_candidates(user, big, [token], keys))

    def search_hand(n: int) -> list[Any]:
        token = SURNAMES[n % len(SURNAMES)]
        prefix = fold(token)
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        with connection.cursor() as cursor:
            cursor.execute(SEARCH_SQL, {**params, "key": name_key(token), "prefix": prefix, "after": after})
            rows: list[Any] = cursor.fetchall()
            return rows

    for n in range(len(SURNAMES)):
        assert [row[0] for row in search_orm(n)] == [row[0] for row in search_hand(n)], SURNAMES[n]
    orm_p50, orm_p95 = measure("ORM, name search candidates", search_orm)
    sql_p50, sql_p95 = measure("hand SQL, name search candidates", search_hand)
    ratios.append(orm_p95 / sql_p95)
    print(f"    ratio ORM / hand SQL: p50 {orm_p50 / sql_p50:.2f}x, p95 {orm_p95 / sql_p95:.2f}x")

    print(f"\nworst ORM / hand SQL ratio (p95): {max(ratios):.2f}x (target 2x)")
    print(f"load average after: {load()}")
    assert small_counts == big_counts, "query counts depend on the data size"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use DATABASE_URL itself, generate only what is missing, and keep it afterwards",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or "sqlite:///:memory:"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebridge.test_settings")
    # Measured as production runs: with DEBUG on, Django keeps every query and renders templates with debug data.
    os.environ["DEBUG"] = "0"
    if args.reuse:
        if url == "sqlite:///:memory:":
            raise SystemExit("--reuse needs DATABASE_URL naming an SQLite file or a PostgreSQL database.")
        os.environ["DATABASE_URL"] = url
        run(reuse=True)
        return
    with throwaway_database(url) as bench_url:
        os.environ["DATABASE_URL"] = bench_url
        run(reuse=False)


if __name__ == "__main__":
    main()
