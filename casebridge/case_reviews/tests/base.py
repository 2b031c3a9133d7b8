"""Reviews every case review test can call on, on top of the cases' named personas and data."""

import datetime
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from casebridge.case_reviews import services
from casebridge.case_reviews.models import CaseReview, Decision
from casebridge.cases.tests.base import CasesTestCase
from casebridge.public_reports.services import postcode_districts_seed


def complaints(*days_ago: int, late: int = 1) -> list[services.ComplaintData]:
    today = timezone.localdate()
    return [
        services.ComplaintData(
            occurred_on=today - datetime.timedelta(days=d),
            reported_on=today - datetime.timedelta(days=d) + datetime.timedelta(days=min(late, d)),
            reported_to="Surrey Police",
        )
        for d in days_ago
    ]


class ReviewsTestCase(CasesTestCase):
    """``review``: an application recorded by Carla the coordinator, linked to Alex's shared case and its victim."""

    review: CaseReview

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for partnership in (cls.surrey_heath, cls.runnymede):
            postcode_districts_seed(partnership=partnership)
        cls.review = cls.record(complaints=complaints(100, 50, 10), case=cls.case, victim=cls.victim)

    def setUp(self) -> None:
        cache.clear()

    @classmethod
    def record(cls, **kwargs: Any) -> CaseReview:
        application = services.Application(
            applicant_role="victim",
            applicant_name="Dana Whitlock",
            applicant_email="dana@example.com",
            summary="Harassment by a neighbour.",
            complaints=kwargs.pop("complaints", []),
        )
        return services.review_record(
            actor=kwargs.pop("actor", cls.coordinator),
            partnership=cls.surrey_heath,
            application=application,
            received_on=kwargs.pop("received_on", timezone.localdate()),
            **kwargs,
        )

    def decide(self, review: CaseReview | None = None, decision: str = Decision.MET) -> CaseReview:
        review = review or self.review
        return services.threshold_decide(
            actor=self.coordinator,
            review=review,
            decision=decision,
            reason="Three complaints.",
            letter="",
            qualifying=3,
        )

    def incident(self, days_ago: int, case: Any = None, actor: Any = None) -> None:
        self.record_incident(occurred_at=timezone.now() - datetime.timedelta(days=days_ago), case=case, actor=actor)
