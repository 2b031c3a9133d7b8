import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge.accounts.selectors import user_has_mfa
from casebridge.accounts.services import mfa_reset
from casebridge.accounts.sessions import MFA_VERIFIED
from casebridge.accounts.tests.mfa_helpers import code_for, give_mfa
from casebridge.audit.models import Action, AuditEvent
from tests.personas import PASSWORD, PersonasTestCase, sign_in

URL = reverse("accounts:mfa_reset")


class OwnMfaResetTests(PersonasTestCase):
    def setUp(self):
        self.device, self.recovery_codes = give_mfa(self.asb_officer)
        self.sign_in(self.asb_officer)

    def test_resetting_needs_the_password_again(self):
        response = self.client.post(URL, {"password": "not my password", "code": code_for(self.device)})
        self.assertContains(response, "Your password is incorrect")
        assert user_has_mfa(user=self.asb_officer)

    def test_resetting_needs_a_current_code(self):
        response = self.client.post(URL, {"password": PASSWORD, "code": "000000"})
        self.assertContains(response, "The code is not correct")
        assert user_has_mfa(user=self.asb_officer)

    def test_reset_removes_the_app_and_codes_keeps_this_session_and_leads_to_set_up(self):
        other_device = Client()
        sign_in(other_device, self.asb_officer)
        response = self.client.post(URL, {"password": PASSWORD, "code": self.recovery_codes[0]})
        self.assertRedirects(response, reverse("accounts:mfa_set_up"))
        assert not TOTPDevice.objects.filter(user=self.asb_officer, confirmed=True).exists()
        assert not StaticDevice.objects.filter(user=self.asb_officer).exists()
        assert self.client.session[MFA_VERIFIED] is False
        assert AuditEvent.objects.filter(actor=self.asb_officer, action=Action.MFA_RESET).count() == 1
        # This session continues to set-up; the other device is signed out.
        assert self.client.get(reverse("accounts:mfa_set_up")).status_code == 200
        assert other_device.get(reverse("home"))["Location"].startswith(reverse("accounts:sign_in"))


class StaffMfaResetTests(PersonasTestCase):
    def setUp(self):
        give_mfa(self.asb_officer)

    def test_an_organisation_manager_can_reset_their_staff_members_app(self):
        leaver_session = Client()
        sign_in(leaver_session, self.asb_officer)
        mfa_reset(actor=self.council_manager, user=self.asb_officer)
        assert not user_has_mfa(user=self.asb_officer)
        event = AuditEvent.objects.get(action=Action.MFA_RESET)
        assert event.actor == self.council_manager
        assert event.object_id == str(self.asb_officer.public_id)
        assert event.partnership_id == self.surrey_heath.pk
        # Their sessions end, so the next sign-in needs the new set-up.
        assert leaver_session.get(reverse("home")).status_code == 302

    def test_a_partnership_administrator_can_reset_anyone_in_the_partnership(self):
        give_mfa(self.police_officer)
        mfa_reset(actor=self.administrator, user=self.police_officer)
        assert not user_has_mfa(user=self.police_officer)

    def test_colleagues_and_other_organisations_managers_cannot_reset_it(self):
        for actor in [self.colleague, self.police_manager, self.coordinator, self.other_partnership_user]:
            with self.subTest(actor=actor.email), pytest.raises(PermissionDenied):
                mfa_reset(actor=actor, user=self.asb_officer)
        assert user_has_mfa(user=self.asb_officer)
        assert not AuditEvent.objects.filter(action=Action.MFA_RESET).exists()
