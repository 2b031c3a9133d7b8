"""Writes on actions (tasks): checked against the case's access policy and audited."""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.actions.models import OPEN_STATUSES, Priority, Reassignment, Status, Task
from casebridge.audit.models import Action
from casebridge.audit.services import audit_record
from casebridge.cases.models import Case, Share
from casebridge.cases.policy import Act, can
from casebridge.meetings import access as meeting_access
from casebridge.meetings.models import Meeting
from casebridge.organisations.models import Organisation

if TYPE_CHECKING:
    from casebridge.accounts.models import User


def organisation_sees_case(organisation: Organisation, case: Case) -> bool:
    """The organisation leads the case or holds a live organisation-wide share of it."""
    if organisation.pk == case.lead_organisation_id:
        return True
    now = timezone.now()
    return (
        Share.objects.filter(case=case, organisation=organisation, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .exists()
    )


def _check_assignee(case: Case, organisation: Organisation, user: "User | None") -> None:
    if user is not None and user.organisation_id != organisation.pk:
        raise ValidationError(_("The person must work for the organisation the action is assigned to."))
    if not organisation_sees_case(organisation, case) and not (user is not None and can(user, Act.VIEW, case)):
        raise ValidationError(
            _("%(org)s cannot see this case. Share the case with them first.") % {"org": organisation}
        )


def may_assign(actor: "User", case: Case, meeting: Meeting | None) -> bool:
    if meeting is not None and meeting_access.may_run(actor, meeting):
        return meeting.items.filter(case=case).exists()
    return can(actor, Act.CONTRIBUTE, case)


def may_update(actor: "User", task: Task) -> bool:
    """The assignee, staff of the assigned organisation, and whoever manages the case."""
    if not can(actor, Act.VIEW, task.case):
        return False
    return (
        task.assigned_user_id == actor.pk
        or (task.assigned_organisation_id == actor.organisation_id and task.assigned_user_id is None)
        or task.created_by_id == actor.pk
        or can(actor, Act.MANAGE, task.case)
        or (task.meeting is not None and meeting_access.may_run(actor, task.meeting))
    )


@transaction.atomic
def task_create(
    *,
    actor: "User",
    case: Case,
    title: str,
    due_on: datetime.date,
    assigned_organisation: Organisation,
    assigned_user: "User | None" = None,
    priority: str = Priority.NORMAL,
    description: str = "",
    meeting: Meeting | None = None,
) -> Task:
    if not may_assign(actor, case, meeting):
        raise PermissionDenied
    if not title.strip():
        raise ValidationError(_("Enter what needs to be done."))
    _check_assignee(case, assigned_organisation, assigned_user)
    task = Task.objects.create(
        partnership_id=case.partnership_id,
        case=case,
        meeting=meeting,
        title=title.strip(),
        description=description.strip(),
        assigned_organisation=assigned_organisation,
        assigned_user=assigned_user,
        due_on=due_on,
        priority=priority,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CREATED,
        partnership_id=case.partnership_id,
        obj=task,
        object_label=f"Action on {case.reference}",
        data={
            "case": case.reference,
            "organisation": str(assigned_organisation),
            "user": str(assigned_user) if assigned_user else None,
            "due_on": str(due_on),
            "priority": priority,
            "meeting": str(meeting.public_id) if meeting else None,
        },
    )
    _notify_assigned(task)
    return task


def _notify_assigned(task: Task) -> None:
    from casebridge.notifications.services import notify_task_assigned

    notify_task_assigned(task=task)


@transaction.atomic
def task_reassign(*, actor: "User", task: Task, organisation: Organisation, user: "User | None", reason: str) -> Task:
    if not may_update(actor, task):
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
    audit_record(
        actor=actor,
        action=Action.CHANGED,
        partnership_id=task.partnership_id,
        obj=task,
        object_label=f"Action on {task.case.reference}",
        data={
            "case": task.case.reference,
            "assignee": {"from": before, "to": {"organisation": str(organisation), "user": str(user or "")}},
            "reason": reason.strip(),
        },
    )
    _notify_assigned(task)
    return task


@transaction.atomic
def task_status_set(*, actor: "User", task: Task, status: str, completion_note: str = "") -> Task:
    if not may_update(actor, task):
        raise PermissionDenied
    if status not in Status.values:
        raise ValidationError(_("Choose a status from the list."))
    if status == Status.DONE and not completion_note.strip():
        raise ValidationError(_("Enter a completion note: what was done."))
    before = task.status
    task.status = status
    task.completion_note = completion_note.strip() if status in (Status.DONE, Status.CANCELLED) else ""
    if status in OPEN_STATUSES:
        task.completed_at, task.completed_by = None, None
    else:
        task.completed_at, task.completed_by = timezone.now(), actor
    task.save(update_fields=["status", "completion_note", "completed_at", "completed_by", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.CHANGED,
        partnership_id=task.partnership_id,
        obj=task,
        object_label=f"Action on {task.case.reference}",
        data={"case": task.case.reference, "status": {"from": before, "to": status}},
    )
    return task
