"""Account lockout after repeated failed sign-ins (django-axes hooks)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from casebridge.accounts.email_key import email_key


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """One lockout counter per account: every spelling that finds the account counts as one (see email_key.py)."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return email_key(str(username))


def lockout_minutes() -> int:
    return max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    return render(
        request,
        "accounts/locked_out.html",
        {"lockout_minutes": lockout_minutes(), "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


def is_locked_out(user: Any) -> bool:
    """Whether the account is locked now: the failure limit reached within the cool-off period."""
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    since = timezone.now() - timedelta(minutes=lockout_minutes())
    attempts = AccessAttempt.objects.filter(
        username=user.email_key, failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    )
    return bool(attempts.exists())
