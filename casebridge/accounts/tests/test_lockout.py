from django.urls import reverse

from casebridge.audit.models import Action, AuditEvent
from tests.personas import PASSWORD, PersonasTestCase

SIGN_IN = reverse("accounts:sign_in")


class LockoutTests(PersonasTestCase):
    def attempt(self, password: str, email: str | None = None):
        return self.client.post(SIGN_IN, {"username": email or self.asb_officer.email, "password": password})

    def test_four_failures_still_allow_a_correct_password(self):
        for _ in range(4):
            assert self.attempt("wrong password").status_code == 200
        assert self.attempt(PASSWORD).status_code == 302

    def test_the_fifth_failure_locks_the_account_with_a_clear_message_and_audit_event(self):
        for _ in range(4):
            self.attempt("wrong password")
        response = self.attempt("wrong password")
        assert response.status_code == 429
        self.assertTemplateUsed(response, "accounts/locked_out.html")
        self.assertContains(response, "you cannot sign in for 15 minutes", status_code=429)
        event = AuditEvent.objects.get(action=Action.LOCKED_OUT)
        assert event.actor == self.asb_officer

    def test_a_locked_account_refuses_even_the_correct_password(self):
        for _ in range(5):
            self.attempt("wrong password")
        response = self.attempt(PASSWORD)
        assert response.status_code == 429
        assert "_auth_user_id" not in self.client.session

    def test_changing_the_case_of_the_email_does_not_get_more_attempts(self):
        variants = ["alex.morgan@council.example", "Alex.Morgan@council.example", "ALEX.MORGAN@COUNCIL.EXAMPLE"]
        for i in range(5):
            self.attempt("wrong password", email=variants[i % 3])
        assert self.attempt(PASSWORD, email="alex.MORGAN@council.example").status_code == 429

    def test_lockout_is_per_account_so_colleagues_in_the_same_building_can_sign_in(self):
        for _ in range(5):
            self.attempt("wrong password")
        response = self.client.post(SIGN_IN, {"username": self.colleague.email, "password": PASSWORD})
        assert response.status_code == 302
