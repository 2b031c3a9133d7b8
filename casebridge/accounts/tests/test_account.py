from django.urls import reverse

from casebridge.accounts.tests.mfa_helpers import give_mfa
from tests.personas import PASSWORD, PersonasTestCase

URL = reverse("accounts:account")


class AccountPageTests(PersonasTestCase):
    def test_without_two_factor_it_offers_set_up(self):
        self.sign_in(self.asb_officer)
        response = self.client.get(URL)
        self.assertContains(response, "Off")
        self.assertContains(response, reverse("accounts:mfa_set_up"))
        self.assertNotContains(response, reverse("accounts:mfa_reset"))
        self.assertContains(response, reverse("accounts:password_change"))
        self.assertContains(response, reverse("accounts:sign_out_everywhere"))

    def test_with_two_factor_it_shows_the_status_and_offers_reset(self):
        give_mfa(self.asb_officer)
        self.sign_in(self.asb_officer)
        response = self.client.get(URL)
        self.assertContains(response, "10 recovery codes left")
        self.assertContains(response, reverse("accounts:mfa_reset"))
        self.assertNotContains(response, f'href="{reverse("accounts:mfa_set_up")}"')

    def test_it_lists_recent_sign_ins_with_address_and_browser_in_a_fixed_number_of_queries(self):
        for _ in range(3):
            self.client.post(
                reverse("accounts:sign_in"),
                {"username": self.asb_officer.email, "password": PASSWORD},
                HTTP_USER_AGENT="Firefox on the council laptop",
            )
            self.client.post(reverse("accounts:sign_out"))
        self.sign_in(self.asb_officer)
        response = self.get_in_queries(11, URL)
        assert len(response.context["recent_sign_ins"]) == 4  # three here, one by the test sign-in
        self.assertContains(response, "Firefox on the council laptop", count=3)
        self.assertContains(response, "127.0.0.1", count=3)
