from typing import Any

from django.core.cache import cache
from django.urls import reverse

from casebridge.cases.tests.base import ConfiguredPersonasTestCase
from casebridge.public_reports.services import postcode_districts_seed

ANSWERS: dict[str, dict[str, Any]] = {
    "what": {"category": "Noise", "description": "Loud music every night until 3am."},
    "where": {"postcode": "gu15 3hd", "place": "Park Street flats"},
    "when": {"day": "2", "month": "3", "year": "2026"},
    "how-often": {"frequency": "daily"},
    "who": {"people_involved": "Two adults in flat 4."},
    "impact": {"impacts": ["health", "fear"]},
    "contact": {"wants_contact": "yes", "contact_name": "Jo Bloggs", "email": "jo@example.com", "phone": ""},
    "privacy": {},
}


class PublicReportTestCase(ConfiguredPersonasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for partnership in (cls.surrey_heath, cls.runnymede):
            postcode_districts_seed(partnership=partnership)

    def setUp(self) -> None:
        cache.clear()

    def answer(self, slug: str, **overrides: Any) -> Any:
        response = self.client.post(reverse(f"public_reports:{slug}"), {**ANSWERS[slug], **overrides})
        return response

    def answer_all(self, **per_step: dict[str, Any]) -> None:
        for slug in ANSWERS:
            response = self.answer(slug, **per_step.get(slug, {}))
            assert response.status_code == 302, (slug, response.content[:2000])
