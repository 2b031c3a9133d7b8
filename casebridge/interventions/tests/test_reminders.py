import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from casebridge.assessments.models import Alert, AlertKind
from casebridge.interventions.services import intervention_reminders_send
from casebridge.interventions.tasks import intervention_reminders
from casebridge.interventions.tests.base import InterventionsTestCase


class ReminderTests(InterventionsTestCase):
    def test_an_intervention_due_for_review_within_a_week_alerts_the_officers_once(self):
        today = timezone.localdate()
        cpw = self.issue("cpw", self.lee, actor=self.colleague, review_on=today + datetime.timedelta(days=3))
        assert intervention_reminders_send(today=today) == 2  # the issuing officer and the lead officer
        assert intervention_reminders_send(today=today) == 0
        recipients = set(Alert.objects.filter(kind=AlertKind.INTERVENTION_REVIEW).values_list("recipient", flat=True))
        assert recipients == {self.colleague.pk, self.asb_officer.pk}
        assert str(cpw.public_id) in Alert.objects.first().link  # type: ignore[union-attr]

    def test_reminder_emails_carry_only_the_reference_and_a_link(self):
        today = timezone.localdate()
        self.issue("cpw", self.lee, review_on=today + datetime.timedelta(days=1))
        intervention_reminders_send(today=today)
        assert len(mail.outbox) == 1
        body = f"{mail.outbox[0].subject}\n{mail.outbox[0].body}"
        assert self.case.reference in body
        assert "Lee" not in body
        assert "Carter" not in body

    def test_expiry_is_reminded_and_far_dates_are_not(self):
        today = timezone.localdate()
        self.issue("abc", self.lee, issued_on=today - datetime.timedelta(days=360))  # expires in 5 days
        self.issue("cpw", self.lee, review_on=today + datetime.timedelta(days=30))
        intervention_reminders_send(today=today)
        assert list(Alert.objects.values_list("kind", flat=True).distinct()) == [AlertKind.INTERVENTION_EXPIRY]

    def test_discharged_interventions_are_not_reminded(self):
        today = timezone.localdate()
        cpw = self.issue("cpw", self.lee, review_on=today + datetime.timedelta(days=1))
        cpw.status = "discharged"
        cpw.save(update_fields=["status"])
        assert intervention_reminders_send(today=today) == 0

    def test_the_command_and_the_task_send_the_same_reminders(self):
        self.issue("cpw", self.lee, review_on=timezone.localdate() + datetime.timedelta(days=2))
        out = io.StringIO()
        call_command("send_intervention_reminders", stdout=out)
        assert "1 reminders sent." in out.getvalue()
        result = intervention_reminders.enqueue()
        assert result.return_value == 0
