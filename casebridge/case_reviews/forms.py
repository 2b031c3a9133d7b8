"""Staff forms for ASB Case Reviews (the public application's forms are in apply_forms.py)."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casebridge.access.capabilities import Capability, roles_holding
from casebridge.accounts.models import User
from casebridge.case_reviews.models import AppealOutcome, ApplicantRole, Decision, RecommendationStatus, ReviewStatus
from casebridge.lib.dates import DateInput
from casebridge.lib.forms import GovukFormMixin
from casebridge.meetings.models import Meeting
from casebridge.organisations.models import Organisation, Partnership
from casebridge.people.models import Person

TEXT_LIMIT = 2000
NAME_LIMIT = 100


def _not_future(day: datetime.date | None) -> datetime.date | None:
    if day is not None and day > timezone.localdate():
        raise ValidationError(_("The date must be today or in the past."))
    return day


class ReviewRecordForm(GovukFormMixin, forms.Form):
    received_on = forms.DateField(label=_("Date received"), widget=DateInput)
    applicant_role = forms.ChoiceField(
        label=_("Who is applying?"),
        choices=ApplicantRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select who is applying.")},
    )
    applicant_name = forms.CharField(label=_("Applicant's name"), max_length=NAME_LIMIT)
    applicant_email = forms.EmailField(label=_("Email address (optional)"), max_length=254, required=False)
    applicant_phone = forms.CharField(label=_("Phone number (optional)"), max_length=20, required=False)
    applicant_address = forms.CharField(
        label=_("Postal address (optional)"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    victim_name = forms.CharField(
        label=_("Victim's name"),
        help_text=_("Only when applying for someone else."),
        max_length=NAME_LIMIT,
        required=False,
    )
    relationship = forms.CharField(
        label=_("Applicant's relationship to the victim"), max_length=NAME_LIMIT, required=False
    )
    consent_given = forms.BooleanField(label=_("The victim has consented to this application"), required=False)
    summary = forms.CharField(
        label=_("The anti-social behaviour"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Describe the anti-social behaviour.")},
    )
    victim = forms.ModelChoiceField(
        label=_("Victim's profile on the case (optional)"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Not linked"),
    )

    def __init__(self, *args: Any, victims: list[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if victims:
            self.fields["victim"].queryset = Person.objects.filter(pk__in=[v.pk for v in victims])  # type: ignore[attr-defined]
        else:
            del self.fields["victim"]

    def clean_received_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("received_on"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("applicant_role") == ApplicantRole.ON_BEHALF:
            if not data.get("victim_name"):
                self.add_error("victim_name", _("Enter the victim's name."))
            if not data.get("consent_given"):
                self.add_error("consent_given", _("Confirm that the victim has consented to the application."))
        return data


class ComplaintForm(GovukFormMixin, forms.Form):
    occurred_on = forms.DateField(label=_("Date of the incident"), widget=DateInput)
    reported_on = forms.DateField(label=_("Date reported"), widget=DateInput)
    reported_to = forms.CharField(
        label=_("Reported to"), help_text=_("For example, Surrey Police or the council."), max_length=200
    )
    description = forms.CharField(
        label=_("What happened (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_hate = forms.BooleanField(label=_("It was a hate incident"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        occurred, reported = data.get("occurred_on"), data.get("reported_on")
        if occurred and reported:
            if reported > timezone.localdate() or occurred > timezone.localdate():
                self.add_error("reported_on", _("The dates must be today or in the past."))
            elif reported < occurred:
                self.add_error(
                    "reported_on", _("The date reported must be the same as or after the date of the incident.")
                )
        return data


class AcknowledgeForm(GovukFormMixin, forms.Form):
    acknowledged_on = forms.DateField(label=_("Date the acknowledgement was sent"), widget=DateInput)


class DecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Is the threshold met?"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether the threshold is met.")},
    )
    reason = forms.CharField(
        label=_("Reason for the decision"),
        help_text=_("This goes in the letter to the applicant."),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter the reason for the decision.")},
    )
    letter = forms.CharField(
        label=_("Letter to the applicant (optional)"),
        help_text=_("Leave empty to write it from the decision and reason. It is emailed if we have an address."),
        max_length=6000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PanelForm(GovukFormMixin, forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("ASB Case Review panel meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("No meeting in the system: enter a date"),
    )
    panel_on = forms.DateField(label=_("Date of the review meeting"), widget=DateInput, required=False)

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("meeting") and not data.get("panel_on"):
            self.add_error("panel_on", _("Choose a panel meeting or enter the date of the review meeting."))
        return data


def _partnership_organisations(partnership: Partnership) -> Any:
    return Organisation.objects.filter(partnerships=partnership, is_active=True).order_by("name")


class ResponseForm(GovukFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Agency"), queryset=Organisation.objects.none())
    text = forms.CharField(
        label=_("What the agency did about the reports"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _partnership_organisations(partnership)  # type: ignore[attr-defined]


class RecommendationForm(GovukFormMixin, forms.Form):
    text = forms.CharField(label=_("Recommendation"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 4}))
    owner_organisation = forms.ModelChoiceField(
        label=_("Organisation responsible"), queryset=Organisation.objects.none()
    )
    owner_user = forms.ModelChoiceField(
        label=_("Person responsible (optional)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Anyone in the organisation"),
    )
    due_on = forms.DateField(label=_("Due date"), widget=DateInput)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = _partnership_organisations(partnership)  # type: ignore[attr-defined]
        self.fields["owner_user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                is_active=True,
                memberships__partnership=partnership,
                memberships__role__in=roles_holding(Capability.CASEWORK),
            )
            .select_related("organisation")
            .order_by("last_name", "first_name")
        )
        self.fields["owner_user"].label_from_instance = lambda u: f"{u.get_full_name()}, {u.organisation}"  # type: ignore[attr-defined]

    def clean_due_on(self) -> datetime.date | None:
        due: datetime.date | None = self.cleaned_data.get("due_on")
        if due is not None and due < timezone.localdate():
            raise ValidationError(_("The due date must be today or in the future."))
        return due


class RecommendationStatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RecommendationStatus.choices, widget=forms.RadioSelect)
    completion_note = forms.CharField(
        label=_("What was done"),
        help_text=_("Needed when you mark it done."),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LetterForm(GovukFormMixin, forms.Form):
    text = forms.CharField(label=_("Outcome letter"), max_length=10000, widget=forms.Textarea(attrs={"rows": 18}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class AppealForm(GovukFormMixin, forms.Form):
    received_on = forms.DateField(label=_("Date the appeal was received"), widget=DateInput)
    grounds = forms.CharField(
        label=_("Why the applicant is dissatisfied"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 4})
    )
    reviewer_name = forms.CharField(
        label=_("Who reviews the appeal"),
        help_text=_("Someone other than the person who made the decision."),
        max_length=NAME_LIMIT,
    )
    reviewer_body = forms.CharField(
        label=_("Their organisation"), max_length=160, initial="Office of the Police and Crime Commissioner"
    )

    def clean_received_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("received_on"))


class AppealOutcomeForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome of the appeal"), choices=AppealOutcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 4}))


STATE_CHOICES = [
    ("", _("All reviews")),
    ("open", _("Open")),
    ("overdue", _("Overdue")),
    *ReviewStatus.choices,
]


class ReviewFilterForm(GovukFormMixin, forms.Form):
    state = forms.ChoiceField(label=_("Show"), choices=STATE_CHOICES, required=False)
