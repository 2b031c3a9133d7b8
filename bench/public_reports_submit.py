"""Submit many residents' online reports through the real "check your answers" POST.

Prints reports per second and the p50/p95 latency of the submit step. Runs against a fresh
test database (SQLite in memory unless DATABASE_URL says otherwise), with the per-address
limit lifted.

    DATABASE_URL=sqlite:///:memory: .venv/bin/python bench/public_reports_submit.py [count]
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebridge.test_settings")

import django

django.setup()

from django.conf import settings  # noqa: E402 (after django.setup)
from django.db import connection  # noqa: E402 (after django.setup)
from django.test import Client  # noqa: E402 (after django.setup)
from django.test.utils import setup_test_environment  # noqa: E402 (after django.setup)

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000


def main() -> None:
    setup_test_environment()
    settings.PUBLIC_REPORTS_PER_HOUR = COUNT + 1
    connection.creation.create_test_db(verbosity=0)
    from casebridge.cases.services import partnership_seed_configuration
    from casebridge.organisations.models import Partnership
    from casebridge.public_reports.models import PublicReport
    from casebridge.public_reports.services import postcode_districts_seed
    from casebridge.web.public_reports.views import ANSWERS

    for name, code in (("Surrey Heath", "SH"), ("Runnymede", "RU")):
        partnership = Partnership.objects.create(name=name, code=code)
        partnership_seed_configuration(partnership=partnership)
        postcode_districts_seed(partnership=partnership)
    surrey_heath = Partnership.objects.get(code="SH")
    answers = {
        "what": {"category": "Noise", "description": "Loud music late at night. " * 10},
        "where": {"postcode": "GU15 3HD", "place": "Park Street", "partnership": str(surrey_heath.public_id)},
        "when": {"occurred_on": "2026-03-02"},
        "how-often": {"frequency": "daily"},
        "who": {"people_involved": "Two adults."},
        "impact": {"impacts": ["fear"]},
        "contact": {"wants_contact": "yes", "contact_name": "Jo", "email": "jo@example.com", "phone": ""},
        "privacy": {"seen": True},
    }
    client = Client()
    client.get("/report/")
    latencies = []
    started = time.perf_counter()
    for _ in range(COUNT):
        session = client.session
        session[ANSWERS] = answers
        session.save()
        before = time.perf_counter()
        response = client.post("/report/check/")
        latencies.append(time.perf_counter() - before)
        assert response.status_code == 302, response.status_code
    elapsed = time.perf_counter() - started
    assert PublicReport.objects.count() == COUNT
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(f"database: {connection.vendor}")
    print(f"reports submitted: {COUNT}")
    print(f"reports per second (whole loop, incl. session writes): {COUNT / elapsed:.1f}")
    print(f"submit step p50: {statistics.median(latencies) * 1000:.1f} ms, p95: {p95 * 1000:.1f} ms")


if __name__ == "__main__":
    main()
