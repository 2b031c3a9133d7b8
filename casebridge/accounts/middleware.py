import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from casebridge.accounts.selectors import user_has_mfa
from casebridge.accounts.sessions import SIGNED_IN_AT, SIGNED_OUT_REASON, is_mfa_verified
from casebridge.audit.models import Action
from casebridge.audit.services import audit_record


class SessionLifetimeMiddleware:
    """Ends a session 12 hours (by default) after sign-in, however active it is.

    The idle timeout is the session cookie age, renewed on every request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            if signed_in_at is None:
                request.session[SIGNED_IN_AT] = time.time()
            elif time.time() - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT:
                user = request.user
                audit_record(actor=user, action=Action.SESSION_EXPIRED, data={"reason": "absolute"})
                logout(request)
                # The message framework is not set up yet at this point in the middleware.
                request.session[SIGNED_OUT_REASON] = "absolute"
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


# Pages a signed-in person can reach before passing two-factor authentication.
MFA_EXEMPT_VIEWS = frozenset(
    {
        "accounts:sign_in",
        "accounts:sign_out",
        "accounts:mfa_verify",
        "accounts:mfa_set_up",
        "accounts:password_reset",
        "accounts:password_reset_sent",
        "accounts:password_reset_confirm",
        "accounts:password_set",
    }
)


class RequireMfaMiddleware:
    """Sends a signed-in person who has not passed two-factor authentication to do so.

    Someone with an authenticator app must verify a code in every new session.
    Someone without one is sent to set it up when settings.REQUIRE_MFA is on.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or is_mfa_verified(request):
            return None
        match = request.resolver_match
        if match is None or match.view_name in MFA_EXEMPT_VIEWS or request.path.startswith(settings.STATIC_URL):
            return None
        if user_has_mfa(user=user):
            target = "accounts:mfa_verify"
        elif settings.REQUIRE_MFA:
            target = "accounts:mfa_set_up"
        else:
            return None
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(f"{reverse(target)}?{query}" if query else reverse(target))
