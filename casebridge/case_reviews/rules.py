"""Who may see and run which ASB Case Review (``case_reviews.access``), registered with the one access door."""

from django.db.models import QuerySet

from casebridge.access import policy
from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.case_reviews import access
from casebridge.case_reviews.models import CaseReview, Recommendation
from casebridge.organisations.models import Partnership

VIEW = "view"
RUN = "run"
UPDATE = "update"


def reviews_run_by(user: User, partnership: Partnership) -> QuerySet[CaseReview]:
    reviews = CaseReview.objects.filter(partnership=partnership)
    return reviews if holds(user, Capability.TRIAGE, partnership.pk) else reviews.none()


def recommendations_updatable_by(user: User, partnership: Partnership) -> QuerySet[Recommendation]:
    """``access.may_update_recommendation`` as a query."""
    if holds(user, Capability.TRIAGE, partnership.pk):
        return Recommendation.objects.filter(partnership=partnership)
    return access.owned_recommendations(user, partnership)


def register() -> None:
    policy.register(
        CaseReview,
        VIEW,
        may=lambda user, review: access.visible_reviews(user, review.partnership).filter(pk=review.pk).exists(),
        visible=access.visible_reviews,
    )
    policy.register(
        CaseReview,
        RUN,
        may=lambda user, review: holds(user, Capability.TRIAGE, review.partnership_id),
        visible=reviews_run_by,
    )
    policy.register(Recommendation, UPDATE, may=access.may_update_recommendation, visible=recommendations_updatable_by)
