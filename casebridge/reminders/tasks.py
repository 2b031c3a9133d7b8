"""The scheduled reminders job: runs once and, when asked, books its next run for tomorrow morning."""

import datetime

from django.utils import timezone
from django_tasks import task

from casebridge.reminders.services import reminders_run

RUN_AT = datetime.time(6, 0)


def next_run(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    tomorrow = local.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(tomorrow, RUN_AT, tzinfo=local.tzinfo)


@task()
def reminders_job(reschedule: bool = False) -> dict[str, int]:
    run = reminders_run()
    if reschedule:
        reminders_job.using(run_after=next_run(timezone.now())).enqueue(reschedule=True)
    return {
        "overdue": run.overdue,
        "reviews": run.reviews,
        "agendas": run.agendas,
        "papers": run.papers,
        "digests": run.digests,
    }
