"""Forms for staff administration: inviting and changing users, their roles, and the user import."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casebridge.accounts.staff.importing import MAX_BYTES
from casebridge.lib.forms import GovukFormMixin
from casebridge.organisations.models import Organisation, Partnership, Role, Team


class TeamChoiceField(forms.ModelChoiceField[Team]):
    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.organisation.name}: {obj.name}"


class UserInviteForm(GovukFormMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    job_title = forms.CharField(label=_("Job title (optional)"), max_length=120, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    team = TeamChoiceField(label=_("Team (optional)"), queryset=Team.objects.none(), required=False)
    role = forms.ChoiceField(label=_("Role in this partnership"))

    def __init__(self, *args: Any, organisations: Any, roles: tuple[Role, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_field: Any = self.fields["organisation"]
        organisation_field.queryset = organisations
        team_field: Any = self.fields["team"]
        team_field.queryset = Team.objects.filter(organisation__in=organisations).select_related("organisation")
        role_field: Any = self.fields["role"]
        role_field.choices = [(role.value, role.label) for role in roles]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        team, organisation = data.get("team"), data.get("organisation")
        if team is not None and organisation is not None and team.organisation_id != organisation.pk:
            self.add_error("team", _("Choose a team in %(organisation)s.") % {"organisation": organisation})
        return data


class UserEditForm(GovukFormMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    job_title = forms.CharField(label=_("Job title (optional)"), max_length=120, required=False)
    team = forms.ModelChoiceField(label=_("Team (optional)"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args: Any, organisation: Organisation | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field: Any = self.fields["team"]
        team_field.queryset = Team.objects.filter(organisation=organisation) if organisation else Team.objects.none()


class MembershipForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(label=_("Partnership"), queryset=Partnership.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, partnerships: list[Partnership], roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership_field: Any = self.fields["partnership"]
        partnership_field.queryset = Partnership.objects.filter(pk__in=[p.pk for p in partnerships])
        role_field: Any = self.fields["role"]
        role_field.choices = [(role.value, role.label) for role in roles]


class UsersImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Upload a CSV file"),
        help_text=_("Columns: email, first_name, last_name, organisation, team, partnership, role. Up to 2 MB."),
    )
    dry_run = forms.BooleanField(label=_("Check the file without saving anything"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The selected file must be smaller than 2 MB."))
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError(_("The selected file must be a CSV file."))
        return upload
