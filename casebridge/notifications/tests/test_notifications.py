import datetime
from typing import Any

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from casebridge.actions import services as task_services
from casebridge.actions.models import Task
from casebridge.cases.policy import Act, can
from casebridge.cases.tests.base import SHARED_VICTIM
from casebridge.meetings.tests.base import MeetingsTestCase
from casebridge.notifications import emails, services
from casebridge.notifications.models import EmailMode, Notification


class NotificationTests(MeetingsTestCase):
    def task(self, **extra: Any) -> Task:
        fields: dict[str, Any] = {
            "actor": self.asb_officer,
            "case": self.case,
            "title": f"Speak to {SHARED_VICTIM}",
            "due_on": timezone.localdate() + datetime.timedelta(days=7),
            "assigned_organisation": self.council,
            "assigned_user": self.colleague,
        }
        with self.captureOnCommitCallbacks(execute=True):
            return task_services.task_create(**(fields | extra))

    def test_an_assignment_email_holds_only_a_reference_and_a_link(self):
        task = self.task()
        message = mail.outbox[-1]
        assert message.to == [self.colleague.email]
        assert self.case.reference in message.body
        assert reverse("actions:detail", args=[task.public_id]) in message.body
        assert SHARED_VICTIM not in message.body
        assert SHARED_VICTIM not in message.subject

    def test_digest_users_get_one_email_for_several_notifications(self):
        services.preference_set(actor=self.colleague, email_mode=EmailMode.DIGEST)
        self.task()
        self.task()
        assert mail.outbox == []
        assert services.digests_send() == 1
        assert len(mail.outbox) == 1
        assert mail.outbox[0].body.count(self.case.reference) == 2
        assert services.digests_send() == 0

    def test_users_who_cannot_see_the_case_are_not_notified(self):
        services.notify(
            users=[self.police_officer, self.asb_officer],
            kind="review_due",
            reference="x",
            path="/",
            may_see=lambda user: can(user, Act.VIEW, self.private_case),
        )
        assert not Notification.objects.filter(user=self.police_officer).exists()
        assert Notification.objects.filter(user=self.asb_officer).exists()

    def test_the_list_shows_and_marks_notifications_read(self):
        self.task()
        self.sign_in(self.colleague)
        response = self.client.get(reverse("notifications:list"))
        assert b"New" in response.content
        assert SHARED_VICTIM.encode() not in response.content
        assert not Notification.objects.filter(user=self.colleague, read_at__isnull=True).exists()

    def test_the_preference_page_saves_the_choice(self):
        self.sign_in(self.colleague)
        response = self.client.post(reverse("notifications:preferences"), {"email_mode": "digest"})
        assert response.status_code == 302
        assert emails.email_mode(self.colleague) == EmailMode.DIGEST
