import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from casebridge.accounts.sessions import SIGNED_IN_AT
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
                messages.info(request, _("For your security you were signed out. Sign in again to continue."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
