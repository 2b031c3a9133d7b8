from django.test import Client
from django.urls import reverse

from casebridge.accounts.models import User
from casebridge.audit.models import Action, AuditEvent
from casebridge.organisations.tests.base import UserAdminTestCase
from tests.personas import PASSWORD, sign_in


class UserAccountActionTests(UserAdminTestCase):
    def act(self, user: User, action: str):
        return self.client.post(reverse("organisations:user_account_action", args=[user.public_id, action]))

    def test_manager_deactivates_a_leaver_whose_session_ends_at_once(self):
        leaver_client = Client()
        sign_in(leaver_client, self.asb_officer)
        assert leaver_client.get(reverse("home")).status_code == 200
        self.sign_in(self.council_manager)
        response = self.act(self.asb_officer, "deactivate")
        self.assertRedirects(response, reverse("organisations:user_detail", args=[self.asb_officer.public_id]))
        self.asb_officer.refresh_from_db()
        assert not self.asb_officer.is_active
        assert leaver_client.get(reverse("home")).status_code == 302
        assert AuditEvent.objects.filter(action=Action.USER_DEACTIVATED, actor=self.council_manager).count() == 1

    def test_reactivation_lets_the_user_sign_in_again(self):
        self.sign_in(self.administrator)
        self.act(self.asb_officer, "deactivate")
        self.act(self.asb_officer, "reactivate")
        self.asb_officer.refresh_from_db()
        assert self.asb_officer.is_active
        credentials = {"username": self.asb_officer.email, "password": PASSWORD}
        response = Client().post(reverse("accounts:sign_in"), credentials)
        assert response.status_code == 302

    def test_locked_account_shows_as_locked_and_can_be_unlocked(self):
        for _ in range(5):
            self.client.post(reverse("accounts:sign_in"), {"username": self.asb_officer.email, "password": "nope"})
        self.sign_in(self.council_manager)
        detail = self.client.get(reverse("organisations:user_detail", args=[self.asb_officer.public_id]))
        self.assertContains(detail, "Unlock account")
        self.act(self.asb_officer, "unlock")
        detail = self.client.get(reverse("organisations:user_detail", args=[self.asb_officer.public_id]))
        self.assertNotContains(detail, "Unlock account")
        assert AuditEvent.objects.filter(action=Action.USER_UNLOCKED).count() == 1

    def test_manager_of_another_organisation_gets_404(self):
        self.sign_in(self.police_manager)
        assert self.act(self.asb_officer, "deactivate").status_code == 404
        self.asb_officer.refresh_from_db()
        assert self.asb_officer.is_active

    def test_practitioner_gets_404_and_changes_nothing(self):
        self.sign_in(self.colleague)
        assert self.act(self.asb_officer, "deactivate").status_code == 404
        assert not AuditEvent.objects.filter(action=Action.USER_DEACTIVATED).exists()

    def test_unknown_action_gets_404(self):
        self.sign_in(self.administrator)
        assert self.act(self.asb_officer, "delete").status_code == 404

    def test_get_is_not_allowed(self):
        self.sign_in(self.administrator)
        url = reverse("organisations:user_account_action", args=[self.asb_officer.public_id, "deactivate"])
        assert self.client.get(url).status_code == 405
