from typing import Any

from django.test import override_settings
from django.urls import reverse

from casebridge.accounts.tests.mfa_helpers import give_mfa
from tests.personas import PersonasTestCase

HOME = reverse("home")


class RequireMfaMiddlewareTests(PersonasTestCase):
    def home_after_password(self, *, with_app: bool) -> Any:
        """Alex signs in with a password only, having set up an app or not, and asks for the home page."""
        if with_app:
            give_mfa(self.asb_officer)
        self.client.force_login(self.asb_officer)
        return self.client.get(HOME)

    @override_settings(REQUIRE_MFA=True)
    def test_when_required_someone_without_an_app_is_sent_to_set_it_up(self):
        response = self.home_after_password(with_app=False)
        self.assertRedirects(response, f"{reverse('accounts:mfa_set_up')}?next=%2F", fetch_redirect_response=False)
        assert self.client.get(reverse("accounts:account")).status_code == 302
        assert self.client.get(reverse("accounts:mfa_set_up")).status_code == 200

    @override_settings(REQUIRE_MFA=True)
    def test_when_required_someone_with_an_app_is_sent_to_verify(self):
        response = self.home_after_password(with_app=True)
        self.assertRedirects(response, f"{reverse('accounts:mfa_verify')}?next=%2F", fetch_redirect_response=False)
        assert self.client.get(reverse("accounts:mfa_verify")).status_code == 200

    @override_settings(REQUIRE_MFA=True)
    def test_a_verified_session_goes_straight_through(self):
        give_mfa(self.asb_officer)
        self.sign_in(self.asb_officer)
        assert self.client.get(HOME).status_code == 200

    @override_settings(REQUIRE_MFA=False)
    def test_when_optional_someone_without_an_app_is_not_redirected(self):
        assert self.home_after_password(with_app=False).status_code == 200
        assert self.client.get(reverse("accounts:account")).status_code == 200

    @override_settings(REQUIRE_MFA=False)
    def test_when_optional_someone_who_set_up_an_app_must_still_verify(self):
        response = self.home_after_password(with_app=True)
        assert response["Location"].startswith(reverse("accounts:mfa_verify"))

    @override_settings(REQUIRE_MFA=True)
    def test_signing_out_is_always_possible(self):
        self.client.force_login(self.asb_officer)
        response = self.client.post(reverse("accounts:sign_out"))
        assert response.status_code == 302
        assert "_auth_user_id" not in self.client.session

    @override_settings(REQUIRE_MFA=True)
    def test_signed_out_visitors_are_left_to_sign_in(self):
        response = self.client.get(HOME)
        assert response["Location"].startswith(reverse("accounts:sign_in"))
        assert self.client.get(reverse("accounts:password_reset")).status_code == 200
