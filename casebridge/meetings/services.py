"""Writes on meetings: each checks who may do it and audits in the same transaction.

Adding a case to an agenda shares it (view) with the series' member organisations through
ordinary ``cases.Share`` rows, so cases.policy is still the only access decision; the
``AgendaShare`` link records the meeting's purpose and lets removal revoke exactly those shares.
"""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.audit.models import Action
from casebridge.audit.services import PendingEvent, audit_record, audit_record_batch
from casebridge.cases.models import Case, Level, Note, Restriction, RiskLevel, Share
from casebridge.cases.policy import Act, can
from casebridge.meetings import access, papers
from casebridge.meetings.models import (
    AgendaItem,
    AgendaShare,
    Attendance,
    Meeting,
    MeetingSeries,
    Minute,
    Outcome,
    Pack,
    Source,
)
from casebridge.meetings.selectors import agenda_candidates, agenda_items_visible
from casebridge.meetings.workingdays import working_days_before
from casebridge.notifications.services import notify_papers_published
from casebridge.organisations.models import Organisation, Partnership

if TYPE_CHECKING:
    from casebridge.accounts.models import User


def _require_coordinator(actor: "User", partnership_id: int) -> None:
    if not access.coordinates(actor, partnership_id):
        raise PermissionDenied


def _require_run(actor: "User", meeting: Meeting) -> None:
    if not access.may_run(actor, meeting):
        raise PermissionDenied


@transaction.atomic
def series_create(
    *,
    actor: "User",
    partnership: Partnership,
    kind: str,
    name: str,
    chair: "User",
    member_organisations: list[Organisation],
    attendees: list["User"],
    cadence: str,
    referral_deadline_days: int = 2,
    papers_days: int = 1,
) -> MeetingSeries:
    _require_coordinator(actor, partnership.pk)
    if papers_days > referral_deadline_days:
        raise ValidationError(_("The referral deadline must come on or before the papers date."))
    members = {org.pk for org in member_organisations}
    if any(org.partnerships.filter(pk=partnership.pk).count() == 0 for org in member_organisations):
        raise ValidationError(_("Every member organisation must take part in this partnership."))
    outsiders = [str(user) for user in attendees if user.organisation_id not in members]
    if outsiders:
        raise ValidationError(
            _("Attendees must work for a member organisation: %(names)s.") % {"names": ", ".join(outsiders)}
        )
    series = MeetingSeries.objects.create(
        partnership=partnership,
        kind=kind,
        name=name.strip(),
        chair=chair,
        cadence=cadence,
        referral_deadline_days=referral_deadline_days,
        papers_days=papers_days,
        created_by=actor,
    )
    series.member_organisations.set(member_organisations)
    series.attendees.set(attendees)
    audit_record(
        actor=actor,
        action=Action.CREATED,
        partnership_id=partnership.pk,
        obj=series,
        data={
            "kind": kind,
            "chair": str(chair),
            "members": sorted(str(org) for org in member_organisations),
            "attendees": sorted(str(user) for user in attendees),
        },
    )
    return series


def meeting_dates(*, series: MeetingSeries, starts_at: datetime.datetime) -> tuple[datetime.date, datetime.date]:
    """The referral deadline and papers date, counted back in working days from the meeting."""
    day = timezone.localdate(starts_at)
    return working_days_before(day, series.referral_deadline_days), working_days_before(day, series.papers_days)


@transaction.atomic
def meeting_schedule(*, actor: "User", series: MeetingSeries, starts_at: datetime.datetime, venue: str = "") -> Meeting:
    _require_coordinator(actor, series.partnership_id)
    deadline, papers = meeting_dates(series=series, starts_at=starts_at)
    meeting = Meeting.objects.create(
        partnership_id=series.partnership_id,
        series=series,
        starts_at=starts_at,
        venue=venue,
        referral_deadline=deadline,
        papers_date=papers,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CREATED,
        partnership_id=series.partnership_id,
        obj=meeting,
        data={"starts_at": starts_at.isoformat(), "referral_deadline": str(deadline), "papers_date": str(papers)},
    )
    return meeting


def _share_reason(meeting: Meeting) -> str:
    return _("On the agenda of %(series)s on %(date)s") % {
        "series": meeting.series.name,
        "date": timezone.localtime(meeting.starts_at).strftime("%d %B %Y"),
    }


SYSTEM_LABEL = "reminders"


