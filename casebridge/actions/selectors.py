"""Reads on actions: only those on cases the user may see (cases.policy)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.actions.models import OPEN_STATUSES, Status, Task
from casebridge.cases.policy import Act, visible_cases
from casebridge.organisations.models import Partnership

STATES = ("open", "overdue", "done", "all")


@dataclass(frozen=True)
class TaskFilters:
    state: str = "open"
    priority: str = ""


def tasks_visible_to(*, user: User, partnership: Partnership) -> QuerySet[Task]:
    cases = visible_cases(user, partnership, Act.VIEW).values("pk")
    return Task.objects.filter(partnership=partnership, case_id__in=cases)


def _filtered(tasks: QuerySet[Task], filters: TaskFilters, today: datetime.date | None = None) -> QuerySet[Task]:
    day = today or timezone.localdate()
    if filters.state == "open":
        tasks = tasks.filter(status__in=OPEN_STATUSES)
    elif filters.state == "overdue":
        tasks = tasks.filter(status__in=OPEN_STATUSES, due_on__lt=day)
    elif filters.state == "done":
        tasks = tasks.filter(status__in=[Status.DONE, Status.CANCELLED])
    if filters.priority:
        tasks = tasks.filter(priority=filters.priority)
    return tasks.select_related("case", "assigned_organisation", "assigned_user", "meeting__series").order_by(
        "due_on", "id"
    )


def task_list_mine(*, user: User, partnership: Partnership, filters: TaskFilters) -> QuerySet[Task]:
    return _filtered(tasks_visible_to(user=user, partnership=partnership).filter(assigned_user=user), filters)


def task_list_organisation(*, user: User, partnership: Partnership, filters: TaskFilters) -> QuerySet[Task]:
    mine = tasks_visible_to(user=user, partnership=partnership).filter(assigned_organisation_id=user.organisation_id)
    return _filtered(mine, filters)


def task_list_meeting(*, user: User, partnership: Partnership, meeting_id: int, filters: TaskFilters) -> QuerySet[Task]:
    """A meeting's action tracker: the actions it assigned, on cases the user may see."""
    return _filtered(tasks_visible_to(user=user, partnership=partnership).filter(meeting_id=meeting_id), filters)


def get_task_or_404(user: User, public_id: Any, partnership: Partnership | None) -> Task:
    if partnership is None:
        raise Http404
    task = (
        tasks_visible_to(user=user, partnership=partnership)
        .select_related("case", "assigned_organisation", "assigned_user", "meeting", "meeting__series", "created_by")
        .filter(public_id=public_id)
        .first()
    )
    if task is None:
        raise Http404
    return task
