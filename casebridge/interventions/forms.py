from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casebridge.cases.models import Incident
from casebridge.interventions.models import BreachAction, InterventionType, Status
from casebridge.interventions.services import TYPE_FIELDS
from casebridge.lib.dates import DateInput
from casebridge.lib.forms import GovukFormMixin
from casebridge.people.models import Location, Person


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class InterventionForm(GovukFormMixin, forms.Form):
    subject_person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), required=False, empty_label=_("Not a person")
    )
    subject_organisation_name = forms.CharField(label=_("Or a business or body"), max_length=200, required=False)
    subject_location = forms.ModelChoiceField(
        label=_("Or a place linked to the case"), queryset=Location.objects.none(), required=False, empty_label="—"
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(Status.PROPOSED, Status.PROPOSED.label), (Status.IN_FORCE, Status.IN_FORCE.label)],
        widget=forms.RadioSelect,
        initial=Status.PROPOSED,
    )
    issued_on = forms.DateField(label=_("Date issued"), required=False, widget=DateInput)
    court = forms.CharField(label=_("Court"), max_length=160, required=False)
    hearing_on = forms.DateField(label=_("Hearing date"), required=False, widget=DateInput)
    review_on = forms.DateField(
        label=_("Review date"), required=False, widget=DateInput, help_text=_("Leave empty for the usual period.")
    )
    expires_on = forms.DateField(
        label=_("Expiry date"), required=False, widget=DateInput, help_text=_("Leave empty for the usual period.")
    )
    prohibitions = forms.CharField(
        label=_("Prohibitions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line, for example “Not to enter Heath Road car park”."),
    )
    requirements = forms.CharField(
        label=_("Positive requirements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line, for example “Attend an anger management course”."),
    )
    subject_signed = forms.BooleanField(label=_("The person it applies to has signed"), required=False)
    parent_guardian_name = forms.CharField(
        label=_("Parent or guardian who signed"),
        max_length=200,
        required=False,
        help_text=_("Needed for an Acceptable Behaviour Contract with someone under 18."),
    )
    other_signatories = forms.CharField(
        label=_("Other signatories"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One name a line."),
    )
    details = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, type_: InterventionType, people: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject_person"].queryset = people  # type: ignore[attr-defined]
        self.fields["subject_location"].queryset = locations  # type: ignore[attr-defined]
        allowed = type_.allowed_subjects
        for kind, name in (
            ("person", "subject_person"),
            ("organisation", "subject_organisation_name"),
            ("location", "subject_location"),
        ):
            if kind not in allowed:
                del self.fields[name]
        if not type_.needs_court:
            del self.fields["court"]
            del self.fields["hearing_on"]
        if not type_.parent_signatory_under_18:
            del self.fields["parent_guardian_name"]

    def service_arguments(self, *, officer_name: str) -> dict[str, Any]:
        data = self.cleaned_data
        signatories: list[tuple[str, str]] = []
        person = data.get("subject_person")
        if data.get("subject_signed") and person is not None:
            signatories.append((person.full_name, "subject"))
        if data.get("parent_guardian_name"):
            signatories.append((data["parent_guardian_name"], "parent"))
        signatories += [(name, "other") for name in lines(data.get("other_signatories", ""))]
        if signatories:
            signatories.append((officer_name, "officer"))
        return {
            "subject_person": person,
            "subject_organisation_name": data.get("subject_organisation_name", ""),
            "subject_location": data.get("subject_location"),
            "status": data["status"],
            "issued_on": data.get("issued_on"),
            "court": data.get("court", ""),
            "hearing_on": data.get("hearing_on"),
            "review_on": data.get("review_on"),
            "expires_on": data.get("expires_on"),
            "details": data.get("details", ""),
            "prohibitions": lines(data.get("prohibitions", "")),
            "requirements": lines(data.get("requirements", "")),
            "signatories": signatories,
        }


class StatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices, widget=forms.RadioSelect)
    issued_on = forms.DateField(
        label=_("Date issued"), required=False, widget=DateInput, help_text=_("Needed when it comes into force.")
    )
    outcome = forms.CharField(label=_("Result or reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, allowed: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(v, label) for v, label in Status.choices if v in allowed]  # type: ignore[attr-defined]


class BreachForm(GovukFormMixin, forms.Form):
    occurred_on = forms.DateField(label=_("Date of the breach"), widget=DateInput)
    details = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example, body-worn video reference, witness statements, photographs."),
    )
    action_taken = forms.ChoiceField(label=_("Action taken"), choices=BreachAction.choices, widget=forms.RadioSelect)
    incident = forms.ModelChoiceField(
        label=_("Linked incident"), queryset=Incident.objects.none(), required=False, empty_label=_("None")
    )

    def __init__(self, *args: Any, incidents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = incidents  # type: ignore[attr-defined]


class InterventionTypeForm(GovukFormMixin, forms.ModelForm[InterventionType]):
    class Meta:
        model = InterventionType
        fields = list(TYPE_FIELDS)
