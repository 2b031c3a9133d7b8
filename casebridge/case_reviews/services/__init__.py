"""Writes on ASB Case Reviews: each checks who may make it and writes its audit event in the same transaction.

One module per stage of a review: ``applications`` (and ``complaints``), the threshold ``decision``,
the ``panel`` (responses and outcome letter), ``recommendations``, the ``appeal``, and ``exports``
of the figures. Callers import from here.
"""

from casebridge.case_reviews.services.appeal import appeal_decide, appeal_record
from casebridge.case_reviews.services.applications import (
    PUBLIC_ACTOR,
    REFERENCE_ALPHABET,
    Application,
    review_acknowledge,
    review_apply_online,
    review_open_from_alert,
    review_record,
)
from casebridge.case_reviews.services.complaints import MAX_COMPLAINTS, ComplaintData, complaint_add
from casebridge.case_reviews.services.decision import threshold_decide
from casebridge.case_reviews.services.exports import figures_exported
from casebridge.case_reviews.services.panel import (
    outcome_letter_downloaded,
    outcome_letter_save,
    panel_set,
    response_add,
)
from casebridge.case_reviews.services.recommendations import recommendation_add, recommendation_update

__all__ = [
    "MAX_COMPLAINTS",
    "PUBLIC_ACTOR",
    "REFERENCE_ALPHABET",
    "Application",
    "ComplaintData",
    "appeal_decide",
    "appeal_record",
    "complaint_add",
    "figures_exported",
    "outcome_letter_downloaded",
    "outcome_letter_save",
    "panel_set",
    "recommendation_add",
    "recommendation_update",
    "response_add",
    "review_acknowledge",
    "review_apply_online",
    "review_open_from_alert",
    "review_record",
    "threshold_decide",
]
