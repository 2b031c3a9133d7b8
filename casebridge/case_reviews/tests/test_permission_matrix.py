"""Every URL the case reviews app adds, against every persona: the exact status, and no leaks."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casebridge.case_reviews import services
from casebridge.case_reviews.models import Recommendation
from casebridge.case_reviews.tests.base import ReviewsTestCase
from tests.personas import PERSONAS

OK, REDIRECT, GONE, NOT_ALLOWED = 200, 302, 404, 405
RUNS = {"coordinator": OK}
# Rita works in Runnymede: she has her own (empty) list, and sees nothing of Surrey Heath's.
CASEWORK = {persona: OK for persona in PERSONAS if persona not in ("analyst", "auditor")}
FIGURES = {"coordinator": OK, "administrator": OK, "analyst": OK}


class CaseReviewPermissionMatrixTests(ReviewsTestCase):
    recommendation: Recommendation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        services.threshold_decide(
            actor=cls.coordinator, review=cls.review, decision="met", reason="Met.", letter="", qualifying=3
        )
        cls.review.refresh_from_db()
        cls.recommendation = services.recommendation_add(
            actor=cls.coordinator,
            review=cls.review,
            text="Patrols.",
            owner_organisation=cls.charity,
            due_on=timezone.localdate() + datetime.timedelta(days=7),
        )
        services.panel_set(actor=cls.coordinator, review=cls.review, meeting=None, panel_on=timezone.localdate())
        cls.review.refresh_from_db()
        services.outcome_letter_save(actor=cls.coordinator, review=cls.review, text="Dear Dana,", sent=False)
        services.appeal_record(
            actor=cls.coordinator,
            review=cls.review,
            received_on=timezone.localdate(),
            grounds="Unhappy.",
            reviewer_name="Pat Quinn",
            reviewer_body="OPCC",
        )
        cls.review.refresh_from_db()

    def expect(self, name: str, url: str, allowed: dict[str, int], *, anonymous: int = REDIRECT) -> None:
        self.client.logout()
        with self.subTest(url=name, persona="anonymous"):
            assert self.client.get(url).status_code == anonymous
        for persona in PERSONAS:
            self.sign_in(getattr(self, persona))
            with self.subTest(url=name, persona=persona):
                response = self.client.get(url)
                assert response.status_code == allowed.get(persona, GONE), response.status_code
                if response.status_code == OK and persona not in RUNS and name != "recommendation":
                    assert b"Harassment by a neighbour." not in response.content or name.startswith("detail")
                    assert self.review.reference.encode() not in response.content

    def test_staff_pages(self):
        r = self.review.public_id
        pages = {
            "list": (reverse("case_reviews:list"), CASEWORK),
            "create": (reverse("case_reviews:create"), CASEWORK),
            "alerts": (reverse("case_reviews:alerts"), RUNS),
            "figures": (reverse("case_reviews:figures"), FIGURES),
            "figures_csv": (reverse("case_reviews:figures_csv"), FIGURES),
            "detail": (reverse("case_reviews:detail", args=[r]), RUNS),
            "acknowledge": (reverse("case_reviews:acknowledge", args=[r]), RUNS),
            "panel": (reverse("case_reviews:panel", args=[r]), RUNS),
            "response_add": (reverse("case_reviews:response_add", args=[r]), RUNS),
            "recommendation_add": (reverse("case_reviews:recommendation_add", args=[r]), RUNS),
            "letter": (reverse("case_reviews:letter", args=[r]), RUNS),
            "letter_pdf": (reverse("case_reviews:letter_pdf", args=[r]), RUNS),
            "appeal_outcome": (reverse("case_reviews:appeal_outcome", args=[r]), RUNS),
            "recommendation": (
                reverse("case_reviews:recommendation", args=[self.recommendation.public_id]),
                {**RUNS, "support_worker": OK},
            ),
        }
        for name, (url, allowed) in pages.items():
            self.expect(name, url, allowed)

    def test_pages_of_a_step_already_taken_answer_404_even_to_the_coordinator(self):
        self.sign_in(self.coordinator)
        for name in ("decision", "complaint_add", "appeal"):
            with self.subTest(name=name):
                assert (
                    self.client.get(reverse(f"case_reviews:{name}", args=[self.review.public_id])).status_code == GONE
                )

    def test_steps_before_the_decision(self):
        fresh = self.record()
        for name in ("decision", "complaint_add"):
            self.expect(name, reverse(f"case_reviews:{name}", args=[fresh.public_id]), RUNS)
        # No review meeting, response, recommendation, letter or appeal before the decision.
        self.sign_in(self.coordinator)
        for name in ("panel", "response_add", "recommendation_add", "letter", "appeal", "appeal_outcome", "letter_pdf"):
            with self.subTest(name=name):
                assert self.client.get(reverse(f"case_reviews:{name}", args=[fresh.public_id])).status_code == GONE

    def test_a_recorder_sees_their_own_review_only(self):
        mine = self.record(actor=self.police_officer)
        self.expect(
            "detail (police)",
            reverse("case_reviews:detail", args=[mine.public_id]),
            {**RUNS, "police_officer": OK},
        )

    def test_the_alert_button_only_takes_a_post_from_the_triage_team(self):
        url = reverse("case_reviews:alert_open")
        self.expect("alert_open", url, dict.fromkeys(PERSONAS, NOT_ALLOWED), anonymous=REDIRECT)
        for persona in PERSONAS:
            self.sign_in(getattr(self, persona))
            with self.subTest(persona=persona):
                response = self.client.post(url, {"person": self.victim.public_id, "case": self.case.reference})
                assert response.status_code == (REDIRECT if persona in RUNS else GONE)

    def test_the_public_application_needs_no_sign_in(self):
        self.client.logout()
        assert self.client.get(reverse("case_reviews:apply_start")).status_code == OK
        assert self.client.get(reverse("case_reviews:apply_who")).status_code == OK
        for name in (
            "apply_consent",
            "apply_where",
            "apply_problem",
            "apply_complaint",
            "apply_complaints",
            "apply_contact",
            "apply_check",
        ):
            with self.subTest(name=name):
                self.assertRedirects(
                    self.client.get(reverse(f"case_reviews:{name}")),
                    reverse("case_reviews:apply_who"),
                    fetch_redirect_response=False,
                )
        self.assertRedirects(
            self.client.get(reverse("case_reviews:apply_confirmation")), reverse("case_reviews:apply_start")
        )
