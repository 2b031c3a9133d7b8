from django.test import Client
from django.urls import reverse

from casebridge.audit.models import Action, AuditEvent
from tests.personas import PersonasTestCase, sign_in

URL = reverse("accounts:sign_out_everywhere")
HOME = reverse("home")


class SignOutEverywhereTests(PersonasTestCase):
    def test_every_session_of_the_person_ends_and_it_is_audited(self):
        phone, desk = Client(), Client()
        sign_in(phone, self.asb_officer)
        sign_in(desk, self.asb_officer)
        colleague = Client()
        sign_in(colleague, self.colleague)
        assert phone.get(HOME).status_code == 200

        response = desk.post(URL)
        self.assertRedirects(response, reverse("accounts:sign_in"))
        assert phone.get(HOME)["Location"].startswith(reverse("accounts:sign_in"))
        assert desk.get(HOME)["Location"].startswith(reverse("accounts:sign_in"))
        assert colleague.get(HOME).status_code == 200
        assert AuditEvent.objects.filter(actor=self.asb_officer, action=Action.SIGN_OUT_EVERYWHERE).count() == 1

    def test_it_needs_a_post(self):
        self.sign_in(self.asb_officer)
        assert self.client.get(URL).status_code == 405
        assert self.client.get(HOME).status_code == 200

    def test_the_account_page_offers_it_as_a_form(self):
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("accounts:account"))
        self.assertContains(response, f'action="{URL}"')
