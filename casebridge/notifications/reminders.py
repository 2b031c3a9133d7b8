"""The daily reminders: overdue actions, review dates reached, agendas and papers due, digest emails."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casebridge.actions.models import OPEN_STATUSES, Task
from casebridge.meetings.models import Meeting, Minute
from casebridge.meetings.services import agendas_build_due, papers_publish
from casebridge.notifications.services import digests_send, notify_review_due, notify_task_overdue


@dataclass(frozen=True)
class ReminderRun:
    overdue: int
    reviews: int
    agendas: int
    papers: int
    digests: int


def reminders_run(*, today: datetime.date | None = None) -> ReminderRun:
    """Safe to run more than once a day: each reminder is sent once per day or once ever."""
    day = today or timezone.localdate()
    overdue = 0
    tasks = Task.objects.filter(status__in=OPEN_STATUSES, due_on__lt=day).filter(
        Q(overdue_notified_on__isnull=True) | Q(overdue_notified_on__lt=day)
    )
    for task in tasks.select_related("case", "assigned_user", "assigned_organisation"):
        with transaction.atomic():
            notify_task_overdue(task=task)
            Task.objects.filter(pk=task.pk).update(overdue_notified_on=day)
        overdue += 1
    reviews = 0
    for minute in Minute.objects.filter(
        next_review_on=day, item__meeting__minutes_published_at__isnull=False
    ).select_related("item__case__lead_officer"):
        notify_review_due(case=minute.item.case)
        reviews += 1
    agendas = agendas_build_due(today=day)
    papers = 0
    due = Meeting.objects.filter(
        papers_date__lte=day,
        agenda_published_at__isnull=False,
        papers_published_at__isnull=True,
        starts_at__date__gte=day,
    ).select_related("series", "series__chair")
    for meeting in due:
        papers_publish(actor=None, meeting=meeting)
        papers += 1
    return ReminderRun(overdue=overdue, reviews=reviews, agendas=agendas, papers=papers, digests=digests_send())
