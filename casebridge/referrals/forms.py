from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from casebridge.cases.models import Case, CaseType, PartyRole, RiskLevel
from casebridge.lib.addresses import validate_postcode
from casebridge.lib.dates import DateInput
from casebridge.lib.forms import GovukFormMixin, VersionedForm
from casebridge.people.models import Person
from casebridge.referrals.models import Purpose, Referral, ReferralSubject, Source, Status, Urgency
from casebridge.referrals.services import REFERRAL_FIELDS, check_consent

MAX_FILES = 5
TEXT_LIMIT = 5000


class ReferralForm(GovukFormMixin, forms.ModelForm[Referral]):
    class Meta:
        model = Referral
        fields = list(REFERRAL_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_LIMIT})
            for name in ["reason", "evidence", "vulnerabilities", "tried_already", "consent_not_sought_reason"]
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner_purposes = [c for c in Purpose.choices if c[0] != Purpose.ASB_REPORT]
        self.fields["purpose"].choices = partner_purposes  # type: ignore[attr-defined]
        self.fields["lawful_basis"].help_text = _("Only when consent was not given.")
        self.fields["consent_not_sought_reason"].help_text = _("Only when consent was not sought.")
        for name in ("reason", "evidence", "vulnerabilities", "tried_already", "consent_not_sought_reason"):
            self.fields[name].validators.append(MaxLengthValidator(TEXT_LIMIT))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            check_consent(
                consent=data.get("consent", ""),
                lawful_basis=data.get("lawful_basis", ""),
                consent_not_sought_reason=data.get("consent_not_sought_reason", ""),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return data

    def _post_clean(self) -> None:
        """The service creates the referral; skip the model's own constraint checks here."""


class SubjectForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Person or place"), choices=ReferralSubject.Kind.choices, initial=ReferralSubject.Kind.PERSON
    )
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    role = forms.ChoiceField(label=_("Their part in it"), choices=[("", "—"), *PartyRole.choices], required=False)
    address = forms.CharField(label=_("Address or place"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=8, required=False, validators=[validate_postcode])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.has_changed():
            return data
        is_person = data.get("kind") == ReferralSubject.Kind.PERSON
        if is_person and not (data.get("first_name") or data.get("last_name")):
            self.add_error("last_name", _("Enter the person's name."))
        if not is_person and not (data.get("address") or data.get("postcode")):
            self.add_error("address", _("Enter the address or describe the place."))
        return data


class BaseSubjectFormSet(forms.BaseFormSet[SubjectForm]):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(form.has_changed() and form.cleaned_data for form in self.forms):
            raise ValidationError(_("Enter at least one person or place the referral is about."))


SubjectFormSet = forms.formset_factory(SubjectForm, formset=BaseSubjectFormSet, extra=3, max_num=6)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_FILES:
            raise ValidationError(_("Select up to %(n)s files.") % {"n": MAX_FILES})
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class DocumentsForm(GovukFormMixin, forms.Form):
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Documents (optional)"),
        required=False,
        help_text=_("PDF, images, Word, Excel or PowerPoint files; up to 5."),
    )


class AcceptForm(VersionedForm):
    existing_case = forms.CharField(
        label=_("Add to an existing case (optional)"),
        required=False,
        help_text=_("Choose a case to add the referral to, or leave empty to open a new case."),
        widget=forms.Select,
    )
    case_type = forms.ModelChoiceField(label=_("Type of new case"), queryset=CaseType.objects.none(), required=False)
    risk_level = forms.ChoiceField(label=_("Risk of the new case"), choices=RiskLevel.choices, required=False)

    def __init__(
        self, *args: Any, referral: Referral, cases: list[Case], people: dict[int, list[Person]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cases = {case.reference: case for case in cases}
        self.fields["existing_case"].widget.choices = [  # type: ignore[attr-defined]
            ("", _("Open a new case")),
            *((c.reference, f"{c.reference}: {c.case_type}") for c in cases),
        ]
        self.fields["case_type"].queryset = CaseType.objects.filter(  # type: ignore[attr-defined]
            partnership_id=referral.partnership_id, is_active=True
        )
        self.fields["risk_level"].initial = referral.risk_level
        self.people: dict[int, dict[str, Person]] = {}
        for subject in referral.subjects.all():
            if subject.kind != ReferralSubject.Kind.PERSON:
                continue
            options = {str(p.public_id): p for p in people.get(subject.pk, [])}
            self.people[subject.pk] = options
            self.fields[f"subject_{subject.pk}"] = forms.ChoiceField(
                label=_("Profile for %(name)s") % {"name": subject},
                choices=[
                    ("", _("Create a new profile")),
                    *(
                        (key, f"{p.full_name}, {p.date_of_birth or _('date of birth unknown')}")
                        for key, p in options.items()
                    ),
                ],
                required=False,
                widget=forms.RadioSelect,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reference = data.get("existing_case")
        if reference and reference not in self.cases:
            self.add_error("existing_case", _("Choose a case from the list."))
        if not reference and not data.get("case_type"):
            self.add_error("case_type", _("Select the type of the new case, or choose an existing case."))
        return data

    def chosen_case(self) -> Case | None:
        return self.cases.get(self.cleaned_data.get("existing_case") or "")

    def chosen_people(self) -> dict[int, Person]:
        chosen: dict[int, Person] = {}
        for subject_id, options in self.people.items():
            key = self.cleaned_data.get(f"subject_{subject_id}")
            if key and key in options:
                chosen[subject_id] = options[key]
        return chosen


class DeclineForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why is the referral declined?"),
        help_text=_("The referrer sees this reason."),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MoreInfoForm(VersionedForm):
    question = forms.CharField(
        label=_("What information do you need?"),
        help_text=_("The referrer is notified and sees this question."),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RespondForm(VersionedForm):
    text = forms.CharField(
        label=_("The information asked for"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 6})
    )


class QueueFilterForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *Status.choices], required=False)
    source = forms.ChoiceField(label=_("Source"), choices=[("", _("Any")), *Source.choices], required=False)
    purpose = forms.ChoiceField(label=_("For"), choices=[("", _("Any")), *Purpose.choices], required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=[("", _("Any")), *Urgency.choices], required=False)
