"""The statutory timescales of one review, counted in working days (weekends and bank holidays skipped).

Acknowledgement and threshold decision count from the day the application was received; the
review meeting counts from the day the threshold was found met.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from casebridge.case_reviews.models import CaseReview, Decision, ReviewRules
from casebridge.lib.working_days import working_days_after


@dataclass(frozen=True)
class Timescale:
    name: StrOrPromise
    due_on: datetime.date | None
    done_on: datetime.date | None
    today: datetime.date

    @property
    def state(self) -> str:
        """done, late (done after the due date), scheduled, overdue, due, or n/a (not started yet)."""
        if self.due_on is None:
            return "done" if self.done_on else "n/a"
        if self.done_on is not None:
            if self.done_on > self.today:
                return "scheduled" if self.done_on <= self.due_on else "overdue"
            return "done" if self.done_on <= self.due_on else "late"
        return "overdue" if self.today > self.due_on else "due"

    @property
    def is_overdue(self) -> bool:
        return self.state == "overdue"


def panel_date(review: CaseReview) -> datetime.date | None:
    if review.panel_meeting is not None:
        return timezone.localtime(review.panel_meeting.starts_at).date()
    return review.panel_on


def timescales(review: CaseReview, rules: ReviewRules, today: datetime.date) -> list[Timescale]:
    received = review.received_on
    meeting_due = None
    if review.decision == Decision.MET and review.decided_on:
        meeting_due = working_days_after(review.decided_on, rules.meeting_working_days)
    return [
        Timescale(
            _("Acknowledgement"),
            working_days_after(received, rules.acknowledge_working_days),
            review.acknowledged_on,
            today,
        ),
        Timescale(
            _("Threshold decision"), working_days_after(received, rules.decision_working_days), review.decided_on, today
        ),
        Timescale(
            _("Review meeting"), meeting_due, panel_date(review) if review.decision == Decision.MET else None, today
        ),
    ]


def is_overdue(review: CaseReview, rules: ReviewRules, today: datetime.date) -> bool:
    return any(t.is_overdue for t in timescales(review, rules, today))
