"""Import a spreadsheet from the command line, exactly as the web wizard does, and print the report."""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from casebridge.access.capabilities import Capability, roles_holding
from casebridge.accounts.models import User
from casebridge.imports import services
from casebridge.imports.models import DateOrder, ImportJob, JobStatus, Severity
from casebridge.imports.templates import TEMPLATES
from casebridge.organisations.models import Membership, Partnership


class Command(BaseCommand):
    help = (
        "Import a CSV or Excel file with the people, cases or incidents template and print the report. "
        "With --dry-run nothing is written except the report."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="The CSV or Excel (.xlsx) file.")
        parser.add_argument("--template", choices=sorted(TEMPLATES), help="Which template the file follows.")
        parser.add_argument("--partnership", help="The partnership's code, for example SH.")
        parser.add_argument(
            "--mapping",
            help='A JSON file: {"columns": {header: field}, "values": {field: {from: to}}, "date_order": "dmy"}. '
            "Without it the columns are matched by their headings.",
        )
        parser.add_argument("--sheet", help="The sheet of an Excel workbook (the first when left out).")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and report; write nothing.")
        parser.add_argument(
            "--user",
            help="Email of the administrator the import is recorded against "
            "(the partnership's first administrator when left out).",
        )
        parser.add_argument("--resume", metavar="JOB_ID", help="Finish an import that stopped, by its public id.")
        parser.add_argument("--problems", type=int, default=50, help="How many problems to print (default 50).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["resume"]:
            job = (
                ImportJob.objects.select_related("partnership", "created_by")
                .filter(public_id=options["resume"])
                .first()
            )
            if job is None:
                raise CommandError(f"There is no import {options['resume']}.")
            self._print(services.run_import(job), options["problems"])
            return
        if not (options["file"] and options["template"] and options["partnership"]):
            raise CommandError("Give the FILE, --template and --partnership.")
        partnership = Partnership.objects.filter(code=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"There is no partnership with the code {options['partnership']!r}.")
        actor = self._actor(partnership, options["user"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        columns: dict[str, str | None] | None = None
        values: dict[str, dict[str, str]] = {}
        date_order = DateOrder.DAY_FIRST
        if options["mapping"]:
            try:
                mapping = json.loads(Path(options["mapping"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"The mapping file could not be read: {error}") from error
            columns = mapping.get("columns")
            values = mapping.get("values") or {}
            date_order = mapping.get("date_order") or DateOrder.DAY_FIRST
        try:
            job = services.create_job(
                actor=actor,
                partnership=partnership,
                template=options["template"],
                data=path.read_bytes(),
                file_name=path.name,
                sheet=options["sheet"],
                column_mapping=columns,
                value_mapping=values,
                date_order=date_order,
            )
            self.stdout.write(f"Import {job.public_id} of {path.name} (sha256 {job.file_sha256}).")
            for header, field_name in job.column_mapping.items():
                self.stdout.write(f"  column {header!r} -> {field_name or '(not imported)'}")
            report = services.run_dry_run(job) if options["dry_run"] else services.run_import(job)
        except services.SpreadsheetError as error:
            raise CommandError(error.message) from error
        except services.MappingIncomplete as error:
            raise CommandError(error.message) from error
        except PermissionDenied as error:
            raise CommandError(f"{actor.email} may not import into {partnership.code}.") from error
        self._print(report, options["problems"])

    def _actor(self, partnership: Partnership, email: str | None) -> User:
        if email:
            user = User.objects.with_email(email).first()
            if user is None:
                raise CommandError(f"There is no user {email}.")
            return user
        membership = (
            Membership.objects.filter(
                partnership=partnership,
                role__in=roles_holding(Capability.CONFIGURE_PARTNERSHIP),
                user__is_active=True,
            )
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is None:
            raise CommandError("The partnership has no administrator: give --user.")
        return membership.user

    def _print(self, report: services.Report, limit: int) -> None:
        lines = report.as_lines()
        summary = [
            line for line in lines if not line.startswith((str(Severity.ERROR.label), str(Severity.WARNING.label)))
        ]
        problems = lines[len(summary) :]
        for line in summary:
            self.stdout.write(line)
        for line in problems[:limit]:
            self.stdout.write(line)
        if len(problems) > limit:
            self.stdout.write(f"... and {len(problems) - limit} more problems (see the report CSV).")
        if report.job.status == JobStatus.FAILED:
            raise CommandError(f"The import failed: {report.job.failure}")
