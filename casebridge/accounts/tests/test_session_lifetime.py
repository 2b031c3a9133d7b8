import time
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from casebridge.accounts.sessions import SIGNED_IN_AT
from casebridge.audit.models import Action, AuditEvent
from tests.personas import PersonasTestCase

HOME = reverse("home")


class SessionLifetimeTests(PersonasTestCase):
    def setUp(self):
        self.sign_in(self.asb_officer)

    def signed_in_ago(self, seconds: float) -> None:
        session = self.client.session
        session[SIGNED_IN_AT] = time.time() - seconds
        session.save()

    def test_a_session_just_inside_the_absolute_limit_continues(self):
        self.signed_in_ago(settings.SESSION_ABSOLUTE_TIMEOUT - 60)
        assert self.client.get(HOME).status_code == 200

    def test_a_session_past_twelve_hours_ends_however_active_it_is_and_is_audited(self):
        assert settings.SESSION_ABSOLUTE_TIMEOUT == 12 * 60 * 60
        self.signed_in_ago(settings.SESSION_ABSOLUTE_TIMEOUT + 1)
        response = self.client.get(HOME)
        assert response["Location"] == reverse("accounts:sign_in")
        assert "_auth_user_id" not in self.client.session
        event = AuditEvent.objects.get(action=Action.SESSION_EXPIRED)
        assert event.actor == self.asb_officer
        assert event.data == {"reason": "absolute"}
        self.assertContains(self.client.get(response["Location"]), "For your security you were signed out")

    def test_each_request_renews_the_thirty_minute_idle_timeout(self):
        assert settings.SESSION_COOKIE_AGE == 30 * 60
        self.client.get(HOME)
        session = Session.objects.get(session_key=self.client.session.session_key)
        remaining = session.expire_date - timezone.now()
        assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)

    def test_an_idle_session_ends(self):
        Session.objects.filter(session_key=self.client.session.session_key).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )
        response = self.client.get(HOME)
        assert response["Location"].startswith(reverse("accounts:sign_in"))
