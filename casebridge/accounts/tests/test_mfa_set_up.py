from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge.accounts.sessions import MFA_VERIFIED
from casebridge.accounts.tests.mfa_helpers import code_for, give_mfa
from casebridge.audit.models import Action, AuditEvent
from tests.personas import PersonasTestCase

URL = reverse("accounts:mfa_set_up")


class MfaSetUpTests(PersonasTestCase):
    def setUp(self):
        self.client.force_login(self.asb_officer)

    def pending_device(self) -> TOTPDevice:
        return TOTPDevice.objects.get(user=self.asb_officer, confirmed=False)

    def test_page_shows_a_server_made_svg_qr_code_and_the_secret_for_manual_entry(self):
        response = self.client.get(URL)
        assert response.status_code == 200
        content = response.content.decode()
        assert "<svg" in content
        assert "<script" not in content.split("<svg", 1)[1].split("</svg>", 1)[0]
        secret = response.context["secret"].replace(" ", "")
        assert len(secret) == 32
        self.assertContains(response, response.context["secret"])
        self.assertContains(response, 'autocomplete="one-time-code"')
        self.assertContains(response, 'inputmode="numeric"')

    def test_reloading_the_page_keeps_the_secret_already_scanned(self):
        first = self.client.get(URL).context["secret"]
        second = self.client.get(URL).context["secret"]
        assert first == second
        assert TOTPDevice.objects.filter(user=self.asb_officer).count() == 1

    def test_a_real_code_confirms_the_app_and_shows_ten_recovery_codes_once(self):
        self.client.get(URL)
        device = self.pending_device()
        response = self.client.post(URL, {"code": code_for(device), "next": "/"})
        assert response.status_code == 200
        self.assertTemplateUsed(response, "accounts/mfa_recovery_codes.html")
        codes = response.context["codes"]
        assert len(codes) == 10
        assert len(set(codes)) == 10
        for code in codes:
            self.assertContains(response, code)
        self.assertContains(response, "You will not be shown these codes again")
        device.refresh_from_db()
        assert device.confirmed
        assert StaticToken.objects.filter(device__user=self.asb_officer).count() == 10
        assert self.client.session[MFA_VERIFIED] is True
        assert AuditEvent.objects.filter(actor=self.asb_officer, action=Action.MFA_SET_UP).count() == 1
        # Once set up, the page no longer offers a new secret or codes.
        again = self.client.get(URL)
        self.assertRedirects(again, reverse("accounts:account"))

    def test_a_wrong_code_is_refused_with_a_clear_error_and_audited(self):
        self.client.get(URL)
        device = self.pending_device()
        wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
        response = self.client.post(URL, {"code": wrong})
        assert response.status_code == 200
        self.assertContains(response, "The code is not correct")
        self.assertContains(response, "govuk-error-summary")
        device.refresh_from_db()
        assert not device.confirmed
        assert AuditEvent.objects.filter(actor=self.asb_officer, action=Action.MFA_FAILED).count() == 1

    def test_an_empty_or_malformed_code_gets_a_specific_error(self):
        self.client.get(URL)
        self.assertContains(self.client.post(URL, {"code": ""}), "Enter the code from your authenticator app")
        self.assertContains(self.client.post(URL, {"code": "12ab"}), "Enter the 6-digit code")

    def test_attempts_straight_after_a_wrong_code_are_throttled(self):
        self.client.get(URL)
        device = self.pending_device()
        wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
        self.client.post(URL, {"code": wrong})
        response = self.client.post(URL, {"code": code_for(device)})
        self.assertContains(response, "You have entered too many wrong codes. Wait")
        device.refresh_from_db()
        assert not device.confirmed

    def test_someone_with_an_app_who_has_not_verified_is_sent_to_verify(self):
        give_mfa(self.asb_officer)
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:mfa_verify"))

    def test_signed_out_visitors_are_sent_to_sign_in(self):
        self.client.logout()
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))
