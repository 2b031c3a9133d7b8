"""ASB Case Reviews: each partnership's rules, the reviews, their complaints, responses, recommendations and appeals."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casebridge.lib.progress import OPEN_PROGRESS, Progress, progress_constraints
from casebridge.organisations.models import PartnershipRecord


class ReviewRules(models.Model):
    """Defaults follow common practice: 3 in 3 months (repeat victim); 3 in 6 months, each reported within a month."""

    partnership = models.OneToOneField("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    repeat_victim_incidents = models.PositiveSmallIntegerField(_("incidents that make a repeat victim"), default=3)
    repeat_victim_months = models.PositiveSmallIntegerField(_("within this many months"), default=3)
    threshold_complaints = models.PositiveSmallIntegerField(_("qualifying complaints for a case review"), default=3)
    threshold_months = models.PositiveSmallIntegerField(_("within this many months"), default=6)
    reported_within_days = models.PositiveSmallIntegerField(
        _("each reported within this many days of the incident"), default=31
    )
    single_hate_incident_qualifies = models.BooleanField(_("one hate incident meets the threshold"), default=False)
    acknowledge_working_days = models.PositiveSmallIntegerField(default=5)
    decision_working_days = models.PositiveSmallIntegerField(default=15)
    meeting_working_days = models.PositiveSmallIntegerField(default=20)

    class Meta:
        verbose_name_plural = "review rules"
        constraints = [
            models.CheckConstraint(
                condition=Q(repeat_victim_incidents__gte=1) & Q(threshold_complaints__gte=1),
                name="review_rules_positive",
            )
        ]

    def __str__(self) -> str:
        return f"Review rules for {self.partnership_id}"


class Channel(models.TextChoices):
    ONLINE = "online", _("Online application")
    STAFF = "staff", _("Application recorded by staff")
    PARTNERSHIP = "partnership", _("Opened by the partnership (threshold alert)")


APPLICATION_CHANNELS = (Channel.ONLINE, Channel.STAFF)


class ApplicantRole(models.TextChoices):
    VICTIM = "victim", _("The victim")
    ON_BEHALF = "on_behalf", _("Someone applying for the victim, with their consent")


class ReviewStatus(models.TextChoices):
    RECEIVED = "received", _("Threshold decision due")
    NOT_MET = "not_met", _("Threshold not met")
    IN_REVIEW = "in_review", _("Review in progress")
    COMPLETED = "completed", _("Review completed")


class Decision(models.TextChoices):
    MET = "met", _("Threshold met")
    NOT_MET = "not_met", _("Threshold not met")


class CaseReview(PartnershipRecord):
    """One ASB Case Review: the application, the threshold decision, the panel and its outcome."""

    reference = models.CharField(max_length=12, unique=True, editable=False)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    received_on = models.DateField(_("date received"))
    applicant_role = models.CharField(_("who is applying"), max_length=10, choices=ApplicantRole.choices)
    applicant_name = models.CharField(_("applicant's name"), max_length=100)
    applicant_email = models.EmailField(_("email address"), max_length=254, blank=True)
    applicant_phone = models.CharField(_("phone number"), max_length=20, blank=True)
    applicant_address = models.CharField(_("postal address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=8, blank=True)
    victim_name = models.CharField(_("victim's name"), max_length=100, blank=True)
    relationship = models.CharField(_("relationship to the victim"), max_length=100, blank=True)
    consent_given = models.BooleanField(_("the victim consents"), default=False)
    summary = models.TextField(_("the anti-social behaviour"), blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    victim = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    status = models.CharField(max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.RECEIVED)
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decision_letter = models.TextField(_("decision letter"), blank=True)
    qualifying_at_decision = models.PositiveSmallIntegerField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_on = models.DateField(null=True, blank=True)
    panel_meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    panel_on = models.DateField(_("date of the review meeting"), null=True, blank=True)
    outcome_letter = models.TextField(_("outcome letter"), blank=True)
    completed_on = models.DateField(_("outcome sent on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="case_review_channel_valid"),
            models.CheckConstraint(condition=Q(status__in=ReviewStatus.values), name="case_review_status_valid"),
            models.CheckConstraint(
                condition=~Q(applicant_role=ApplicantRole.ON_BEHALF) | Q(consent_given=True),
                name="case_review_on_behalf_has_consent",
            ),
            models.CheckConstraint(
                condition=Q(decision="") | (~Q(decision_reason="") & Q(decided_on__isnull=False)),
                name="case_review_decision_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(channel=Channel.ONLINE) | Q(created_by__isnull=False), name="case_review_staff_has_author"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "status", "received_on"])]

    def __str__(self) -> str:
        return self.reference


class Complaint(models.Model):
    """A complaint the applicant lists: when it happened, when it was reported and to whom."""

    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="complaints")
    occurred_on = models.DateField(_("date of the incident"))
    reported_on = models.DateField(_("date reported"))
    reported_to = models.CharField(_("reported to"), max_length=200)
    description = models.TextField(_("what happened"), blank=True)
    is_hate = models.BooleanField(_("hate incident"), default=False)

    class Meta:
        ordering = ["occurred_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reported_on__gte=models.F("occurred_on")), name="complaint_reported_after_incident"
            )
        ]

    def __str__(self) -> str:
        return f"Complaint of {self.occurred_on:%d %b %Y}"


class AgencyResponse(models.Model):
    """What an agency tells the panel it did about the reports."""

    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("response"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="agency_response_not_empty")]

    def __str__(self) -> str:
        return f"{self.organisation_id} on {self.review_id}"


# A recommendation progresses like an action.
RecommendationStatus = Progress
OPEN_RECOMMENDATION = OPEN_PROGRESS


class Recommendation(PartnershipRecord):
    """A panel recommendation, owned by an organisation (and optionally one of its people)."""

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(_("recommendation"))
    owner_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(max_length=12, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN)
    completion_note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = progress_constraints("recommendation")
        indexes = [
            models.Index(fields=["owner_user", "status", "due_on"]),
            models.Index(fields=["owner_organisation", "status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RECOMMENDATION


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("Appeal upheld: the review is to be carried out again")
    NOT_UPHELD = "not_upheld", _("Appeal not upheld: the decision stands")


class Appeal(models.Model):
    """The applicant's appeal, reviewed by someone other than the decision-maker (e.g. the PCC's office)."""

    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    review = models.OneToOneField(CaseReview, on_delete=models.CASCADE, related_name="appeal")
    received_on = models.DateField(_("date the appeal was received"))
    grounds = models.TextField(_("why the applicant is dissatisfied"))
    reviewer_name = models.CharField(_("who reviews the appeal"), max_length=100)
    reviewer_body = models.CharField(
        _("their organisation"), max_length=160, default="Office of the Police and Crime Commissioner"
    )
    outcome = models.CharField(max_length=12, choices=AppealOutcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | (~Q(outcome_reason="") & Q(decided_on__isnull=False)),
                name="appeal_outcome_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"Appeal on {self.review_id}"
