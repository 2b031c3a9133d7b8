from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casebridge.cases.models import Case, PartyRole
from casebridge.lib.addresses import LocationForm
from casebridge.lib.dates import DateInput, long_date
from casebridge.lib.forms import GovukFormMixin, VersionedForm
from casebridge.people.models import Gender, IdentifierKind, Person, Relationship, WarningKind
from casebridge.people.validators import IDENTIFIER_VALIDATORS, normalise_identifier

NO_CASE = ""


class RecordedUnderForm(GovukFormMixin, forms.Form):
    """What a new detail is recorded under (rule 7): one of the person's cases the user works on,
    or their organisation alone; and whether everyone working with the person may see it."""

    source_case = forms.ChoiceField(
        label=_("Which case is this recorded under?"),
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Those who may see that case will see it. With no case, only your organisation's staff will see it."
        ),
    )
    shared_with_everyone = forms.BooleanField(
        label=_("Share with everyone working with this person"),
        required=False,
        help_text=_("Every organisation that may see this person will see it, whatever their cases."),
    )

    def __init__(self, *args: Any, source_cases: list[Case] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source_cases = {case.reference: case for case in source_cases or []}
        self.fields["source_case"].choices = [  # type: ignore[attr-defined]
            (NO_CASE, _("No case: my organisation only")),
            *((ref, f"{ref} ({case.case_type})") for ref, case in self.source_cases.items()),
        ]
        self.fields["source_case"].initial = NO_CASE
        # Provenance last, after the detail itself.
        for name in ("source_case", "shared_with_everyone"):
            self.fields[name] = self.fields.pop(name)

    def clean_source_case(self) -> Case | None:
        return self.source_cases.get(self.cleaned_data.get("source_case") or NO_CASE)


class PersonEditForm(VersionedForm, RecordedUnderForm):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, error_messages={"required": _("Enter the person's last name.")}
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    approximate_age = forms.IntegerField(label=_("Approximate age"), required=False, min_value=0, max_value=120)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email address"), required=False)
    vulnerabilities = forms.CharField(
        label=_("Vulnerabilities"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, hidden_columns: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A phone, email or vulnerabilities the user may not see is not offered: it stays as it is.
        for name in hidden_columns:
            del self.fields[name]
        self.fields["source_case"].label = _(
            "If you change the phone number, email address or vulnerabilities, which case are they recorded under?"
        )

    def clean_date_of_birth(self) -> Any:
        dob = self.cleaned_data.get("date_of_birth")
        if dob and dob > timezone.localdate():
            raise ValidationError(_("Date of birth must be in the past."))
        return dob


class IdentifierForm(RecordedUnderForm):
    kind = forms.ChoiceField(label=_("Type of identifier"), choices=IdentifierKind.choices)
    value = forms.CharField(label=_("Number"), max_length=20)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, value = data.get("kind"), data.get("value")
        if kind and value:
            data["value"] = normalise_identifier(kind, value)
            try:
                IDENTIFIER_VALIDATORS[kind](data["value"])
            except ValidationError as error:
                self.add_error("value", error)
        return data


class WarningForm(RecordedUnderForm):
    kind = forms.ChoiceField(label=_("Warning"), choices=WarningKind.choices)
    detail = forms.CharField(label=_("Details"), max_length=300, required=False)


class AliasForm(RecordedUnderForm):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100)


class SearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Name, case reference, identifier or postcode"),
        required=False,
        max_length=100,
        help_text=_("For example Jon Smyth, SH-2026-000123, 98/123456X or GU15 3HD."),
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("q") and not data.get("date_of_birth") and not self.errors:
            raise ValidationError(_("Enter a name, reference, identifier, postcode or date of birth."))
        return data


class PersonLinkForm(GovukFormMixin, forms.Form):
    """Link to one of ``candidates``: the people the user may see on this person's cases."""

    other = forms.ChoiceField(
        label=_("Who are they linked to?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the person they are linked to.")},
    )
    relationship = forms.ChoiceField(
        label=_("How are they linked?"),
        choices=Relationship.choices,
        widget=forms.RadioSelect,
        help_text=_("How the other person relates to this one, for example their parent or carer."),
        error_messages={"required": _("Select how they are linked.")},
    )

    def __init__(self, *args: Any, candidates: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(p.public_id): p for p in candidates}
        self.fields["other"].choices = [  # type: ignore[attr-defined]
            (key, f"{p.full_name}{f', born {long_date(p.date_of_birth)}' if p.date_of_birth else ''}")
            for key, p in self.candidates.items()
        ]

    def clean_other(self) -> Person:
        return self.candidates[self.cleaned_data["other"]]


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


class AddressForm(LocationForm, RecordedUnderForm):
    from_date = forms.DateField(label=_("Lived there from (optional)"), required=False, widget=DateInput)
    to_date = forms.DateField(label=_("Lived there until (optional)"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("from_date") and data.get("to_date") and data["to_date"] < data["from_date"]:
            self.add_error("to_date", _("The date they moved out must be after the date they moved in."))
        return data
