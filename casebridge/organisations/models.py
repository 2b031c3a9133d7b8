import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from casebridge.access.roles import Role

__all__ = ["Membership", "Organisation", "OrganisationType", "Partnership", "Role", "Team"]


class Partnership(models.Model):
    """A Community Safety Partnership: the tenant boundary for all case data."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120, unique=True)
    code = models.CharField(
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,6}$", _("Use 2 to 6 capital letters."))],
        help_text=_("Short code used in case references, for example SH."),
    )
    # Attendees read an agreed agenda item's papers from the agenda's publication until this many days after.
    meeting_papers_days = models.PositiveSmallIntegerField(
        _("meeting papers readable for (days after the meeting)"), default=7
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnershipRecord(models.Model):
    """A record that belongs to one partnership and is named in URLs by its public identifier."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class OrganisationType(models.TextChoices):
    POLICE = "police", _("Police")
    COUNCIL = "council", _("Council")
    HOUSING = "housing", _("Housing provider")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    YOUTH_JUSTICE = "youth_justice", _("Youth justice")
    PROBATION = "probation", _("Probation")
    FIRE = "fire", _("Fire and rescue")
    VOLUNTARY = "voluntary", _("Voluntary sector")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """An agency: police force, council, housing provider, school, charity."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=160, unique=True)
    type = models.CharField(max_length=20, choices=OrganisationType.choices)
    partnerships = models.ManyToManyField(Partnership, related_name="organisations", blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique_in_org")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one partnership."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="one_membership_per_partnership"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} in {self.partnership}"


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the organisation")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class PartnershipJoinRequest(models.Model):
    """A partnership's request that an existing organisation take part in it.

    An administrator of the partnership asks; a manager of the organisation accepts or
    declines. Until it is accepted the organisation is not a member of the partnership.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="join_requests")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="join_requests")
    status = models.CharField(max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=models.Q(status="pending"),
                name="one_pending_join_request",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "accepted", "declined"]), name="join_request_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"
