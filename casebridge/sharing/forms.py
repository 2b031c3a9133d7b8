import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casebridge.accounts.models import User
from casebridge.cases.models import Level
from casebridge.lib.dates import DateInput
from casebridge.lib.forms import GovukFormMixin
from casebridge.organisations.models import Organisation, Partnership, Team


class ShareForm(GovukFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False, empty_label=_("None")
    )
    team = forms.ModelChoiceField(
        label=_("Or a team"), queryset=Team.objects.none(), required=False, empty_label=_("None")
    )
    user_email = forms.EmailField(label=_("Or a named person's email address"), required=False)
    level = forms.ChoiceField(
        label=_("Level of access"),
        choices=Level.choices,
        initial=Level.VIEW,
        widget=forms.RadioSelect,
        help_text=_("View: read only. Contribute: add notes, incidents and documents. Manage: also change and share."),
    )
    reason = forms.CharField(
        label=_("Why are you sharing this case?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The partner's justified interest, for example the victim is their client."),
        error_messages={"required": _("Enter the reason for sharing.")},
    )
    expires_on = forms.DateField(label=_("Access ends on (optional)"), required=False, widget=DateInput)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        organisations = Organisation.objects.filter(partnerships=partnership, is_active=True)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            organisation__in=organisations
        ).select_related("organisation")
        self.fields["team"].label_from_instance = lambda team: f"{team.organisation} — {team}"  # type: ignore[attr-defined]

    def clean_expires_on(self) -> Any:
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on and expires_on <= timezone.localdate():
            raise forms.ValidationError(_("The date access ends must be in the future."))
        return expires_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user = None
        if data.get("user_email"):
            user = (
                User.objects.with_email(data["user_email"])
                .filter(memberships__partnership=self.partnership, is_active=True)
                .first()
            )
            if user is None:
                self.add_error("user_email", _("No one in this partnership has that email address."))
        chosen = [x for x in (data.get("organisation"), data.get("team"), data.get("user_email")) if x]
        if len(chosen) != 1:
            raise forms.ValidationError(_("Choose exactly one organisation, team or named person to share with."))
        data["user"] = user
        expires_on = data.get("expires_on")
        data["expires_at"] = (
            timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time(23, 59))) if expires_on else None
        )
        return data


class ReasonForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why do you need access?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter why you need access.")},
    )


class BreakGlassForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("What is the emergency?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your access lasts 3 hours. The lead organisation is told and this is flagged for review."),
        error_messages={"required": _("Enter the emergency that means you must see this case now.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that this emergency access is recorded and reviewed"),
        error_messages={"required": _("Confirm that you understand the access is recorded and reviewed.")},
    )


class DecideForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve: give view access")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select approve or decline.")},
    )
    note = forms.CharField(label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class BreakGlassReviewForm(GovukFormMixin, forms.Form):
    note = forms.CharField(
        label=_("What did you find?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the emergency was real and the access was proportionate."),
        error_messages={"required": _("Enter what you found when you reviewed the emergency access.")},
    )
