from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from casebridge.accounts.forms import SignInForm
from casebridge.audit.models import Action, AuditEvent
from casebridge.lib.types import AuthenticatedRequest


@method_decorator(transaction.atomic, name="dispatch")
class SignInView(auth_views.LoginView):
    """Signs in and writes the audit event in one transaction."""

    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


@require_POST
def sign_out(request: HttpRequest) -> HttpResponseBase:
    return auth_views.LogoutView.as_view()(request)


@login_required
def account(request: AuthenticatedRequest) -> HttpResponse:
    recent_sign_ins = AuditEvent.objects.filter(
        actor=request.user, action__in=[Action.SIGN_IN, Action.SIGN_IN_FAILED]
    ).order_by("-id")[:20]
    return render(request, "accounts/account.html", {"recent_sign_ins": recent_sign_ins})
