"""One form per question; every limit is strict because anyone on the internet can post."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from casebridge.lib.addresses import POSTCODE_RE, normalise_postcode
from casebridge.lib.forms import EmailAddressField, GovukFormMixin, PhoneField
from casebridge.organisations.models import Partnership
from casebridge.public_reports import selectors
from casebridge.public_reports.models import Frequency, Impact

DESCRIPTION_LIMIT = 2000
WHO_LIMIT = 1000
PLACE_LIMIT = 300


def partnership_from_postcode(form: forms.Form, postcode: str, *, refusal: StrOrPromise) -> Partnership | None:
    """The partnership taking requests online for a postcode; otherwise an error on the form's postcode.

    ``refusal`` is the message, with ``%(postcode)s``, for a real postcode outside every such partnership.
    """
    if not POSTCODE_RE.match(postcode):
        form.add_error("postcode", _("Enter a real UK postcode, like GU15 3HD."))
        return None
    partnership = selectors.partnership_for_postcode(postcode)
    if partnership is None:
        form.add_error("postcode", refusal % {"postcode": postcode})
    return partnership


class WhatForm(GovukFormMixin, forms.Form):
    category = forms.ChoiceField(
        label=_("What kind of problem is it?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what kind of problem it is.")},
    )
    description = forms.CharField(
        label=_("Tell us what happened"),
        help_text=_("Do not include anyone's personal details unless you need to."),
        max_length=DESCRIPTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Enter what happened."),
            "max_length": _("What happened must be %(limit_value)d characters or fewer."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(n, n) for n in selectors.category_names()]  # type: ignore[attr-defined]


class WhereForm(GovukFormMixin, forms.Form):
    postcode = forms.CharField(
        label=_("Postcode"),
        help_text=_("The postcode nearest to where it happened, for example GU15 3HD."),
        max_length=10,
        required=False,
        error_messages={"max_length": _("Enter a real UK postcode, like GU15 3HD.")},
    )
    place = forms.CharField(
        label=_("Describe the place"),
        help_text=_("For example, the street, park or shop. Needed if you do not know the postcode."),
        max_length=PLACE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("The place must be %(limit_value)d characters or fewer.")},
    )
    area = forms.ChoiceField(
        label=_("Which area is it in?"),
        help_text=_("Only needed if you do not know the postcode."),
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnerships = {str(p.public_id): p for p in selectors.partnerships_taking_reports()}
        self.fields["area"].choices = [(k, p.name) for k, p in self.partnerships.items()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        postcode = normalise_postcode(data.get("postcode", ""))
        if postcode:
            refusal = _(
                "We cannot take reports for %(postcode)s online. "
                "Contact the council for that area, or call 101 (999 in an emergency)."
            )
            partnership = partnership_from_postcode(self, postcode, refusal=refusal)
            if partnership is not None:
                data["postcode"], data["partnership"] = postcode, partnership
            return data
        if not data.get("place"):
            self.add_error("postcode", _("Enter a postcode, or describe the place."))
        if not data.get("area"):
            self.add_error("area", _("Select which area it is in, or enter a postcode."))
        elif data["area"] in self.partnerships:
            data["partnership"] = self.partnerships[data["area"]]
        return data


class WhenForm(GovukFormMixin, forms.Form):
    """A GOV.UK date input: three boxes, one error."""

    day = forms.IntegerField(label=_("Day"), min_value=1, max_value=31, required=False)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=9999, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(self.has_error(name) for name in ("day", "month", "year")):
            # One message for the whole date, as the GOV.UK date input pattern asks.
            for name in ("day", "month", "year"):
                self.errors.pop(name, None)
            self.add_error("day", _("The date must be a real date, like 27 3 2026."))
            return data
        day, month, year = data.get("day"), data.get("month"), data.get("year")
        if day is None or month is None or year is None:
            self.add_error("day", _("Enter the date it happened, including a day, month and year."))
            return data
        try:
            occurred = datetime.date(year, month, day)
        except ValueError:
            self.add_error("day", _("The date must be a real date, like 27 3 2026."))
            return data
        if occurred > timezone.localdate():
            self.add_error("day", _("The date must be today or in the past."))
        data["occurred_on"] = occurred
        return data


class HowOftenForm(GovukFormMixin, forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often does it happen?"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how often it happens.")},
    )


class WhoForm(GovukFormMixin, forms.Form):
    people_involved = forms.CharField(
        label=_("Who was involved? (optional)"),
        help_text=_("Describe them if you can: for example, how many people, their ages, what they wore."),
        max_length=WHO_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("The description must be %(limit_value)d characters or fewer.")},
    )


class ImpactForm(GovukFormMixin, forms.Form):
    impacts = forms.MultipleChoiceField(
        label=_("How is it affecting you?"),
        help_text=_("Select all that apply, or none. This helps us decide how quickly to contact you."),
        choices=Impact.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ContactForm(GovukFormMixin, forms.Form):
    wants_contact = forms.ChoiceField(
        label=_("Can we contact you about your report?"),
        choices=[("yes", _("Yes, I will give my contact details")), ("no", _("No, I want to stay anonymous"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether we can contact you.")},
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    email = EmailAddressField(
        label=_("Email address"),
        help_text=_("We will send your reference number to this address."),
        required=False,
    )
    phone = PhoneField(label=_("Phone number"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        missing = not (data.get("email") or data.get("phone") or self.has_error("email"))
        if data.get("wants_contact") == "yes" and missing:
            self.add_error("email", _("Enter an email address or a phone number, or choose to stay anonymous."))
        if data.get("wants_contact") == "no":
            data.update(contact_name="", email="", phone="")
        return data


class ProgressForm(GovukFormMixin, forms.Form):
    reference = forms.CharField(
        label=_("Reference number"),
        help_text=_("For example, ASB-7K3M9Q2P."),
        max_length=12,
        error_messages={"required": _("Enter your reference number.")},
    )
    email = EmailAddressField(
        label=_("Email address"),
        help_text=_("The email address you gave with your report."),
        error_messages={"required": _("Enter your email address.")},
    )
