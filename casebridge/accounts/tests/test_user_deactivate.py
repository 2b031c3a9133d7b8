import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from casebridge.accounts.services import user_deactivate, user_reactivate
from casebridge.audit.models import Action, AuditEvent
from tests.personas import PASSWORD, PersonasTestCase

HOME = reverse("home")


class UserDeactivateTests(PersonasTestCase):
    def test_a_leavers_active_session_ends_at_their_next_request(self):
        self.sign_in(self.asb_officer)
        assert self.client.get(HOME).status_code == 200
        user_deactivate(actor=self.council_manager, user=self.asb_officer)
        response = self.client.get(HOME)
        assert response["Location"].startswith(reverse("accounts:sign_in"))
        assert self.client.get(reverse("accounts:account")).status_code == 302

    def test_deactivation_is_audited_with_the_changes_and_keeps_the_record(self):
        user_deactivate(actor=self.council_manager, user=self.asb_officer)
        self.asb_officer.refresh_from_db()
        assert not self.asb_officer.is_active
        assert self.asb_officer.deactivated_at is not None
        event = AuditEvent.objects.get(action=Action.USER_DEACTIVATED)
        assert event.actor == self.council_manager
        assert event.object_id == str(self.asb_officer.public_id)
        assert event.data["changes"]["is_active"] == {"from": True, "to": False}
        assert event.data["changes"]["deactivated_at"]["from"] is None

    def test_a_deactivated_person_cannot_sign_in(self):
        user_deactivate(actor=self.administrator, user=self.asb_officer)
        response = self.client.post(
            reverse("accounts:sign_in"), {"username": self.asb_officer.email, "password": PASSWORD}
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in self.client.session

    def test_reactivation_lets_them_sign_in_again_and_is_audited(self):
        user_deactivate(actor=self.council_manager, user=self.asb_officer)
        user_reactivate(actor=self.council_manager, user=self.asb_officer)
        self.asb_officer.refresh_from_db()
        assert self.asb_officer.is_active
        assert self.asb_officer.deactivated_at is None
        event = AuditEvent.objects.get(action=Action.USER_REACTIVATED)
        assert event.data["changes"]["is_active"] == {"from": False, "to": True}
        response = self.client.post(
            reverse("accounts:sign_in"), {"username": self.asb_officer.email, "password": PASSWORD}
        )
        assert response.status_code == 302

    def test_only_their_manager_or_an_administrator_may_deactivate(self):
        for actor in [self.colleague, self.police_manager, self.asb_officer, self.other_partnership_user]:
            with self.subTest(actor=actor.email), pytest.raises(PermissionDenied):
                user_deactivate(actor=actor, user=self.asb_officer)
        self.asb_officer.refresh_from_db()
        assert self.asb_officer.is_active

    def test_deactivating_twice_is_refused_with_a_clear_error(self):
        user_deactivate(actor=self.council_manager, user=self.asb_officer)
        with self.assertRaisesMessage(ValidationError, "already deactivated"):
            user_deactivate(actor=self.council_manager, user=self.asb_officer)
