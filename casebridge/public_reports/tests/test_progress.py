from django.urls import reverse

from casebridge.public_reports.models import PublicReport
from casebridge.public_reports.tests.base import PublicReportTestCase
from casebridge.referrals import services as referral_services

NOT_FOUND = "We could not find a report with that reference number and email address."


class ProgressTests(PublicReportTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.answer_all()
        self.client.post(reverse("public_reports:check"))
        self.report = PublicReport.objects.get()

    def check(self, reference: str, email: str):
        return self.client.post(reverse("public_reports:progress"), {"reference": reference, "email": email})

    def test_the_right_reference_and_email_show_the_status(self):
        response = self.check(self.report.reference.lower(), "JO@example.com")
        self.assertContains(response, "We have received your report.")
        self.assertNotContains(response, NOT_FOUND)

    def test_the_status_follows_the_triage_decision(self):
        referral = self.report.referral
        referral_services.referral_decline(
            actor=self.coordinator, referral=referral, version=referral.version, reason="Internal reason."
        )
        response = self.check(self.report.reference, "jo@example.com")
        self.assertContains(response, "not taking further action")
        self.assertNotContains(response, "Internal reason.")

    def test_a_wrong_email_gets_the_same_answer_as_a_wrong_reference(self):
        wrong_email = self.check(self.report.reference, "someone@example.com")
        wrong_reference = self.check("ASB-22222222", "jo@example.com")
        self.assertContains(wrong_email, NOT_FOUND)
        self.assertContains(wrong_reference, NOT_FOUND)
        assert wrong_email.status_code == wrong_reference.status_code == 200
        self.assertNotContains(wrong_email, "We have received your report.")

    def test_progress_checks_are_rate_limited(self):
        with self.settings(PUBLIC_PROGRESS_CHECKS_PER_HOUR=3):
            for _ in range(3):
                self.check("ASB-22222222", "jo@example.com")
            response = self.check(self.report.reference, "jo@example.com")
        assert response.status_code == 429
