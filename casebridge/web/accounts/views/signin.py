from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casebridge.accounts import selectors
from casebridge.accounts.forms import SignInForm
from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.accounts.services import user_sign_out_everywhere
from casebridge.accounts.sessions import SIGNED_OUT_REASON


class SignInView(auth_views.LoginView):
    """Signs in and writes the audit event in one transaction."""

    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.session.pop(SIGNED_OUT_REASON, None):
            context["signed_out_message"] = _("For your security you were signed out. Sign in again to continue.")
        return context


@login_not_required  # signing out when already signed out is harmless and lands on the sign-in page
@require_POST
def sign_out(request: HttpRequest) -> HttpResponseBase:
    return auth_views.LogoutView.as_view()(request)


def account(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    device = selectors.mfa_device_for(user=user)
    context = {
        "recent_sign_ins": selectors.sign_ins_recent(user=user),
        "mfa_device": device,
        "recovery_codes_left": selectors.recovery_codes_left(user=user) if device else 0,
    }
    return render(request, "accounts/account.html", context)


@login_not_required  # left to the decorators below, so that a GET is refused (405) before sign-in is asked for
@require_POST
@login_required
def sign_out_everywhere(request: AuthenticatedRequest) -> HttpResponse:
    user_sign_out_everywhere(actor=request.user)
    logout(request)
    messages.success(request, _("You have been signed out on every device, including this one."))
    return redirect("accounts:sign_in")
