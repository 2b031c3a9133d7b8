"""Issue 14, door 2 and door 3: administration stops at the partnership.

Through the pages, with Surrey Heath's administrator (Ada), Runnymede's (Rhys) and Max, the police
manager who works in both partnerships.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casebridge.accounts.models import User
from casebridge.audit.models import Action, AuditEvent
from casebridge.organisations.models import (
    JoinRequestStatus,
    Membership,
    OrganisationType,
    PartnershipJoinRequest,
    Role,
)
from casebridge.organisations.tests.base import UserAdminTestCase
from tests.personas import make_user

HEADER = "email,first_name,last_name,organisation,team,partnership,role\n"
ACCOUNT_ACTIONS = ("deactivate", "reactivate", "unlock", "reset-two-factor")


class AdministrationStopsAtThePartnershipTests(UserAdminTestCase):
    def as_administrator_of(self, administrator: User) -> None:
        self.client.logout()
        self.sign_in(administrator)
        self.work_in(self.surrey_heath if administrator == self.administrator else self.runnymede)

    def roles_of(self, user: User) -> dict[str, str]:
        return dict(Membership.objects.filter(user=user).values_list("partnership__code", "role"))

    def test_administrator_cannot_add_another_partnerships_organisation_without_its_manager_accepting(self):
        self.sign_in(self.other_administrator)
        self.client.post(reverse("organisations:organisation_add_existing"), {"organisation": self.council.pk})
        assert not self.council.partnerships.filter(pk=self.runnymede.pk).exists()
        join_request = PartnershipJoinRequest.objects.get(organisation=self.council, partnership=self.runnymede)
        # Until the council accepts, Runnymede can give its staff no role.
        roles = reverse("organisations:membership_set", args=[self.administrator.public_id])
        assert self.client.post(roles, {"partnership": self.runnymede.pk, "role": Role.PRACTITIONER}).status_code == 404
        answer = reverse("organisations:join_request_answer", args=[join_request.public_id, "accept"])
        for outsider in (self.other_administrator, self.asb_officer, self.police_manager):
            self.client.logout()
            self.sign_in(outsider)
            assert self.client.post(answer).status_code == 404
        assert self.roles_of(self.administrator) == {"SH": Role.ADMINISTRATOR}
        assert not self.council.partnerships.filter(pk=self.runnymede.pk).exists()

        self.client.logout()
        self.sign_in(self.council_manager)
        self.assertContains(self.client.get(reverse("organisations:join_request_list")), "Runnymede")
        self.assertRedirects(self.client.post(answer), reverse("organisations:join_request_list"))
        assert self.council.partnerships.filter(pk=self.runnymede.pk).exists()
        accepted = AuditEvent.objects.filter(action=Action.ORGANISATION_CHANGED, data__join_request="accepted")
        assert {event.chain for event in accepted} == {self.surrey_heath.pk, self.runnymede.pk}

    def test_a_declined_request_leaves_the_organisation_outside(self):
        self.sign_in(self.other_administrator)
        self.client.post(reverse("organisations:organisation_add_existing"), {"organisation": self.council.pk})
        join_request = PartnershipJoinRequest.objects.get(organisation=self.council)
        self.client.logout()
        self.sign_in(self.council_manager)
        self.client.post(reverse("organisations:join_request_answer", args=[join_request.public_id, "decline"]))
        join_request.refresh_from_db()
        assert join_request.status == JoinRequestStatus.DECLINED
        assert list(self.council.partnerships.all()) == [self.surrey_heath]

    def test_administrator_cannot_re_role_a_user_who_also_belongs_to_another_partnership(self):
        url = reverse("organisations:membership_set", args=[self.police_manager.public_id])
        for administrator, partnership in (
            (self.administrator, self.surrey_heath),
            (self.other_administrator, self.runnymede),
        ):
            self.as_administrator_of(administrator)
            with self.subTest(administrator=administrator.email):
                assert self.client.get(url).status_code == 404
                response = self.client.post(url, {"partnership": partnership.pk, "role": Role.ADMINISTRATOR})
                assert response.status_code == 404
        assert self.roles_of(self.police_manager) == {"SH": Role.MANAGER, "RU": Role.MANAGER}
        # An account only in Surrey Heath is still its administrator's.
        self.as_administrator_of(self.administrator)
        officer = reverse("organisations:membership_set", args=[self.police_officer.public_id])
        self.client.post(officer, {"partnership": self.surrey_heath.pk, "role": Role.COORDINATOR})
        assert self.roles_of(self.police_officer) == {"SH": Role.COORDINATOR}

    def test_administrator_cannot_rename_or_deactivate_a_user_who_also_belongs_to_another_partnership(self):
        max_ = self.police_manager
        edit = reverse("organisations:user_edit", args=[max_.public_id])
        for administrator in (self.administrator, self.other_administrator):
            self.as_administrator_of(administrator)
            with self.subTest(administrator=administrator.email):
                detail = self.client.get(reverse("organisations:user_detail", args=[max_.public_id]))
                self.assertNotContains(detail, "Deactivate account")
                self.assertNotContains(detail, edit)
                assert self.client.get(edit).status_code == 404
                response = self.client.post(edit, {"first_name": "Renamed", "last_name": "Wells", "job_title": ""})
                assert response.status_code == 404
                for action in ACCOUNT_ACTIONS:
                    url = reverse("organisations:user_account_action", args=[max_.public_id, action])
                    assert self.client.post(url).status_code == 404, action
        max_.refresh_from_db()
        assert (max_.first_name, max_.is_active) == ("Max", True)
        assert not AuditEvent.objects.filter(object_id=str(max_.public_id)).exists()

    def test_import_cannot_rename_or_re_role_a_user_who_also_belongs_to_another_partnership(self):
        self.as_administrator_of(self.administrator)
        rows = (
            "max.wells@police.example,Maximilian,Wells,Surrey Police,,SH,manager\n"
            "nia.grant@council.example,Nia,Grant,Surrey Heath Council,,SH,practitioner\n"
        )
        upload = {"file": self.csv(HEADER + rows)}
        report = self.client.post(reverse("organisations:users_import"), upload, follow=True)
        self.assertContains(report, "This person also has a role in Runnymede, so only a manager of Surrey Police")
        assert User.objects.filter(email="nia.grant@council.example").exists()

        upload = {"file": self.csv(HEADER + "max.wells@police.example,Max,Wells,Surrey Police,,SH,administrator\n")}
        report = self.client.post(reverse("organisations:users_import"), upload, follow=True)
        self.assertContains(report, "so you cannot give or change their role here")
        self.police_manager.refresh_from_db()
        assert self.police_manager.first_name == "Max"
        assert self.roles_of(self.police_manager) == {"SH": Role.MANAGER, "RU": Role.MANAGER}

    def test_organisation_manager_cannot_make_an_auditor_coordinator_analyst_or_administrator(self):
        self.sign_in(self.council_manager)
        url = reverse("organisations:membership_set", args=[self.asb_officer.public_id])
        choices = [value for value, _label in self.client.get(url).context["form"].fields["role"].choices]
        assert choices == [Role.MANAGER, Role.PRACTITIONER]
        for role in (Role.AUDITOR, Role.COORDINATOR, Role.ANALYST, Role.ADMINISTRATOR):
            with self.subTest(role=role):
                self.client.post(url, {"partnership": self.surrey_heath.pk, "role": role})
                assert self.roles_of(self.asb_officer) == {"SH": Role.PRACTITIONER}
                invite = {"first_name": "New", "last_name": "Auditor", "email": f"{role}@council.example"}
                invite |= {"organisation": str(self.council.pk), "role": role}
                self.client.post(reverse("organisations:user_create"), invite)
                assert not User.objects.filter(email=f"{role}@council.example").exists()
        # Nor take a partnership-wide role away or change it.
        coordinator = reverse("organisations:membership_set", args=[self.coordinator.public_id])
        assert self.client.get(coordinator).status_code == 404
        # The police manager cannot make a police officer the partnership's auditor either.
        self.client.logout()
        self.sign_in(self.police_manager)
        self.work_in(self.surrey_heath)
        officer = reverse("organisations:membership_set", args=[self.police_officer.public_id])
        self.client.post(officer, {"partnership": self.surrey_heath.pk, "role": Role.AUDITOR})
        assert self.roles_of(self.police_officer) == {"SH": Role.PRACTITIONER}

    def test_organisation_in_two_partnerships_cannot_be_renamed_by_one_partnerships_administrator(self):
        edit = reverse("organisations:organisation_edit", args=[self.police.public_id])
        team = reverse("organisations:team_create", args=[self.police.public_id])
        renamed = {"name": "Renamed Police", "type": OrganisationType.POLICE, "is_active": "on"}
        for administrator in (self.administrator, self.other_administrator):
            self.as_administrator_of(administrator)
            with self.subTest(administrator=administrator.email):
                self.assertNotContains(self.client.get(reverse("organisations:organisation_list")), edit)
                assert self.client.get(edit).status_code == 404
                assert self.client.post(edit, renamed).status_code == 404
                assert self.client.post(team, {"name": "Drones"}).status_code == 404
        self.police.refresh_from_db()
        assert self.police.name == "Surrey Police"
        assert not self.police.teams.exists()
        # Its own manager may, and both partnerships' chains record it.
        self.client.logout()
        self.sign_in(self.police_manager)
        self.assertRedirects(self.client.post(edit, renamed), reverse("organisations:organisation_list"))
        self.police.refresh_from_db()
        assert self.police.name == "Renamed Police"
        events = AuditEvent.objects.filter(action=Action.ORGANISATION_CHANGED)
        assert {event.chain for event in events} == {self.surrey_heath.pk, self.runnymede.pk}

    def test_other_partnerships_auditor_sees_the_event_about_their_user(self):
        # Surrey Heath decides who works in Surrey Heath: it may take Max's role there away.
        self.as_administrator_of(self.administrator)
        remove = reverse(
            "organisations:membership_remove", args=[self.police_manager.public_id, self.surrey_heath.public_id]
        )
        self.client.post(remove)
        assert self.roles_of(self.police_manager) == {"RU": Role.MANAGER}
        # A police manager in Runnymede resets the two-factor of a police officer who works in both.
        officer = make_user(
            "omar.ali@police.example",
            self.police,
            roles={self.surrey_heath: Role.PRACTITIONER, self.runnymede: Role.PRACTITIONER},
        )
        self.client.logout()
        self.sign_in(self.police_manager)
        self.work_in(self.runnymede)
        reset = reverse("organisations:user_account_action", args=[officer.public_id, "reset-two-factor"])
        self.assertRedirects(self.client.post(reset), reverse("organisations:user_detail", args=[officer.public_id]))

        seen = {}
        for auditor in (self.other_auditor, self.auditor):
            self.client.logout()
            self.sign_in(auditor)
            page = self.client.get(reverse("audit:event_list"))
            seen[auditor.email] = {(event.action, event.object_id) for event in page.context["page"]}
        removed = (Action.MEMBERSHIP_REMOVED, str(self.police_manager.public_id))
        reset_event = (Action.MFA_RESET, str(officer.public_id))
        assert {removed, reset_event} <= seen["ruth.lane@runnymede.example"]
        assert {removed, reset_event} <= seen["aude.price@council.example"]

    def csv(self, text: str) -> SimpleUploadedFile:
        return SimpleUploadedFile("users.csv", text.encode(), content_type="text/csv")
