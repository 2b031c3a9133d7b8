"""The spreadsheet migration engine's public API: every caller (the wizard, the command, tests) uses these.

The life of an import::

    job = create_job(actor=..., partnership=..., template="cases", data=..., file_name="cases.xlsx")
    job = job_set_mapping(actor=..., job=job, column_mapping={...}, value_mapping={...})
    report = run_dry_run(job)            # what would happen: counts and every problem; writes nothing
    enqueue_import(job)                  # in the background, in batches; or run_import(job) directly
    progress(job)                        # for the progress bar
    report_csv(job)                      # every problem, as a CSV safe to open in a spreadsheet
    rollback(actor=admin, job=job)       # undo, while nothing else has touched its records

``SpreadsheetError`` (from ``create_job`` or any run) and ``MappingIncomplete`` (from a run)
carry a plain ``message`` to show as it is.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import audit_changed, audit_created, audit_on_record, audit_record
from casebridge.imports import jobs, storage
from casebridge.imports.mapping import suggest_columns
from casebridge.imports.models import (
    DateOrder,
    ImportJob,
    ImportProblem,
    JobStatus,
    SavedMapping,
    Severity,
    TemplateName,
)
from casebridge.imports.reading import SpreadsheetError, Table, read_table
from casebridge.imports.rollback import RollbackRefused, may_roll_back, rollback, rollback_blockers
from casebridge.imports.templates import TEMPLATES
from casebridge.lib.spreadsheets import csv_text
from casebridge.organisations.models import Partnership

__all__ = [
    "MappingIncomplete",
    "Progress",
    "Report",
    "RollbackRefused",
    "SpreadsheetError",
    "create_job",
    "enqueue_dry_run",
    "enqueue_import",
    "job_set_mapping",
    "job_table",
    "may_import",
    "may_roll_back",
    "missing_fields",
    "progress",
    "report",
    "report_csv",
    "rollback",
    "rollback_blockers",
    "run_dry_run",
    "run_import",
    "saved_mapping_save",
]


class MappingIncomplete(Exception):
    """A required field has no column; ``message`` names the fields."""

    def __init__(self, message: str, fields: list[str]) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields


@dataclass
class Report:
    """What an import did (or, for a dry run, would do): counts and every problem."""

    job: ImportJob
    dry_run: bool
    counts: dict[str, int]
    rows_total: int
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.severity == Severity.WARNING]

    def as_lines(self) -> list[str]:
        """The report as plain text lines (used by the management command)."""
        c = self.counts
        heading = _("Dry run: nothing was written.") if self.dry_run else _("Import finished.")
        lines = [
            heading,
            _("Rows: %(n)s") % {"n": self.rows_total},
            _("To create: %(n)s") % {"n": c.get("create", 0)}
            if self.dry_run
            else _("Created: %(n)s") % {"n": c.get("create", 0)},
            _("To update: %(n)s") % {"n": c.get("update", 0)}
            if self.dry_run
            else _("Updated: %(n)s") % {"n": c.get("update", 0)},
            _("Unchanged (skipped): %(n)s") % {"n": c.get("skip", 0)},
            _("Rejected (errors): %(n)s") % {"n": c.get("error", 0)},
            _("Warnings: %(n)s") % {"n": c.get("warning", 0)},
        ]
        if self.job.template in (TemplateName.PEOPLE, TemplateName.CASES):
            lines += [
                _("People created: %(n)s") % {"n": c.get("people_created", 0)},
                _("People matched to an existing profile: %(n)s") % {"n": c.get("people_matched", 0)},
                _("Possible duplicates queued for review: %(n)s") % {"n": c.get("review_queued", 0)},
            ]
        for p in self.problems:
            where = _("Row %(row)s") % {"row": p.row} + (f", {p.column}" if p.column else "")
            value = f" “{p.value}”" if p.value else ""
            lines.append(f"{p.get_severity_display()}: {where}{value}: {p.reason}")
        return lines


@dataclass
class Progress:
    status: str
    status_label: str
    rows_total: int
    rows_done: int
    percent: int
    counts: dict[str, int]
    failure: str

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED, JobStatus.ROLLED_BACK)


def may_import(user: User, partnership: Partnership) -> bool:
    """Importing spreadsheets is configuring the partnership: its administrators' job."""
    return user.organisation_id is not None and holds(user, Capability.CONFIGURE_PARTNERSHIP, partnership.pk)


