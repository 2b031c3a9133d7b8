from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casebridge.lib.forms import GovukFormMixin
from casebridge.organisations.models import Organisation, OrganisationType


class OrganisationForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    type = forms.ChoiceField(label=_("Type"), choices=OrganisationType.choices)


class OrganisationEditForm(OrganisationForm):
    is_active = forms.BooleanField(
        label=_("Active"), required=False, help_text=_("Inactive organisations cannot be given new users.")
    )


class OrganisationAddForm(GovukFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_field: Any = self.fields["organisation"]
        organisation_field.queryset = organisations


class TeamForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=120)
