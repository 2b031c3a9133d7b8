"""The daily reminders: overdue actions, review dates reached, agendas and papers due, digest emails."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from casebridge.actions.services import tasks_remind_overdue
from casebridge.meetings.services import agendas_build_due, papers_publish_due, reviews_remind_due
from casebridge.notifications.services import digests_send


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
    return ReminderRun(
        overdue=tasks_remind_overdue(today=day),
        reviews=reviews_remind_due(today=day),
        agendas=agendas_build_due(today=day),
        papers=papers_publish_due(today=day),
        digests=digests_send(),
    )
