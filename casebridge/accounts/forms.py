from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from casebridge.accounts.models import User
from casebridge.accounts.services import password_reset_request
from casebridge.lib.forms import GovukFormMixin


def _code_input(**attrs: Any) -> forms.TextInput:
    """A short box for an authenticator or recovery code, which browsers must not autocorrect."""
    return forms.TextInput(
        attrs={
            "autocomplete": "one-time-code",
            "spellcheck": "false",
            "autocapitalize": "none",
            "class": "govuk-input--width-10",
            **attrs,
        }
    )


class SignInForm(GovukFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("Enter a correct email address and password."),
        "inactive": _("This account has been deactivated. Ask your organisation manager."),
    }


class MfaCodeForm(GovukFormMixin, forms.Form):
    """A code from the authenticator app (or, when verifying, a recovery code)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        error_messages={"required": _("Enter the code from your authenticator app.")},
        widget=_code_input(autofocus=True),
    )

    def __init__(self, *args: Any, numeric: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if numeric:
            self.fields["code"].widget.attrs["inputmode"] = "numeric"
            self.fields["code"].help_text = _("The 6-digit code shown in your authenticator app.")
        else:
            self.fields["code"].help_text = _(
                "The 6-digit code shown in your authenticator app, or one of your recovery codes."
            )
            self.fields["code"].error_messages["required"] = _(
                "Enter the code from your authenticator app, or a recovery code."
            )
        self.fields["code"].widget.attrs["aria-describedby"] = "id_code-hint"


class MfaResetForm(GovukFormMixin, forms.Form):
    """Re-verifies a person before they remove their own authenticator app."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=256,
        error_messages={"required": _("Enter your password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=32,
        error_messages={"required": _("Enter the code from your authenticator app, or a recovery code.")},
        widget=_code_input(),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Your password is incorrect."), code="password_incorrect")
        return password


def _new_password_fields(form: forms.Form) -> None:
    first, second = form.fields["new_password1"], form.fields["new_password2"]
    first.label = _("New password")
    first.help_text = _(
        "Use at least %(min)d characters. A good way to make a strong password is to put three random words together."
    ) % {"min": _minimum_password_length()}
    first.error_messages["required"] = _("Enter a new password.")
    first.widget.attrs["autocomplete"] = "new-password"
    first.widget.attrs["aria-describedby"] = "id_new_password1-hint"
    second.label = _("Confirm new password")
    second.help_text = ""
    second.widget.attrs.pop("aria-describedby", None)
    second.error_messages["required"] = _("Enter your new password again.")
    second.widget.attrs["autocomplete"] = "new-password"


def _minimum_password_length() -> int:
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            return validator.min_length
    return 12


class GovukSetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):  # type: ignore[type-arg]
    """Choosing a new password: the password rules' messages go on the new password field."""

    error_messages = {
        **auth_forms.SetPasswordForm.error_messages,
        "password_mismatch": _("The passwords do not match. Enter the same new password twice."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _new_password_fields(self)

    def clean(self) -> dict[str, Any]:
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self) or {}


class GovukPasswordChangeForm(GovukSetPasswordForm, auth_forms.PasswordChangeForm):  # type: ignore[type-arg]
    error_messages = {
        **GovukSetPasswordForm.error_messages,
        "password_incorrect": _("Your current password is incorrect."),
    }
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        old = self.fields["old_password"]
        old.label = _("Current password")
        old.error_messages["required"] = _("Enter your current password.")
        old.widget.attrs.pop("autofocus", None)


class PasswordResetRequestForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def save(self, **kwargs: Any) -> None:
        """Called by Django's PasswordResetView; the service decides whether to send."""
        password_reset_request(email=self.cleaned_data["email"])
