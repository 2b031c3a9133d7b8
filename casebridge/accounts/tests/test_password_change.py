from django.test import Client
from django.urls import reverse

from casebridge.accounts.sessions import MFA_VERIFIED
from casebridge.audit.models import Action, AuditEvent
from tests.personas import PASSWORD, PersonasTestCase, sign_in

URL = reverse("accounts:password_change")
NEW = "plum orbit lantern meadow"


class PasswordChangeTests(PersonasTestCase):
    def setUp(self):
        self.sign_in(self.asb_officer)

    def change(self, old: str, new1: str, new2: str | None = None):  # type: ignore[no-untyped-def]
        return self.client.post(
            URL, {"old_password": old, "new_password1": new1, "new_password2": new2 if new2 is not None else new1}
        )

    def test_the_form_uses_the_right_autocomplete_attributes(self):
        response = self.client.get(URL)
        self.assertContains(response, 'autocomplete="current-password"')
        self.assertContains(response, 'autocomplete="new-password"', count=2)
        self.assertContains(response, "Use at least 12 characters")

    def test_the_current_password_is_required(self):
        response = self.change("not my password", NEW)
        self.assertContains(response, "Your current password is incorrect")
        self.asb_officer.refresh_from_db()
        assert self.asb_officer.check_password(PASSWORD)

    def test_a_short_password_shows_the_rule_on_the_new_password_field_and_in_the_summary(self):
        response = self.change(PASSWORD, "short words")
        form = response.context["form"]
        assert "This password is too short. It must contain at least 12 characters." in form.errors["new_password1"]
        self.assertContains(response, 'href="#id_new_password1"')
        self.assertContains(response, 'id="id_new_password1-error"')
        self.assertContains(response, "govuk-form-group--error")

    def test_a_common_password_is_refused(self):
        response = self.change(PASSWORD, "password1234")
        assert "This password is too common." in response.context["form"].errors["new_password1"]

    def test_an_overlong_password_is_refused(self):
        response = self.change(PASSWORD, "x" * 257)
        assert "Your password must be 256 characters or fewer." in response.context["form"].errors["new_password1"]

    def test_the_two_new_passwords_must_match(self):
        response = self.change(PASSWORD, NEW, NEW + "x")
        self.assertContains(response, "The passwords do not match")

    def test_a_change_keeps_this_session_ends_the_others_and_is_audited(self):
        other = Client()
        sign_in(other, self.asb_officer)
        response = self.change(PASSWORD, NEW)
        self.assertRedirects(response, reverse("accounts:account"))
        self.asb_officer.refresh_from_db()
        assert self.asb_officer.check_password(NEW)
        assert self.client.get(reverse("home")).status_code == 200
        assert self.client.session[MFA_VERIFIED] is True
        assert other.get(reverse("home"))["Location"].startswith(reverse("accounts:sign_in"))
        assert AuditEvent.objects.filter(actor=self.asb_officer, action=Action.PASSWORD_CHANGED).count() == 1
