"""The agenda: cases added (by hand or by the agenda sources), removed, reordered and published.

Adding a case to an agenda shares it (view) with the series' member organisations through
ordinary ``cases.Share`` rows granted by the sharing services, so cases.policy is still the only access decision; the
``AgendaShare`` link records the meeting's purpose and lets removal revoke exactly those shares.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import audit_changed, audit_created, audit_on_record, audit_record
from casebridge.cases.models import Case, Share
from casebridge.cases.policy import Act, can
from casebridge.meetings.models import AgendaItem, AgendaShare, Meeting
from casebridge.meetings.selectors import agenda_candidates
from casebridge.meetings.services._checks import require_run
from casebridge.sharing.services import meeting_shares_grant, meeting_shares_revoke

SYSTEM_LABEL = "reminders"


def _share_reason(meeting: Meeting) -> str:
    return _("On the agenda of %(series)s on %(date)s") % {
        "series": meeting.series.name,
        "date": timezone.localtime(meeting.starts_at).strftime("%d %B %Y"),
    }


@transaction.atomic
def agenda_item_add(*, actor: User | None, meeting: Meeting, case: Case, source: str, reason: str) -> AgendaItem:
    """Put a case on the agenda and share it, for this meeting, with the member organisations.

    ``actor`` is None when the daily reminders run builds the agenda at the referral deadline:
    the audit then names the reminders run, and the shares are granted in the name of whoever
    scheduled the meeting.
    """
    if actor is not None:
        require_run(actor, meeting)
    if case.partnership_id != meeting.partnership_id:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Enter the reason for adding the case to the agenda."))
    if meeting.minutes_published_at is not None:
        raise ValidationError(_("The minutes of this meeting are published: the agenda can no longer change."))
    if meeting.items.filter(case=case, removed_at__isnull=True).exists():
        raise ValidationError(_("%(ref)s is already on this agenda.") % {"ref": case.reference})
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem.objects.create(
        partnership_id=meeting.partnership_id,
        meeting=meeting,
        case=case,
        position=last + 1,
        source=source,
        added_reason=reason.strip(),
        added_by=actor,
    )
    audit_created(
        actor=actor,
        obj=item,
        actor_label="" if actor else SYSTEM_LABEL,
        object_label=f"{case.reference} on {meeting}",
        data={"case": case.reference, "meeting": str(meeting.public_id), "source": source, "reason": reason},
    )
    members = meeting.series.member_organisations.exclude(pk=case.lead_organisation_id).filter(
        partnerships=meeting.partnership_id
    )
    shares = meeting_shares_grant(
        actor=actor,
        actor_label="" if actor else SYSTEM_LABEL,
        case=case,
        organisations=members,
        granted_by=actor or meeting.created_by,
        reason=_share_reason(meeting),
        meeting_public_id=meeting.public_id,
    )
    for share in shares:
        AgendaShare.objects.create(item=item, share=share)
    return item


@transaction.atomic
def agenda_build(*, actor: User | None, meeting: Meeting) -> list[AgendaItem]:
    """Add every case the agenda sources propose: referrals, reviews due, high risk, overdue actions.

    ``actor`` is None for the daily reminders run, which builds each draft agenda by itself once
    the meeting's referral deadline has passed (see ``agendas_due``).
    """
    if actor is not None:
        require_run(actor, meeting)
    if meeting.minutes_published_at is not None:
        return []
    return [
        agenda_item_add(actor=actor, meeting=meeting, case=c.case, source=c.source, reason=c.reason)
        for c in agenda_candidates(meeting=meeting)
    ]


def agendas_build_due(*, today: datetime.date) -> int:
    """Once the referral deadline has passed, each draft agenda builds itself, once.

    Cases the coordinator has already taken off this agenda (with a reason) are not put back.
    Returns the number of agendas built.
    """
    due = Meeting.objects.filter(
        referral_deadline__lt=today,
        starts_at__date__gte=today,
        agenda_published_at__isnull=True,
        minutes_published_at__isnull=True,
        agenda_built_at__isnull=True,
    ).select_related("series", "partnership", "created_by")
    built = 0
    for meeting in due:
        with transaction.atomic():
            removed = set(meeting.items.filter(removed_at__isnull=False).values_list("case_id", flat=True))
            added = [
                agenda_item_add(actor=None, meeting=meeting, case=c.case, source=c.source, reason=c.reason)
                for c in agenda_candidates(meeting=meeting)
                if c.case.pk not in removed
            ]
            meeting.agenda_built_at = timezone.now()
            meeting.save(update_fields=["agenda_built_at"])
            audit_changed(
                actor=None,
                actor_label=SYSTEM_LABEL,
                obj=meeting,
                data={"agenda_built": [item.case.reference for item in added]},
            )
        built += 1
    return built


@transaction.atomic
def agenda_item_remove(*, actor: User, item: AgendaItem, reason: str) -> AgendaItem:
    """Take a case off the agenda with a reason; the meeting's shares end with it."""
    require_run(actor, item.meeting)
    if not reason.strip():
        raise ValidationError(_("Enter the reason for removing the case from the agenda."))
    if item.removed_at is not None:
        return item
    now = timezone.now()
    item.removed_at = now
    item.removed_by = actor
    item.removed_reason = reason.strip()
    item.save(update_fields=["removed_at", "removed_by", "removed_reason"])
    audit_on_record(
        Action.DELETED,
        actor=actor,
        obj=item,
        object_label=f"{item.case.reference} off {item.meeting}",
        data={"case": item.case.reference, "reason": item.removed_reason},
    )
    shares = Share.objects.filter(agenda_share__item=item, revoked_at__isnull=True).select_related("organisation")
    meeting_shares_revoke(
        actor=actor, case=item.case, shares=list(shares), revoked_at=now, meeting_public_id=item.meeting.public_id
    )
    return item


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, up: bool) -> None:
    """Swap the item with its neighbour above or below."""
    require_run(actor, item.meeting)
    items = list(item.meeting.items.filter(removed_at__isnull=True).order_by("position", "added_at"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    other_index = index - 1 if up else index + 1
    if other_index < 0 or other_index >= len(items):
        return
    items[index], items[other_index] = items[other_index], items[index]
    for position, each in enumerate(items, start=1):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])
    audit_record(
        actor=actor,
        action=Action.CHANGED,
        partnership_id=item.partnership_id,
        obj=item.meeting,
        data={"agenda_order": [each.case.reference for each in items]},
    )


