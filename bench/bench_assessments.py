"""Benchmark: completing the seeded victim assessment, and the "reviews due" selector at volume.

Run by hand against a throwaway database (never a real one):

    .venv/bin/python bench/bench_assessments.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/bench_assessments.py

SQLite runs in a temporary file; PostgreSQL in a database named ``casebridge_risk_bench`` that the
script creates and drops. BENCH_COMPLETIONS (default 200) and BENCH_CASES (default 20,000) change
the sizes. Prints median and 95th percentile times and the selector's query count.
"""

import datetime
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DATABASE = "casebridge_risk_bench"
COMPLETIONS = int(os.environ.get("BENCH_COMPLETIONS", "200"))
CASES = int(os.environ.get("BENCH_CASES", "20000"))


@contextmanager
def throwaway_database(url: str) -> Iterator[str]:
    if not url or url.startswith("sqlite"):
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


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms"


def run() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebridge.test_settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from casebridge.accounts.models import User
    from casebridge.assessments import selectors, services
    from casebridge.assessments.models import Assessment, AssessmentTemplate
    from casebridge.cases.models import Case, CaseType

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    officer = User.objects.get(email="asb.officer@surreyheath.example")
    assert officer.organisation_id is not None
    partnership = officer.memberships.get().partnership
    case_type = CaseType.objects.get_or_create(
        partnership=partnership, code="asb_victim", defaults={"name": "ASB victim"}
    )[0]
    version = AssessmentTemplate.objects.get(partnership=partnership, code="asb-victim-risk").versions.get()
    answers = {
        "incidents-3-months": "three-or-more",
        "targeted": "yes",
        "violence": "yes",
        "weapon": "no",
        "health-condition": "yes",
        "daily-life": "4-severely",
        "unsafe-at-home": "yes",
        "self-harm": "no",
    }

    year = timezone.localdate().year
    Case.objects.bulk_create(
        Case(
            partnership=partnership,
            reference=f"{partnership.code}-{year}-{n:06d}",
            case_type=case_type,
            lead_organisation_id=officer.organisation_id,
            lead_officer=officer,
            created_by=officer,
        )
        for n in range(1, CASES + 1)
    )
    cases = list(Case.objects.filter(partnership=partnership).order_by("id")[:COMPLETIONS])

    timings = []
    for case in cases:
        started = time.perf_counter()
        services.assessment_complete(actor=officer, case=case, version=version, answers=answers)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"assessment_complete x{len(timings)} (high band, alert raised): {percentiles(timings)}")

    overdue = timezone.now() - datetime.timedelta(days=60)
    template = Assessment.objects.first()
    assert template is not None
    Assessment.objects.bulk_create(
        Assessment(
            partnership=partnership,
            case_id=case_id,
            version=version,
            assessor=officer,
            assessor_organisation_id=officer.organisation_id,
            completed_at=overdue,
            score=template.score,
            band_code=template.band_code,
            band_label=template.band_label,
            is_high=template.is_high,
            next_review_on=overdue.date() + datetime.timedelta(days=14),
        )
        for case_id in Case.objects.filter(partnership=partnership).values_list("id", flat=True)[COMPLETIONS:]
    )
    officer = User.objects.get(pk=officer.pk)
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            rows = list(selectors.assessments_due_for_review(officer, partnership)[:50])
        timings.append((time.perf_counter() - started) * 1000)
    total = selectors.assessments_due_for_review(officer, partnership).count()
    print(
        f"assessments_due_for_review, first 50 of {total} due on {CASES} cases: {percentiles(timings)}, "
        f"{len(queries)} queries, {len(rows)} rows"
    )


if __name__ == "__main__":
    with throwaway_database(os.environ.get("DATABASE_URL", "")) as url:
        os.environ["DATABASE_URL"] = url
        run()
