from django.urls import reverse

from casebridge.audit.models import Action, AuditEvent
from casebridge.cases.models import BreakGlass
from casebridge.cases.tests.base import CasesTestCase
from casebridge.sharing import services


class BreakGlassReviewTests(CasesTestCase):
    glass: BreakGlass

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.glass = services.break_glass(actor=cls.police_officer, case=cls.private_case, reason="Missing child.")

    def test_lead_organisation_sees_the_flagged_event_waiting(self):
        self.sign_in(self.colleague)
        response = self.client.get(reverse("sharing:break_glass_list"))
        self.assertContains(response, self.private_case.reference)
        self.assertContains(response, "Missing child.")

    def test_other_casework_organisations_see_nothing_to_review(self):
        self.sign_in(self.support_worker)
        response = self.client.get(reverse("sharing:break_glass_list"))
        self.assertNotContains(response, "Missing child.")
        url = reverse("sharing:break_glass_review", args=[self.glass.public_id])
        assert self.client.get(url).status_code == 404

    def test_analyst_is_refused(self):
        self.sign_in(self.analyst)
        assert self.client.get(reverse("sharing:break_glass_list")).status_code == 403

    def test_auditor_marks_it_reviewed_with_a_note_and_it_is_audited(self):
        self.sign_in(self.auditor)
        url = reverse("sharing:break_glass_review", args=[self.glass.public_id])
        response = self.client.post(url, {"note": "Confirmed with the duty inspector."})
        self.assertRedirects(response, reverse("sharing:break_glass_list"))
        self.glass.refresh_from_db()
        assert self.glass.reviewed_by == self.auditor
        assert self.glass.review_note == "Confirmed with the duty inspector."
        event = AuditEvent.objects.filter(action=Action.CHANGED).latest("seq")
        assert event.data["break_glass"] == str(self.glass.public_id)
        assert self.client.get(url).status_code == 404  # reviewed once only

    def test_a_review_needs_a_note(self):
        self.sign_in(self.asb_officer)
        url = reverse("sharing:break_glass_review", args=[self.glass.public_id])
        response = self.client.post(url, {"note": " "})
        self.assertContains(response, "Enter what you found when you reviewed the emergency access.")
        self.glass.refresh_from_db()
        assert self.glass.reviewed_at is None

    def test_break_glass_page_shows_until_when_access_lasts(self):
        self.sign_in(self.police_officer)
        url = reverse("sharing:break_glass", args=[self.case.reference])
        response = self.client.post(url, {"reason": "Threat to life.", "confirm": "on"}, follow=True)
        self.assertContains(response, "Emergency access granted until")
        self.assertContains(response, "(3 hours)")
