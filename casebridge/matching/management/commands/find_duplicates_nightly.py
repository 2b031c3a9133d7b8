from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from casebridge.matching.tasks import refresh_duplicate_queue


class Command(BaseCommand):
    help = "Refresh the possible-duplicates queue: enqueue the background task, or run it now with --now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Run in this process instead of enqueuing.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            added = refresh_duplicate_queue.call()
            self.stdout.write(f"Added {added} new candidates to the queue.")
        else:
            result = refresh_duplicate_queue.enqueue()
            self.stdout.write(f"Enqueued the duplicate run ({result.id}).")
