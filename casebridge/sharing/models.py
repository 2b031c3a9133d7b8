"""The share workflow's own records: access requests and the alerts that break-glass and requests raise.

Shares and break-glasses themselves live with cases (cases.models), where the access policy reads them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casebridge.organisations.models import PartnershipRecord


class AccessRequest(PartnershipRecord):
    """Someone who may only know a case exists asks its lead organisation for access."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="access_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("why you need access"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    share = models.OneToOneField("cases.Share", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["pending", "approved", "declined"]), name="request_state"),
            models.CheckConstraint(condition=~Q(reason=""), name="request_has_reason"),
            models.UniqueConstraint(
                fields=["case", "requester"], condition=Q(state="pending"), name="one_pending_request_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.case_id} ({self.state})"


BREAK_GLASS_HOURS = 3


class Alert(PartnershipRecord):
    """An in-app alert to an organisation, e.g. that someone broke glass on its case."""

    class Kind(models.TextChoices):
        BREAK_GLASS = "break_glass", _("Emergency access")
        ACCESS_REQUEST = "access_request", _("Access request")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return self.message
