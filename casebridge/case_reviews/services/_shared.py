"""What the review services share: who may run a review, the stage it must be at, and saving and auditing a change."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.audit.services import audit_changed
from casebridge.case_reviews.models import CaseReview, Decision


def require_run(actor: User, review: CaseReview) -> None:
    if not holds(actor, Capability.TRIAGE, review.partnership_id):
        raise PermissionDenied


def require_in_review(review: CaseReview) -> None:
    if review.decision != Decision.MET:
        raise ValidationError(_("The review starts once the threshold is met."))


def changed(actor: User, review: CaseReview, data: dict[str, object]) -> None:
    audit_changed(actor=actor, obj=review, data=data)


def check_version(review: CaseReview, version: int | None) -> None:
    if version is not None and version != review.version:
        raise ValidationError(
            _("Someone else changed this review while you were working on it. Check it and try again.")
        )


def bump(review: CaseReview, fields: list[str]) -> None:
    review.version += 1
    review.save(update_fields=[*fields, "version", "updated_at"])
