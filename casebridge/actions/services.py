"""Writes on actions (tasks): checked against the case's access policy and audited."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.actions.models import OPEN_STATUSES, Priority, Reassignment, Status, Task
from casebridge.audit.models import Action
from casebridge.audit.services import audit_record
from casebridge.cases.models import Case
from casebridge.cases.policy import Act, can, organisation_sees_case
from casebridge.lib.progress import progress_check
from casebridge.notifications.models import Kind
from casebridge.notifications.services import notify, organisation_managers
from casebridge.organisations.models import Organisation


def _check_assignee(case: Case, organisation: Organisation, user: User | None) -> None:
    if user is not None and user.organisation_id != organisation.pk:
        raise ValidationError(_("The person must work for the organisation the action is assigned to."))
    if not organisation_sees_case(organisation.pk, case) and not (user is not None and can(user, Act.VIEW, case)):
        raise ValidationError(
            _("%(org)s cannot see this case. Share the case with them first.") % {"org": organisation}
        )


def may_assign(actor: User, case: Case) -> bool:
    """An action on the case's plan; in a meeting, meetings.access.may_assign_task decides."""
    return can(actor, Act.CONTRIBUTE, case)


def may_update(actor: User, task: Task, *, runs_meeting: bool = False) -> bool:
    """The assignee, staff of the assigned organisation, and whoever manages the case.

    ``runs_meeting``: the actor runs the meeting that assigned the action
    (meetings.access.runs_task_meeting), which lets them update it too.
    """
    if not can(actor, Act.VIEW, task.case):
        return False
    return (
        task.assigned_user_id == actor.pk
        or (task.assigned_organisation_id == actor.organisation_id and task.assigned_user_id is None)
        or task.created_by_id == actor.pk
        or can(actor, Act.MANAGE, task.case)
        or runs_meeting
    )


@transaction.atomic
def task_create(
    *,
    actor: User,
    case: Case,
    title: str,
    due_on: datetime.date,
    assigned_organisation: Organisation,
    assigned_user: User | None = None,
    priority: str = Priority.NORMAL,
    description: str = "",
    meeting_id: int | None = None,
) -> Task:
    """A new action on the case, assigned to an organisation and optionally one of its staff.

    Only meetings.services.meeting_task_create passes ``meeting_id``, having checked the
    meeting's rules in place of the case plan's.
    """
    if meeting_id is None and not may_assign(actor, case):
        raise PermissionDenied
    if not title.strip():
        raise ValidationError(_("Enter what needs to be done."))
    _check_assignee(case, assigned_organisation, assigned_user)
    task = Task.objects.create(
        partnership_id=case.partnership_id,
        case=case,
        meeting_id=meeting_id,
        title=title.strip(),
        description=description.strip(),
        assigned_organisation=assigned_organisation,
        assigned_user=assigned_user,
        due_on=due_on,
        priority=priority,
        created_by=actor,
    )
    _audit(
        actor,
        task,
        Action.CREATED,
        organisation=str(assigned_organisation),
        user=str(assigned_user) if assigned_user else None,
        due_on=str(due_on),
        priority=priority,
        meeting=str(task.meeting.public_id) if task.meeting else None,
    )
    _notify(task, Kind.TASK_ASSIGNED)
    return task


def _audit(actor: User, task: Task, action: Action, **data: Any) -> None:
    """Every event on an action names it by its case, the same way."""
    audit_record(
        actor=actor,
        action=action,
        partnership_id=task.partnership_id,
        obj=task,
        object_label=f"Action on {task.case.reference}",
        data={"case": task.case.reference, **data},
    )


def _notify(task: Task, kind: str) -> None:
    """The assigned person or, when the action is for the whole organisation, its managers."""
    users: Iterable[User]
    if task.assigned_user is not None:
        users = [task.assigned_user]
    else:
        users = organisation_managers(task.assigned_organisation, task.partnership_id)
    case = task.case
    notify(
        users=users,
        kind=kind,
        reference=case.reference,
        path=reverse("actions:detail", args=[task.public_id]),
        may_see=lambda user: can(user, Act.VIEW, case),
    )


@transaction.atomic
def task_reassign(
    *,
    actor: User,
    task: Task,
    organisation: Organisation,
    user: User | None,
    reason: str,
    runs_meeting: bool = False,
) -> Task:
    if not may_update(actor, task, runs_meeting=runs_meeting):
        raise PermissionDenied
    if not task.is_open:
        raise ValidationError(_("Only an open action can be reassigned."))
    if not reason.strip():
        raise ValidationError(_("Enter the reason for reassigning the action."))
    _check_assignee(task.case, organisation, user)
    Reassignment.objects.create(
        task=task,
        from_organisation_id=task.assigned_organisation_id,
        from_user_id=task.assigned_user_id,
        to_organisation=organisation,
        to_user=user,
        reason=reason.strip(),
        by=actor,
    )
    before = {"organisation": str(task.assigned_organisation), "user": str(task.assigned_user or "")}
    task.assigned_organisation, task.assigned_user = organisation, user
    task.save(update_fields=["assigned_organisation", "assigned_user", "updated_at"])
    _audit(
        actor,
        task,
        Action.CHANGED,
        assignee={"from": before, "to": {"organisation": str(organisation), "user": str(user or "")}},
        reason=reason.strip(),
    )
    _notify(task, Kind.TASK_ASSIGNED)
    return task


@transaction.atomic
def task_status_set(
    *, actor: User, task: Task, status: str, completion_note: str = "", runs_meeting: bool = False
) -> Task:
    if not may_update(actor, task, runs_meeting=runs_meeting):
        raise PermissionDenied
    progress_check(status, completion_note, note_missing=_("Enter a completion note: what was done."))
    before = task.status
    task.status = status
    task.completion_note = completion_note.strip() if status in (Status.DONE, Status.CANCELLED) else ""
    if status in OPEN_STATUSES:
        task.completed_at, task.completed_by = None, None
    else:
        task.completed_at, task.completed_by = timezone.now(), actor
    task.save(update_fields=["status", "completion_note", "completed_at", "completed_by", "updated_at"])
    _audit(actor, task, Action.CHANGED, status={"from": before, "to": status})
    return task


def tasks_remind_overdue(*, today: datetime.date) -> int:
    """Tell whoever holds each overdue open action, once a day; returns the number of actions reminded."""
    reminded = 0
    tasks = Task.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today).filter(
        Q(overdue_notified_on__isnull=True) | Q(overdue_notified_on__lt=today)
    )
    for task in tasks.select_related("case", "assigned_user", "assigned_organisation"):
        with transaction.atomic():
            _notify(task, Kind.TASK_OVERDUE)
            Task.objects.filter(pk=task.pk).update(overdue_notified_on=today)
        reminded += 1
    return reminded
