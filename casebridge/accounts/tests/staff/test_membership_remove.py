from django.urls import reverse

from casebridge.accounts.models import User
from casebridge.audit.models import Action, AuditEvent
from casebridge.organisations.models import Partnership
from casebridge.organisations.tests.base import UserAdminTestCase


class MembershipRemoveTests(UserAdminTestCase):
    def url(self, user: User, partnership: Partnership) -> str:
        return reverse("organisations:membership_remove", args=[user.public_id, partnership.public_id])

    def test_confirmation_page_then_removal_is_audited(self):
        self.sign_in(self.administrator)
        self.assertContains(self.client.get(self.url(self.asb_officer, self.surrey_heath)), "Remove role")
        response = self.client.post(self.url(self.asb_officer, self.surrey_heath))
        self.assertRedirects(response, reverse("organisations:user_list"))
        assert not self.asb_officer.memberships.exists()
        event = AuditEvent.objects.get(action=Action.MEMBERSHIP_REMOVED)
        assert event.data == {"partnership": "SH", "role": "practitioner"}
        assert event.chain == self.surrey_heath.pk

    def test_user_no_longer_in_the_partnership_is_then_out_of_reach(self):
        self.sign_in(self.council_manager)
        self.client.post(self.url(self.asb_officer, self.surrey_heath))
        detail = reverse("organisations:user_detail", args=[self.asb_officer.public_id])
        assert self.client.get(detail).status_code == 404

    def test_partnership_the_actor_does_not_manage_answers_404(self):
        self.sign_in(self.administrator)
        assert self.client.post(self.url(self.police_manager, self.runnymede)).status_code == 404
        assert self.police_manager.memberships.filter(partnership=self.runnymede).exists()

    def test_nobody_removes_their_own_membership(self):
        self.sign_in(self.administrator)
        response = self.client.post(self.url(self.administrator, self.surrey_heath))
        self.assertContains(response, "You cannot remove your own membership.")
        assert self.administrator.memberships.exists()

    def test_remove_is_offered_only_for_partnerships_the_actor_manages(self):
        self.sign_in(self.council_manager)
        response = self.client.get(reverse("organisations:user_detail", args=[self.asb_officer.public_id]))
        self.assertContains(response, self.url(self.asb_officer, self.surrey_heath))
        self.client.logout()
        self.sign_in(self.administrator)
        response = self.client.get(reverse("organisations:user_detail", args=[self.police_manager.public_id]))
        self.assertContains(response, self.url(self.police_manager, self.surrey_heath))
        self.assertNotContains(response, self.url(self.police_manager, self.runnymede))
