"""Versioned questionnaires, the assessments made with them, and the alerts they raise.

A template has numbered versions. A draft version can be edited; publishing freezes it
(services refuse every change to a published version), and editing afterwards means a new
draft copied from it. An assessment keeps the version it used, its answers and the score and
band computed when it was completed, so later versions never change it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casebridge.organisations.models import PartnershipRecord


class TemplateKind(models.TextChoices):
    RISK = "risk", _("Risk and vulnerability assessment")
    GRADED_PROFILE = "graded_profile", _("Graded profile (areas graded 1 to 5)")


class AssessmentTemplate(PartnershipRecord):
    """A questionnaire a partnership uses, e.g. its ASB victim risk assessment."""

    code = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("type"), max_length=20, choices=TemplateKind.choices, default=TemplateKind.RISK)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="assessment_template_code_unique"),
            models.CheckConstraint(condition=Q(kind__in=TemplateKind.values), name="assessment_template_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class TemplateVersion(PartnershipRecord):
    template = models.ForeignKey(AssessmentTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=VersionState.choices, default=VersionState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_number_unique"),
            models.UniqueConstraint(
                fields=["template"], condition=Q(state="draft"), name="template_one_draft_at_a_time"
            ),
            models.CheckConstraint(condition=Q(state__in=VersionState.values), name="template_version_state_valid"),
            models.CheckConstraint(
                condition=(Q(state="published") & Q(published_at__isnull=False))
                | (Q(state="draft") & Q(published_at__isnull=True)),
                name="template_version_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.state == VersionState.PUBLISHED


class Section(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("Single choice")
    SCALE = "scale", _("Scale (graded)")
    TEXT = "text", _("Free text")
    DATE = "date", _("Date")


SCORED_KINDS = frozenset({QuestionKind.YES_NO, QuestionKind.CHOICE, QuestionKind.SCALE})


class Question(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(_("short code"), max_length=60)
    text = models.CharField(_("question"), max_length=300)
    hint = models.CharField(_("hint"), max_length=300, blank=True)
    kind = models.CharField(_("type of answer"), max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(_("an answer is required"), default=False)
    # Shown (required and scored) only when another question's answer equals this value.
    show_if_question = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="dependants", null=True, blank=True
    )
    show_if_value = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["section__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="question_code_unique_in_version"),
            models.CheckConstraint(condition=Q(kind__in=QuestionKind.values), name="question_kind_valid"),
            models.CheckConstraint(
                condition=Q(show_if_question__isnull=True, show_if_value="")
                | (Q(show_if_question__isnull=False) & ~Q(show_if_value="")),
                name="question_condition_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_scored(self) -> bool:
        return self.kind in SCORED_KINDS


class AnswerOption(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(default=0)
    value = models.SlugField(max_length=60)
    label = models.CharField(max_length=200)
    weight = models.IntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="answer_option_value_unique")]

    def __str__(self) -> str:
        return f"{self.label} ({self.weight})"


class Band(models.Model):
    """A score range: the band with the highest threshold not above the score applies."""

    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="bands")
    code = models.SlugField(max_length=30)
    label = models.CharField(_("name"), max_length=60)
    min_score = models.IntegerField(_("lowest score in this band"))
    review_days = models.PositiveSmallIntegerField(_("review after (days)"))
    is_high = models.BooleanField(
        _("raises an alert and proposes a meeting referral"),
        default=False,
    )

    class Meta:
        ordering = ["min_score"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="band_code_unique_in_version"),
            models.UniqueConstraint(fields=["version", "min_score"], name="band_threshold_unique_in_version"),
            models.CheckConstraint(condition=Q(review_days__gte=1), name="band_review_days_positive"),
        ]

    def __str__(self) -> str:
        return self.label


class Assessment(PartnershipRecord):
    """One completed assessment on a case (and optionally about one person on it)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="assessments", null=True, blank=True
    )
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessor_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", null=True
    )
    completed_at = models.DateTimeField()
    score = models.IntegerField()
    band_code = models.SlugField(max_length=30)
    band_label = models.CharField(max_length=60)
    is_high = models.BooleanField(default=False)
    next_review_on = models.DateField()
    reviewed_by_later = models.BooleanField(
        default=False, help_text="A later assessment with the same template on the same case and person exists."
    )

    class Meta:
        ordering = ["-completed_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-completed_at"]),
            models.Index(fields=["partnership", "reviewed_by_later", "next_review_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.version.template} on {self.completed_at:%d %b %Y}"


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.TextField(blank=True)
    label = models.CharField(max_length=200, blank=True)
    weight = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return self.label or self.value


class AlertKind(models.TextChoices):
    HIGH_RISK = "high_risk", _("High risk assessment")
    REVIEW_DUE = "review_due", _("Assessment review due")
    INTERVENTION_REVIEW = "intervention_review", _("Intervention review due")
    INTERVENTION_EXPIRY = "intervention_expiry", _("Intervention expiring")


class Alert(PartnershipRecord):
    """An in-app notification to one user about a case; the message names no one."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="risk_alerts")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=AlertKind.choices)
    message = models.CharField(max_length=300)
    link = models.CharField(max_length=300)
    # Makes a reminder idempotent: one alert per recipient, kind and subject key.
    dedupe_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AlertKind.values), name="risk_alert_kind_valid"),
            models.UniqueConstraint(
                fields=["recipient", "kind", "dedupe_key"], condition=~Q(dedupe_key=""), name="risk_alert_once"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self) -> str:
        return self.message