@transaction.atomic
def agenda_item_add(*, actor: "User | None", meeting: Meeting, case: Case, source: str, reason: str) -> AgendaItem:
    """Put a case on the agenda and share it, for this meeting, with the member organisations.

    ``actor`` is None when the daily reminders run builds the agenda at the referral deadline:
    the audit then names the reminders run, and the shares are granted in the name of whoever
    scheduled the meeting.
    """
    if actor is not None:
        _require_run(actor, meeting)
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
    events = [
        PendingEvent(
            action=Action.CREATED,
            actor=actor,
            partnership_id=meeting.partnership_id,
            obj=item,
            actor_label="" if actor else SYSTEM_LABEL,
            object_label=f"{case.reference} on {meeting}",
            data={"case": case.reference, "meeting": str(meeting.public_id), "source": source, "reason": reason},
        )
    ]
    share_reason = _share_reason(meeting)
    members = meeting.series.member_organisations.exclude(pk=case.lead_organisation_id).filter(
        partnerships=meeting.partnership_id
    )
    for organisation in members:
        share = Share(
            partnership_id=case.partnership_id,
            case=case,
            organisation=organisation,
            level=Level.VIEW,
            reason=share_reason,
            granted_by=actor or meeting.created_by,
        )
        # Papers-published notifications tell attendees; no separate "shared with you" alert.
        setattr(share, "_from_agenda", True)  # noqa: B010
        share.save()
        AgendaShare.objects.create(item=item, share=share)
        events.append(
            PendingEvent(
                action=Action.SHARED,
                actor=actor,
                actor_label="" if actor else SYSTEM_LABEL,
                partnership_id=case.partnership_id,
                obj=case,
                data={
                    "share": str(share.public_id),
                    "with": str(organisation),
                    "level": Level.VIEW,
                    "reason": share_reason,
                    "meeting": str(meeting.public_id),
                },
            )
        )
    audit_record_batch(events)
    return item


@transaction.atomic
def agenda_build(*, actor: "User | None", meeting: Meeting) -> list[AgendaItem]:
    """Add every case the agenda sources propose: referrals, reviews due, high risk, overdue actions.

    ``actor`` is None for the daily reminders run, which builds each draft agenda by itself once
    the meeting's referral deadline has passed (see ``agendas_due``).
    """
    if actor is not None:
        _require_run(actor, meeting)
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
            audit_record(
                actor=None,
                actor_label=SYSTEM_LABEL,
                action=Action.CHANGED,
                partnership_id=meeting.partnership_id,
                obj=meeting,
                data={"agenda_built": [item.case.reference for item in added]},
            )
        built += 1
    return built


@transaction.atomic
def agenda_item_remove(*, actor: "User", item: AgendaItem, reason: str) -> AgendaItem:
    """Take a case off the agenda with a reason; the meeting's shares end with it."""
    _require_run(actor, item.meeting)
    if not reason.strip():
        raise ValidationError(_("Enter the reason for removing the case from the agenda."))
    if item.removed_at is not None:
        return item
    now = timezone.now()
    item.removed_at = now
    item.removed_by = actor
    item.removed_reason = reason.strip()
    item.save(update_fields=["removed_at", "removed_by", "removed_reason"])
    events = [
        PendingEvent(
            action=Action.DELETED,
            actor=actor,
            partnership_id=item.partnership_id,
            obj=item,
            object_label=f"{item.case.reference} off {item.meeting}",
            data={"case": item.case.reference, "reason": item.removed_reason},
        )
    ]
    shares = Share.objects.filter(agenda_share__item=item, revoked_at__isnull=True).select_related("organisation")
    for share in shares:
        events.append(
            PendingEvent(
                action=Action.SHARE_REVOKED,
                actor=actor,
                partnership_id=item.partnership_id,
                obj=item.case,
                data={
                    "share": str(share.public_id),
                    "with": str(share.grantee),
                    "meeting": str(item.meeting.public_id),
                },
            )
        )
    shares.update(revoked_at=now, revoked_by=actor)
    audit_record_batch(events)
    return item


@transaction.atomic
def agenda_item_move(*, actor: "User", item: AgendaItem, up: bool) -> None:
    """Swap the item with its neighbour above or below."""
    _require_run(actor, item.meeting)
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
def agenda_publish(*, actor: "User", meeting: Meeting) -> Meeting:
    _require_run(actor, meeting)
    if not meeting.items.filter(removed_at__isnull=True).exists():
        raise ValidationError(_("Add at least one case before publishing the agenda."))
    meeting.agenda_published_at = timezone.now()
    meeting.save(update_fields=["agenda_published_at"])
    audit_record(
        actor=actor,
        action=Action.CHANGED,
        partnership_id=meeting.partnership_id,
        obj=meeting,
        data={"agenda_published": True, "items": meeting.items.filter(removed_at__isnull=True).count()},
    )
    return meeting


