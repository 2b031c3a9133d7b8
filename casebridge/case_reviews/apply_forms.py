"""The public application's questions: one per page, strict limits (anyone on the internet can post)."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casebridge.case_reviews.models import ApplicantRole
from casebridge.lib.addresses import normalise_postcode
from casebridge.lib.forms import EmailAddressField, GovukFormMixin, PhoneField
from casebridge.public_reports.forms import partnership_from_postcode

SUMMARY_LIMIT = 2000
DESCRIPTION_LIMIT = 500
NAME_LIMIT = 100


class WhoForm(GovukFormMixin, forms.Form):
    applicant_role = forms.ChoiceField(
        label=_("Are you the victim of the anti-social behaviour?"),
        choices=[
            (ApplicantRole.VICTIM, _("Yes, I am the victim")),
            (ApplicantRole.ON_BEHALF, _("No, I am applying for the victim, with their consent")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether you are the victim.")},
    )


class ConsentForm(GovukFormMixin, forms.Form):
    victim_name = forms.CharField(
        label=_("The victim's full name"),
        max_length=NAME_LIMIT,
        error_messages={
            "required": _("Enter the victim's full name."),
            "max_length": _("The name must be %(limit_value)d characters or fewer."),
        },
    )
    relationship = forms.CharField(
        label=_("Your relationship to the victim"),
        help_text=_("For example, family member, carer, councillor or support worker."),
        max_length=NAME_LIMIT,
        error_messages={
            "required": _("Enter your relationship to the victim."),
            "max_length": _("The relationship must be %(limit_value)d characters or fewer."),
        },
    )
    consent_given = forms.BooleanField(
        label=_("The victim has agreed to me applying for them"),
        error_messages={"required": _("Confirm that the victim has agreed to you applying for them.")},
    )


class WhereForm(GovukFormMixin, forms.Form):
    postcode = forms.CharField(
        label=_("Postcode"),
        help_text=_("The postcode where the anti-social behaviour happens, for example GU15 3HD."),
        max_length=10,
        error_messages={
            "required": _("Enter the postcode where the anti-social behaviour happens."),
            "max_length": _("Enter a real UK postcode, like GU15 3HD."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        postcode = normalise_postcode(data.get("postcode", ""))
        if not postcode:
            return data
        refusal = _(
            "We cannot take applications for %(postcode)s online. "
            "Contact the council for that area to ask for an ASB Case Review."
        )
        partnership = partnership_from_postcode(self, postcode, refusal=refusal)
        if partnership is not None:
            data["postcode"], data["partnership"] = postcode, partnership
        return data


class ProblemForm(GovukFormMixin, forms.Form):
    summary = forms.CharField(
        label=_("Describe the anti-social behaviour"),
        help_text=_("What has been happening, and how it affects you or the victim."),
        max_length=SUMMARY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Describe the anti-social behaviour."),
            "max_length": _("The description must be %(limit_value)d characters or fewer."),
        },
    )


def _date_from(data: dict[str, Any], prefix: str) -> datetime.date | str | None:
    """The date from three boxes, None if all are empty, or "invalid"."""
    parts = [data.get(f"{prefix}_{name}") for name in ("day", "month", "year")]
    if all(p is None for p in parts):
        return None
    if any(p is None for p in parts):
        return "invalid"
    try:
        return datetime.date(parts[2], parts[1], parts[0])  # type: ignore[arg-type]
    except ValueError:
        return "invalid"


def _parts(prefix: str) -> dict[str, forms.IntegerField]:
    return {
        f"{prefix}_day": forms.IntegerField(label=_("Day"), min_value=1, max_value=31, required=False),
        f"{prefix}_month": forms.IntegerField(label=_("Month"), min_value=1, max_value=12, required=False),
        f"{prefix}_year": forms.IntegerField(label=_("Year"), min_value=1900, max_value=9999, required=False),
    }


class ComplaintForm(GovukFormMixin, forms.Form):
    """One complaint: two GOV.UK date inputs (one error each), who it was reported to, what happened."""

    DATES = (("occurred", _("the incident")), ("reported", _("when you reported it")))

    reported_to = forms.CharField(
        label=_("Who did you report it to?"),
        help_text=_("For example, Surrey Police, the council or your housing association."),
        max_length=200,
        error_messages={
            "required": _("Enter who you reported it to."),
            "max_length": _("This must be %(limit_value)d characters or fewer."),
        },
    )
    description = forms.CharField(
        label=_("What happened? (optional)"),
        max_length=DESCRIPTION_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("What happened must be %(limit_value)d characters or fewer.")},
    )
    is_hate = forms.BooleanField(
        label=_("I believe it was a hate incident"),
        help_text=_("Targeted because of race, religion, disability, sexual orientation or transgender identity."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for prefix, _label in self.DATES:
            self.fields.update(_parts(prefix))

    def date_fields(self, prefix: str) -> list[forms.BoundField]:
        return [self[f"{prefix}_{name}"] for name in ("day", "month", "year")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        dates: dict[str, datetime.date] = {}
        for prefix, _label in self.DATES:
            names = [f"{prefix}_{n}" for n in ("day", "month", "year")]
            broken = any(self.has_error(n) for n in names)
            for name in names:
                self.errors.pop(name, None)
            value = "invalid" if broken else _date_from(data, prefix)
            if value is None:
                message = (
                    _("Enter the date of the incident.")
                    if prefix == "occurred"
                    else _("Enter the date you reported it.")
                )
                self.add_error(f"{prefix}_day", message)
            elif value == "invalid":
                self.add_error(f"{prefix}_day", _("The date must be a real date, like 27 3 2026."))
            elif isinstance(value, datetime.date) and value > today:
                self.add_error(f"{prefix}_day", _("The date must be today or in the past."))
            elif isinstance(value, datetime.date):
                dates[prefix] = value
        if len(dates) == 2 and dates["reported"] < dates["occurred"]:
            self.add_error("reported_day", _("The date you reported it must be on or after the date of the incident."))
        data.update({f"{k}_on": v for k, v in dates.items()})
        return data


class MoreForm(GovukFormMixin, forms.Form):
    more = forms.ChoiceField(
        label=_("Do you need to add another complaint?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether you need to add another complaint.")},
    )


class ContactForm(GovukFormMixin, forms.Form):
    applicant_name = forms.CharField(
        label=_("Your full name"),
        max_length=NAME_LIMIT,
        error_messages={
            "required": _("Enter your full name."),
            "max_length": _("Your name must be %(limit_value)d characters or fewer."),
        },
    )
    applicant_email = EmailAddressField(
        label=_("Email address"),
        help_text=_("We will send your reference number and our decision to this address."),
        required=False,
    )
    applicant_phone = PhoneField(label=_("Phone number"), required=False)
    applicant_address = forms.CharField(
        label=_("Postal address"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("The address must be %(limit_value)d characters or fewer.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = data.get("applicant_email") or data.get("applicant_phone") or data.get("applicant_address")
        if not given and not self.has_error("applicant_email") and not self.has_error("applicant_phone"):
            self.add_error(
                "applicant_email",
                _("Enter an email address, a phone number or a postal address, so that we can tell you our decision."),
            )
        return data
