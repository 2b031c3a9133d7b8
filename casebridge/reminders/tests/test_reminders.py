"""The daily reminders run: each reminder once per day or once ever, the command and the scheduled job."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from casebridge.actions import services as task_services
from casebridge.actions.models import Task
from casebridge.meetings import services as meeting_services
from casebridge.meetings.models import Outcome
from casebridge.meetings.tests.base import MeetingsTestCase
from casebridge.notifications.models import Notification
from casebridge.reminders.services import reminders_run
from casebridge.reminders.tasks import next_run


class ReminderTests(MeetingsTestCase):
    def task(self, *, due_on: datetime.date) -> Task:
        with self.captureOnCommitCallbacks(execute=True):
            return task_services.task_create(
                actor=self.asb_officer,
                case=self.case,
                title="Speak to the neighbour",
                due_on=due_on,
                assigned_organisation=self.council,
                assigned_user=self.colleague,
            )

    def test_overdue_reminders_go_once_a_day(self):
        task = self.task(due_on=timezone.localdate() + datetime.timedelta(days=7))
        Task.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
        with self.captureOnCommitCallbacks(execute=True):
            assert reminders_run().overdue == 1
            assert reminders_run().overdue == 0
        assert Notification.objects.filter(user=self.colleague, kind="task_overdue").count() == 1

    def test_a_review_date_reached_notifies_the_lead_officer(self):
        review = timezone.localdate() + datetime.timedelta(days=30)
        self.minute(outcome=Outcome.KEEP, outcome_reason="Still high risk.", next_review_on=review)
        meeting_services.minutes_publish(actor=self.coordinator, meeting=self.meeting)
        assert reminders_run(today=review).reviews == 1
        assert Notification.objects.filter(user=self.asb_officer, kind="review_due").exists()

    def test_the_run_builds_due_agendas_and_publishes_due_papers_once(self):
        after_the_deadline = self.meeting.referral_deadline + datetime.timedelta(days=1)
        assert reminders_run(today=after_the_deadline).agendas == 1
        assert reminders_run(today=after_the_deadline).agendas == 0
        meeting_services.agenda_publish(actor=self.coordinator, meeting=self.meeting)
        with self.captureOnCommitCallbacks(execute=True):
            assert reminders_run(today=self.meeting.papers_date).papers == 1
        assert reminders_run(today=self.meeting.papers_date).papers == 0

    def test_the_command_runs_the_reminders_once(self):
        out = io.StringIO()
        call_command("send_reminders", stdout=out)
        assert "Overdue actions: 0." in out.getvalue()

    def test_the_scheduled_job_runs_next_at_six_in_the_morning(self):
        now = datetime.datetime(2026, 11, 27, 14, 30, tzinfo=datetime.UTC)
        assert timezone.localtime(next_run(now)).isoformat().startswith("2026-11-28T06:00")
