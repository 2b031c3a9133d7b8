"""Actions (tasks): from a case plan or a meeting, assigned to an organisation and optionally a person."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casebridge.lib.progress import OPEN_PROGRESS, Progress, progress_constraints
from casebridge.organisations.models import PartnershipRecord


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


# An action progresses like a review's recommendation.
Status = Progress
OPEN_STATUSES = OPEN_PROGRESS


class Task(PartnershipRecord):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tasks")
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="tasks", null=True, blank=True
    )
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    assigned_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    due_on = models.DateField(_("due date"))
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    completion_note = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    overdue_notified_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            *progress_constraints("task"),
            models.CheckConstraint(condition=Q(priority__in=Priority.values), name="task_priority_valid"),
        ]
        indexes = [
            models.Index(fields=["assigned_user", "status", "due_on"]),
            models.Index(fields=["assigned_organisation", "status", "due_on"]),
            models.Index(fields=["case", "status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.due_on < (today or datetime.date.today())


class Reassignment(models.Model):
    """Who a task moved from and to, and why: the history the audit also records."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reassignments")
    from_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    to_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="reassignment_has_reason")]

    def __str__(self) -> str:
        return f"{self.task_id} reassigned"
