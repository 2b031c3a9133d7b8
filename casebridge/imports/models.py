"""Spreadsheet imports: the job, its batches, the problems found and what each batch wrote.

An import is planned and written in batches of rows. Each batch is one transaction that
writes its records, the ``ImportedRecord`` rows saying what it created or changed (with the
values it replaced), its audit events and its own ``ImportBatch.done`` flag, so a worker
killed half-way leaves whole batches only and a resumed run skips the done ones.
"""

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casebridge.organisations.models import PartnershipRecord


class TemplateName(models.TextChoices):
    PEOPLE = "people", _("People")
    CASES = "cases", _("Cases")
    INCIDENTS = "incidents", _("Incidents")


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Checking")
    VALIDATED = "validated", _("Checked")
    QUEUED = "queued", _("Waiting to import")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    ROLLED_BACK = "rolled_back", _("Rolled back")


class DateOrder(models.TextChoices):
    DAY_FIRST = "dmy", _("Day first (UK): 31/12/2025")
    MONTH_FIRST = "mdy", _("Month first (US): 12/31/2025")
    YEAR_FIRST = "ymd", _("Year first: 2025-12-31")


class Severity(models.TextChoices):
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")


class ImportJob(PartnershipRecord):
    """One spreadsheet uploaded for import into a partnership, from upload to rollback."""

    template = models.CharField(max_length=20, choices=TemplateName.choices)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    file_size = models.PositiveBigIntegerField(default=0)
    # Random name of the stored copy under MEDIA_ROOT/imports (never served directly).
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    sheet = models.CharField(max_length=100, blank=True)
    # {header in the file: template field name, or "" for a column that is not imported}
    column_mapping = models.JSONField(default=dict, blank=True)
    # {template field name: {value as written in the file: value to import}}
    value_mapping = models.JSONField(default=dict, blank=True)
    date_order = models.CharField(max_length=3, choices=DateOrder.choices, default=DateOrder.DAY_FIRST)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.UPLOADED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # {"create", "update", "skip", "error", "warning", "people_created", "people_matched", "review_queued"}
    counts = models.JSONField(default=dict, blank=True)
    # The counts of the last dry run, kept so that the import can be compared with it.
    dry_run_counts = models.JSONField(default=dict, blank=True)
    failure = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rolled_back_at = models.DateTimeField(null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(template__in=TemplateName.values), name="import_template_valid"),
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="import_status_valid"),
            models.CheckConstraint(condition=Q(date_order__in=DateOrder.values), name="import_date_order_valid"),
            models.CheckConstraint(
                condition=Q(rows_done__lte=models.F("rows_total")), name="import_rows_done_le_total"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_template_display()} import of {self.file_name}"


class ImportBatch(models.Model):
    """A run of rows written in one transaction; ``done`` is set in that same transaction."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveIntegerField()
    first_row = models.PositiveIntegerField()
    last_row = models.PositiveIntegerField()
    done = models.BooleanField(default=False)
    counts = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="import_batch_unique")]

    def __str__(self) -> str:
        return f"batch {self.number} of job {self.job_id}"


class ImportProblem(models.Model):
    """Something wrong with one cell or row: an error rejects the row, a warning keeps it."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="problems")
    batch = models.PositiveIntegerField(default=0)
    row = models.PositiveIntegerField(help_text=_("Row number as a spreadsheet shows it: the header is row 1."))
    column = models.CharField(max_length=255, blank=True)
    value = models.CharField(max_length=255, blank=True)
    reason = models.CharField(max_length=500)
    severity = models.CharField(max_length=10, choices=Severity.choices)

    class Meta:
        ordering = ["row", "pk"]
        constraints = [models.CheckConstraint(condition=Q(severity__in=Severity.values), name="import_severity_valid")]
        indexes = [models.Index(fields=["job", "batch"])]

    def __str__(self) -> str:
        return f"Row {self.row}: {self.reason}"


class ImportedRecord(models.Model):
    """Rows an import created, or a row it changed (with the values it replaced), so it can be rolled back.

    A batch keeps one record per model for the rows it created, listing their keys in
    ``object_pks`` (``object_pk`` is then the first of them): a row per created row would cost
    about as much to write as the rows themselves. Each changed row has its own record.
    Records written before ``object_pks`` existed have one created row each and no list.
    """

    # Found through the (job, model) index below.
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="records", db_index=False)
    batch = models.PositiveIntegerField()
    model = models.CharField(max_length=60, help_text=_('App label and model, e.g. "people.person".'))
    object_pk = models.BigIntegerField()
    created = models.BooleanField()
    before = models.JSONField(null=True, blank=True)
    object_pks = models.JSONField(
        null=True, blank=True, help_text=_("For created rows: the primary keys of every row of this model.")
    )

    class Meta:
        indexes = [models.Index(fields=["job", "model"])]

    def __str__(self) -> str:
        if self.object_pks is not None:
            return f"{self.model} {len(self.pks)} rows from {self.object_pk} (created)"
        return f"{self.model} {self.object_pk} ({'created' if self.created else 'changed'})"

    @property
    def pks(self) -> list[int]:
        """The primary keys this record stands for."""
        return created_pks(self.object_pk, self.object_pks)


def created_pks(object_pk: int, object_pks: Any) -> list[int]:
    """The keys of an ``ImportedRecord``: its list when it has one (stored as JSON), else its one key."""
    if object_pks is None:
        return [object_pk]
    return list(json.loads(object_pks) if isinstance(object_pks, str) else object_pks)


class SavedMapping(PartnershipRecord):
    """A column and value mapping kept by name, to reuse for the next file of the same shape."""

    name = models.CharField(max_length=100)
    template = models.CharField(max_length=20, choices=TemplateName.choices)
    columns = models.JSONField(default=dict, blank=True)
    values = models.JSONField(default=dict, blank=True)
    date_order = models.CharField(max_length=3, choices=DateOrder.choices, default=DateOrder.DAY_FIRST)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "template", "name"], name="saved_mapping_unique"),
            models.CheckConstraint(condition=Q(template__in=TemplateName.values), name="saved_mapping_template_valid"),
        ]

    def __str__(self) -> str:
        return self.name
