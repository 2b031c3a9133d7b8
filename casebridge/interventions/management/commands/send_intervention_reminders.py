from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from casebridge.interventions.services import REMINDER_DAYS, intervention_reminders_send
from casebridge.interventions.tasks import intervention_reminders


class Command(BaseCommand):
    help = "Alert officers about interventions due for review or expiring soon (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=REMINDER_DAYS, help="How many days ahead to look.")
        parser.add_argument("--enqueue", action="store_true", help="Queue the work for the task worker instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = intervention_reminders.enqueue(days_ahead=options["days"])
            self.stdout.write(f"Queued reminder task {result.id}.")
            return
        sent = intervention_reminders_send(days_ahead=options["days"])
        self.stdout.write(f"{sent} reminders sent.")
