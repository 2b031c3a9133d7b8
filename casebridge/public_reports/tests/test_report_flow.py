from django.core import mail
from django.urls import reverse

from casebridge.public_reports.models import PublicReport
from casebridge.public_reports.tests.base import PublicReportTestCase
from casebridge.referrals.models import Referral, Source
from casebridge.web.public_reports.views import ANSWERS


class ReportFlowTests(PublicReportTestCase):
    def test_a_resident_reports_with_contact_details_and_gets_a_reference_by_email(self):
        self.answer_all()
        response = self.client.get(reverse("public_reports:check"))
        self.assertContains(response, "Loud music every night")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("public_reports:check"))
        self.assertRedirects(response, reverse("public_reports:confirmation"))
        report = PublicReport.objects.get()
        assert report.partnership == self.surrey_heath
        assert report.referral.source == Source.PUBLIC
        assert report.referral.category is not None
        assert report.referral.category.name == "Noise"
        assert report.referral.risk_level == "medium"
        confirmation = self.client.get(reverse("public_reports:confirmation"))
        self.assertContains(confirmation, report.reference)
        assert len(mail.outbox) == 1
        assert report.reference in mail.outbox[0].body
        assert "Loud music" not in mail.outbox[0].body
        assert "Jo Bloggs" not in mail.outbox[0].body

    def test_an_anonymous_report_keeps_no_contact_details_and_sends_no_email(self):
        self.answer_all(contact={"wants_contact": "no", "contact_name": "Jo", "email": "jo@example.com"})
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("public_reports:check"))
        report = PublicReport.objects.get()
        assert report.is_anonymous
        assert (report.contact_name, report.email) == ("", "")
        assert mail.outbox == []

    def test_a_runnymede_postcode_goes_to_runnymede_and_not_surrey_heath(self):
        self.answer_all(where={"postcode": "KT16 9AA"})
        self.client.post(reverse("public_reports:check"))
        assert Referral.objects.get().partnership == self.runnymede
        self.sign_in(self.coordinator)
        response = self.client.get(reverse("referrals:queue"))
        assert list(response.context["page"].object_list) == []

    def test_the_report_lands_in_the_partnerships_triage_queue(self):
        self.answer_all()
        self.client.post(reverse("public_reports:check"))
        self.client.logout()
        self.sign_in(self.coordinator)
        response = self.client.get(reverse("referrals:queue"))
        assert [r.source for r in response.context["page"].object_list] == [Source.PUBLIC]

    def test_a_described_place_with_a_chosen_area_is_routed_to_that_area(self):
        self.answer_all(where={"postcode": "", "place": "The bus station", "area": str(self.runnymede.public_id)})
        self.client.post(reverse("public_reports:check"))
        assert Referral.objects.get().partnership == self.runnymede

    def test_skipping_ahead_sends_the_resident_to_the_first_unanswered_question(self):
        self.answer("what")
        response = self.client.get(reverse("public_reports:impact"))
        self.assertRedirects(response, reverse("public_reports:where"))
        self.assertRedirects(self.client.get(reverse("public_reports:check")), reverse("public_reports:where"))

    def test_changing_an_answer_returns_to_check_your_answers(self):
        self.answer_all()
        response = self.client.post(reverse("public_reports:how-often") + "?change=1", {"frequency": "weekly"})
        self.assertRedirects(response, reverse("public_reports:check"))
        assert self.client.session[ANSWERS]["how-often"] == {"frequency": "weekly"}

    def test_every_page_has_no_inline_script_or_style(self):
        self.answer_all()
        pages = [
            "start",
            "what",
            "where",
            "when",
            "how-often",
            "who",
            "impact",
            "contact",
            "privacy",
            "check",
            "progress",
        ]
        for name in pages:
            with self.subTest(page=name):
                html = self.client.get(reverse(f"public_reports:{name}")).content.decode()
                assert "<script>" not in html
                assert " style=" not in html
                assert " onclick=" not in html


class RepeatReportTests(PublicReportTestCase):
    def test_reports_about_the_same_postcode_are_linked_in_the_queue(self):
        for _ in range(3):
            self.answer_all()
            self.client.post(reverse("public_reports:check"))
        self.answer_all(where={"postcode": "GU16 7HF"})
        self.client.post(reverse("public_reports:check"))
        self.sign_in(self.coordinator)
        response = self.client.get(reverse("referrals:queue"))
        counts = sorted(r.same_place_count for r in response.context["page"].object_list)
        assert counts == [0, 2, 2, 2]
        self.assertContains(response, "2 other reports here in 3 months", count=3)