@transaction.atomic
def create_job(
    *,
    actor: User,
    partnership: Partnership,
    template: str,
    data: bytes,
    file_name: str,
    sheet: str | None = None,
    column_mapping: dict[str, str | None] | None = None,
    value_mapping: dict[str, dict[str, str]] | None = None,
    date_order: str = DateOrder.DAY_FIRST,
) -> ImportJob:
    """Check and keep an uploaded file; the column mapping is suggested from the headers when not given.

    Raises SpreadsheetError (nothing is stored) for a file that cannot be imported.
    """
    if not may_import(actor, partnership):
        raise PermissionDenied
    if template not in TEMPLATES:
        raise ValueError(f"Unknown template {template!r}")
    table = read_table(data, file_name, sheet)
    columns = _checked_columns(template, table, column_mapping)
    stored_name, sha256 = storage.store_bytes(data)
    job = ImportJob.objects.create(
        partnership=partnership,
        template=template,
        file_name=file_name[:255],
        file_sha256=sha256,
        file_size=len(data),
        stored_name=stored_name,
        sheet=table.sheet,
        column_mapping=columns,
        value_mapping=value_mapping or {},
        date_order=date_order,
        created_by=actor,
    )
    audit_created(
        actor=actor,
        obj=job,
        data={
            "import": str(job.public_id),
            "template": template,
            "file_name": job.file_name,
            "sha256": sha256,
            "size": len(data),
            "sheet": table.sheet,
        },
    )
    return job


def _checked_columns(template: str, table: Table, given: dict[str, str | None] | None) -> dict[str, str]:
    chosen = suggest_columns(TEMPLATES[template], table.headers) if given is None else given
    columns: dict[str, str] = {}
    for header in table.headers:
        field_name = chosen.get(header) or ""
        if field_name and TEMPLATES[template].get(field_name) is None:
            raise ValueError(f"{field_name!r} is not a field of the {template} template")
        columns[header] = field_name
    return columns


def job_table(job: ImportJob) -> Table:
    """The job's sheet, read again from the stored file (for distinct values and previews)."""
    return jobs.open_table(job)


@transaction.atomic
def job_set_mapping(
    *,
    actor: User,
    job: ImportJob,
    column_mapping: dict[str, str | None] | None = None,
    value_mapping: dict[str, dict[str, str]] | None = None,
    date_order: str | None = None,
    sheet: str | None = None,
) -> ImportJob:
    """Change how the file is read before it is imported; the job must be checked again."""
    if not may_import(actor, job.partnership):
        raise PermissionDenied
    if job.status not in (JobStatus.UPLOADED, JobStatus.VALIDATED):
        raise ValueError("The mapping of an import that has started cannot change.")
    if sheet is not None and sheet != job.sheet:
        job.sheet = sheet
        table = jobs.open_table(job)
        job.column_mapping = _checked_columns(job.template, table, None)
    if column_mapping is not None:
        job.column_mapping = _checked_columns(job.template, jobs.open_table(job), column_mapping)
    if value_mapping is not None:
        job.value_mapping = value_mapping
    if date_order is not None:
        job.date_order = DateOrder(date_order)
    job.status = JobStatus.UPLOADED
    job.save(update_fields=["sheet", "column_mapping", "value_mapping", "date_order", "status", "updated_at"])
    audit_changed(
        actor=actor,
        obj=job,
        data={
            "import": str(job.public_id),
            "sheet": job.sheet,
            "columns": job.column_mapping,
            "values": job.value_mapping,
            "date_order": job.date_order,
        },
    )
    return job


def missing_fields(job: ImportJob) -> list[str]:
    """Required template fields that no column is mapped to."""
    mapped = {field_name for field_name in job.column_mapping.values() if field_name}
    return [name for name in TEMPLATES[job.template].required_fields if name not in mapped]


def _require_mapping(job: ImportJob) -> None:
    missing = missing_fields(job)
    if missing:
        template = TEMPLATES[job.template]
        labels = ", ".join(str(f.label) for f in template.fields if f.name in missing)
        raise MappingIncomplete(_("Choose a column for each required field: %(fields)s.") % {"fields": labels}, missing)


def run_dry_run(job: ImportJob, *, actor: User | None = None) -> Report:
    """Check every row as the import would and report what it would do; writes nothing but the report."""
    _require_mapping(job)
    _audit_started(actor, job, "dry_run")
    if job.status not in (JobStatus.UPLOADED, JobStatus.VALIDATED, JobStatus.VALIDATING):
        raise ValueError("Only an import that has not started can be checked.")
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.VALIDATING)
    jobs.dry_run(job)
    return report(job, dry_run=True)


def run_import(job: ImportJob, *, actor: User | None = None) -> Report:
    """Import (or resume importing) the job's rows in batches, in this process."""
    _require_mapping(job)
    _audit_started(actor, job, "import")
    jobs.run(job)
    job.refresh_from_db()
    return report(job)


