import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casebridge.actions import services
from casebridge.actions.models import Reassignment, Status, Task
from casebridge.audit.models import AuditEvent
from casebridge.meetings.tests.base import MeetingsTestCase
from casebridge.notifications.models import Notification


class TaskServiceTests(MeetingsTestCase):
    POLICE_SHARE = "view"

    def _task(self, **extra: Any) -> Task:
        fields: dict[str, Any] = {
            "actor": self.asb_officer,
            "case": self.case,
            "title": "Deliver the warning letter",
            "due_on": timezone.localdate() + datetime.timedelta(days=7),
            "assigned_organisation": self.council,
            "assigned_user": self.colleague,
        }
        return services.task_create(**(fields | extra))

    def test_creating_a_task_notifies_the_assignee(self):
        task = self._task()
        assert Notification.objects.filter(user=self.colleague, kind="task_assigned", reference=self.case.reference)
        assert AuditEvent.objects.filter(object_id=str(task.public_id), action="created").exists()

    def test_a_task_for_an_organisation_without_a_user_notifies_its_managers(self):
        self._task(assigned_organisation=self.police, assigned_user=None)
        assert Notification.objects.filter(user=self.police_manager, kind="task_assigned").exists()

    def test_an_organisation_that_cannot_see_the_case_cannot_be_tasked(self):
        with self.assertRaisesMessage(ValidationError, "Share the case with them first"):
            self._task(case=self.private_case, assigned_organisation=self.police, assigned_user=None)

    def test_the_user_must_work_for_the_organisation(self):
        with self.assertRaisesMessage(ValidationError, "must work for the organisation"):
            self._task(assigned_organisation=self.police, assigned_user=self.colleague)

    def test_someone_who_cannot_see_the_case_cannot_create_a_task(self):
        with pytest.raises(PermissionDenied):
            self._task(actor=self.police_officer, case=self.private_case)

    def test_reassignment_is_recorded(self):
        task = self._task()
        services.task_reassign(
            actor=self.asb_officer, task=task, organisation=self.police, user=self.police_officer, reason="Police lead."
        )
        history = Reassignment.objects.get(task=task)
        assert (history.from_user, history.to_user) == (self.colleague, self.police_officer)
        assert Notification.objects.filter(user=self.police_officer, kind="task_assigned").exists()

    def test_done_needs_a_completion_note(self):
        task = self._task()
        with self.assertRaisesMessage(ValidationError, "completion note"):
            services.task_status_set(actor=self.colleague, task=task, status=Status.DONE)
        services.task_status_set(actor=self.colleague, task=task, status=Status.DONE, completion_note="Delivered.")
        task.refresh_from_db()
        assert task.completed_by == self.colleague

    def test_an_unrelated_user_who_sees_the_case_cannot_update_the_task(self):
        task = self._task()
        with pytest.raises(PermissionDenied):
            services.task_status_set(actor=self.support_worker, task=task, status=Status.IN_PROGRESS)
