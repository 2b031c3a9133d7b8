import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casebridge.access.capabilities import Capability, roles_holding
from casebridge.accounts.models import User
from casebridge.cases.models import RiskLevel
from casebridge.lib.dates import DateInput
from casebridge.lib.forms import GovukFormMixin
from casebridge.meetings.models import Cadence, Kind, Outcome
from casebridge.organisations.models import Organisation, Partnership


def _partnership_users(partnership: Partnership) -> Any:
    return User.objects.filter(
        is_active=True, memberships__partnership=partnership, memberships__role__in=roles_holding(Capability.CASEWORK)
    ).order_by("last_name", "first_name")


class SeriesForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type of meeting"), choices=Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=User.objects.none())
    member_organisations = forms.ModelMultipleChoiceField(
        label=_("Member organisations"), queryset=Organisation.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Named attendees"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each attendee must work for a member organisation."),
    )
    cadence = forms.ChoiceField(label=_("How often"), choices=Cadence.choices, initial=Cadence.MONTHLY)
    referral_deadline_days = forms.IntegerField(
        label=_("Referral deadline, in working days before the meeting"), min_value=0, max_value=20, initial=2
    )
    papers_days = forms.IntegerField(
        label=_("Papers shared, in working days before the meeting"), min_value=0, max_value=20, initial=1
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = _partnership_users(partnership)
        self.fields["chair"].queryset = users  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = users.select_related("organisation")  # type: ignore[attr-defined]
        self.fields["member_organisations"].queryset = partnership.organisations.filter(  # type: ignore[attr-defined]
            is_active=True
        )


class ScheduleForm(GovukFormMixin, forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput)
    time = forms.TimeField(
        label=_("Start time"), initial=datetime.time(10, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    venue = forms.CharField(label=_("Where"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") and data.get("time"):
            starts = timezone.make_aware(datetime.datetime.combine(data["day"], data["time"]))
            if starts <= timezone.now():
                raise forms.ValidationError(_("The meeting must be in the future."))
            data["starts_at"] = starts
        return data


class AgendaAddForm(GovukFormMixin, forms.Form):
    reference = forms.CharField(label=_("Case reference"), max_length=24, help_text=_("For example, SH-2026-000123."))
    reason = forms.CharField(
        label=_("Why should the meeting discuss this case?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class LeadForm(GovukFormMixin, forms.Form):
    timeline_restricted = forms.BooleanField(
        label=_("Keep our timeline out of other organisations' papers"), required=False
    )
    objection = forms.CharField(
        label=_("Objection to the case being on this agenda (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The objection is recorded and shown to the coordinator and chair."),
    )


class MinuteForm(GovukFormMixin, forms.Form):
    update = forms.CharField(label=_("Updates from partners"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    decision = forms.CharField(label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    risk_to = forms.ChoiceField(
        label=_("New risk level"), choices=[("", _("No change")), *RiskLevel.choices], required=False
    )
    outcome = forms.ChoiceField(
        label=_("Keep on or remove from the agenda"), choices=[("", _("Not decided")), *Outcome.choices], required=False
    )
    outcome_reason = forms.CharField(
        label=_("Reason for keeping or removing"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_review_on = forms.DateField(label=_("Next review date"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") and not (data.get("outcome_reason") or "").strip():
            self.add_error("outcome_reason", _("Enter the reason for keeping or removing the case."))
        return data


class AttendanceForm(GovukFormMixin, forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Who is present?"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, attendees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = attendees  # type: ignore[attr-defined]
