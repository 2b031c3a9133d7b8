from django.urls import reverse

from casebridge.audit.models import Action, AuditEvent
from tests.personas import PASSWORD, PersonasTestCase


class SignInTests(PersonasTestCase):
    def test_correct_password_signs_in_and_is_audited(self):
        response = self.client.post(
            reverse("accounts:sign_in"), {"username": "ALEX.morgan@council.example", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert AuditEvent.objects.filter(actor=self.asb_officer, action=Action.SIGN_IN).count() == 1

    def test_wrong_password_is_refused_with_a_clear_error_and_audited(self):
        response = self.client.post(
            reverse("accounts:sign_in"), {"username": self.asb_officer.email, "password": "wrong"}
        )
        assert response.status_code == 200
        self.assertContains(response, "Enter a correct email address and password")
        event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
        assert event.actor == self.asb_officer

    def test_pages_send_no_store_and_security_headers(self):
        response = self.client.get(reverse("accounts:sign_in"))
        assert response["Cache-Control"] == "no-store"
        assert response["X-Frame-Options"] == "DENY"
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert response["Referrer-Policy"] == "same-origin"
