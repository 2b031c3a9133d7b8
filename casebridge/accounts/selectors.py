"""Reads about accounts: two-factor devices, sign-in history, who may manage whom."""

from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge.accounts.models import User
from casebridge.audit.models import Action, AuditEvent
from casebridge.organisations.models import Role


def mfa_device_for(*, user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device


def user_has_mfa(*, user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def recovery_codes_left(*, user: User) -> int:
    count: int = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return count


def sign_ins_recent(*, user: User, limit: int = 20) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(actor=user, action__in=[Action.SIGN_IN, Action.SIGN_IN_FAILED]).order_by("-id")[
        :limit
    ]


def user_managing_partnership_id(*, actor: User, user: User) -> int | None:
    """The partnership in whose name ``actor`` may manage ``user``'s account, or None.

    An organisation manager manages the staff of their own organisation; a
    partnership administrator manages everyone with a role in their partnership.
    Nobody manages their own account this way.
    """
    if not actor.is_active or actor.pk == user.pk:
        return None
    user_partnerships = {m.partnership_id for m in user.cached_memberships()}
    fallback: int | None = None
    for membership in actor.cached_memberships():
        if membership.role == Role.ADMINISTRATOR and membership.partnership_id in user_partnerships:
            return membership.partnership_id
        if (
            membership.role == Role.MANAGER
            and actor.organisation_id is not None
            and actor.organisation_id == user.organisation_id
        ):
            if membership.partnership_id in user_partnerships:
                return membership.partnership_id
            fallback = fallback or membership.partnership_id
    return fallback


def user_may_manage(*, actor: User, user: User) -> bool:
    return user_managing_partnership_id(actor=actor, user=user) is not None
