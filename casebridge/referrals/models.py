"""Referrals: a partner's (or a resident's) request for the partnership to act, and its triage."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casebridge.cases.models import RiskLevel
from casebridge.organisations.models import PartnershipRecord


class Source(models.TextChoices):
    PARTNER = "partner", _("Partner referral")
    PUBLIC = "public", _("Resident's online report")


class Purpose(models.TextChoices):
    CHARMM = "charmm", _("Community Harm and Risk Management Meeting (CHaRMM)")
    JAG = "jag", _("Joint Action Group (JAG)")
    COMMUNITY_MARAC = "community_marac", _("Community MARAC")
    VICTIM_CARE = "victim_care", _("Victim care")
    SUPPORT = "support", _("Support programme")
    ASB_REPORT = "asb_report", _("Report of anti-social behaviour")


class SubjectKind(models.TextChoices):
    PERSON = "person", _("A person")
    HOUSEHOLD = "household", _("A household")
    LOCATION = "location", _("A location")


class Consent(models.TextChoices):
    GIVEN = "given", _("Consent given")
    NOT_GIVEN = "not_given", _("Consent not given: sharing under another lawful basis")
    NOT_SOUGHT = "not_sought", _("Consent not sought")


class LawfulBasis(models.TextChoices):
    NONE = "", _("None")
    CRIME_AND_DISORDER = "s115", _("Crime and Disorder Act 1998, section 115, with UK GDPR Article 6(1)(e)")
    SAFEGUARDING = "safeguarding", _("Safeguarding a child or an individual at risk (DPA 2018 Sch. 1 para 18)")
    PREVENTING_CRIME = "preventing_crime", _("Preventing or detecting unlawful acts (DPA 2018 Sch. 1 para 10)")
    VITAL_INTERESTS = "vital_interests", _("Vital interests: a risk to life (UK GDPR Article 6(1)(d))")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting triage")
    MORE_INFO = "more_info", _("More information requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


OPEN_STATUSES = (Status.SUBMITTED, Status.MORE_INFO)


class Referral(PartnershipRecord):
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PARTNER)
    purpose = models.CharField(_("what the referral is for"), max_length=20, choices=Purpose.choices)
    subject_kind = models.CharField(_("who or what it is about"), max_length=10, choices=SubjectKind.choices)
    reason = models.TextField(_("reason for the referral"))
    evidence = models.TextField(_("evidence"), blank=True)
    risk_level = models.CharField(_("risk"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.STANDARD)
    vulnerabilities = models.TextField(_("vulnerabilities"), blank=True)
    tried_already = models.TextField(_("what has been tried already"), blank=True)
    consent = models.CharField(_("consent"), max_length=10, choices=Consent.choices)
    lawful_basis = models.CharField(
        _("lawful basis relied on"), max_length=20, choices=LawfulBasis.choices, blank=True, default=""
    )
    consent_not_sought_reason = models.TextField(_("why consent was not sought"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    # What a resident's report adds: it becomes an incident on the case it is accepted into.
    category = models.ForeignKey(
        "cases.IncidentCategory", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    occurred_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals", null=True, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made", null=True, blank=True
    )
    referrer_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="referral_status_valid"),
            models.CheckConstraint(condition=Q(consent__in=Consent.values), name="referral_consent_valid"),
            models.CheckConstraint(
                condition=~Q(consent=Consent.NOT_GIVEN) | ~Q(lawful_basis=""),
                name="referral_no_consent_has_basis",
            ),
            models.CheckConstraint(
                condition=~Q(consent=Consent.NOT_SOUGHT) | ~Q(consent_not_sought_reason=""),
                name="referral_not_sought_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.DECLINED) | ~Q(decision_reason=""), name="referral_declined_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.ACCEPTED) | Q(case__isnull=False), name="referral_accepted_has_case"
            ),
            models.CheckConstraint(
                condition=Q(source=Source.PUBLIC) | Q(referred_by__isnull=False), name="referral_partner_has_referrer"
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "status", "-created_at"]),
            models.Index(fields=["referred_by", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} referral {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReferralSubject(models.Model):
    """A person or place the referral is about; linked to a profile when it is accepted."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        LOCATION = "location", _("Location")

    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="subjects")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    address = models.CharField(_("address or place"), max_length=200, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    role = models.CharField(_("role"), max_length=20, blank=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    location = models.ForeignKey("people.Location", on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        if self.kind == self.Kind.PERSON:
            return f"{self.first_name} {self.last_name}".strip()
        return f"{self.address} {self.postcode}".strip()


class ReferralDocument(PartnershipRecord):
    """A file sent with a referral; it joins the case's documents when the referral is accepted."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="documents")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    sha256 = models.CharField(max_length=64)
    case_document = models.OneToOneField(
        "cases.Document", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class ReferralUpdate(models.Model):
    """The referral's own history, which the referrer and the triage team both see."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Referred")
        MORE_INFO_REQUESTED = "more_info_requested", _("More information requested")
        INFORMATION_ADDED = "information_added", _("Information added")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()
