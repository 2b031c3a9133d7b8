from django import forms
from django.utils.translation import gettext_lazy as _

from casebridge.lib.forms import GovukFormMixin
from casebridge.notifications.models import EmailMode


class PreferenceForm(GovukFormMixin, forms.Form):
    email_mode = forms.ChoiceField(
        label=_("How would you like to hear about notifications by email?"),
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        help_text=_("Emails hold only a case reference and a link; you sign in to see the details."),
    )
