"""The agenda builds itself: the day after the referral deadline, the daily reminders propose cases for each
draft agenda. Proposals only: each waits for someone who may manage the case."""

import datetime

from django.utils import timezone

from casebridge.actions import services as task_services
from casebridge.audit.models import AuditEvent
from casebridge.cases.models import Share
from casebridge.cases.policy import Act, can
from casebridge.meetings import services
from casebridge.meetings.models import ItemState, Source
from casebridge.meetings.tests.base import MeetingsTestCase
from casebridge.notifications.models import Notification


class AgendaBuildsItselfTests(MeetingsTestCase):
    def overdue_action(self) -> None:
        task_services.task_create(
            actor=self.asb_officer,
            case=self.private_case,
            title="Visit the neighbour",
            due_on=timezone.localdate(),
            assigned_organisation=self.council,
        )

    def after_the_deadline(self) -> datetime.date:
        return self.meeting.referral_deadline + datetime.timedelta(days=1)

    def test_overdue_actions_are_proposed_for_the_next_agenda_automatically(self):
        self.overdue_action()
        with self.captureOnCommitCallbacks(execute=True):
            assert services.agendas_build_due(today=self.after_the_deadline()) == 1
        item = self.meeting.items.get(case=self.private_case, removed_at__isnull=True)
        assert (item.source, item.added_by, item.state) == (Source.OVERDUE_ACTIONS, None, ItemState.PROPOSED)
        assert not can(self.police_officer, Act.VIEW, self.private_case)
        assert not Share.objects.filter(case=self.private_case, organisation=self.police).exists()
        assert Notification.objects.filter(user=self.asb_officer, kind="agenda_proposal").exists()
        event = AuditEvent.objects.filter(object_type="agendaitem", actor__isnull=True).latest("pk")
        assert event.actor_label == "reminders"
        self.meeting.refresh_from_db()
        assert self.meeting.agenda_built_at is not None

    def test_nothing_happens_before_the_deadline_has_passed(self):
        self.overdue_action()
        assert services.agendas_build_due(today=self.meeting.referral_deadline) == 0
        assert not self.meeting.items.filter(case=self.private_case).exists()

    def test_it_builds_once_and_never_puts_back_a_case_the_coordinator_removed(self):
        self.overdue_action()
        removed = self.add_to_agenda(self.private_case)
        services.agenda_item_remove(actor=self.coordinator, item=removed, reason="Dealt with outside the meeting.")
        assert services.agendas_build_due(today=self.after_the_deadline()) == 1
        assert not self.meeting.items.filter(case=self.private_case, removed_at__isnull=True).exists()
        assert services.agendas_build_due(today=self.after_the_deadline()) == 0

    def test_a_published_agenda_is_left_alone(self):
        self.overdue_action()
        services.agenda_publish(actor=self.coordinator, meeting=self.meeting)
        assert services.agendas_build_due(today=self.after_the_deadline()) == 0
        assert not self.meeting.items.filter(case=self.private_case).exists()
