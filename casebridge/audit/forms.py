from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from casebridge.audit.models import Action
from casebridge.audit.selectors import AuditFilters
from casebridge.lib.dates import DATE_INPUT_FORMATS, DateInput
from casebridge.lib.forms import GovukFormMixin


def _date_bound(label: StrOrPromise, *, invalid: StrOrPromise) -> forms.DateField:
    """An optional end of the date range, typed as 2026-03-27 or 27/03/2026."""
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput,
        error_messages={"invalid": invalid},
    )


class AuditFilterForm(GovukFormMixin, forms.Form):
    email = forms.CharField(
        label=_("Email address of the user"),
        help_text=_("All or part of it, for example @police.example"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("", _("Any action")), *Action.choices],
        required=False,
    )
    date_from = _date_bound(_("From"), invalid=_("Enter the start date as a real date, for example 2026-03-27."))
    date_to = _date_bound(_("To"), invalid=_("Enter the end date as a real date, for example 2026-03-27."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs["class"] += " govuk-input--width-10"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must be the same as or after the start date."))
        return cleaned

    def filters(self) -> AuditFilters:
        """The filters to apply, leaving out any that failed validation."""
        self.is_valid()
        data = self.cleaned_data
        return AuditFilters(
            email=(data.get("email") or "").strip(),
            action=data.get("action") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
