"""Reads about accounts: two-factor devices, sign-in history, who may manage whom."""

from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge.accounts.models import User
from casebridge.accounts.staff.permissions import may_act_on_account
from casebridge.audit.models import Action, AuditEvent
from casebridge.organisations.models import Partnership


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


def user_managing_partnership(*, actor: User, user: User) -> Partnership | None:
    """The partnership in whose name ``actor`` may act on ``user``'s account, or None.

    The rule itself is accounts.staff.permissions.owns_account; nobody manages their own
    account this way.
    """
    if actor.pk == user.pk:
        return None
    for membership in actor.cached_memberships():
        if may_act_on_account(actor, membership.partnership, user):
            return membership.partnership
    return None


def user_managing_partnership_id(*, actor: User, user: User) -> int | None:
    partnership = user_managing_partnership(actor=actor, user=user)
    return partnership.pk if partnership else None


def user_may_manage(*, actor: User, user: User) -> bool:
    return user_managing_partnership(actor=actor, user=user) is not None
