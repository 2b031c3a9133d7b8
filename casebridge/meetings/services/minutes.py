"""Minutes: each item's discussion, then published to the cases' timelines."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.audit.services import audit_changed
from casebridge.cases.models import Case, Restriction, RiskLevel
from casebridge.cases.policy import Act, can
from casebridge.cases.services import case_minutes_record
from casebridge.meetings.models import AgendaItem, ItemState, Meeting, Minute, Outcome
from casebridge.meetings.services._checks import require_run
from casebridge.meetings.services.agenda import agenda_item_remove
from casebridge.notifications.models import Kind
from casebridge.notifications.services import notify


@transaction.atomic
def minute_record(
    *,
    actor: User,
    item: AgendaItem,
    update: str,
    decision: str,
    risk_to: str = "",
    outcome: str = "",
    outcome_reason: str = "",
    next_review_on: datetime.date | None = None,
) -> Minute:
    """Record the discussion of one item; "remove" takes it off the agenda (withdrawing its packs)."""
    meeting = item.meeting
    require_run(actor, meeting)
    if not item.is_on:
        raise ValidationError(_("Only a case on the agenda can be minuted."))
    if meeting.minutes_published_at is not None:
        raise ValidationError(_("The minutes are published and can no longer change."))
    if risk_to and risk_to not in RiskLevel.values:
        raise ValidationError(_("Choose a risk level from the list."))
    if outcome and not outcome_reason.strip():
        raise ValidationError(_("Enter the reason for keeping or removing the case."))
    minute, _created = Minute.objects.get_or_create(
        item=item, defaults={"partnership_id": item.partnership_id, "recorded_by": actor}
    )
    before = {
        "update": minute.update,
        "decision": minute.decision,
        "risk_to": minute.risk_to,
        "outcome": minute.outcome,
    }
    minute.update, minute.decision = update.strip(), decision.strip()
    minute.risk_from = item.case.risk_level if risk_to else ""
    minute.risk_to, minute.outcome, minute.outcome_reason = risk_to, outcome, outcome_reason.strip()
    minute.next_review_on = next_review_on
    minute.recorded_by = actor
    minute.save()
    audit_changed(
        actor=actor,
        obj=item,
        data={"case": item.case.reference, "before": before, "outcome": outcome},
    )
    if outcome == Outcome.REMOVE and item.removed_at is None:
        agenda_item_remove(actor=actor, item=item, reason=outcome_reason)
    return minute


def _minute_text(meeting: Meeting, minute: Minute) -> str:
    lines = [_("Minutes of %(meeting)s") % {"meeting": meeting}]
    if minute.update:
        lines.append(_("Updates: %(text)s") % {"text": minute.update})
    if minute.decision:
        lines.append(_("Decisions: %(text)s") % {"text": minute.decision})
    if minute.risk_to:
        lines.append(_("Risk level changed from %(a)s to %(b)s.") % {"a": minute.risk_from, "b": minute.risk_to})
    if minute.outcome:
        lines.append(f"{minute.get_outcome_display()}: {minute.outcome_reason}")
    if minute.next_review_on:
        lines.append(_("Next review: %(day)s") % {"day": minute.next_review_on.strftime("%d %B %Y")})
    return "\n".join(lines)


@transaction.atomic
def minutes_publish(*, actor: User, meeting: Meeting) -> int:
    """Put each item's minutes on its case's timeline and apply agreed risk changes.

    The timeline note is an ordinary case note, so whoever can see the case (and no one
    else) sees it; items the lead organisation restricted are lead-organisation-only.
    """
    require_run(actor, meeting)
    if meeting.minutes_published_at is not None:
        raise ValidationError(_("The minutes are already published."))
    minutes = Minute.objects.filter(item__meeting=meeting, item__state=ItemState.AGREED).select_related(
        "item", "item__case"
    )
    for minute in minutes:
        case = minute.item.case
        note = case_minutes_record(
            actor=actor,
            case=case,
            text=_minute_text(meeting, minute),
            restriction=Restriction.LEAD_ORGANISATION if minute.item.timeline_restricted else Restriction.NONE,
            risk_to=minute.risk_to,
            meeting_public_id=meeting.public_id,
        )
        minute.timeline_note = note
        minute.save(update_fields=["timeline_note"])
    meeting.minutes_published_at = timezone.now()
    meeting.save(update_fields=["minutes_published_at"])
    audit_changed(
        actor=actor,
        obj=meeting,
        data={"minutes_published": True, "items": len(minutes)},
    )
    return len(minutes)


def reviews_remind_due(*, today: datetime.date) -> int:
    """Tell each case's lead officer when a review date set in published minutes is reached.

    Returns the number of reviews reminded.
    """
    reviews = 0
    for minute in Minute.objects.filter(
        next_review_on=today, item__meeting__minutes_published_at__isnull=False
    ).select_related("item__case__lead_officer"):
        _notify_review_due(minute.item.case)
        reviews += 1
    return reviews


def _notify_review_due(case: Case) -> None:
    notify(
        users=[case.lead_officer] if case.lead_officer else [],
        kind=Kind.REVIEW_DUE,
        reference=case.reference,
        path=reverse("cases:summary", args=[case.reference]),
        may_see=lambda user: can(user, Act.VIEW, case),
    )
