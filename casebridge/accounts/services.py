"""Writes about accounts: two-factor set-up and reset, lockout, sessions, passwords.

Every function writes its audit event in the same transaction as the change.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from axes.utils import reset as axes_reset
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge.accounts.models import User, new_session_salt
from casebridge.accounts.selectors import user_managing_partnership
from casebridge.accounts.staff.events import user_event_record
from casebridge.accounts.tasks import password_reset_email_send
from casebridge.audit.models import Action
from casebridge.audit.services import audit_record, changes_between
from casebridge.organisations.models import Partnership

RECOVERY_CODE_COUNT = 10
TOTP_CODE = re.compile(r"\d{6}")
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking a two-factor code: refusals are returned, not raised,
    so that the failed attempt and its audit event are committed."""

    accepted: bool
    error: str = ""
    device: Any = None
    recovery_codes: list[str] = field(default_factory=list)


def normalise_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def _refusal_if_throttled(device: Any) -> CodeCheck | None:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (details or {}).get("locked_until")
    seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 60
    return CodeCheck(
        accepted=False,
        error=ngettext(
            "You have entered too many wrong codes. Wait %(seconds)d second, then try again.",
            "You have entered too many wrong codes. Wait %(seconds)d seconds, then try again.",
            seconds,
        )
        % {"seconds": seconds},
    )


def _manager_partnership(*, actor: User, user: User) -> Partnership:
    """The partnership in whose name the actor acts on this account; refused when there is none."""
    partnership = user_managing_partnership(actor=actor, user=user)
    if partnership is None:
        raise PermissionDenied(_("You cannot manage this person's account."))
    return partnership


# Two-factor authentication


@transaction.atomic
def mfa_set_up_start(*, actor: User) -> TOTPDevice:
    """The authenticator app being set up: the same one until it is confirmed,
    so a reloaded page shows the QR code the person has already scanned."""
    device: TOTPDevice | None = (
        TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=False).order_by("id").first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def mfa_set_up_confirm(*, actor: User, device: TOTPDevice, code: str) -> CodeCheck:
    """Confirms the new authenticator app with a code from it, replaces any
    earlier devices, and issues fresh single-use recovery codes."""
    pending = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=actor, confirmed=False).first()
    if pending is None:
        return CodeCheck(accepted=False, error=_("This set-up has already finished. Start again if you need to."))
    token = normalise_code(code)
    if not TOTP_CODE.fullmatch(token):
        return CodeCheck(accepted=False, error=_("Enter the 6-digit code shown in your authenticator app."))
    refusal = _refusal_if_throttled(pending)
    if refusal:
        return refusal
    device = pending
    if not device.verify_token(token):
        audit_record(actor=actor, action=Action.MFA_FAILED, data={"during": "set_up"})
        return CodeCheck(
            accepted=False,
            error=_("The code is not correct. Enter the latest 6-digit code shown in your authenticator app."),
        )
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=actor).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    recovery = StaticDevice.objects.create(user=actor, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=c) for c in codes])
    audit_record(actor=actor, action=Action.MFA_SET_UP, data={"recovery_codes": RECOVERY_CODE_COUNT})
    return CodeCheck(accepted=True, device=device, recovery_codes=codes)


@transaction.atomic
def mfa_verify(*, actor: User, code: str) -> CodeCheck:
    """Checks a code from the authenticator app, or a recovery code (used up once accepted)."""
    token = normalise_code(code)
    device: Any
    if TOTP_CODE.fullmatch(token):
        device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True).first()
        action = Action.MFA_VERIFIED
    elif RECOVERY_CODE.fullmatch(token):
        device = StaticDevice.objects.select_for_update().filter(user=actor, confirmed=True).first()
        action = Action.MFA_RECOVERY_USED
    else:
        return CodeCheck(
            accepted=False,
            error=_("Enter the 6-digit code from your authenticator app, or an 8-character recovery code."),
        )
    if device is None:
        audit_record(actor=actor, action=Action.MFA_FAILED, data={"reason": "no_device"})
        return CodeCheck(accepted=False, error=_("The code is not correct."))
    refusal = _refusal_if_throttled(device)
    if refusal:
        audit_record(actor=actor, action=Action.MFA_FAILED, data={"reason": "too_many_attempts"})
        return refusal
    if not device.verify_token(token):
        audit_record(actor=actor, action=Action.MFA_FAILED, data={"reason": "wrong_code"})
        return CodeCheck(
            accepted=False,
            error=_("The code is not correct. Enter the latest code from your authenticator app, or a recovery code."),
        )
    data: dict[str, Any] = {}
    if action == Action.MFA_RECOVERY_USED:
        data["recovery_codes_left"] = StaticToken.objects.filter(device=device).count()
        # Only the TOTP device is remembered in the session; a recovery code is spent.
        device = TOTPDevice.objects.filter(user=actor, confirmed=True).first() or device
    audit_record(actor=actor, action=action, data=data)
    return CodeCheck(accepted=True, device=device)


