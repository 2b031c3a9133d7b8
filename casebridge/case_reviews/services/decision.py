"""The threshold decision, and the letter that tells the applicant."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.case_reviews.letters import decision_letter_text
from casebridge.case_reviews.models import CaseReview, Decision, ReviewStatus
from casebridge.case_reviews.services._shared import bump, changed, check_version, require_run
from casebridge.case_reviews.tasks import send_decision_letter


@transaction.atomic
def threshold_decide(
    *,
    actor: User,
    review: CaseReview,
    decision: str,
    reason: str,
    letter: str,
    qualifying: int,
    version: int | None = None,
) -> CaseReview:
    """The coordinator's decision, with the reason; the letter goes to the applicant if we have their email."""
    require_run(actor, review)
    check_version(review, version)
    if review.decision:
        raise ValidationError(_("The threshold decision has already been made."))
    if decision not in Decision.values:
        raise ValidationError(_("Select whether the threshold is met."))
    if not reason.strip():
        raise ValidationError(_("Enter the reason for the decision."))
    review.decision = decision
    review.decision_reason = reason.strip()
    review.decision_letter = letter.strip() or decision_letter_text(review, decision, reason.strip())
    review.qualifying_at_decision = qualifying
    review.decided_by = actor
    review.decided_on = timezone.localdate()
    review.status = ReviewStatus.IN_REVIEW if decision == Decision.MET else ReviewStatus.NOT_MET
    if review.acknowledged_on is None:
        review.acknowledged_on = review.decided_on
    bump(
        review,
        [
            "decision",
            "decision_reason",
            "decision_letter",
            "qualifying_at_decision",
            "decided_by",
            "decided_on",
            "status",
            "acknowledged_on",
        ],
    )
    changed(actor, review, {"decision": decision, "reason": review.decision_reason, "qualifying": qualifying})
    if review.applicant_email and review.decision_letter:
        transaction.on_commit(
            partial(
                send_decision_letter.enqueue,
                email=review.applicant_email,
                reference=review.reference,
                letter=review.decision_letter,
            )
        )
    return review
