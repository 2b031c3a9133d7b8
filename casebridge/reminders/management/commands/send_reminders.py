from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from casebridge.reminders.services import reminders_run
from casebridge.reminders.tasks import next_run, reminders_job


class Command(BaseCommand):
    help = "Send today's reminders once (overdue actions, review dates, agendas, papers, digests)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule", action="store_true", help="Instead, book the daily job with the background worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            from django.utils import timezone

            when = next_run(timezone.now())
            reminders_job.using(run_after=when).enqueue(reschedule=True)
            self.stdout.write(f"Reminders booked for {when:%Y-%m-%d %H:%M}, then daily.")
            return
        run = reminders_run()
        self.stdout.write(
            f"Overdue actions: {run.overdue}. Reviews due: {run.reviews}. Agendas built: {run.agendas}. "
            f"Papers published: {run.papers}. Digest emails: {run.digests}."
        )