def _audit_started(actor: User | None, job: ImportJob, what: str) -> None:
    if actor is not None:
        audit_changed(
            actor=actor,
            obj=job,
            data={"import": str(job.public_id), "started": what, "file_name": job.file_name},
        )


def enqueue_dry_run(job: ImportJob, *, actor: User | None = None) -> ImportJob:
    """Queue the check of every row for the background worker; ``progress`` moves batch by batch."""
    _require_mapping(job)
    if job.status not in (JobStatus.UPLOADED, JobStatus.VALIDATED, JobStatus.VALIDATING):
        raise ValueError("Only an import that has not started can be checked.")
    return _queue(job, actor=actor, status=JobStatus.VALIDATING, what="dry_run")


def enqueue_import(job: ImportJob, *, actor: User | None = None) -> ImportJob:
    """Queue the import for the background worker once the current transaction commits.

    An import that stopped (failed, or its worker was killed) is queued again the same way
    and resumes after its last finished batch.
    """
    _require_mapping(job)
    if job.status in (JobStatus.DONE, JobStatus.ROLLED_BACK):
        raise ValueError("This import has already finished.")
    return _queue(job, actor=actor, status=JobStatus.QUEUED, what="import")


def _queue(job: ImportJob, *, actor: User | None, status: str, what: str) -> ImportJob:
    """Mark the job, audit who started it, and queue its task once the transaction commits."""
    ImportJob.objects.filter(pk=job.pk).update(status=status)
    job.status = status
    _audit_started(actor, job, what)
    job_id = job.pk

    def enqueue() -> None:
        # Imported here: the tasks run this module's run_dry_run and run_import.
        from casebridge.imports import tasks

        task = tasks.dry_run_job_run if what == "dry_run" else tasks.import_job_run
        result = task.enqueue(job_id)
        ImportJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)
    return job


def report(job: ImportJob, *, dry_run: bool | None = None) -> Report:
    problems = list(ImportProblem.objects.filter(job=job).order_by("row", "pk"))
    is_dry = (
        job.status in (JobStatus.UPLOADED, JobStatus.VALIDATING, JobStatus.VALIDATED) if dry_run is None else dry_run
    )
    return Report(job=job, dry_run=is_dry, counts=dict(job.counts), rows_total=job.rows_total, problems=problems)


def report_csv(job: ImportJob, *, actor: User | None = None) -> bytes:
    """Every problem as CSV (UTF-8 with a byte order mark); cells that could run as formulas are neutralised.

    With ``actor``, the download is audited (the report repeats values from the file).
    """
    if actor is not None:
        audit_on_record(
            Action.DOWNLOADED,
            actor=actor,
            obj=job,
            data={"import": str(job.public_id), "report": "problems.csv"},
        )
    problems = ImportProblem.objects.filter(job=job).order_by("row", "pk").iterator(chunk_size=2000)
    rows = ([p.row, p.column, p.value, p.severity, p.reason] for p in problems)
    return csv_text(["row", "column", "value", "severity", "reason"], rows).encode("utf-8")


def progress(job: ImportJob) -> Progress:
    """The job's state, fresh from the database, for a progress bar."""
    job.refresh_from_db(fields=["status", "rows_total", "rows_done", "counts", "failure"])
    percent = (
        100 if job.status == JobStatus.DONE else int(100 * job.rows_done / job.rows_total) if job.rows_total else 0
    )
    return Progress(
        status=job.status,
        status_label=str(JobStatus(job.status).label),
        rows_total=job.rows_total,
        rows_done=job.rows_done,
        percent=percent,
        counts=dict(job.counts),
        failure=job.failure,
    )


@transaction.atomic
def saved_mapping_save(
    *,
    actor: User,
    partnership: Partnership,
    name: str,
    template: str,
    columns: dict[str, str | None],
    values: dict[str, dict[str, str]],
    date_order: str = DateOrder.DAY_FIRST,
) -> SavedMapping:
    """Keep a mapping by name for the next file of the same shape (replacing one of the same name)."""
    if not may_import(actor, partnership):
        raise PermissionDenied
    mapping, created = SavedMapping.objects.update_or_create(
        partnership=partnership,
        template=template,
        name=" ".join(name.split())[:100],
        defaults={"columns": columns, "values": values, "date_order": date_order, "created_by": actor},
    )
    audit_record(
        actor=actor,
        action=Action.CREATED if created else Action.CHANGED,
        partnership_id=partnership.pk,
        obj=mapping,
        data={"template": template},
    )
    return mapping


def saved_mappings(*, partnership: Partnership, template: str) -> QuerySet[SavedMapping]:
    return SavedMapping.objects.filter(partnership=partnership, template=template)
