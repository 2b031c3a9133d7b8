import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from casebridge.accounts.services import user_unlock
from casebridge.audit.models import Action, AuditEvent
from tests.personas import PASSWORD, PersonasTestCase

SIGN_IN = reverse("accounts:sign_in")


class UserUnlockTests(PersonasTestCase):
    def setUp(self):
        for _ in range(5):
            self.client.post(SIGN_IN, {"username": self.asb_officer.email, "password": "wrong password"})
        assert self.client.post(SIGN_IN, {"username": self.asb_officer.email, "password": PASSWORD}).status_code == 429

    def test_a_manager_can_unlock_and_the_person_can_then_sign_in(self):
        cleared = user_unlock(actor=self.council_manager, user=self.asb_officer)
        assert cleared == 1
        event = AuditEvent.objects.get(action=Action.USER_UNLOCKED)
        assert event.actor == self.council_manager
        assert event.object_id == str(self.asb_officer.public_id)
        response = self.client.post(SIGN_IN, {"username": self.asb_officer.email, "password": PASSWORD})
        assert response.status_code == 302

    def test_a_partnership_administrator_can_unlock(self):
        user_unlock(actor=self.administrator, user=self.asb_officer)
        response = self.client.post(SIGN_IN, {"username": self.asb_officer.email, "password": PASSWORD})
        assert response.status_code == 302

    def test_a_colleague_cannot_unlock(self):
        with pytest.raises(PermissionDenied):
            user_unlock(actor=self.colleague, user=self.asb_officer)
        assert not AuditEvent.objects.filter(action=Action.USER_UNLOCKED).exists()
        response = self.client.post(SIGN_IN, {"username": self.asb_officer.email, "password": PASSWORD})
        assert response.status_code == 429