@transaction.atomic
def agenda_item_restrict(*, actor: "User", item: AgendaItem, restricted: bool) -> AgendaItem:
    """The lead organisation keeps the case's timeline out of other organisations' papers."""
    if not can(actor, Act.LEAD, item.case):
        raise PermissionDenied
    item.timeline_restricted = restricted
    item.save(update_fields=["timeline_restricted"])
    audit_record(
        actor=actor,
        action=Action.CHANGED,
        partnership_id=item.partnership_id,
        obj=item,
        data={"case": item.case.reference, "timeline_restricted": {"from": not restricted, "to": restricted}},
    )
    return item


@transaction.atomic
def agenda_item_object(*, actor: "User", item: AgendaItem, objection: str) -> AgendaItem:
    """The lead organisation records its objection to the case being on the agenda."""
    if not can(actor, Act.LEAD, item.case):
        raise PermissionDenied
    if not objection.strip():
        raise ValidationError(_("Enter the reason for the objection."))
    item.objection = objection.strip()
    item.objected_by = actor
    item.objected_at = timezone.now()
    item.save(update_fields=["objection", "objected_by", "objected_at"])
    audit_record(
        actor=actor,
        action=Action.CHANGED,
        partnership_id=item.partnership_id,
        obj=item,
        flagged=True,
        data={"case": item.case.reference, "objection": item.objection},
    )
    return item


@transaction.atomic
def attendance_record(*, actor: "User", meeting: Meeting, present: list["User"]) -> None:
    """Mark who is present among the series' attendees (everyone else absent)."""
    _require_run(actor, meeting)
    invited = list(meeting.series.attendees.all())
    present_ids = {user.pk for user in present}
    for user in invited:
        row, _created = Attendance.objects.get_or_create(
            meeting=meeting,
            user=user,
            defaults={"partnership_id": meeting.partnership_id, "recorded_by": actor},
        )
        if row.present != (user.pk in present_ids):
            row.present = user.pk in present_ids
            row.recorded_by = actor
            row.save(update_fields=["present", "recorded_by"])
    audit_record(
        actor=actor,
        action=Action.CHANGED,
        partnership_id=meeting.partnership_id,
        obj=meeting,
        data={"present": sorted(str(user) for user in invited if user.pk in present_ids)},
    )


@transaction.atomic
def confidentiality_acknowledge(*, actor: "User", meeting: Meeting) -> Attendance:
    """An attendee confirms they have heard and accept the confidentiality statement."""
    if not access.is_attendee(actor, meeting):
        raise PermissionDenied
    row, _created = Attendance.objects.get_or_create(
        meeting=meeting, user=actor, defaults={"partnership_id": meeting.partnership_id, "recorded_by": actor}
    )
    if row.acknowledged_at is None:
        row.acknowledged_at = timezone.now()
        row.save(update_fields=["acknowledged_at"])
        audit_record(
            actor=actor,
            action=Action.CHANGED,
            partnership_id=meeting.partnership_id,
            obj=meeting,
            data={"confidentiality_acknowledged": True},
        )
    return row


