"""Sign-in, sign-out and failed sign-in go into the audit trail."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from casebridge.accounts.models import User
from casebridge.accounts.sessions import mark_signed_in
from casebridge.audit.models import Action
from casebridge.audit.services import audit_record


@receiver(user_logged_in)
def record_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None:
        mark_signed_in(request)
    audit_record(actor=user, action=Action.SIGN_IN)


@receiver(user_logged_out)
def record_sign_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=Action.SIGN_OUT)


@receiver(user_login_failed)
def record_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = str(credentials.get("username") or credentials.get("email") or "")[:254]
    actor = User.objects.with_email(email).first() if email else None
    audit_record(actor=actor, action=Action.SIGN_IN_FAILED, actor_label=email, data={"email": email})


@receiver(user_locked_out)
def record_lockout(sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any) -> None:
    email = (username or "")[:254]
    actor = User.objects.with_email(email).first() if email else None
    audit_record(actor=actor, action=Action.LOCKED_OUT, actor_label=email, data={"email": email})
