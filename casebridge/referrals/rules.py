"""Who may see and decide which referral (``referrals.access``), registered with the one access door."""

from django.db.models import QuerySet

from casebridge.access import policy
from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.cases.policy import Act
from casebridge.organisations.models import Partnership
from casebridge.referrals.access import can_referral, visible_referrals
from casebridge.referrals.models import Referral


def referrals_to_decide(user: User, partnership: Partnership) -> QuerySet[Referral]:
    """Deciding a referral is triage: every referral of the partnership, for those who triage."""
    referrals = Referral.objects.filter(partnership=partnership)
    return referrals if holds(user, Capability.TRIAGE, partnership.pk) else referrals.none()


def register() -> None:
    policy.register(
        Referral,
        Act.VIEW,
        may=lambda user, referral: can_referral(user, Act.VIEW, referral),
        visible=visible_referrals,
    )
    policy.register(
        Referral,
        Act.MANAGE,
        may=lambda user, referral: can_referral(user, Act.MANAGE, referral),
        visible=referrals_to_decide,
    )
