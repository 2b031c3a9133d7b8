"""The annual ASB Case Review figures and their CSV export."""

import csv
import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casebridge.audit.models import Action, AuditEvent
from casebridge.case_reviews import figures, services
from casebridge.case_reviews.models import CaseReview, Channel, Decision
from casebridge.case_reviews.tests.base import ReviewsTestCase

D = datetime.date


class FiguresTests(ReviewsTestCase):
    def add(
        self, received: datetime.date, decision: str = "", panel_on: datetime.date | None = None, **kw: object
    ) -> CaseReview:
        review = self.record(received_on=received, **kw)
        if decision:
            CaseReview.objects.filter(pk=review.pk).update(
                decision=decision, decision_reason="x", decided_on=received, panel_on=panel_on
            )
        return review

    def test_years_run_april_to_march(self):
        assert figures.year_of(D(2026, 3, 31)) == 2025
        assert figures.year_of(D(2026, 4, 1)) == 2026
        assert figures.year_label(2026) == "April 2026 to March 2027"

    def test_the_four_statutory_figures_are_counted(self):
        CaseReview.objects.all().delete()
        self.add(D(2025, 4, 2), Decision.NOT_MET)
        self.add(D(2025, 6, 1), Decision.MET, panel_on=D(2025, 7, 1))
        with_recommendation = self.add(D(2025, 9, 1), Decision.MET, panel_on=D(2025, 10, 1))
        self.add(D(2026, 3, 31))  # still in 2025-26, not decided
        self.add(D(2026, 4, 1), Decision.NOT_MET)  # next year
        partnership_opened = self.add(D(2025, 5, 5))
        CaseReview.objects.filter(pk=partnership_opened.pk).update(channel=Channel.PARTNERSHIP)
        with_recommendation.refresh_from_db()
        services.recommendation_add(
            actor=self.coordinator,
            review=with_recommendation,
            text="Patrols.",
            owner_organisation=self.police,
            due_on=D.today(),
        )
        result = figures.figures_for(partnership=self.surrey_heath, year=2025)
        assert (result.applications, result.not_met, result.reviews_held, result.with_recommendations) == (4, 1, 2, 1)
        assert result.opened_by_partnership == 1
        assert figures.figures_for(partnership=self.runnymede, year=2025).applications == 0

    def test_the_csv_neutralises_formulas_and_is_audited(self):
        CaseReview.objects.all().delete()
        self.surrey_heath.name = '=HYPERLINK("http://evil.example")'
        self.surrey_heath.save()
        self.add(D(2025, 6, 1), Decision.NOT_MET)
        self.sign_in(self.analyst)
        response = self.client.get(reverse("case_reviews:figures_csv"))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == ["Partnership", "Year", "Figure", "Number"]
        assert all(row[0].startswith("'=") for row in rows[1:])
        assert ["April 2025 to March 2026", "Applications where the threshold was not met", "1"] in [
            r[1:] for r in rows
        ]
        assert AuditEvent.objects.filter(action=Action.EXPORTED, object_type="case_review_figures").exists()

    def test_the_figures_page_holds_no_personal_data_and_a_fixed_number_of_queries(self):
        self.sign_in(self.analyst)
        url = reverse("case_reviews:figures")
        with CaptureQueriesContext(connection) as first:
            page = self.client.get(url)
        self.assertNotContains(page, "Dana Whitlock")
        self.assertContains(page, "Applications for an ASB Case Review received")
        for _n in range(3):
            self.record()
        self.get_in_queries(len(first.captured_queries), url)
