"""Bulk onboarding from a CSV file: the same service as the upload page."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casebridge.accounts.staff.importing import COLUMNS, ImportFileError, rows_from_csv
from casebridge.accounts.staff.users_import import users_import
from casebridge.organisations.models import Partnership


class Command(BaseCommand):
    help = f"Creates users from a CSV file with the columns {', '.join(COLUMNS)}. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--partnership", help="Partnership code for every row (rows may leave it blank).")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report without saving.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            rows = rows_from_csv(path.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        partnership = None
        if options["partnership"]:
            partnership = Partnership.objects.filter(code=options["partnership"].upper()).first()
            if partnership is None:
                raise CommandError(f"There is no partnership with the code {options['partnership']}.")
        report = users_import(actor=None, rows=rows, partnership=partnership, dry_run=options["dry_run"])
        for problem in report.errors:
            self.stderr.write(f"row {problem.row}, {problem.column} {problem.value!r}: {problem.reason}")
        prefix = "Dry run, nothing saved: " if report.dry_run else ""
        self.stdout.write(
            f"{prefix}{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.rows_with_errors} rows with errors, {report.teams_created} teams created."
        )
