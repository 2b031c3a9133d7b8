from django.urls import reverse

from tests.personas import PersonasTestCase


class PartnershipSwitchTests(PersonasTestCase):
    def test_a_member_of_two_partnerships_switches_between_them(self):
        self.sign_in(self.police_manager)
        for partnership in (self.surrey_heath, self.runnymede):
            response = self.client.post(
                reverse("organisations:partnership_switch"), {"partnership": str(partnership.public_id)}
            )
            self.assertRedirects(response, reverse("home"))
            assert self.client.get(reverse("home")).context["current_partnership"] == partnership

    def test_a_partnership_without_a_role_answers_404_and_changes_nothing(self):
        self.sign_in(self.police_officer)
        response = self.client.post(
            reverse("organisations:partnership_switch"), {"partnership": str(self.runnymede.public_id)}
        )
        assert response.status_code == 404
        assert self.client.get(reverse("home")).context["current_partnership"] == self.surrey_heath

    def test_the_switch_is_offered_only_to_members_of_several_partnerships(self):
        self.sign_in(self.police_manager)
        self.assertContains(self.client.get(reverse("home")), "Switch partnership")
        self.sign_in(self.asb_officer)
        self.assertNotContains(self.client.get(reverse("home")), "Switch partnership")
