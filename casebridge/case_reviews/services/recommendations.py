"""The review's recommendations, each owned by an organisation and updated by it."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.audit.services import audit_changed, audit_created
from casebridge.case_reviews import access
from casebridge.case_reviews.models import CaseReview, Recommendation
from casebridge.case_reviews.services._shared import require_in_review, require_run
from casebridge.cases.policy import does_casework_in
from casebridge.lib.progress import progress_check
from casebridge.organisations.models import Organisation


@transaction.atomic
def recommendation_add(
    *,
    actor: User,
    review: CaseReview,
    text: str,
    owner_organisation: Organisation,
    due_on: datetime.date,
    owner_user: User | None = None,
) -> Recommendation:
    require_run(actor, review)
    require_in_review(review)
    if not text.strip():
        raise ValidationError(_("Enter the recommendation."))
    if not owner_organisation.partnerships.filter(pk=review.partnership_id).exists():
        raise ValidationError(_("Choose an organisation of this partnership."))
    if owner_user is not None and owner_user.organisation_id != owner_organisation.pk:
        raise ValidationError(_("The person must work for the organisation that owns the recommendation."))
    if owner_user is not None and not does_casework_in(owner_user, review.partnership_id):
        raise ValidationError(_("The person does not work in this partnership."))
    recommendation = Recommendation.objects.create(
        partnership_id=review.partnership_id,
        review=review,
        text=text.strip(),
        owner_organisation=owner_organisation,
        owner_user=owner_user,
        due_on=due_on,
        created_by=actor,
    )
    audit_created(
        actor=actor,
        obj=recommendation,
        object_label=f"Recommendation of {review.reference}",
        data={
            "review": review.reference,
            "organisation": str(owner_organisation),
            "user": str(owner_user) if owner_user else None,
            "due_on": due_on,
        },
    )
    return recommendation


@transaction.atomic
def recommendation_update(
    *, actor: User, recommendation: Recommendation, status: str, completion_note: str = ""
) -> Recommendation:
    if not access.may_update_recommendation(actor, recommendation):
        raise PermissionDenied
    progress_check(status, completion_note, note_missing=_("Enter what was done."))
    before = recommendation.status
    recommendation.status = status
    recommendation.completion_note = completion_note.strip()
    recommendation.save(update_fields=["status", "completion_note", "updated_at"])
    audit_changed(
        actor=actor,
        obj=recommendation,
        object_label=f"Recommendation of {recommendation.review.reference}",
        data={"status": {"from": before, "to": status}},
    )
    return recommendation
