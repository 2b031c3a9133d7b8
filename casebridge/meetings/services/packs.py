"""Meeting papers: publishing them, and each attendee's pack built in the background."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import audit_changed, audit_on_record
from casebridge.cases.models import Case
from casebridge.cases.policy import Act, can
from casebridge.meetings import access
from casebridge.meetings.models import ItemState, Meeting, Pack
from casebridge.meetings.services._checks import require_run
from casebridge.meetings.tasks import pack_build_job
from casebridge.notifications.models import Kind
from casebridge.notifications.services import notify


def _enqueue(pack: Pack) -> None:
    transaction.on_commit(lambda: pack_build_job.enqueue(pack.pk))


@transaction.atomic
def pack_request(*, actor: User, meeting: Meeting) -> Pack:
    """An attendee asks for (or to refresh) their own pack, once the papers are published."""
    if not access.is_attendee(actor, meeting) or meeting.papers_published_at is None:
        raise PermissionDenied
    pack, _created = Pack.objects.get_or_create(
        meeting=meeting, recipient=actor, defaults={"partnership_id": meeting.partnership_id}
    )
    if pack.state != Pack.State.BUILDING:
        Pack.objects.filter(pk=pack.pk).update(state=Pack.State.QUEUED, done=0, withdrawn_at=None)
        _enqueue(pack)
    return pack


def pack_servable(*, pack: Pack, reader: User) -> bool:
    """Every case the built pack holds is still an agreed item the reader may read now."""
    on = set(
        pack.meeting.items.filter(state=ItemState.AGREED, removed_at__isnull=True).values_list("case_id", flat=True)
    )
    held = list(pack.cases.all())
    if any(case.pk not in on for case in held):
        return False
    if access.attendee_reads_papers(reader, pack.meeting):
        return True
    return all(can(reader, Act.VIEW, case) for case in held)


@transaction.atomic
def packs_withdraw(*, actor: User | None, meeting: Meeting, case: Case | None, reason: str) -> int:
    """Withdraw the meeting's built packs that hold ``case`` (every pack when None): the PDF is dropped.

    ``actor`` is None when a pack is found at serve time to hold a case its reader may no longer read.
    Returns the number of packs withdrawn.
    """
    packs = meeting.packs.exclude(state=Pack.State.WITHDRAWN)
    if case is not None:
        packs = packs.filter(cases=case)
    withdrawn = list(packs.select_related("recipient"))
    now = timezone.now()
    for pack in withdrawn:
        Pack.objects.filter(pk=pack.pk).update(state=Pack.State.WITHDRAWN, pdf=None, withdrawn_at=now)
        audit_changed(
            actor=actor,
            actor_label="" if actor else "papers",
            obj=pack,
            object_label=f"Papers for {meeting}",
            data={
                "state": {"from": pack.state, "to": Pack.State.WITHDRAWN},
                "recipient": str(pack.recipient),
                "case": case.reference if case else None,
                "reason": reason,
            },
        )
    return len(withdrawn)


@transaction.atomic
def pack_withdraw_if_stale(*, pack: Pack, reader: User) -> bool:
    """At serve time: withdraw the pack if it holds a case the reader may not read now. True if withdrawn."""
    if pack_servable(pack=pack, reader=reader):
        return False
    Pack.objects.filter(pk=pack.pk).update(state=Pack.State.WITHDRAWN, pdf=None, withdrawn_at=timezone.now())
    audit_changed(
        actor=None,
        actor_label="papers",
        obj=pack,
        object_label=f"Papers for {pack.meeting}",
        data={
            "state": {"from": pack.state, "to": Pack.State.WITHDRAWN},
            "recipient": str(pack.recipient),
            "reason": "access_ended",
        },
    )
    return True


@transaction.atomic
def papers_publish(*, actor: User | None, meeting: Meeting) -> list[Pack]:
    """On the papers date: one pack per attendee, built in the background, and a notification.

    ``actor`` is None when the daily reminders job publishes on the papers date.
    """
    if actor is not None:
        require_run(actor, meeting)
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
    audit_changed(
        actor=actor,
        obj=meeting,
        actor_label="" if actor else "reminders",
        data={"papers_published": True, "recipients": sorted(str(user) for user in recipients)},
    )
    _notify_papers_published(meeting, recipients)
    return packs


def _notify_papers_published(meeting: Meeting, users: Iterable[User]) -> None:
    # Names no case: each attendee's pack holds only the cases they may see.
    notify(
        users=users,
        kind=Kind.PAPERS_PUBLISHED,
        reference=timezone.localtime(meeting.starts_at).strftime("%d %b %Y"),
        path=reverse("meetings:papers", args=[meeting.public_id]),
        may_see=None,
    )


def papers_publish_due(*, today: datetime.date) -> int:
    """On the papers date, each meeting with a published agenda publishes its papers, once.

    Returns the number of meetings whose papers were published.
    """
    due = Meeting.objects.filter(
        papers_date__lte=today,
        agenda_published_at__isnull=False,
        papers_published_at__isnull=True,
        starts_at__date__gte=today,
    ).select_related("series", "series__chair")
    published = 0
    for meeting in due:
        papers_publish(actor=None, meeting=meeting)
        published += 1
    return published


@transaction.atomic
def pack_downloaded(*, actor: User, pack: Pack) -> None:
    audit_on_record(
        Action.DOWNLOADED,
        actor=actor,
        obj=pack,
        object_label=f"Papers for {pack.meeting}",
        data={"meeting": str(pack.meeting.public_id), "built_at": pack.built_at.isoformat() if pack.built_at else None},
    )
