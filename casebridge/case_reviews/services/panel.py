"""The review itself: its panel meeting, the agencies' responses and the outcome letter."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import audit_on_record
from casebridge.case_reviews.models import AgencyResponse, CaseReview, ReviewStatus
from casebridge.case_reviews.services._shared import bump, changed, check_version, require_in_review, require_run
from casebridge.meetings.models import Kind, Meeting
from casebridge.organisations.models import Organisation


@transaction.atomic
def panel_set(
    *, actor: User, review: CaseReview, meeting: Meeting | None, panel_on: datetime.date | None
) -> CaseReview:
    require_run(actor, review)
    require_in_review(review)
    if meeting is not None:
        if meeting.partnership_id != review.partnership_id or meeting.series.kind != Kind.ASB_CASE_REVIEW:
            raise PermissionDenied
        panel_on = timezone.localtime(meeting.starts_at).date()
    if panel_on is None:
        raise ValidationError(_("Choose a panel meeting or enter the date of the review meeting."))
    before = {"meeting": str(review.panel_meeting.public_id) if review.panel_meeting else None, "on": review.panel_on}
    review.panel_meeting, review.panel_on = meeting, panel_on
    bump(review, ["panel_meeting", "panel_on"])
    changed(
        actor,
        review,
        {"panel": {"from": before, "to": {"meeting": str(meeting.public_id) if meeting else None, "on": panel_on}}},
    )
    return review


@transaction.atomic
def response_add(*, actor: User, review: CaseReview, organisation: Organisation, text: str) -> AgencyResponse:
    require_run(actor, review)
    require_in_review(review)
    if not text.strip():
        raise ValidationError(_("Enter the agency's response."))
    if not organisation.partnerships.filter(pk=review.partnership_id).exists():
        raise ValidationError(_("Choose an organisation of this partnership."))
    response = AgencyResponse.objects.create(
        partnership_id=review.partnership_id,
        review=review,
        organisation=organisation,
        text=text.strip(),
        recorded_by=actor,
    )
    changed(actor, review, {"response_added": str(organisation)})
    return response


@transaction.atomic
def outcome_letter_save(
    *, actor: User, review: CaseReview, text: str, sent: bool, version: int | None = None
) -> CaseReview:
    """Save the edited outcome letter; marking it sent completes the review."""
    require_run(actor, review)
    require_in_review(review)
    check_version(review, version)
    if not text.strip():
        raise ValidationError(_("Enter the text of the outcome letter."))
    if sent and review.panel_on is None:
        raise ValidationError(_("Record the review meeting before sending the outcome."))
    review.outcome_letter = text.strip()
    fields = ["outcome_letter"]
    if sent and review.completed_on is None:
        review.completed_on = timezone.localdate()
        review.status = ReviewStatus.COMPLETED
        fields += ["completed_on", "status"]
    bump(review, fields)
    changed(actor, review, {"outcome_letter": "saved", "sent": sent})
    return review


@transaction.atomic
def outcome_letter_downloaded(*, actor: User, review: CaseReview) -> None:
    require_run(actor, review)
    audit_on_record(
        Action.DOWNLOADED,
        actor=actor,
        obj=review,
        data={"document": "outcome letter"},
    )
