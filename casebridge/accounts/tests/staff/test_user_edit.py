from typing import Any

from django.urls import reverse

from casebridge.accounts.models import User
from casebridge.audit.models import Action, AuditEvent
from casebridge.organisations.models import Team
from casebridge.organisations.tests.base import UserAdminTestCase


class UserEditTests(UserAdminTestCase):
    def edit(self, user: User, **data: Any) -> Any:
        url = reverse("organisations:user_edit", args=[user.public_id])
        return self.client.post(url, {"first_name": "Alex", "last_name": "Morgan", "job_title": "", **data})

    def test_changes_are_saved_and_audited_field_by_field(self):
        youth = Team.objects.create(organisation=self.council, name="Youth Engagement")
        self.sign_in(self.council_manager)
        response = self.edit(self.asb_officer, last_name="Morgan-Reid", job_title="Senior ASB officer", team=youth.pk)
        self.assertRedirects(response, reverse("organisations:user_detail", args=[self.asb_officer.public_id]))
        event = AuditEvent.objects.get(action=Action.USER_CHANGED)
        assert event.partnership_id == self.surrey_heath.pk
        assert event.data["changes"] == {
            "last_name": {"from": "Morgan", "to": "Morgan-Reid"},
            "job_title": {"from": "", "to": "Senior ASB officer"},
            "team": {"from": "Community Safety", "to": "Youth Engagement"},
        }

    def test_saving_without_changes_writes_no_event(self):
        self.sign_in(self.administrator)
        self.edit(self.asb_officer, team=self.community_safety.pk)
        assert not AuditEvent.objects.filter(action=Action.USER_CHANGED).exists()

    def test_team_of_another_organisation_is_not_offered(self):
        police_team = Team.objects.create(organisation=self.police, name="Neighbourhood")
        self.sign_in(self.administrator)
        response = self.edit(self.asb_officer, team=police_team.pk)
        assert "team" in response.context["form"].errors

    def test_manager_of_another_organisation_gets_404(self):
        self.sign_in(self.police_manager)
        self.work_in(self.surrey_heath)
        assert self.edit(self.asb_officer, last_name="X").status_code == 404
