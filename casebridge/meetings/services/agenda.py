"""The agenda: cases proposed, agreed or declined by whoever may manage them, removed, reordered, published.

Nothing here shares a case. An agreed item lets the meeting's named attendees read that case's
papers for a time, a rule of ``meetings.access`` worked out at every request; removing the item
withdraws every built pack that holds the case.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import audit_changed, audit_created, audit_on_record
from casebridge.cases.models import Case
from casebridge.cases.policy import Act, can
from casebridge.meetings import access
from casebridge.meetings.models import AgendaItem, ItemState, Meeting
from casebridge.meetings.selectors import agenda_candidates
from casebridge.meetings.services._checks import require_agenda_builder
from casebridge.meetings.services.packs import packs_withdraw
from casebridge.notifications.models import Kind
from casebridge.notifications.services import notify, organisation_managers

SYSTEM_LABEL = "reminders"


def _label(item: AgendaItem) -> str:
    return f"{item.case.reference} for {item.meeting}"


@transaction.atomic
def agenda_item_propose(*, actor: User | None, meeting: Meeting, case: Case, source: str, reason: str) -> AgendaItem:
    """Propose a case for the agenda; the lead organisation is told and decides.

    ``actor`` is None for the daily reminders run's suggestions. A proposer who may manage the
    case agrees by proposing, so their case goes straight on the agenda.
    """
    if actor is not None and not access.may_propose(actor, meeting, case):
        raise PermissionDenied
    if case.partnership_id != meeting.partnership_id:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Enter the reason for proposing the case for the agenda."))
    if meeting.minutes_published_at is not None:
        raise ValidationError(_("The minutes of this meeting are published: the agenda can no longer change."))
    live = meeting.items.filter(case=case, removed_at__isnull=True).exclude(state=ItemState.DECLINED)
    if live.exists():
        raise ValidationError(_("%(ref)s is already proposed for this agenda.") % {"ref": case.reference})
    item = AgendaItem.objects.create(
        partnership_id=meeting.partnership_id,
        meeting=meeting,
        case=case,
        source=source,
        added_reason=reason.strip(),
        added_by=actor,
    )
    audit_created(
        actor=actor,
        obj=item,
        actor_label="" if actor else SYSTEM_LABEL,
        object_label=_label(item),
        data={
            "proposal": {"from": None, "to": "proposed"},
            "case": case.reference,
            "meeting": str(meeting.public_id),
            "source": source,
            "reason": item.added_reason,
        },
    )
    _notify_lead(item)
    if actor is not None and access.may_agree(actor, item):
        agenda_proposal_agree(actor=actor, item=item)
    return item


@transaction.atomic
def agenda_proposal_agree(*, actor: User, item: AgendaItem) -> AgendaItem:
    """Someone who may manage the case agrees: it goes on the agenda, at the end."""
    if not access.may_agree(actor, item):
        raise PermissionDenied
    if not item.is_pending:
        raise ValidationError(_("This proposal has already been decided."))
    if item.meeting.minutes_published_at is not None:
        raise ValidationError(_("The minutes of this meeting are published: the agenda can no longer change."))
    last = item.meeting.items.filter(state=ItemState.AGREED).aggregate(last=Max("position"))["last"] or 0
    item.state = ItemState.AGREED
    item.position = last + 1
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.save(update_fields=["state", "position", "decided_by", "decided_at"])
    audit_changed(
        actor=actor,
        obj=item,
        object_label=_label(item),
        data={"proposal": {"from": "proposed", "to": "agreed"}, "case": item.case.reference},
    )
    return item


@transaction.atomic
def agenda_proposal_decline(*, actor: User, item: AgendaItem, reason: str) -> AgendaItem:
    """Whoever may manage the case, or the coordinator building the agenda, declines with a reason."""
    if not access.may_decline(actor, item):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Enter the reason for declining."))
    if not item.is_pending:
        raise ValidationError(_("This proposal has already been decided."))
    item.state = ItemState.DECLINED
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.decline_reason = reason.strip()
    item.save(update_fields=["state", "decided_by", "decided_at", "decline_reason"])
    audit_changed(
        actor=actor,
        obj=item,
        object_label=_label(item),
        data={
            "proposal": {"from": "proposed", "to": "declined"},
            "case": item.case.reference,
            "reason": item.decline_reason,
        },
    )
    return item


def _notify_lead(item: AgendaItem) -> None:
    """Tell the lead organisation's managers and the lead officer, once the proposal is committed."""
    case = item.case
    recipients = list(organisation_managers(case.lead_organisation, case.partnership_id))
    if case.lead_officer_id and case.lead_officer not in recipients:
        recipients.append(case.lead_officer)  # type: ignore[arg-type]
    transaction.on_commit(
        lambda: notify(
            users=recipients,
            kind=Kind.AGENDA_PROPOSAL,
            reference=case.reference,
            path=reverse("cases:summary", args=[case.reference]),
            may_see=lambda user: can(user, Act.VIEW, case),
        )
    )


