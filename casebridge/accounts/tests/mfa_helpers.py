"""Two-factor helpers for the tests: real codes computed from a device's key."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge.accounts import services
from casebridge.accounts.models import User


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or ``steps_ahead`` periods later, within tolerance)."""
    value = totp(device.bin_key, device.step, device.t0 - steps_ahead * device.step, device.digits, device.drift)
    return f"{value:0{device.digits}d}"


def give_mfa(user: User) -> tuple[TOTPDevice, list[str]]:
    """Sets up an authenticator app for the user; returns it and their recovery codes."""
    device = services.mfa_set_up_start(actor=user)
    result = services.mfa_set_up_confirm(actor=user, device=device, code=code_for(device))
    assert result.accepted, result.error
    device.refresh_from_db()
    return device, result.recovery_codes
