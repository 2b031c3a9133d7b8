"""Organisations list, create, edit, ask an existing one to join, and add a team."""

from django.urls import reverse

from casebridge.audit.models import Action, AuditEvent
from casebridge.organisations.models import (
    JoinRequestStatus,
    Organisation,
    OrganisationType,
    PartnershipJoinRequest,
    Team,
)
from casebridge.organisations.tests.base import UserAdminTestCase


class OrganisationPagesTests(UserAdminTestCase):
    def test_list_shows_only_organisations_in_the_partnership_with_a_fixed_query_count(self):
        self.sign_in(self.administrator)
        url = reverse("organisations:organisation_list")
        self.client.get(url)
        response = self.get_in_queries(13, url)
        names = [o.name for o in response.context["organisations"]]
        assert names == ["Safer Lives", "Surrey Heath Council", "Surrey Police"]
        Team.objects.create(organisation=self.police, name="Neighbourhood")
        self.get_in_queries(13, url)

    def test_create_adds_the_organisation_to_the_partnership_and_audits_it(self):
        self.sign_in(self.administrator)
        response = self.client.post(
            reverse("organisations:organisation_create"), {"name": "Accent Housing", "type": OrganisationType.HOUSING}
        )
        self.assertRedirects(response, reverse("organisations:organisation_list"))
        organisation = Organisation.objects.get(name="Accent Housing")
        assert list(organisation.partnerships.all()) == [self.surrey_heath]
        assert AuditEvent.objects.get(action=Action.ORGANISATION_CREATED).chain == self.surrey_heath.pk

    def test_duplicate_name_is_refused_with_a_clear_error(self):
        self.sign_in(self.administrator)
        response = self.client.post(
            reverse("organisations:organisation_create"), {"name": "surrey police", "type": OrganisationType.POLICE}
        )
        self.assertContains(response, "An organisation with this name already exists.")

    def test_edit_records_field_changes(self):
        self.sign_in(self.administrator)
        url = reverse("organisations:organisation_edit", args=[self.charity.public_id])
        self.client.post(url, {"name": "Safer Lives Trust", "type": OrganisationType.VOLUNTARY, "is_active": "on"})
        event = AuditEvent.objects.get(action=Action.ORGANISATION_CHANGED)
        assert event.data["changes"] == {"name": {"from": "Safer Lives", "to": "Safer Lives Trust"}}

    def test_asking_an_existing_organisation_makes_a_request_not_a_member(self):
        self.sign_in(self.administrator)
        url = reverse("organisations:organisation_add_existing")
        assert self.other_council in self.client.get(url).context["form"].fields["organisation"].queryset
        self.client.post(url, {"organisation": self.other_council.pk})
        assert not self.other_council.partnerships.filter(pk=self.surrey_heath.pk).exists()
        request = PartnershipJoinRequest.objects.get(organisation=self.other_council)
        assert (request.partnership, request.status) == (self.surrey_heath, JoinRequestStatus.PENDING)
        assert self.other_council not in self.client.get(url).context["form"].fields["organisation"].queryset
        events = AuditEvent.objects.filter(action=Action.ORGANISATION_CHANGED)
        assert {e.chain for e in events} == {self.surrey_heath.pk, self.runnymede.pk}
        assert events[0].data == {"partnership": "SH", "join_request": "pending"}

    def test_team_is_created_once_per_name(self):
        self.sign_in(self.administrator)
        url = reverse("organisations:team_create", args=[self.council.public_id])
        self.client.post(url, {"name": "Licensing"})
        assert self.council.teams.filter(name="Licensing").exists()
        assert AuditEvent.objects.get(action=Action.TEAM_CREATED).chain == self.surrey_heath.pk
        response = self.client.post(url, {"name": "licensing"})
        self.assertContains(response, "already has a team with this name")

    def test_runnymede_administrator_cannot_touch_surrey_heath_organisations(self):
        self.sign_in(self.other_administrator)
        url = reverse("organisations:organisation_edit", args=[self.council.public_id])
        response = self.client.post(url, {"name": "Hacked", "type": OrganisationType.OTHER})
        assert response.status_code == 404
        self.council.refresh_from_db()
        assert self.council.name == "Surrey Heath Council"

    def test_navigation_offers_the_pages_to_the_right_roles(self):
        self.sign_in(self.administrator)
        home = self.client.get(reverse("home"))
        self.assertContains(home, 'href="/manage/"')
        manage = self.client.get(reverse("manage"))
        self.assertContains(manage, reverse("organisations:organisation_list"))
        self.assertContains(manage, reverse("organisations:user_list"))
        self.assertContains(manage, reverse("imports:start"))
        self.client.logout()
        self.sign_in(self.council_manager)
        manage = self.client.get(reverse("manage"))
        self.assertContains(manage, reverse("organisations:user_list"))
        self.assertNotContains(manage, 'href="/organisations/"')
        self.assertNotContains(manage, reverse("imports:start"))
        self.client.logout()
        self.sign_in(self.asb_officer)
        home = self.client.get(reverse("home"))
        self.assertNotContains(home, "/organisations/")
        self.assertNotContains(home, 'href="/manage/"')
        self.assertContains(home, reverse("sharing:inbox"))
        self.assertNotContains(home, reverse("referrals:queue"))
        assert self.client.get(reverse("manage")).status_code == 404

    def test_main_navigation_stays_short_and_marks_the_current_section(self):
        for persona in (self.administrator, self.coordinator, self.council_manager, self.asb_officer, self.auditor):
            self.sign_in(persona)
            response = self.client.get(reverse("cases:mine") if persona != self.auditor else reverse("home"))
            assert len(response.context["navigation"]) <= 9, persona
            current = [item["text"] for item in response.context["navigation"] if item["current"]]
            assert current == (["Cases"] if persona != self.auditor else ["Home"]), persona
