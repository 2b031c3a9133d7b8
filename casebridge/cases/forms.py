import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casebridge.accounts.email_key import email_key
from casebridge.accounts.models import User
from casebridge.cases import documents
from casebridge.cases.models import (
    CaseType,
    ClosureReason,
    HateStrand,
    IncidentCategory,
    IncidentGroup,
    Note,
    Restriction,
    RiskLevel,
    Status,
)
from casebridge.lib.addresses import LocationForm, normalise_postcode, validate_postcode
from casebridge.lib.dates import DateInput
from casebridge.lib.forms import GovukFormMixin, VersionedForm
from casebridge.organisations.models import Partnership


class CaseFilterForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False)
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=[("", _("Any risk level")), *RiskLevel.choices], required=False
    )
    case_type = forms.ModelChoiceField(
        label=_("Case type"), queryset=CaseType.objects.none(), required=False, empty_label=_("Any type")
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = CaseType.objects.filter(partnership=partnership)  # type: ignore[attr-defined]


class CaseCreateForm(GovukFormMixin, forms.Form):
    case_type = forms.ModelChoiceField(
        label=_("Case type"), queryset=CaseType.objects.none(), error_messages={"required": _("Select a case type.")}
    )
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices, initial=RiskLevel.STANDARD)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the case is about, in a sentence or two."),
        error_messages={"required": _("Enter a summary of the case.")},
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = CaseType.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership, is_active=True
        )


class CaseEditForm(VersionedForm):
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(
        label=_("Status"), choices=[(Status.OPEN, Status.OPEN.label), (Status.UNDER_REVIEW, Status.UNDER_REVIEW.label)]
    )


class CaseCloseForm(VersionedForm):
    closure_reason = forms.ChoiceField(
        label=_("Why is the case closing?"),
        choices=ClosureReason.choices,
        error_messages={"required": _("Select why the case is closing.")},
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter the outcome of the case.")},
    )


class CaseReopenForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why are you reopening the case?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter why you are reopening the case.")},
    )


class RestrictionMixin(forms.Form):
    restriction = forms.ChoiceField(
        label=_("Who can see this?"),
        choices=Restriction.choices,
        required=False,
        initial=Restriction.NONE,
        widget=forms.RadioSelect,
    )
    restricted_to = forms.CharField(
        label=_("Named people"),
        required=False,
        help_text=_("Email addresses, separated by commas, when only named people may see it."),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        emails = [e.strip().lower() for e in (data.get("restricted_to") or "").split(",") if e.strip()]
        keys = {email_key(e) for e in emails}
        users = list(User.objects.filter(email_key__in=keys, memberships__partnership=self.partnership))
        if data.get("restriction") == Restriction.NAMED_USERS:
            missing = {e for e in emails if email_key(e) not in {u.email_key for u in users}}
            if not emails:
                self.add_error("restricted_to", _("Enter the email address of at least one person."))
            elif missing:
                self.add_error(
                    "restricted_to",
                    _("No one in this partnership has the email address %(e)s.") % {"e": ", ".join(sorted(missing))},
                )
        data["restricted_users"] = users
        return data

    def restriction_values(self) -> dict[str, Any]:
        """Who may see the entry, in the shape every entry-writing service takes."""
        return {"restriction": self.cleaned_data["restriction"], "restricted_to": self.cleaned_data["restricted_users"]}


class NoteForm(GovukFormMixin, RestrictionMixin):
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[(k, label) for k, label in Note.Kind.choices if k != Note.Kind.STATUS],
        initial=Note.Kind.NOTE,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 6}), error_messages={"required": _("Enter the note.")}
    )
    field_order = ["kind", "text", "restriction", "restricted_to"]


class IncidentForm(GovukFormMixin, RestrictionMixin):
    occurred_on = forms.DateField(label=_("Date of the incident"), widget=DateInput)
    occurred_time = forms.TimeField(
        label=_("Time of the incident"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    reported_on = forms.DateField(label=_("Date reported"), widget=DateInput)
    category = forms.ModelChoiceField(label=_("Category"), queryset=IncidentCategory.objects.none())
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 5}))
    location = forms.CharField(label=_("Where"), required=False, max_length=200)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=10)
    is_hate = forms.BooleanField(label=_("This is a hate incident"), required=False)
    hate_strand = forms.ChoiceField(label=_("Hate strand"), choices=HateStrand.choices, required=False)
    police_reference = forms.CharField(label=_("Police reference"), required=False, max_length=40)
    field_order = [
        "occurred_on",
        "occurred_time",
        "reported_on",
        "category",
        "description",
        "location",
        "postcode",
        "is_hate",
        "hate_strand",
        "police_reference",
        "restriction",
        "restricted_to",
    ]

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, partnership=partnership, **kwargs)
        self.fields["category"].queryset = IncidentCategory.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership, is_active=True
        )

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"]
        if postcode:
            validate_postcode(postcode)
            return normalise_postcode(postcode)
        return ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        occurred_on, reported_on = data.get("occurred_on"), data.get("reported_on")
        today = timezone.localdate()
        if occurred_on and occurred_on > today:
            self.add_error("occurred_on", _("The date of the incident must be today or in the past."))
        if occurred_on and reported_on and reported_on < occurred_on:
            self.add_error("reported_on", _("The date reported must be on or after the date of the incident."))
        if data.get("hate_strand") and not data.get("is_hate"):
            self.add_error("hate_strand", _("Choose a hate strand only for a hate incident."))
        if occurred_on:
            data["occurred_at"] = timezone.make_aware(
                datetime.datetime.combine(occurred_on, data.get("occurred_time") or datetime.time(0, 0))
            )
        return data


class DocumentForm(GovukFormMixin, RestrictionMixin):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("Upload a file"), help_text=_("PDF, image (PNG, JPEG, GIF) or Word, Excel or PowerPoint file.")
    )
    field_order = ["title", "file", "restriction", "restricted_to"]

    def document_values(self) -> dict[str, Any]:
        return {"file": self.cleaned_data["file"], "title": self.cleaned_data["title"], **self.restriction_values()}

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        try:
            documents.check_upload(file)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return file


class CaseLocationForm(LocationForm):
    is_subject = forms.BooleanField(label=_("The case is about this place (for example a JAG case)"), required=False)


class CaseLinkForm(GovukFormMixin, forms.Form):
    reference = forms.CharField(
        label=_("Reference of the case to link"), max_length=24, help_text=_("For example SH-2026-000123.")
    )


# -- partnership configuration ---------------------------------------------------------------

IN_USE_CHOICES = [
    ("active", _("In use")),
    ("retired", _("Retired: kept on existing records, but cannot be chosen for new ones")),
]


class ConfigurationNameForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, error_messages={"required": _("Enter a name.")})


class CaseTypeEditForm(ConfigurationNameForm):
    status = forms.ChoiceField(label=_("Status"), choices=IN_USE_CHOICES, widget=forms.RadioSelect)


class IncidentCategoryForm(ConfigurationNameForm):
    group = forms.ChoiceField(
        label=_("Group"),
        choices=IncidentGroup.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the group the category belongs to.")},
    )
    field_order = ["group", "name"]


class IncidentCategoryEditForm(IncidentCategoryForm):
    status = forms.ChoiceField(label=_("Status"), choices=IN_USE_CHOICES, widget=forms.RadioSelect)
