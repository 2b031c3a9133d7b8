import re
from typing import Any

from django.core import mail
from django.urls import reverse

from casebridge.accounts.models import User
from casebridge.audit.models import Action, AuditEvent
from casebridge.organisations.models import Role
from casebridge.organisations.tests.base import UserAdminTestCase
from tests.personas import PASSWORD

NEW_PASSWORD = "purple lantern orchard sings"


class UserCreateTests(UserAdminTestCase):
    def invite(self, **overrides: Any) -> Any:
        data = {
            "first_name": "Nia",
            "last_name": "Grant",
            "email": "Nia.Grant@Council.example",
            "job_title": "ASB officer",
            "organisation": self.council.pk,
            "team": self.community_safety.pk,
            "role": Role.PRACTITIONER,
            **overrides,
        }
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("organisations:user_create"), data)

    def test_administrator_creates_a_user_without_a_password_and_audits_it(self):
        self.sign_in(self.administrator)
        response = self.invite()
        user = User.objects.get(email="nia.grant@council.example")
        self.assertRedirects(response, reverse("organisations:user_detail", args=[user.public_id]))
        assert not user.has_usable_password()
        assert user.role_in(self.surrey_heath) == Role.PRACTITIONER
        assert user.team == self.community_safety
        created = AuditEvent.objects.get(action=Action.USER_CREATED, object_id=str(user.public_id))
        assert created.partnership_id == self.surrey_heath.pk
        assert created.actor == self.administrator
        assert created.data["role"] == "practitioner"
        assert AuditEvent.objects.filter(action=Action.USER_INVITED, object_id=str(user.public_id)).count() == 1

    def test_invitation_email_holds_only_the_name_and_a_single_use_link(self):
        self.sign_in(self.administrator)
        self.invite()
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["nia.grant@council.example"]
        assert "Nia" in message.body
        for personal in ["Grant", "ASB officer", "Surrey Heath Council", "Community Safety", "Practitioner"]:
            assert personal not in message.body
        found = re.search(r"https?://\S+", str(message.body))
        assert found is not None
        link = found.group(0)
        path = link.split("127.0.0.1:8000", 1)[1]

        self.client.logout()
        form_page = self.client.get(path, follow=True)
        assert form_page.context["validlink"]
        set_url = form_page.redirect_chain[-1][0]
        response = self.client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        self.assertRedirects(response, reverse("accounts:sign_in"), fetch_redirect_response=False)
        user = User.objects.get(email="nia.grant@council.example")
        assert user.check_password(NEW_PASSWORD)

        second = self.client.get(path, follow=True)
        assert not second.context["validlink"]
        self.assertContains(second, "already been used")

    def test_manager_can_only_create_users_in_their_own_organisation(self):
        self.sign_in(self.council_manager)
        response = self.invite(organisation=self.police.pk, team="")
        assert response.status_code == 200
        assert "organisation" in response.context["form"].errors
        assert not User.objects.filter(email="nia.grant@council.example").exists()

    def test_manager_cannot_grant_the_administrator_role(self):
        self.sign_in(self.council_manager)
        response = self.invite(role=Role.ADMINISTRATOR)
        assert "role" in response.context["form"].errors
        assert not User.objects.filter(email="nia.grant@council.example").exists()

    def test_existing_email_address_is_refused_with_a_clear_error(self):
        self.sign_in(self.administrator)
        response = self.invite(email="ALEX.MORGAN@council.example")
        self.assertContains(response, "A user with this email address already exists.")
        assert len(mail.outbox) == 0

    def test_team_from_another_organisation_is_refused(self):
        self.sign_in(self.administrator)
        response = self.invite(organisation=self.police.pk)
        self.assertContains(response, "Choose a team in Surrey Police.")

    def test_administrator_of_another_partnership_cannot_choose_its_organisations(self):
        self.sign_in(self.other_administrator)
        response = self.invite()
        assert "organisation" in response.context["form"].errors

    def test_existing_password_is_not_touched_by_the_flow(self):
        assert self.asb_officer.check_password(PASSWORD)
