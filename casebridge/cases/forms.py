import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casebridge.accounts.models import User
from casebridge.cases import documents
from casebridge.cases.models import (
    CaseType,
    ClosureReason,
    HateStrand,
    IncidentCategory,
    IncidentGroup,
    Note,
    PartyRole,
    Restriction,
    RiskLevel,
    Status,
)
from casebridge.lib.dates import DateInput
from casebridge.lib.forms import GovukFormMixin, VersionedForm
from casebridge.organisations.models import Partnership
from casebridge.people.models import Gender, LocationKind
from casebridge.people.validators import normalise_postcode, validate_postcode, validate_uprn


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


class PartyAddForm(GovukFormMixin, forms.Form):
    role = forms.ChoiceField(
        label=_("Role in the case"),
        choices=PartyRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the person's role in the case.")},
    )
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    approximate_age = forms.IntegerField(
        label=_("Approximate age"), required=False, min_value=0, max_value=120, help_text=_("If the date is unknown.")
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)

    def __init__(self, *args: Any, existing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.existing = existing
        if existing:
            for name in ("first_name", "last_name", "date_of_birth", "approximate_age", "gender"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.existing and not data.get("last_name"):
            self.add_error("last_name", _("Enter the person's last name."))
        dob = data.get("date_of_birth")
        if dob and dob > timezone.localdate():
            self.add_error("date_of_birth", _("Date of birth must be in the past."))
        return data


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
        users = list(User.objects.filter(email__in=emails, memberships__partnership=self.partnership))
        if data.get("restriction") == Restriction.NAMED_USERS:
            missing = set(emails) - {u.email for u in users}
            if not emails:
                self.add_error("restricted_to", _("Enter the email address of at least one person."))
            elif missing:
                self.add_error(
                    "restricted_to",
                    _("No one in this partnership has the email address %(e)s.") % {"e": ", ".join(sorted(missing))},
                )
        data["restricted_users"] = users
        return data


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

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        try:
            documents.check_upload(file)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return file


class LocationForm(GovukFormMixin, forms.Form):
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


class CaseLocationForm(LocationForm):
    is_subject = forms.BooleanField(label=_("The case is about this place (for example a JAG case)"), required=False)


class AddressForm(LocationForm):
    from_date = forms.DateField(label=_("Lived there from (optional)"), required=False, widget=DateInput)
    to_date = forms.DateField(label=_("Lived there until (optional)"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("from_date") and data.get("to_date") and data["to_date"] < data["from_date"]:
            self.add_error("to_date", _("The date they moved out must be after the date they moved in."))
        return data


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
