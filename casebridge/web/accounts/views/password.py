"""Changing a password, and choosing one from an emailed link (reset or invitation)."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casebridge.accounts.forms import GovukPasswordChangeForm, GovukSetPasswordForm, PasswordResetRequestForm
from casebridge.accounts.models import User
from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.accounts.services import user_password_change, user_password_reset
from casebridge.lib.pages import form_view


def password_change(request: AuthenticatedRequest) -> HttpResponse:
    form = GovukPasswordChangeForm(request.user, request.POST or None)

    def save(data: dict[str, Any]) -> None:
        user_password_change(actor=request.user, password=data["new_password1"])
        # Keeps this session; the new session salt has ended every other one.
        update_session_auth_hash(request, request.user)

    return form_view(
        request,
        form,
        save=save,
        success_message=_("Your password has been changed. You have been signed out on your other devices."),
        redirect_to="accounts:account",
        template="accounts/password_change.html",
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an email address; the same answer whether or not an account has it."""

    form_class = PasswordResetRequestForm  # type: ignore[assignment]
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_sent")


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from django.conf import settings

        context = super().get_context_data(**kwargs)
        context["hours"] = settings.PASSWORD_RESET_TIMEOUT // 3600
        return context


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password from a single-use, expiring emailed link."""

    form_class = GovukSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:sign_in")
    title = gettext_lazy("Choose a new password")
    first_time = False

    def get_user(self, uidb64: str) -> User | None:  # type: ignore[override]
        # Links name the user by public id, never by database key.
        try:
            public_id = uuid.UUID(uidb64)
        except ValueError:
            return None
        return User.objects.filter(public_id=public_id, is_active=True).first()

    def form_valid(self, form: GovukSetPasswordForm) -> HttpResponse:  # type: ignore[override]
        user_password_reset(user=form.user, password=form.cleaned_data["new_password1"], first_time=self.first_time)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your password has been set. Sign in with your new password."))
        return redirect(self.success_url)


class PasswordSetView(PasswordResetConfirmView):
    """A new user's first password, from the link in their invitation."""

    title = gettext_lazy("Create your password")
    first_time = True
