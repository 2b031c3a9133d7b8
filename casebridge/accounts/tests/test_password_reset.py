import re
from datetime import datetime, timedelta
from unittest import mock

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core import mail
from django.urls import reverse

from casebridge.accounts.links import password_reset_link
from casebridge.accounts.services import user_deactivate
from casebridge.audit.models import Action, AuditEvent
from tests.personas import PASSWORD, PersonasTestCase

URL = reverse("accounts:password_reset")
NEW = "plum orbit lantern meadow"


class PasswordResetRequestTests(PersonasTestCase):
    def test_a_known_address_gets_an_email_with_only_the_name_and_a_link(self):
        response = self.client.post(URL, {"email": "ALEX.MORGAN@council.example"})
        self.assertRedirects(response, reverse("accounts:password_reset_sent"))
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [self.asb_officer.email]
        assert "Dear Alex," in message.body
        link = re.search(r"https?://\S+", str(message.body))
        assert link is not None
        assert link.group(0).startswith(f"{settings.SITE_URL}/account/password-reset/{self.asb_officer.public_id}/")
        assert self.asb_officer.email not in message.body
        assert self.asb_officer.last_name not in message.body
        assert self.council.name not in message.body
        event = AuditEvent.objects.get(action=Action.PASSWORD_RESET_REQUESTED)
        assert event.actor == self.asb_officer

    def test_an_unknown_address_gets_the_same_answer_and_no_email(self):
        known = self.client.post(URL, {"email": self.asb_officer.email}, follow=True)
        unknown = self.client.post(URL, {"email": "nobody@nowhere.example"}, follow=True)
        assert known.redirect_chain == unknown.redirect_chain
        assert known.content == unknown.content
        assert len(mail.outbox) == 1
        event = AuditEvent.objects.filter(action=Action.PASSWORD_RESET_REQUESTED).order_by("id").last()
        assert event is not None
        assert event.actor is None
        assert event.data["account_found"] is False

    def test_a_deactivated_account_gets_no_email(self):
        user_deactivate(actor=self.council_manager, user=self.asb_officer)
        self.client.post(URL, {"email": self.asb_officer.email})
        assert mail.outbox == []

    def test_a_malformed_address_gets_a_specific_error(self):
        response = self.client.post(URL, {"email": "not an email"})
        self.assertContains(response, "Enter an email address in the correct format")
        self.assertContains(response, 'autocomplete="email"')


class PasswordResetConfirmTests(PersonasTestCase):
    def path_of(self, link: str) -> str:
        return link.removeprefix(settings.SITE_URL)

    def choose_password(self, link: str, password: str = NEW):  # type: ignore[no-untyped-def]
        response = self.client.get(self.path_of(link))
        if response.status_code != 302:
            return response
        return self.client.post(response["Location"], {"new_password1": password, "new_password2": password})

    def test_the_link_sets_a_new_password_and_the_reset_is_audited(self):
        response = self.choose_password(password_reset_link(self.asb_officer))
        self.assertRedirects(response, reverse("accounts:sign_in"))
        self.asb_officer.refresh_from_db()
        assert self.asb_officer.check_password(NEW)
        event = AuditEvent.objects.get(action=Action.PASSWORD_RESET)
        assert event.actor == self.asb_officer
        assert event.data == {"first_time": False}
        signed_in = self.client.post(reverse("accounts:sign_in"), {"username": self.asb_officer.email, "password": NEW})
        assert signed_in.status_code == 302

    def test_the_token_leaves_the_address_bar_before_the_form_is_shown(self):
        link = password_reset_link(self.asb_officer)
        response = self.client.get(self.path_of(link))
        assert response["Location"].endswith("/set-password/")
        form_page = self.client.get(response["Location"])
        self.assertContains(form_page, 'autocomplete="new-password"', count=2)

    def test_a_used_link_is_refused(self):
        link = password_reset_link(self.asb_officer)
        self.choose_password(link)
        response = self.client.get(self.path_of(link))
        assert response.status_code == 200
        self.assertContains(response, "The link has expired or has already been used")
        assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET).count() == 1

    def test_an_expired_link_is_refused(self):
        issued = datetime.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
        with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=issued):
            link = password_reset_link(self.asb_officer)
        response = self.client.get(self.path_of(link))
        self.assertContains(response, "The link has expired or has already been used")

    def test_a_link_still_inside_its_time_works(self):
        issued = datetime.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT - 60)
        with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=issued):
            link = password_reset_link(self.asb_officer)
        assert self.client.get(self.path_of(link)).status_code == 302

    def test_a_link_naming_a_database_key_or_a_tampered_token_is_refused(self):
        token = default_token_generator.make_token(self.asb_officer)
        by_pk = reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": token})
        self.assertContains(self.client.get(by_pk), "This link does not work")
        tampered = password_reset_link(self.asb_officer)[:-2] + "zz/"
        self.assertContains(self.client.get(self.path_of(tampered)), "This link does not work")

    def test_the_new_password_must_follow_the_rules(self):
        response = self.choose_password(password_reset_link(self.asb_officer), password="short")
        assert response.status_code == 200
        self.assertContains(response, "This password is too short")
        self.asb_officer.refresh_from_db()
        assert self.asb_officer.check_password(PASSWORD)

    def test_a_reset_ends_the_persons_existing_sessions(self):
        self.sign_in(self.asb_officer)
        other = self.client_class()
        other.get(self.path_of(password_reset_link(self.asb_officer)))
        other.post(
            reverse("accounts:password_reset_confirm", args=[self.asb_officer.public_id, "set-password"]),
            {"new_password1": NEW, "new_password2": NEW},
        )
        assert self.client.get(reverse("home"))["Location"].startswith(reverse("accounts:sign_in"))
