"""An appeal against the decision, reviewed by someone other than the decision-maker."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.case_reviews.models import Appeal, CaseReview, Decision, ReviewStatus
from casebridge.case_reviews.services._shared import bump, changed, require_run


@transaction.atomic
def appeal_record(
    *,
    actor: User,
    review: CaseReview,
    received_on: datetime.date,
    grounds: str,
    reviewer_name: str,
    reviewer_body: str,
) -> Appeal:
    """The applicant is dissatisfied: the appeal goes to someone other than the decision-maker."""
    require_run(actor, review)
    if not review.decision:
        raise ValidationError(_("An appeal can be recorded once the threshold has been decided."))
    if hasattr(review, "appeal"):
        raise ValidationError(_("An appeal has already been recorded for this review."))
    if not grounds.strip() or not reviewer_name.strip() or not reviewer_body.strip():
        raise ValidationError(_("Enter the grounds and who reviews the appeal."))
    decider = review.decided_by.get_full_name().strip().lower() if review.decided_by else ""
    if reviewer_name.strip().lower() in {decider, actor.get_full_name().strip().lower()}:
        raise ValidationError(_("The appeal must be reviewed by someone other than the person who made the decision."))
    if received_on < review.received_on or received_on > timezone.localdate():
        raise ValidationError(_("The date must be between the date of the application and today."))
    appeal = Appeal.objects.create(
        partnership_id=review.partnership_id,
        review=review,
        received_on=received_on,
        grounds=grounds.strip(),
        reviewer_name=reviewer_name.strip(),
        reviewer_body=reviewer_body.strip(),
        recorded_by=actor,
    )
    changed(
        actor,
        review,
        {"appeal": {"received_on": received_on, "reviewer": f"{appeal.reviewer_name}, {appeal.reviewer_body}"}},
    )
    return appeal


@transaction.atomic
def appeal_decide(*, actor: User, appeal: Appeal, outcome: str, reason: str) -> Appeal:
    """The appeal reviewer's outcome, recorded by the coordinator; an upheld appeal reopens the review."""
    review = appeal.review
    require_run(actor, review)
    if appeal.outcome:
        raise ValidationError(_("The appeal's outcome has already been recorded."))
    if outcome not in {"upheld", "not_upheld"} or not reason.strip():
        raise ValidationError(_("Select the outcome and enter the reason."))
    appeal.outcome, appeal.outcome_reason, appeal.decided_on = outcome, reason.strip(), timezone.localdate()
    appeal.save(update_fields=["outcome", "outcome_reason", "decided_on"])
    data: dict[str, object] = {"appeal_outcome": outcome, "reason": appeal.outcome_reason}
    if outcome == "upheld":
        # The review is to be carried out (again): the threshold is treated as met from today.
        data["status"] = {"from": review.status, "to": ReviewStatus.IN_REVIEW}
        review.status = ReviewStatus.IN_REVIEW
        review.completed_on = None
        if review.decision != Decision.MET:
            review.decision, review.decided_on = Decision.MET, timezone.localdate()
            review.decision_reason = _("Appeal upheld: %(reason)s") % {"reason": appeal.outcome_reason}
        bump(review, ["status", "completed_on", "decision", "decided_on", "decision_reason"])
    changed(actor, review, data)
    return appeal
