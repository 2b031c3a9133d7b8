"""Cases, their parties and places, what happens on them (the timeline), and who else may see them
(shares and break-glass)."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casebridge.organisations.models import PartnershipRecord

SEED_CASE_TYPES = [
    ("asb_perpetrator", _("ASB perpetrator")),
    ("asb_victim", _("ASB victim")),
    ("asb_location", _("ASB location")),
    ("victim_witness_care", _("Victim and witness care")),
    ("support_referral", _("Support referral")),
    ("family_support", _("Family support")),
    ("hate_incident", _("Hate incident")),
]


class CaseType(PartnershipRecord):
    """A kind of case, configured per partnership by its administrator."""

    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="case_type_code_unique"),
            models.UniqueConstraint(fields=["partnership", "name"], name="case_type_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class CaseReferenceCounter(models.Model):
    """The last number issued per partnership and year: locked while a case is created."""

    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="case_counter_unique"),
            models.CheckConstraint(condition=Q(last_number__lte=999999), name="case_counter_six_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership_id}/{self.year}: {self.last_number}"


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    UNDER_REVIEW = "under_review", _("Under review")
    CLOSED = "closed", _("Closed")


class RiskLevel(models.TextChoices):
    STANDARD = "standard", _("Standard")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ClosureReason(models.TextChoices):
    RESOLVED = "resolved", _("Behaviour stopped or problem resolved")
    NO_FURTHER_ACTION = "no_further_action", _("No further action possible")
    TRANSFERRED = "transferred", _("Transferred to another agency")
    DISENGAGED = "disengaged", _("Person disengaged or moved away")
    DUPLICATE = "duplicate", _("Opened in error or duplicate")


class Case(models.Model):
    """The unit of work, led by one organisation and shared on a need-to-know basis."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of its own on partnership or lead officer: the list indexes below lead with them.
    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    reference = models.CharField(max_length=24, unique=True, editable=False)
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="cases")
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.STANDARD)
    lead_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )
    closure_reason = models.CharField(max_length=30, choices=ClosureReason.choices, blank=True)
    outcome = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The case's reference in the system the partnership migrated from, and the import that created it.
    legacy_ref = models.CharField(_("legacy reference"), max_length=64, blank=True, default="", db_default="")
    import_job = models.ForeignKey(
        "imports.ImportJob", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="case_status_valid"),
            models.CheckConstraint(condition=Q(risk_level__in=RiskLevel.values), name="case_risk_valid"),
            models.CheckConstraint(
                condition=(Q(status=Status.CLOSED) & ~Q(closure_reason="") & Q(closed_at__isnull=False))
                | (~Q(status=Status.CLOSED) & Q(closure_reason="") & Q(closed_at__isnull=True)),
                name="case_closed_has_reason",
            ),
            models.UniqueConstraint(
                fields=["partnership", "legacy_ref"], condition=~Q(legacy_ref=""), name="case_legacy_ref_unique"
            ),
        ]
        indexes = [
            # The three list pages: by lead organisation, by lead officer, by update time.
            # Each ends in the list's tie-breaker (id), so a page is read in order from the index,
            # never sorted, and a deep page skips index entries only.
            models.Index(fields=["partnership", "lead_organisation", "status", "-updated_at", "-id"]),
            models.Index(fields=["lead_officer", "status", "-updated_at"]),
            models.Index(fields=["partnership", "-updated_at", "-id"]),
            # "My organisation's cases" unfiltered, newest first, without sorting the organisation's cases.
            models.Index(fields=["partnership", "lead_organisation", "-updated_at", "-id"], name="case_org_updated"),
            # "Shared with me": the cases behind a grantee's shares, sorted by update time without
            # reading the table (the key first, then what the list filters and sorts on).
            models.Index(fields=["id", "partnership", "lead_organisation", "updated_at"], name="case_id_sort_keys"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED


class PartyRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    PERPETRATOR = "perpetrator", _("Alleged perpetrator")
    WITNESS = "witness", _("Witness")
    COMPLAINANT = "complainant", _("Complainant")
    FAMILY_MEMBER = "family_member", _("Family member")
    ASSOCIATE = "associate", _("Associate")
    PROFESSIONAL = "professional", _("Professional")


class CaseParty(models.Model):
    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    # Found by case through the unique (case, person, role) and by person through (person, case).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties", db_index=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_parties", db_index=False)
    role = models.CharField(max_length=20, choices=PartyRole.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=PartyRole.values), name="party_role_valid"),
            models.UniqueConstraint(fields=["case", "person", "role"], name="party_unique_role"),
        ]
        indexes = [models.Index(fields=["person", "case"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class CaseLocation(models.Model):
    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_locations")
    location = models.ForeignKey("people.Location", on_delete=models.PROTECT, related_name="case_links")
    is_subject = models.BooleanField(default=False, help_text=_("The location is what the case is about (JAG)."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "location"], name="case_location_unique")]

    def __str__(self) -> str:
        return str(self.location)


class CaseLink(models.Model):
    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    other = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(case=models.F("other")), name="case_link_not_self"),
            models.UniqueConstraint(fields=["case", "other"], name="case_link_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ↔ {self.other_id}"


class Restriction(models.TextChoices):
    NONE = "", _("Everyone who can see the case")
    LEAD_ORGANISATION = "lead_organisation", _("The lead organisation only")
    NAMED_USERS = "named_users", _("Named people only")


class TimelineEntry(PartnershipRecord):
    """Something on a case's timeline; visible exactly when the case is, minus restrictions."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    restriction = models.CharField(max_length=20, choices=Restriction.choices, default="", blank=True)
    restricted_to = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["case", "-created_at"])]


class Note(TimelineEntry):
    class Kind(models.TextChoices):
        NOTE = "note", _("Case note")
        CONTACT = "contact", _("Contact")
        VICTIM_UPDATE = "victim_update", _("Victim update")
        STATUS = "status", _("Status change")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField()

    class Meta(TimelineEntry.Meta):
        default_related_name = "notes"
        constraints = [
            models.CheckConstraint(condition=Q(restriction__in=Restriction.values), name="note_restriction_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case_id}"


class IncidentGroup(models.TextChoices):
    PERSONAL = "personal", _("Personal")
    NUISANCE = "nuisance", _("Nuisance")
    ENVIRONMENTAL = "environmental", _("Environmental")


class IncidentCategory(PartnershipRecord):
    """A category of incident, configured per partnership; retired rather than deleted once used."""

    group = models.CharField(max_length=20, choices=IncidentGroup.choices)
    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["group", "name"]
        verbose_name_plural = "incident categories"
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="incident_category_unique")]

    def __str__(self) -> str:
        return self.name


class HateStrand(models.TextChoices):
    NONE = "", _("None")
    RACE = "race", _("Race or ethnicity")
    RELIGION = "religion", _("Religion or belief")
    SEXUAL_ORIENTATION = "sexual_orientation", _("Sexual orientation")
    DISABILITY = "disability", _("Disability")
    TRANSGENDER = "transgender", _("Transgender identity")


class Incident(TimelineEntry):
    occurred_at = models.DateTimeField(_("date and time of the incident"))
    reported_on = models.DateField(_("date reported"))
    category = models.ForeignKey(IncidentCategory, on_delete=models.PROTECT, related_name="incidents")
    location = models.ForeignKey("people.Location", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    description = models.TextField()
    is_hate = models.BooleanField(_("hate incident"), default=False)
    hate_strand = models.CharField(max_length=20, choices=HateStrand.choices, blank=True)
    police_reference = models.CharField(max_length=40, blank=True)
    legacy_ref = models.CharField(_("legacy reference"), max_length=64, blank=True, default="", db_default="")
    import_job = models.ForeignKey(
        "imports.ImportJob", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )

    class Meta(TimelineEntry.Meta):
        default_related_name = "incidents"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "legacy_ref"], condition=~Q(legacy_ref=""), name="incident_legacy_ref_unique"
            ),
            models.CheckConstraint(condition=Q(restriction__in=Restriction.values), name="incident_restriction_valid"),
            models.CheckConstraint(
                condition=Q(is_hate=True) | Q(hate_strand=""), name="incident_strand_only_when_hate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} on {self.occurred_at:%d %b %Y}"


class Document(TimelineEntry):
    """An uploaded file, stored under MEDIA_ROOT with a random name, served only through a checked view."""

    title = models.CharField(max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    sha256 = models.CharField(max_length=64)

    class Meta(TimelineEntry.Meta):
        default_related_name = "documents"
        constraints = [
            models.CheckConstraint(condition=Q(restriction__in=Restriction.values), name="document_restriction_valid"),
        ]

    def __str__(self) -> str:
        return self.title


# -- access: shares and break-glass, what the case access policy (cases/policy.py) reads --------


class Level(models.TextChoices):
    VIEW = "view", _("View")
    CONTRIBUTE = "contribute", _("Contribute")
    MANAGE = "manage", _("Manage")


# After a live index's grantee and sort key: what the policy and the shared list test on each share.
LIVE_INDEX_COLUMNS = ["expires_at", "level", "partnership", "case_lead_organisation", "revoked_at"]


class Share(PartnershipRecord):
    """Access to one case for an organisation, a team or a named user, with the justified interest."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
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
    # cases migration 0001): a new share takes its case's values, and a change to the case reaches its
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


class BreakGlass(PartnershipRecord):
    """Emergency access to a case the user cannot otherwise see: time-limited, alerted and flagged."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glasses")
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
