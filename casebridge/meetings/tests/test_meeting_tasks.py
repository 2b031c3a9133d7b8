"""Actions assigned in a meeting: who may assign them, and who may update them afterwards."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from casebridge.actions import services as task_services
from casebridge.actions.models import Status, Task
from casebridge.audit.models import AuditEvent
from casebridge.meetings import access, services
from casebridge.meetings.models import MeetingSeries
from casebridge.meetings.tests.base import MeetingsTestCase


class MeetingTaskTests(MeetingsTestCase):
    POLICE_SHARE = "view"

    def assign(self, **extra: Any) -> Task:
        fields: dict[str, Any] = {
            "actor": self.council_manager,
            "meeting": self.meeting,
            "case": self.case,
            "title": "Joint visit",
            "due_on": self.meeting.starts_at.date() + datetime.timedelta(days=7),
            "assigned_organisation": self.police,
        }
        return services.meeting_task_create(**(fields | extra))

    def test_the_chair_may_assign_actions_on_agenda_cases_in_the_meeting(self):
        task = self.assign()
        assert task.meeting == self.meeting
        event = AuditEvent.objects.get(object_id=str(task.public_id), action="created")
        assert event.data["meeting"] == str(self.meeting.public_id)

    def test_those_who_run_the_meeting_assign_only_on_cases_on_its_agenda(self):
        """Mona could add the private case to its plan, but it is not on this agenda."""
        assert task_services.may_assign(self.council_manager, self.private_case)
        with pytest.raises(PermissionDenied):
            self.assign(case=self.private_case, assigned_organisation=self.council)

    def test_an_attendee_who_does_not_run_the_meeting_assigns_as_on_the_case_plan(self):
        task = self.assign(actor=self.support_worker, assigned_organisation=self.charity)
        assert task.meeting == self.meeting
        with pytest.raises(PermissionDenied):
            self.assign(actor=self.police_officer)

    def test_whoever_runs_the_meeting_may_update_its_actions(self):
        """Max (police) chairs the meeting: he may update its actions on a case he may only see."""
        MeetingSeries.objects.filter(pk=self.series.pk).update(chair=self.police_manager)
        task = self.assign(actor=self.coordinator, assigned_organisation=self.charity)
        task = Task.objects.select_related("case", "meeting__series").get(pk=task.pk)
        assert not task_services.may_update(self.police_manager, task)
        assert access.runs_task_meeting(self.police_manager, task)
        with pytest.raises(PermissionDenied):
            task_services.task_status_set(actor=self.police_manager, task=task, status=Status.IN_PROGRESS)
        task_services.task_status_set(
            actor=self.police_manager, task=task, status=Status.IN_PROGRESS, runs_meeting=True
        )
        assert Task.objects.get(pk=task.pk).status == Status.IN_PROGRESS
