"""Who may see and decide which referral: the triage team sees every referral of its
partnership, a referrer their own; anything not allowed answers 404."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.cases.policy import Act, does_casework_in
from casebridge.organisations.models import Partnership
from casebridge.referrals.models import Referral


def visible_referrals(user: User, partnership: Partnership) -> QuerySet[Referral]:
    referrals = Referral.objects.filter(partnership=partnership)
    if holds(user, Capability.TRIAGE, partnership.pk):
        return referrals
    if does_casework_in(user, partnership.pk):
        return referrals.filter(referred_by_id=user.pk)
    return referrals.none()


def can_referral(user: User, action: Act, referral: Referral) -> bool:
    """VIEW: the triage team and the referrer; MANAGE (decide): the triage team only."""
    if holds(user, Capability.TRIAGE, referral.partnership_id):
        return True
    return action == Act.VIEW and referral.referred_by_id == user.pk and does_casework_in(user, referral.partnership_id)


def get_referral_or_404(user: User, public_id: Any, action: Act, partnership: Partnership | None) -> Referral:
    if partnership is None:
        raise Http404
    referral = (
        Referral.objects.select_related("partnership", "referred_by", "referrer_organisation", "case", "category")
        .filter(partnership=partnership, public_id=public_id)
        .first()
    )
    if referral is None or not can_referral(user, action, referral):
        raise Http404
    return referral
