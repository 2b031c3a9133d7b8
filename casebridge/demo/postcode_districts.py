"""Demo data: the postcode districts (and incident categories) residents' reports are routed by."""

from typing import Any

from casebridge.cases.services import partnership_seed_configuration
from casebridge.organisations.models import Partnership
from casebridge.public_reports.services import DEFAULT_DISTRICTS, postcode_districts_seed


def seed_postcode_districts(stdout: Any) -> None:
    for partnership in Partnership.objects.filter(code__in=DEFAULT_DISTRICTS):
        partnership_seed_configuration(partnership=partnership)
        postcode_districts_seed(partnership=partnership)
    stdout.write("Residents can report ASB at http://127.0.0.1:8000/report/ (try postcode GU15 3HD or KT16 9AA).")
