"""Need-to-know access: shares, access requests, break-glass and the alerts they raise."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    VIEW = "view", _("View")
    CONTRIBUTE = "contribute", _("Contribute")
    MANAGE = "manage", _("Manage")


# After a live index's grantee and sort key: what the policy and the shared list test on each share.
LIVE_INDEX_COLUMNS = ["expires_at", "level", "partnership", "case_lead_organisation", "revoked_at"]


class Share(models.Model):
    """Access to one case for an organisation, a team or a named user, with the justified interest."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="shares")
    # The grantee columns have no index of their own: the "live" indexes below lead with them.
    # A plain one would only tempt SQLite's planner away from those, into reading every share's row.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
    )
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.VIEW)
    reason = models.TextField(_("reason for sharing"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Copies of what "Shared with me" filters and sorts on: its case's update time and lead
    # organisation (and ``partnership``, always the case's). With them, the list is read newest case
    # first from a grantee's index alone and stops after a page. The database keeps them (triggers,
    # migration 0005): a new share takes its case's values, and a change to the case reaches its
    # shares, whatever makes it. Until the insert trigger has run, the columns hold their defaults.
    case_updated_at = models.DateTimeField(db_default=Now(), editable=False)
    case_lead_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        null=True,
        editable=False,
    )

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(team__isnull=True) & Q(user__isnull=True))
                | (Q(organisation__isnull=True) & Q(team__isnull=False) & Q(user__isnull=True))
                | (Q(organisation__isnull=True) & Q(team__isnull=True) & Q(user__isnull=False)),
                name="share_exactly_one_grantee",
            ),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="share_level_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="share_has_reason"),
        ]
        # A grantee's live shares, newest case first, with everything the policy and the list test
        # (expiry, level, partnership, lead organisation): "Shared with me" reads a page of a large
        # organisation's tens of thousands of shares from the index alone, in order. ``revoked_at``
        # (null in every entry) is there for SQLite, which reads the table for any column the index lacks.
        indexes = [
            models.Index(
                fields=["organisation", "-case_updated_at", "-case", *LIVE_INDEX_COLUMNS],
                condition=Q(revoked_at__isnull=True, organisation__isnull=False),
                name="share_org_live",
            ),
            models.Index(
                fields=["team", "-case_updated_at", "-case", *LIVE_INDEX_COLUMNS],
                condition=Q(revoked_at__isnull=True, team__isnull=False),
                name="share_team_live",
            ),
            models.Index(
                fields=["user", "-case_updated_at", "-case", *LIVE_INDEX_COLUMNS],
                condition=Q(revoked_at__isnull=True, user__isnull=False),
                name="share_user_live",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grantee} ({self.get_level_display()})"

    @property
    def grantee(self) -> object:
        return self.organisation or self.team or self.user

    def is_live(self, at: datetime.datetime | None = None) -> bool:
        now = at or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class AccessRequest(models.Model):
    """Someone who may only know a case exists asks its lead organisation for access."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
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
    share = models.OneToOneField(Share, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

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


class BreakGlass(models.Model):
    """Emergency access to a case the user cannot otherwise see: time-limited, alerted and flagged."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="break_glasses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="break_glass_has_reason"),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("started_at")), name="break_glass_expires"),
        ]
        indexes = [models.Index(fields=["user", "case", "-expires_at"])]

    def __str__(self) -> str:
        return f"{self.user} broke glass on {self.case_id}"


class Alert(models.Model):
    """An in-app alert to an organisation, e.g. that someone broke glass on its case."""

    class Kind(models.TextChoices):
        BREAK_GLASS = "break_glass", _("Emergency access")
        ACCESS_REQUEST = "access_request", _("Access request")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
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
