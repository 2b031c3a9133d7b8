"""In-app notifications, and how each user wants them by email."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    TASK_ASSIGNED = "task_assigned", _("Action assigned to you")
    TASK_OVERDUE = "task_overdue", _("Action overdue")
    PAPERS_PUBLISHED = "papers_published", _("Meeting papers published")
    SHARE = "share", _("Case shared with you")
    ACCESS_REQUEST = "access_request", _("Access request")
    REFERRAL_DECISION = "referral_decision", _("Referral decision")
    BREAK_GLASS = "break_glass", _("Emergency access to your case")
    REVIEW_DUE = "review_due", _("Review date reached")
    HIGH_RISK = "high_risk", _("High risk assessment")
    INTERVENTION_EXPIRY = "intervention_expiry", _("Intervention expiring")
    MERGE_PROPOSAL = "merge_proposal", _("Merge of two records proposed")
    AGENDA_PROPOSAL = "agenda_proposal", _("Case proposed for a meeting")


class Notification(models.Model):
    """Carries only a reference, a link and a fixed summary: the reader signs in to see the rest.

    ``summary`` is always text written in the code (e.g. "Declined"), never anything a user typed.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(max_length=60)
    path = models.CharField(max_length=300)
    summary = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["user", "emailed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reference}"


class EmailMode(models.TextChoices):
    EACH = "each", _("An email for each notification")
    DIGEST = "digest", _("One daily digest email")
    NONE = "none", _("No emails")


class Preference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email_mode = models.CharField(_("emails"), max_length=10, choices=EmailMode.choices, default=EmailMode.EACH)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email_mode}"
