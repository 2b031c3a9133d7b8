"""GOV.UK Frontend classes and ARIA wiring for Django forms."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.FileInput: "govuk-file-upload",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
}


class GovukFormMixin:
    """Gives every widget its GOV.UK class and points it at its hint and error."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = next(
                (c for kind, c in WIDGET_CLASSES.items() if type(widget) is kind),
                "govuk-input",
            )
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        errors: dict[str, Any] = getattr(self, "_errors", None) or {}
        for name in errors:
            if name in self.fields:
                widget = self.fields[name].widget
                described = widget.attrs.get("aria-describedby", "")
                widget.attrs["aria-describedby"] = f"{described} id_{name}-error".strip()
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} govuk-input--error".strip()


class VersionedForm(GovukFormMixin, forms.Form):
    """An edit of a shared record: it carries the version the editor saw, so a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class EmailAddressField(forms.EmailField):
    """An email address a member of the public types, with the GOV.UK wording for a mistyped one."""

    default_error_messages = {"invalid": _("Enter an email address in the correct format, like name@example.com.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)


class PhoneField(forms.CharField):
    """A phone number as people write it: digits, spaces and + ( ) - only."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        phone: str = super().clean(value)
        if phone and not all(c.isdigit() or c in " +()-" for c in phone):
            raise ValidationError(_("Enter a phone number, like 01276 707100 or +44 1276 707100."))
        return phone
