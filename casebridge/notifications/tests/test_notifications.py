import datetime
import io
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from casebridge.actions import services as task_services
from casebridge.actions.models import Task
from casebridge.cases.models import Level
from casebridge.cases.tests.base import SHARED_VICTIM
from casebridge.meetings import services as meeting_services
from casebridge.meetings.models import Outcome
from casebridge.meetings.tests.base import MeetingsTestCase
from casebridge.notifications import emails, services
from casebridge.notifications.models import EmailMode, Notification
from casebridge.notifications.reminders import reminders_run
from casebridge.notifications.tasks import next_run
from casebridge.sharing import services as sharing_services


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
        services.notify(users=[self.police_officer], kind="review_due", reference="x", path="/", case=self.private_case)
        assert not Notification.objects.filter(user=self.police_officer).exists()

    def test_a_share_to_a_user_notifies_them(self):
        with self.captureOnCommitCallbacks(execute=True):
            sharing_services.share_grant(
                actor=self.asb_officer, case=self.private_case, user=self.police_officer, level=Level.VIEW, reason="x"
            )
        assert Notification.objects.filter(user=self.police_officer, kind="share").exists()

    def test_agenda_shares_do_not_notify_separately(self):
        assert not Notification.objects.filter(kind="share", reference=self.case.reference).exists()

    def test_break_glass_notifies_the_lead_officer(self):
        with self.captureOnCommitCallbacks(execute=True):
            sharing_services.break_glass(
                actor=self.police_officer, case=self.private_case, reason="Urgent welfare check."
            )
        assert Notification.objects.filter(user=self.asb_officer, kind="break_glass").exists()

    def test_an_access_request_notifies_the_lead_organisations_managers(self):
        with self.captureOnCommitCallbacks(execute=True):
            sharing_services.access_request_create(actor=self.support_worker, case=self.private_case, reason="Support.")
        assert Notification.objects.filter(user=self.council_manager, kind="access_request").exists()
        assert not Notification.objects.filter(user=self.support_worker, kind="access_request").exists()

    def test_overdue_reminders_go_once_a_day(self):
        task = self.task()
        Task.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
        with self.captureOnCommitCallbacks(execute=True):
            assert reminders_run().overdue == 1
            assert reminders_run().overdue == 0
        assert Notification.objects.filter(user=self.colleague, kind="task_overdue").count() == 1

    def test_a_review_date_reached_notifies_the_lead_officer(self):
        review = timezone.localdate() + datetime.timedelta(days=30)
        meeting_services.minute_record(
            actor=self.coordinator,
            item=self.item,
            update="",
            decision="",
            outcome=Outcome.KEEP,
            outcome_reason="Still high risk.",
            next_review_on=review,
        )
        meeting_services.minutes_publish(actor=self.coordinator, meeting=self.meeting)
        assert reminders_run(today=review).reviews == 1
        assert Notification.objects.filter(user=self.asb_officer, kind="review_due").exists()

    def test_the_command_runs_the_reminders_once(self):
        out = io.StringIO()
        call_command("send_reminders", stdout=out)
        assert "Overdue actions: 0." in out.getvalue()

    def test_the_scheduled_job_runs_next_at_six_in_the_morning(self):
        now = datetime.datetime(2026, 11, 27, 14, 30, tzinfo=datetime.UTC)
        assert timezone.localtime(next_run(now)).isoformat().startswith("2026-11-28T06:00")

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
