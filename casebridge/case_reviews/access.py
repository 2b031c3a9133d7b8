"""Who may see and run ASB Case Reviews. Reviews belong to a partnership; a linked case still goes
through cases.policy, so a review never shows a case to someone who may not see it.

- Coordinators run every review of their partnership.
- Other casework staff see the reviews they recorded, unless the review is linked to a case
  they may not see (404, like the case itself).
- A recommendation's owner (the named person, or any casework member of the owning
  organisation when no one is named) sees and updates that recommendation only.
- Coordinators, administrators and analysts see the annual figures (numbers only).
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.case_reviews.models import CaseReview, Recommendation
from casebridge.cases.policy import Act, can, does_casework_in, visible_cases
from casebridge.organisations.models import Partnership
from casebridge.people.access import can_person


def visible_reviews(user: User, partnership: Partnership) -> QuerySet[CaseReview]:
    reviews = CaseReview.objects.filter(partnership=partnership)
    if holds(user, Capability.TRIAGE, partnership.pk):
        return reviews
    if not does_casework_in(user, partnership.pk):
        return reviews.none()
    cases = visible_cases(user, partnership, Act.VIEW).values("pk")
    return reviews.filter(created_by_id=user.pk).filter(Q(case__isnull=True) | Q(case_id__in=cases))


def get_review_or_404(user: User, public_id: Any, partnership: Partnership | None, *, manage: bool) -> CaseReview:
    """The review if the user may see it (``manage``: run it); otherwise the same 404 as a missing one."""
    if partnership is None:
        raise Http404
    if manage and not holds(user, Capability.TRIAGE, partnership.pk):
        raise Http404
    review = (
        visible_reviews(user, partnership)
        .select_related("case", "victim", "panel_meeting", "panel_meeting__series", "decided_by", "partnership")
        .filter(public_id=public_id)
        .first()
    )
    if review is None:
        raise Http404
    return review


def case_shown(user: User, review: CaseReview) -> bool:
    """Whether the page may name the linked case: only to someone who may see the case."""
    return review.case is not None and can(user, Act.VIEW, review.case)


def person_shown(user: User, review: CaseReview) -> bool:
    return review.victim is not None and can_person(user, Act.VIEW, review.victim)


def owned_recommendations(user: User, partnership: Partnership) -> QuerySet[Recommendation]:
    """Recommendations the user owns: named, or their organisation's when no one is named."""
    if not does_casework_in(user, partnership.pk):
        return Recommendation.objects.none()
    mine = Q(owner_user_id=user.pk)
    if user.organisation_id:
        mine |= Q(owner_organisation_id=user.organisation_id, owner_user__isnull=True)
    return Recommendation.objects.filter(partnership=partnership).filter(mine)


def may_update_recommendation(user: User, recommendation: Recommendation) -> bool:
    if holds(user, Capability.TRIAGE, recommendation.partnership_id):
        return True
    if not does_casework_in(user, recommendation.partnership_id):
        return False
    if recommendation.owner_user_id is not None:
        return recommendation.owner_user_id == user.pk
    return recommendation.owner_organisation_id == user.organisation_id


def get_recommendation_or_404(user: User, public_id: Any, partnership: Partnership | None) -> Recommendation:
    if partnership is None:
        raise Http404
    recommendation = (
        Recommendation.objects.filter(partnership=partnership, public_id=public_id)
        .select_related("review", "owner_organisation", "owner_user")
        .first()
    )
    if recommendation is None or not may_update_recommendation(user, recommendation):
        raise Http404
    return recommendation