@transaction.atomic
def agenda_build(*, actor: User, meeting: Meeting) -> list[AgendaItem]:
    """Propose every case the agenda sources suggest that the coordinator may see."""
    require_agenda_builder(actor, meeting)
    if meeting.minutes_published_at is not None:
        return []
    return [
        agenda_item_propose(actor=actor, meeting=meeting, case=c.case, source=c.source, reason=c.reason)
        for c in agenda_candidates(meeting=meeting, user=actor)
    ]


def agendas_build_due(*, today: datetime.date) -> int:
    """Once the referral deadline has passed, the agenda sources' suggestions become proposals, once.

    Only proposals: each case waits for someone who may manage it. A case already proposed,
    declined or taken off this agenda is not proposed again. Returns the number of agendas built.
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
            proposed = [
                agenda_item_propose(actor=None, meeting=meeting, case=c.case, source=c.source, reason=c.reason)
                for c in agenda_candidates(meeting=meeting)
            ]
            meeting.agenda_built_at = timezone.now()
            meeting.save(update_fields=["agenda_built_at"])
            audit_changed(
                actor=None,
                actor_label=SYSTEM_LABEL,
                obj=meeting,
                data={"agenda_proposed": [item.case.reference for item in proposed]},
            )
        built += 1
    return built


@transaction.atomic
def agenda_item_remove(*, actor: User, item: AgendaItem, reason: str) -> AgendaItem:
    """Take a case off the agenda with a reason; every built pack that holds it is withdrawn."""
    if not access.may_remove(actor, item):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Enter the reason for removing the case from the agenda."))
    if item.removed_at is not None:
        return item
    item.removed_at = timezone.now()
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
    packs_withdraw(actor=actor, meeting=item.meeting, case=item.case, reason="item_removed")
    return item


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, up: bool) -> None:
    """Swap the item with its neighbour above or below."""
    require_agenda_builder(actor, item.meeting)
    items = list(
        item.meeting.items.filter(state=ItemState.AGREED, removed_at__isnull=True).order_by("position", "added_at")
    )
    index = next((i for i, other in enumerate(items) if other.pk == item.pk), None)
    if index is None:
        return
    other_index = index - 1 if up else index + 1
    if other_index < 0 or other_index >= len(items):
        return
    items[index], items[other_index] = items[other_index], items[index]
    for position, each in enumerate(items, start=1):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])
    audit_changed(
        actor=actor,
        obj=item.meeting,
        data={"agenda_order": [each.case.reference for each in items]},
    )


@transaction.atomic
def agenda_publish(*, actor: User, meeting: Meeting) -> Meeting:
    """Publishing opens the attendees' window on the agreed items' papers."""
    require_agenda_builder(actor, meeting)
    agreed = meeting.items.filter(state=ItemState.AGREED, removed_at__isnull=True).count()
    if not agreed:
        raise ValidationError(_("Agree at least one case before publishing the agenda."))
    meeting.agenda_published_at = timezone.now()
    meeting.save(update_fields=["agenda_published_at"])
    audit_changed(
        actor=actor,
        obj=meeting,
        data={"agenda_published": True, "items": agreed},
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
