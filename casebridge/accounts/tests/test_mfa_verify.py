from typing import Any

from django.urls import reverse

from casebridge.accounts.sessions import MFA_VERIFIED
from casebridge.accounts.tests.mfa_helpers import code_for, give_mfa
from casebridge.audit.models import Action, AuditEvent
from tests.personas import PASSWORD, PersonasTestCase

URL = reverse("accounts:mfa_verify")


class MfaVerifyTests(PersonasTestCase):
    def setUp(self):
        self.device, self.recovery_codes = give_mfa(self.asb_officer)

    def sign_in_with_password(self) -> Any:
        response = self.client.post(
            reverse("accounts:sign_in"), {"username": self.asb_officer.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        return self.client.get(response["Location"])

    def wrong_code(self) -> str:
        return f"{(int(code_for(self.device, steps_ahead=1)) + 1) % 1_000_000:06d}"

    def test_after_the_password_a_person_with_an_app_must_enter_a_code(self):
        response = self.sign_in_with_password()
        assert response.status_code == 302
        assert response["Location"].startswith(URL)
        assert self.client.session[MFA_VERIFIED] is False

    def test_a_real_code_verifies_the_session_and_is_audited(self):
        self.sign_in_with_password()
        response = self.client.post(URL, {"code": code_for(self.device, steps_ahead=1), "next": "/account/"})
        self.assertRedirects(response, reverse("accounts:account"))
        assert self.client.session[MFA_VERIFIED] is True
        assert AuditEvent.objects.filter(actor=self.asb_officer, action=Action.MFA_VERIFIED).count() == 1
        assert self.client.get(reverse("home")).status_code == 200

    def test_a_wrong_code_is_refused_and_audited(self):
        self.sign_in_with_password()
        response = self.client.post(URL, {"code": self.wrong_code()})
        assert response.status_code == 200
        self.assertContains(response, "The code is not correct")
        self.assertContains(response, 'autocomplete="one-time-code"')
        assert self.client.session[MFA_VERIFIED] is False
        assert AuditEvent.objects.filter(actor=self.asb_officer, action=Action.MFA_FAILED).count() == 1
        assert self.client.get(reverse("home")).status_code == 302

    def test_a_code_already_used_cannot_be_used_again(self):
        self.sign_in_with_password()
        code = code_for(self.device, steps_ahead=1)
        self.client.post(URL, {"code": code})
        self.client.logout()
        self.sign_in_with_password()
        response = self.client.post(URL, {"code": code})
        self.assertContains(response, "The code is not correct")

    def test_attempts_straight_after_a_wrong_code_are_throttled_with_a_clear_message(self):
        self.sign_in_with_password()
        self.client.post(URL, {"code": self.wrong_code()})
        response = self.client.post(URL, {"code": code_for(self.device, steps_ahead=1)})
        self.assertContains(response, "You have entered too many wrong codes. Wait")
        assert self.client.session[MFA_VERIFIED] is False

    def test_a_recovery_code_works_once(self):
        self.sign_in_with_password()
        code = self.recovery_codes[0]
        response = self.client.post(URL, {"code": code.upper()[:4] + "-" + code.upper()[4:]}, follow=True)
        self.assertContains(response, "You used a recovery code. You have 9 left")
        assert AuditEvent.objects.filter(actor=self.asb_officer, action=Action.MFA_RECOVERY_USED).count() == 1
        self.client.logout()
        self.sign_in_with_password()
        response = self.client.post(URL, {"code": code})
        self.assertContains(response, "The code is not correct")
        assert self.client.session[MFA_VERIFIED] is False

    def test_text_that_is_not_a_code_gets_a_specific_error(self):
        self.sign_in_with_password()
        response = self.client.post(URL, {"code": "hello"})
        self.assertContains(response, "Enter the 6-digit code from your authenticator app, or an 8-character")

    def test_a_new_sign_in_must_verify_again(self):
        self.sign_in_with_password()
        self.client.post(URL, {"code": code_for(self.device, steps_ahead=1)})
        self.client.post(reverse("accounts:sign_out"))
        response = self.sign_in_with_password()
        assert response["Location"].startswith(URL)

    def test_an_unsafe_next_address_is_ignored(self):
        self.sign_in_with_password()
        response = self.client.post(
            URL, {"code": code_for(self.device, steps_ahead=1), "next": "https://evil.example/"}
        )
        self.assertRedirects(response, reverse("home"))
