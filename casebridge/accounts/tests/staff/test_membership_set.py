from typing import Any

from django.urls import reverse

from casebridge.accounts.models import User
from casebridge.audit.models import Action, AuditEvent
from casebridge.organisations.models import Membership, Partnership, Role
from casebridge.organisations.tests.base import UserAdminTestCase
from tests.personas import make_user


class MembershipSetTests(UserAdminTestCase):
    def set_role(self, user: User, partnership: Partnership, role: str) -> Any:
        url = reverse("organisations:membership_set", args=[user.public_id])
        return self.client.post(url, {"partnership": partnership.pk, "role": role})

    def sign_in_as_administrator_of_both_partnerships(self) -> None:
        both = make_user(
            "bo.admin@police.example",
            self.police,
            roles={self.surrey_heath: Role.ADMINISTRATOR, self.runnymede: Role.ADMINISTRATOR},
        )
        self.sign_in(both)
        self.work_in(self.surrey_heath)

    def test_administrator_changes_a_role_and_it_is_audited_in_the_partnership_chain(self):
        self.sign_in(self.administrator)
        self.set_role(self.asb_officer, self.surrey_heath, Role.COORDINATOR)
        assert Membership.objects.get(user=self.asb_officer).role == Role.COORDINATOR
        event = AuditEvent.objects.get(action=Action.MEMBERSHIP_CHANGED)
        assert event.chain == self.surrey_heath.pk
        assert event.data["changes"] == {"role": {"from": "practitioner", "to": "coordinator"}}

    def test_membership_is_added_in_another_partnership_the_actor_administers(self):
        self.sign_in_as_administrator_of_both_partnerships()
        self.set_role(self.police_officer, self.runnymede, Role.PRACTITIONER)
        assert self.police_officer.memberships.filter(partnership=self.runnymede).exists()
        events = AuditEvent.objects.filter(action=Action.MEMBERSHIP_CREATED)
        # The officer now works in both partnerships: each one's chain records it.
        assert sorted(e.chain for e in events) == sorted([self.surrey_heath.pk, self.runnymede.pk])

    def test_organisation_outside_the_partnership_is_refused_with_a_clear_error(self):
        self.sign_in_as_administrator_of_both_partnerships()
        response = self.set_role(self.support_worker, self.runnymede, Role.PRACTITIONER)
        self.assertContains(response, "Safer Lives does not take part in Runnymede.")
        assert not self.support_worker.memberships.filter(partnership=self.runnymede).exists()

    def test_manager_cannot_hand_out_the_administrator_role(self):
        self.sign_in(self.council_manager)
        response = self.set_role(self.asb_officer, self.surrey_heath, Role.ADMINISTRATOR)
        assert response.status_code == 200
        assert Membership.objects.get(user=self.asb_officer).role == Role.PRACTITIONER

    def test_manager_cannot_change_an_administrators_role(self):
        self.sign_in(self.council_manager)
        response = self.client.get(reverse("organisations:membership_set", args=[self.administrator.public_id]))
        assert response.status_code == 404

    def test_nobody_changes_their_own_role(self):
        self.sign_in(self.administrator)
        response = self.set_role(self.administrator, self.surrey_heath, Role.PRACTITIONER)
        self.assertContains(response, "You cannot change your own role.")
        assert Membership.objects.get(user=self.administrator).role == Role.ADMINISTRATOR
