"""Meeting series, meetings, their agendas, attendance, minutes and papers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casebridge.organisations.models import PartnershipRecord


class Kind(models.TextChoices):
    CHARMM = "charmm", _("CHaRMM")
    JAG = "jag", _("Joint Action Group")
    COMMUNITY_MARAC = "community_marac", _("Community MARAC")
    ASB_CASE_REVIEW = "asb_case_review", _("ASB Case Review panel")
    CUSTOM = "custom", _("Other meeting")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")
    AS_NEEDED = "as_needed", _("When needed")


class MeetingSeries(PartnershipRecord):
    """A standing meeting of a partnership: who chairs it, which organisations and people take part."""

    kind = models.CharField(_("type of meeting"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    member_organisations = models.ManyToManyField("organisations.Organisation", related_name="+")
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="meeting_series")
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.MONTHLY)
    referral_deadline_days = models.PositiveSmallIntegerField(_("referral deadline (working days before)"), default=2)
    papers_days = models.PositiveSmallIntegerField(_("papers shared (working days before)"), default=1)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "meeting series"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="meeting_series_name_unique"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="meeting_series_kind_valid"),
            models.CheckConstraint(
                condition=Q(referral_deadline_days__gte=models.F("papers_days")),
                name="meeting_series_deadline_before_papers",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(PartnershipRecord):
    """One sitting of a series, with its own dates and agenda."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("date and time"))
    venue = models.CharField(_("where"), max_length=200, blank=True)
    referral_deadline = models.DateField()
    papers_date = models.DateField()
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    # When the daily reminders run built the draft agenda by itself, at the referral deadline.
    agenda_built_at = models.DateTimeField(null=True, blank=True)
    papers_published_at = models.DateTimeField(null=True, blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(referral_deadline__lte=models.F("papers_date")), name="meeting_deadline_before_papers"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "starts_at"]), models.Index(fields=["papers_date"])]

    def __str__(self) -> str:
        return f"{self.series} {self.starts_at:%d %b %Y}"


class Source(models.TextChoices):
    REFERRAL = "referral", _("Accepted referral")
    REVIEW_DUE = "review_due", _("Due for review")
    HIGH_RISK = "high_risk", _("High risk")
    OVERDUE_ACTIONS = "overdue_actions", _("Overdue actions")
    COORDINATOR = "coordinator", _("Proposed by a partner")


class ItemState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for the lead organisation's agreement")
    AGREED = "agreed", _("Agreed")
    DECLINED = "declined", _("Declined")


class AgendaItem(PartnershipRecord):
    """A case proposed for a meeting's agenda; on the agenda once someone who may manage the case agrees.

    An agreed item lets the meeting's named attendees read that case's papers for a time
    (``meetings.access``); it never shares the case itself.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=20, choices=Source.choices)
    state = models.CharField(max_length=10, choices=ItemState.choices, default=ItemState.PROPOSED)
    added_reason = models.TextField(_("reason for proposing"))
    # None: proposed by the daily reminders run when the referral deadline passed.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    removed_reason = models.TextField(blank=True)
    # Who agreed or declined the proposal: someone who may manage the case (or, declining, the coordinator).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    # The lead organisation may keep its timeline out of the papers, and may object to the listing.
    timeline_restricted = models.BooleanField(default=False)
    objection = models.TextField(blank=True)
    objected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    objected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case"],
                condition=Q(removed_at__isnull=True) & ~Q(state="declined"),
                name="agenda_case_once",
            ),
            models.CheckConstraint(condition=Q(state__in=ItemState.values), name="agenda_item_state_valid"),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decline_reason=""), name="agenda_decline_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(state="proposed") | Q(decided_at__isnull=False), name="agenda_decision_dated"
            ),
            models.CheckConstraint(condition=~Q(added_reason=""), name="agenda_item_has_reason"),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | ~Q(removed_reason=""), name="agenda_removal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} on {self.meeting_id}"

    @property
    def is_on(self) -> bool:
        """On the agenda: agreed and not removed."""
        return self.state == ItemState.AGREED and self.removed_at is None

    @property
    def is_pending(self) -> bool:
        return self.state == ItemState.PROPOSED and self.removed_at is None


class Attendance(models.Model):
    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.meeting_id}"


class Outcome(models.TextChoices):
    KEEP = "keep", _("Keep on the agenda")
    REMOVE = "remove", _("Remove from the agenda")


class Minute(models.Model):
    """What the meeting said and decided about one agenda item."""

    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="minute")
    update = models.TextField(_("updates from partners"), blank=True)
    decision = models.TextField(_("decisions"), blank=True)
    risk_from = models.CharField(max_length=10, blank=True)
    risk_to = models.CharField(_("new risk level"), max_length=10, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    next_review_on = models.DateField(_("next review date"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    timeline_note = models.OneToOneField(
        "cases.Note", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(outcome="") | ~Q(outcome_reason=""), name="minute_outcome_reason"),
        ]
        indexes = [models.Index(fields=["next_review_on"])]

    def __str__(self) -> str:
        return f"Minute of {self.item_id}"


class Pack(PartnershipRecord):
    """One attendee's meeting papers: only what they may see, built in the background."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        BUILDING = "building", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    # The cases the built PDF holds: the pack is withdrawn when any of them leaves the reader's reach.
    cases = models.ManyToManyField("cases.Case", related_name="+", blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    built_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "recipient"], name="pack_once_per_recipient")]

    def __str__(self) -> str:
        return f"Pack for {self.recipient_id} at {self.meeting_id}"

    @property
    def percent(self) -> int:
        return 100 if self.state == self.State.READY else (100 * self.done // self.total if self.total else 0)
