"""Actions assigned in a meeting: the meeting's rules decide, the actions app writes."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from casebridge.accounts.models import User
from casebridge.actions import services as task_services
from casebridge.actions.models import Priority, Task
from casebridge.cases.models import Case
from casebridge.meetings import access
from casebridge.meetings.models import Meeting
from casebridge.organisations.models import Organisation


@transaction.atomic
def meeting_task_create(
    *,
    actor: User,
    meeting: Meeting,
    case: Case,
    title: str,
    due_on: datetime.date,
    assigned_organisation: Organisation,
    assigned_user: User | None = None,
    priority: str = Priority.NORMAL,
    description: str = "",
) -> Task:
    """An action agreed in the meeting, listed on its action tracker."""
    if not access.may_assign_task(actor, meeting, case):
        raise PermissionDenied
    return task_services.task_create(
        actor=actor,
        case=case,
        title=title,
        due_on=due_on,
        assigned_organisation=assigned_organisation,
        assigned_user=assigned_user,
        priority=priority,
        description=description,
        meeting_id=meeting.pk,
    )