@transaction.atomic
def agenda_publish(*, actor: User, meeting: Meeting) -> Meeting:
    require_run(actor, meeting)
    if not meeting.items.filter(removed_at__isnull=True).exists():
        raise ValidationError(_("Add at least one case before publishing the agenda."))
    meeting.agenda_published_at = timezone.now()
    meeting.save(update_fields=["agenda_published_at"])
    audit_changed(
        actor=actor,
        obj=meeting,
        data={"agenda_published": True, "items": meeting.items.filter(removed_at__isnull=True).count()},
    )
    return meeting


@transaction.atomic
def agenda_item_restrict(*, actor: User, item: AgendaItem, restricted: bool) -> AgendaItem:
    """The lead organisation keeps the case's timeline out of other organisations' papers."""
    if not can(actor, Act.LEAD, item.case):
        raise PermissionDenied
    item.timeline_restricted = restricted
    item.save(update_fields=["timeline_restricted"])
    audit_changed(
        actor=actor,
        obj=item,
        data={"case": item.case.reference, "timeline_restricted": {"from": not restricted, "to": restricted}},
    )
    return item


@transaction.atomic
def agenda_item_object(*, actor: User, item: AgendaItem, objection: str) -> AgendaItem:
    """The lead organisation records its objection to the case being on the agenda."""
    if not can(actor, Act.LEAD, item.case):
        raise PermissionDenied
    if not objection.strip():
        raise ValidationError(_("Enter the reason for the objection."))
    item.objection = objection.strip()
    item.objected_by = actor
    item.objected_at = timezone.now()
    item.save(update_fields=["objection", "objected_by", "objected_at"])
    audit_changed(
        actor=actor,
        obj=item,
        flagged=True,
        data={"case": item.case.reference, "objection": item.objection},
    )
    return item