@transaction.atomic
def minute_record(
    *,
    actor: "User",
    item: AgendaItem,
    update: str,
    decision: str,
    risk_to: str = "",
    outcome: str = "",
    outcome_reason: str = "",
    next_review_on: datetime.date | None = None,
) -> Minute:
    """Record the discussion of one item; "remove" takes it off the agenda (ending the share)."""
    meeting = item.meeting
    _require_run(actor, meeting)
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
    audit_record(
        actor=actor,
        action=Action.CHANGED,
        partnership_id=item.partnership_id,
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
def minutes_publish(*, actor: "User", meeting: Meeting) -> int:
    """Put each item's minutes on its case's timeline and apply agreed risk changes.

    The timeline note is an ordinary case note, so whoever can see the case (and no one
    else) sees it; items the lead organisation restricted are lead-organisation-only.
    """
    _require_run(actor, meeting)
    if meeting.minutes_published_at is not None:
        raise ValidationError(_("The minutes are already published."))
    minutes = Minute.objects.filter(item__meeting=meeting).select_related("item", "item__case")
    events: list[PendingEvent] = []
    for minute in minutes:
        case = minute.item.case
        note = Note.objects.create(
            partnership_id=case.partnership_id,
            case=case,
            created_by=actor,
            kind=Note.Kind.NOTE,
            text=_minute_text(meeting, minute),
            restriction=Restriction.LEAD_ORGANISATION if minute.item.timeline_restricted else Restriction.NONE,
        )
        minute.timeline_note = note
        minute.save(update_fields=["timeline_note"])
        events.append(
            PendingEvent(
                action=Action.CREATED,
                actor=actor,
                partnership_id=case.partnership_id,
                obj=note,
                object_label=f"Meeting minutes on {case.reference}",
                data={"case": case.reference, "meeting": str(meeting.public_id)},
            )
        )
        if minute.risk_to and minute.risk_to != case.risk_level:
            Case.objects.filter(pk=case.pk).update(risk_level=minute.risk_to, version=F("version") + 1)
            events.append(
                PendingEvent(
                    action=Action.CHANGED,
                    actor=actor,
                    partnership_id=case.partnership_id,
                    obj=case,
                    data={
                        "risk_level": {"from": case.risk_level, "to": minute.risk_to},
                        "meeting": str(meeting.public_id),
                    },
                )
            )
    meeting.minutes_published_at = timezone.now()
    meeting.save(update_fields=["minutes_published_at"])
    events.append(
        PendingEvent(
            action=Action.CHANGED,
            actor=actor,
            partnership_id=meeting.partnership_id,
            obj=meeting,
            data={"minutes_published": True, "items": len(minutes)},
        )
    )
    audit_record_batch(events)
    return len(minutes)


# -- papers --------------------------------------------------------------------------------


def pack_build(*, pack: Pack) -> Pack:
    """Build one pack, saving progress case by case so the progress page can show it."""
    recipient, meeting = pack.recipient, pack.meeting
    items = agenda_items_visible(user=recipient, meeting=meeting)
    Pack.objects.filter(pk=pack.pk).update(state=Pack.State.BUILDING, done=0, total=len(items))
    content = []
    for done, entry in enumerate(papers.pack_cases(recipient, items), start=1):
        content.append(entry)
        if done % 5 == 0:
            Pack.objects.filter(pk=pack.pk).update(done=done)
    at = timezone.now()
    try:
        pdf = papers.render_pdf(recipient=recipient, meeting=meeting, content=content, at=at)
    except Exception:
        Pack.objects.filter(pk=pack.pk).update(state=Pack.State.FAILED)
        raise
    Pack.objects.filter(pk=pack.pk).update(state=Pack.State.READY, done=len(items), pdf=pdf, built_at=at)
    pack.refresh_from_db()
    return pack


def _enqueue(pack: Pack) -> None:
    from casebridge.meetings.tasks import pack_build_job

    transaction.on_commit(lambda: pack_build_job.enqueue(pack.pk))


@transaction.atomic
def pack_request(*, actor: "User", meeting: Meeting) -> Pack:
    """An attendee asks for (or to refresh) their own pack, once the papers are published."""
    if not access.is_attendee(actor, meeting) or meeting.papers_published_at is None:
        raise PermissionDenied
    pack, _created = Pack.objects.get_or_create(
        meeting=meeting, recipient=actor, defaults={"partnership_id": meeting.partnership_id}
    )
    if pack.state != Pack.State.BUILDING:
        Pack.objects.filter(pk=pack.pk).update(state=Pack.State.QUEUED, done=0)
        _enqueue(pack)
    return pack


@transaction.atomic
def papers_publish(*, actor: "User | None", meeting: Meeting) -> list[Pack]:
    """On the papers date: one pack per attendee, built in the background, and a notification.

    ``actor`` is None when the daily reminders job publishes on the papers date.
    """
    if actor is not None:
        _require_run(actor, meeting)
    if meeting.agenda_published_at is None:
        raise ValidationError(_("Publish the agenda before the papers."))
    if meeting.papers_published_at is not None:
        return list(meeting.packs.all())
    meeting.papers_published_at = timezone.now()
    meeting.save(update_fields=["papers_published_at"])
    recipients = list(meeting.series.attendees.filter(is_active=True))
    chair = meeting.series.chair
    if chair not in recipients:
        recipients.append(chair)
    packs = []
    for recipient in recipients:
        pack, _created = Pack.objects.get_or_create(
            meeting=meeting, recipient=recipient, defaults={"partnership_id": meeting.partnership_id}
        )
        packs.append(pack)
        _enqueue(pack)
    audit_record(
        actor=actor,
        action=Action.CHANGED,
        partnership_id=meeting.partnership_id,
        obj=meeting,
        actor_label="" if actor else "reminders",
        data={"papers_published": True, "recipients": sorted(str(user) for user in recipients)},
    )
    notify_papers_published(meeting=meeting, users=recipients)
    return packs


@transaction.atomic
def pack_downloaded(*, actor: "User", pack: Pack) -> None:
    audit_record(
        actor=actor,
        action=Action.DOWNLOADED,
        partnership_id=pack.partnership_id,
        obj=pack,
        object_label=f"Papers for {pack.meeting}",
        data={"meeting": str(pack.meeting.public_id), "built_at": pack.built_at.isoformat() if pack.built_at else None},
    )


__all__ = ["Source"]