@transaction.atomic
def mfa_reset(*, actor: User, user: User) -> None:
    """Removes the user's authenticator app and recovery codes and ends their sessions.

    The user resets their own (after re-entering their password and a code: see the
    view), or an organisation manager or partnership administrator resets a staff
    member's, for example when a phone is lost.
    """
    acting_in = None if actor.pk == user.pk else _manager_partnership(actor=actor, user=user)
    removed_totp, _by_model = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.session_salt = new_session_salt()
    user.save(update_fields=["session_salt"])
    data = {"had_device": removed_totp > 0}
    if acting_in is None:
        audit_record(actor=actor, action=Action.MFA_RESET, obj=user, data=data)
    else:
        user_event_record(Action.MFA_RESET, actor=actor, user=user, acting_in=acting_in, data=data)


# Lockout and sessions


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    """Lifts a lockout after too many failed sign-ins; returns the attempts cleared."""
    acting_in = _manager_partnership(actor=actor, user=user)
    cleared = int(axes_reset(username=user.email_key))
    user_event_record(Action.USER_UNLOCKED, actor=actor, user=user, acting_in=acting_in, data={"attempts": cleared})
    return cleared


@transaction.atomic
def user_sign_out_everywhere(*, actor: User) -> None:
    """Ends every session the user has, on every device, at its next request."""
    actor.session_salt = new_session_salt()
    actor.save(update_fields=["session_salt"])
    audit_record(actor=actor, action=Action.SIGN_OUT_EVERYWHERE, obj=actor)


def _active_state(user: User) -> dict[str, Any]:
    return {"is_active": user.is_active, "deactivated_at": user.deactivated_at}


def _active_state_set(
    *, actor: User, user: User, acting_in: Partnership, action: Action, values: dict[str, Any]
) -> None:
    """Save the account's new active state and audit what changed in every partnership the user is in."""
    before = _active_state(user)
    for name, value in values.items():
        setattr(user, name, value)
    user.save(update_fields=list(values))
    changes = changes_between(before, _active_state(user))
    user_event_record(action, actor=actor, user=user, acting_in=acting_in, data={"changes": changes})


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> None:
    """A leaver can no longer sign in and their sessions end at once; what they recorded stays."""
    acting_in = _manager_partnership(actor=actor, user=user)
    if not user.is_active:
        raise ValidationError(_("This account is already deactivated."))
    values = {"is_active": False, "deactivated_at": timezone.now(), "session_salt": new_session_salt()}
    _active_state_set(actor=actor, user=user, acting_in=acting_in, action=Action.USER_DEACTIVATED, values=values)


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> None:
    acting_in = _manager_partnership(actor=actor, user=user)
    if user.is_active:
        raise ValidationError(_("This account is already active."))
    values = {"is_active": True, "deactivated_at": None}
    _active_state_set(actor=actor, user=user, acting_in=acting_in, action=Action.USER_REACTIVATED, values=values)


# Passwords


@transaction.atomic
def user_password_change(*, actor: User, password: str) -> None:
    """Sets a new password and ends the user's other sessions (the view keeps the current one)."""
    actor.set_password(password)
    actor.session_salt = new_session_salt()
    actor.save(update_fields=["password", "session_salt"])
    audit_record(actor=actor, action=Action.PASSWORD_CHANGED, obj=actor)


@transaction.atomic
def user_password_reset(*, user: User, password: str, first_time: bool = False) -> None:
    """Sets the password from an emailed link, which the new password makes unusable again."""
    user.set_password(password)
    user.session_salt = new_session_salt()
    user.save(update_fields=["password", "session_salt"])
    audit_record(actor=user, action=Action.PASSWORD_RESET, obj=user, data={"first_time": first_time})


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """Emails a reset link if an active account has this address; says nothing either way."""
    email = email.strip()[:254]
    user = User.objects.with_email(email).filter(is_active=True).first()
    audit_record(
        actor=user,
        action=Action.PASSWORD_RESET_REQUESTED,
        actor_label=email,
        data={"email": email, "account_found": user is not None},
    )
    if user is not None:
        password_reset_email_send.enqueue(user_id=user.pk)
