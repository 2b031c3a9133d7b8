from django.conf import settings
from django.urls import reverse

from casebridge.accounts.links import password_set_link
from casebridge.audit.models import Action, AuditEvent
from tests.personas import PersonasTestCase, make_user

NEW = "plum orbit lantern meadow"


class PasswordSetLinkTests(PersonasTestCase):
    def setUp(self):
        self.newcomer = make_user("nia.okafor@council.example", self.council)
        self.newcomer.set_unusable_password()
        self.newcomer.save()

    def test_the_link_is_absolute_and_names_the_user_by_public_id(self):
        link = password_set_link(self.newcomer)
        assert link.startswith(f"{settings.SITE_URL}/account/set-password/{self.newcomer.public_id}/")

    def test_a_new_user_creates_their_first_password_once(self):
        path = password_set_link(self.newcomer).removeprefix(settings.SITE_URL)
        form_page = self.client.get(path, follow=True)
        self.assertContains(form_page, "Create your password")
        response = self.client.post(
            form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True
        )
        self.assertContains(response, "Your password has been set")
        self.newcomer.refresh_from_db()
        assert self.newcomer.check_password(NEW)
        event = AuditEvent.objects.get(action=Action.PASSWORD_RESET)
        assert event.data == {"first_time": True}
        again = self.client.get(path)
        self.assertContains(again, "This link does not work")
        assert reverse("accounts:password_reset") in again.content.decode()
