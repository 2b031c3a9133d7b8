import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casebridge.access.capabilities import Capability, roles_holding
from casebridge.accounts.models import User
from casebridge.actions.models import Priority, Status
from casebridge.lib.dates import DateInput
from casebridge.lib.forms import GovukFormMixin
from casebridge.organisations.models import Organisation, Partnership

STATE_CHOICES = [("open", _("Open")), ("overdue", _("Overdue")), ("done", _("Done or cancelled")), ("all", _("All"))]


class AssigneeMixin(forms.Form):
    assigned_organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    assigned_user = forms.ModelChoiceField(
        label=_("Person (optional)"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Leave empty to give the action to the organisation's manager to allocate."),
    )

    def setup_assignees(self, partnership: Partnership) -> None:
        self.fields["assigned_organisation"].queryset = partnership.organisations.filter(  # type: ignore[attr-defined]
            is_active=True
        )
        self.fields["assigned_user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                is_active=True,
                memberships__partnership=partnership,
                memberships__role__in=roles_holding(Capability.CASEWORK),
            )
            .select_related("organisation")
            .order_by("last_name", "first_name")
        )


class TaskForm(GovukFormMixin, AssigneeMixin):
    title = forms.CharField(label=_("What needs to be done"), max_length=200)
    description = forms.CharField(
        label=_("Details (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(label=_("Due date"), widget=DateInput)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)

    field_order = ["title", "description", "assigned_organisation", "assigned_user", "due_on", "priority"]

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_assignees(partnership)

    def clean_due_on(self) -> datetime.date:
        due: datetime.date = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("The due date must be today or in the future."))
        return due


class ReassignForm(GovukFormMixin, AssigneeMixin):
    reason = forms.CharField(label=_("Why is the action moving?"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_assignees(partnership)


class StatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    completion_note = forms.CharField(
        label=_("Completion note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the action is done: what was done."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Status.DONE and not (data.get("completion_note") or "").strip():
            self.add_error("completion_note", _("Enter a completion note: what was done."))
        return data


class TaskFilterForm(GovukFormMixin, forms.Form):
    state = forms.ChoiceField(label=_("Show"), choices=STATE_CHOICES, required=False, initial="open")
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", _("Any priority")), *Priority.choices], required=False
    )
