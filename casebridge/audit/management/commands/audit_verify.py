from typing import Any

from django.core.management.base import BaseCommand, CommandError

from casebridge.audit.verify import audit_verify


class Command(BaseCommand):
    help = "Check the audit hash chains: exit 0 with the count when intact, non-zero naming the first bad event."

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if result.problem:
            raise CommandError(f"Audit trail broken at {result.problem}. {result.checked} events checked before it.")
        self.stdout.write(f"Audit trail intact: {result.checked} events verified.")
