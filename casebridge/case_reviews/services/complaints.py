"""The complaints an application lists, and complaints added to a review later."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.case_reviews.models import CaseReview, Complaint
from casebridge.case_reviews.services._shared import changed, require_run

MAX_COMPLAINTS = 20


@dataclass(frozen=True)
class ComplaintData:
    occurred_on: datetime.date
    reported_on: datetime.date
    reported_to: str
    description: str = ""
    is_hate: bool = False


def check_complaint(complaint: ComplaintData) -> None:
    if complaint.reported_on < complaint.occurred_on:
        raise ValidationError(_("The date reported must be the same as or after the date of the incident."))
    if complaint.reported_on > timezone.localdate():
        raise ValidationError(_("The dates must be today or in the past."))
    if not complaint.reported_to.strip():
        raise ValidationError(_("Enter who the complaint was reported to."))


@transaction.atomic
def complaint_add(*, actor: User, review: CaseReview, complaint: ComplaintData) -> Complaint:
    require_run(actor, review)
    if review.decision:
        raise ValidationError(_("The threshold has been decided: complaints can no longer be added."))
    check_complaint(complaint)
    if review.complaints.count() >= MAX_COMPLAINTS:
        raise ValidationError(_("A review lists at most %(n)d complaints.") % {"n": MAX_COMPLAINTS})
    created = Complaint.objects.create(
        partnership_id=review.partnership_id,
        review=review,
        occurred_on=complaint.occurred_on,
        reported_on=complaint.reported_on,
        reported_to=complaint.reported_to.strip(),
        description=complaint.description.strip(),
        is_hate=complaint.is_hate,
    )
    changed(
        actor, review, {"complaint_added": {"occurred_on": complaint.occurred_on, "reported_to": created.reported_to}}
    )
    return created
