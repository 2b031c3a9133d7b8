from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The chain of events outside any partnership: sign-ins, account changes.
SYSTEM_CHAIN = 0


class Action(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    LOCKED_OUT = "locked_out", _("Locked out")
    SIGN_OUT = "sign_out", _("Signed out")
    SIGN_OUT_EVERYWHERE = "sign_out_everywhere", _("Signed out everywhere")
    SESSION_EXPIRED = "session_expired", _("Session expired")
    MFA_SET_UP = "mfa_set_up", _("Set up two-factor authentication")
    MFA_VERIFIED = "mfa_verified", _("Used two-factor authentication")
    MFA_FAILED = "mfa_failed", _("Failed two-factor code")
    MFA_RECOVERY_USED = "mfa_recovery_used", _("Used a recovery code")
    MFA_RESET = "mfa_reset", _("Reset two-factor authentication")
    PASSWORD_CHANGED = "password_changed", _("Changed password")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Asked for a password reset")
    PASSWORD_RESET = "password_reset", _("Reset password")
    USER_CREATED = "user_created", _("Created user")
    USER_CHANGED = "user_changed", _("Changed user")
    USER_DEACTIVATED = "user_deactivated", _("Deactivated user")
    USER_REACTIVATED = "user_reactivated", _("Reactivated user")
    USER_INVITED = "user_invited", _("Invited user")
    USER_UNLOCKED = "user_unlocked", _("Unlocked user")
    USERS_IMPORTED = "users_imported", _("Imported users")
    MEMBERSHIP_CREATED = "membership_created", _("Added membership")
    MEMBERSHIP_CHANGED = "membership_changed", _("Changed membership")
    MEMBERSHIP_REMOVED = "membership_removed", _("Removed membership")
    ORGANISATION_CREATED = "organisation_created", _("Created organisation")
    ORGANISATION_CHANGED = "organisation_changed", _("Changed organisation")
    TEAM_CREATED = "team_created", _("Created team")
    AUDIT_EXPORTED = "audit_exported", _("Exported audit events")
    VIEWED = "viewed", _("Viewed")
    SEARCHED = "searched", _("Searched")
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    DELETED = "deleted", _("Deleted")
    EXPORTED = "exported", _("Exported")
    DOWNLOADED = "downloaded", _("Downloaded")
    SHARED = "shared", _("Shared")
    SHARE_REVOKED = "share_revoked", _("Revoked share")
    ACCESS_REQUESTED = "access_requested", _("Requested access")
    ACCESS_DECIDED = "access_decided", _("Decided access request")
    BREAK_GLASS = "break_glass", _("Broke glass")


class AuditEvent(models.Model):
    """One append-only, hash-chained record of something someone did.

    Each chain (one per partnership, plus chain 0 for events outside any
    partnership) links every event to the hash of the one before it.
    The database refuses UPDATE and DELETE on this table (see migrations).
    """

    chain = models.BigIntegerField()
    seq = models.BigIntegerField()
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(max_length=254, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    partnership = models.ForeignKey(
        "organisations.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    flagged = models.BooleanField(default=False)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["partnership", "-occurred_at"]),
            models.Index(fields=["actor", "-occurred_at"]),
            models.Index(fields=["organisation", "-occurred_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()}"

    @property
    def changes(self) -> list[dict[str, Any]]:
        """Field-level changes recorded with the event: [{"field", "from", "to"}]."""
        recorded = self.data.get("changes") if isinstance(self.data, dict) else None
        if not isinstance(recorded, dict):
            return []
        return [
            {"field": name, "from": change.get("from"), "to": change.get("to")}
            for name, change in recorded.items()
            if isinstance(change, dict)
        ]


class AuditChainHead(models.Model):
    """The latest event of each chain: locked while an event is appended."""

    chain = models.BigIntegerField(primary_key=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"chain {self.chain} at seq {self.seq}"
