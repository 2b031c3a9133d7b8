"""Residents' online ASB reports and the postcode districts that route them to a partnership."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casebridge.organisations.models import PartnershipRecord


class PostcodeDistrict(models.Model):
    """The outward code of a postcode (e.g. GU15) that a partnership covers; one partnership each."""

    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="+")
    district = models.CharField(max_length=4, unique=True)

    class Meta:
        ordering = ["district"]
        constraints = [
            models.CheckConstraint(condition=Q(district__regex=r"^[A-Z]{1,2}[0-9][A-Z0-9]?$"), name="district_format")
        ]

    def __str__(self) -> str:
        return self.district


class Frequency(models.TextChoices):
    ONCE = "once", _("It happened once")
    SOMETIMES = "sometimes", _("It has happened a few times")
    WEEKLY = "weekly", _("About every week")
    DAILY = "daily", _("Most days")


class Impact(models.TextChoices):
    HEALTH = "health", _("It is affecting my health, or the health of someone I live with")
    DISABILITY = "disability", _("I, or someone I live with, have a disability or long-term illness")
    FEAR = "fear", _("I feel unsafe or afraid in my home or area")
    PREVIOUS = "previous", _("I have reported this problem before")


class PublicReport(PartnershipRecord):
    """What only a resident's report carries; the report itself is a referral in the triage queue."""

    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="public_report")
    reference = models.CharField(max_length=12, unique=True, editable=False)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    people_involved = models.TextField(blank=True)
    impacts = models.JSONField(default=list, blank=True)
    is_anonymous = models.BooleanField(default=True)
    contact_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=False) | (Q(contact_name="") & Q(email="") & Q(phone="")),
                name="public_report_anonymous_has_no_contact",
            ),
        ]

    def __str__(self) -> str:
        return self.reference
