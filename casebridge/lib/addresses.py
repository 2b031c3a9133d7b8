"""UK addresses as every app takes them: the postcode and UPRN formats, the kinds of place, and
the form that asks for one."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casebridge.lib.forms import GovukFormMixin

POSTCODE_RE = re.compile(r"^(GIR 0AA|[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2})$")
UPRN_RE = re.compile(r"^\d{1,12}$")


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def validate_postcode(value: str) -> None:
    if not POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError(gettext("Enter a real UK postcode, like GU15 3HD."), code="postcode")


def validate_uprn(value: str) -> None:
    if value and not UPRN_RE.match(value):
        raise ValidationError(gettext("A UPRN is a number of up to 12 digits."), code="uprn")


class LocationKind(models.TextChoices):
    ADDRESS = "address", _("Address or premises")
    PLACE = "place", _("Public place")


class LocationForm(GovukFormMixin, forms.Form):
    """An address or a named public place; the postcode is checked and written the standard way."""

    kind = forms.ChoiceField(label=_("Type of location"), choices=LocationKind.choices, initial=LocationKind.ADDRESS)
    address_line_1 = forms.CharField(label=_("Address line 1"), max_length=200, required=False)
    address_line_2 = forms.CharField(label=_("Address line 2 (optional)"), max_length=200, required=False)
    town = forms.CharField(label=_("Town or city"), max_length=100, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    uprn = forms.CharField(
        label=_("UPRN (optional)"), max_length=12, required=False, help_text=_("Unique Property Reference Number.")
    )
    place_name = forms.CharField(
        label=_("Place name"), max_length=200, required=False, help_text=_("For a public place, such as a park.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        postcode = data.get("postcode", "")
        if postcode:
            try:
                validate_postcode(postcode)
                data["postcode"] = normalise_postcode(postcode)
            except ValidationError as error:
                self.add_error("postcode", error)
        if data.get("uprn"):
            try:
                validate_uprn(data["uprn"])
            except ValidationError as error:
                self.add_error("uprn", error)
        if data.get("kind") == LocationKind.ADDRESS:
            if not data.get("address_line_1"):
                self.add_error("address_line_1", _("Enter the first line of the address."))
            if not postcode and "postcode" not in self.errors:
                self.add_error("postcode", _("Enter the postcode."))
        elif data.get("kind") == LocationKind.PLACE and not data.get("place_name"):
            self.add_error("place_name", _("Enter the name of the place."))
        return data

    def location_values(self) -> dict[str, Any]:
        names = ["kind", "address_line_1", "address_line_2", "town", "postcode", "uprn", "place_name"]
        return {name: self.cleaned_data.get(name, "") for name in names}
