from django.urls import reverse

from casebridge.public_reports.forms import DESCRIPTION_LIMIT
from casebridge.public_reports.models import PublicReport
from casebridge.public_reports.tests.base import PublicReportTestCase
from casebridge.referrals.models import Referral
from casebridge.web.public_reports.views import ANSWERS


class ValidationTests(PublicReportTestCase):
    def test_an_error_on_one_page_keeps_earlier_answers_and_what_was_typed(self):
        self.answer("what")
        response = self.answer("where", postcode="not a postcode")
        self.assertContains(response, "govuk-error-summary")
        self.assertContains(response, 'href="#id_postcode"')
        self.assertContains(response, "Enter a real UK postcode, like GU15 3HD.")
        self.assertContains(response, "Park Street flats")
        assert self.client.session[ANSWERS]["what"]["description"] == "Loud music every night until 3am."
        response = self.client.get(reverse("public_reports:what"))
        self.assertContains(response, "Loud music every night until 3am.")

    def test_a_postcode_outside_every_partnership_gets_a_clear_answer(self):
        self.answer("what")
        response = self.answer("where", postcode="SW1A 1AA")
        self.assertContains(response, "We cannot take reports for SW1A 1AA online.")
        assert "where" not in self.client.session[ANSWERS]

    def test_a_place_without_a_postcode_needs_an_area(self):
        self.answer("what")
        response = self.answer("where", postcode="")
        self.assertContains(response, "Select which area it is in, or enter a postcode.")
        self.assertContains(response, 'href="#id_area_0"')

    def test_an_oversized_description_is_refused_with_the_limit(self):
        response = self.answer("what", description="x" * (DESCRIPTION_LIMIT + 1))
        self.assertContains(response, f"What happened must be {DESCRIPTION_LIMIT} characters or fewer.")

    def test_a_date_in_the_future_or_impossible_is_refused(self):
        self.answer("what")
        self.answer("where")
        self.assertContains(self.answer("when", day="31", month="2", year="2026"), "must be a real date")
        self.assertContains(self.answer("when", year="2999"), "today or in the past")
        self.assertContains(self.answer("when", day="x"), "must be a real date")

    def test_contact_without_email_or_phone_is_explained(self):
        self.answer_all(contact={"wants_contact": "no"})
        response = self.answer("contact", email="", phone="")
        self.assertContains(response, "Enter an email address or a phone number, or choose to stay anonymous.")

    def test_script_in_a_text_field_is_stored_as_text_and_shown_escaped(self):
        script = "<script>alert('x')</script>"
        self.answer_all(what={"description": script}, who={"people_involved": script})
        response = self.client.get(reverse("public_reports:check"))
        self.assertNotContains(response, script)
        self.assertContains(response, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
        self.client.post(reverse("public_reports:check"))
        referral = Referral.objects.get()
        assert referral.reason.startswith(script)
        self.sign_in(self.coordinator)
        page = self.client.get(reverse("referrals:detail", args=[referral.public_id]))
        self.assertNotContains(page, script)


class ProtectionTests(PublicReportTestCase):
    def test_a_filled_honeypot_is_refused_and_nothing_is_saved(self):
        self.answer_all()
        response = self.client.post(reverse("public_reports:check"), {"website": "http://spam.example"})
        assert response.status_code == 400
        assert not PublicReport.objects.exists()

    def test_a_filled_honeypot_on_a_question_page_is_refused(self):
        response = self.answer("what", website="spam")
        assert response.status_code == 400
        assert ANSWERS not in self.client.session

    def test_a_flood_of_reports_from_one_address_is_stopped_with_a_clear_message(self):
        with self.settings(PUBLIC_REPORTS_PER_HOUR=2):
            for _ in range(2):
                self.answer_all()
                self.assertRedirects(
                    self.client.post(reverse("public_reports:check")), reverse("public_reports:confirmation")
                )
            self.answer_all()
            response = self.client.post(reverse("public_reports:check"))
        self.assertContains(response, "Too many attempts", status_code=429)
        assert PublicReport.objects.count() == 2
        assert "what" in self.client.session[ANSWERS]

    def test_another_address_is_not_limited_by_the_first(self):
        with self.settings(PUBLIC_REPORTS_PER_HOUR=1):
            self.answer_all()
            self.client.post(reverse("public_reports:check"), REMOTE_ADDR="192.0.2.1")
            self.answer_all()
            response = self.client.post(reverse("public_reports:check"), REMOTE_ADDR="192.0.2.2")
        self.assertRedirects(response, reverse("public_reports:confirmation"))
