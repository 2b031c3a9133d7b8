"""The escalating toolkit: intervention types per partnership, interventions on cases, breaches."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casebridge.organisations.models import PartnershipRecord


class SubjectKind(models.TextChoices):
    PERSON = "person", _("A person")
    ORGANISATION = "organisation", _("A business or body")
    LOCATION = "location", _("A place or premises")


class InterventionType(models.Model):
    """One step of the toolkit, configured per partnership (ages, court, default periods)."""

    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(max_length=40)
    name = models.CharField(_("name"), max_length=120)
    # Position on the escalation ladder: informal steps first.
    rank = models.PositiveSmallIntegerField(_("step on the escalation ladder"), default=0)
    min_age = models.PositiveSmallIntegerField(_("minimum age of a person subject"), null=True, blank=True)
    needs_court = models.BooleanField(_("made by a court"), default=False)
    parent_signatory_under_18 = models.BooleanField(
        _("a parent or guardian must sign for someone under 18"), default=False
    )
    subject_kinds = models.CharField(
        _("who or what it can apply to"),
        max_length=60,
        default=SubjectKind.PERSON,
        help_text=_("Comma-separated: person, organisation, location."),
    )
    default_review_days = models.PositiveIntegerField(_("review after (days)"), null=True, blank=True)
    default_expiry_days = models.PositiveIntegerField(_("expires after (days)"), null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["rank", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="intervention_type_code_unique"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(min_age__lte=25), name="intervention_type_age_plausible"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def allowed_subjects(self) -> list[str]:
        return [kind.strip() for kind in self.subject_kinds.split(",") if kind.strip()]


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    IN_FORCE = "in_force", _("In force")
    BREACHED = "breached", _("Breached")
    EXPIRED = "expired", _("Expired")
    DISCHARGED = "discharged", _("Discharged")
    VARIED = "varied", _("Varied")


class Intervention(PartnershipRecord):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="interventions")
    type = models.ForeignKey(InterventionType, on_delete=models.PROTECT, related_name="interventions")
    subject_kind = models.CharField(max_length=20, choices=SubjectKind.choices)
    subject_person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="interventions", null=True, blank=True
    )
    subject_organisation_name = models.CharField(_("business or body"), max_length=200, blank=True)
    subject_location = models.ForeignKey(
        "people.Location", on_delete=models.PROTECT, related_name="interventions", null=True, blank=True
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    issuing_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    issuing_officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    court = models.CharField(_("court"), max_length=160, blank=True)
    hearing_on = models.DateField(_("hearing date"), null=True, blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    details = models.TextField(_("details"), blank=True)
    outcome = models.TextField(_("result"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issued_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="intervention_status_valid"),
            models.CheckConstraint(
                condition=(
                    Q(subject_kind=SubjectKind.PERSON, subject_person__isnull=False, subject_location__isnull=True)
                    & Q(subject_organisation_name="")
                )
                | (
                    Q(subject_kind=SubjectKind.ORGANISATION, subject_person__isnull=True, subject_location__isnull=True)
                    & ~Q(subject_organisation_name="")
                )
                | (
                    Q(subject_kind=SubjectKind.LOCATION, subject_person__isnull=True, subject_location__isnull=False)
                    & Q(subject_organisation_name="")
                ),
                name="intervention_exactly_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="intervention_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.PROPOSED) | Q(issued_on__isnull=False),
                name="intervention_issued_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-issued_on"]),
            models.Index(fields=["subject_person", "issued_on"]),
            models.Index(fields=["partnership", "status", "review_on"]),
            models.Index(fields=["partnership", "status", "expires_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.type} on {self.case_id}"

    @property
    def subject_label(self) -> str:
        if self.subject_kind == SubjectKind.PERSON and self.subject_person is not None:
            return self.subject_person.full_name
        if self.subject_kind == SubjectKind.LOCATION and self.subject_location is not None:
            return str(self.subject_location)
        return self.subject_organisation_name


class ConditionKind(models.TextChoices):
    PROHIBITION = "prohibition", _("Prohibition")
    REQUIREMENT = "requirement", _("Positive requirement")


class Condition(models.Model):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField(max_length=20, choices=ConditionKind.choices)
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ConditionKind.values), name="condition_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.text


class SignatoryRole(models.TextChoices):
    SUBJECT = "subject", _("The person it applies to")
    PARENT = "parent", _("Parent or guardian")
    OFFICER = "officer", _("Officer")
    OTHER = "other", _("Other")


class Signatory(models.Model):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=SignatoryRole.choices)
    signed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "signatories"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=SignatoryRole.values), name="signatory_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class BreachAction(models.TextChoices):
    NONE = "none", _("No action yet")
    WARNING = "warning", _("Warning")
    FIXED_PENALTY = "fixed_penalty", _("Fixed penalty")
    PROSECUTION = "prosecution", _("Prosecution")
    ESCALATION = "escalation", _("Escalation to the next step")
    COURT = "court", _("Returned to court")


class Breach(PartnershipRecord):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="breaches")
    occurred_on = models.DateField(_("date of the breach"))
    details = models.TextField(_("what happened"))
    evidence = models.TextField(_("evidence"), blank=True)
    action_taken = models.CharField(_("action taken"), max_length=20, choices=BreachAction.choices)
    incident = models.ForeignKey("cases.Incident", on_delete=models.SET_NULL, related_name="+", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "breaches"
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(action_taken__in=BreachAction.values), name="breach_action_valid"),
            models.CheckConstraint(condition=~Q(details=""), name="breach_has_details"),
        ]

    def __str__(self) -> str:
        return f"Breach on {self.occurred_on:%d %b %Y}"


class InterventionDocument(models.Model):
    """A case document filed on an intervention: who may see or download it is the case's policy."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="document_links")
    document = models.OneToOneField("cases.Document", on_delete=models.CASCADE, related_name="intervention_link")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.document} on {self.intervention}"
