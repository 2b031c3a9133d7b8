"""Who may see and run meetings, and who may read an agenda item's papers.

The rules are those of docs/access-model.md, "Meetings":

- Anyone who may see a case may propose it for an agenda of a meeting they can see; it goes
  on the agenda only when someone who may manage the case agrees (``cases.policy``, MANAGE).
- Agreeing lets the meeting's named attendees (the series' attendees and its chair) read that
  case's meeting papers from the agenda's publication until the partnership's
  ``meeting_papers_days`` after the meeting. This is a time window worked out at every
  request, never a ``Share``: it ends by itself, and the case pages stay governed by
  ``cases.policy`` alone.
- The coordinator (``Capability.TRIAGE``) builds the agenda; the chair runs the meeting.
"""

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.actions import services as task_services
from casebridge.actions.models import Task
from casebridge.cases.models import Case
from casebridge.cases.policy import Act, can, does_casework_in
from casebridge.meetings.models import AgendaItem, ItemState, Meeting, MeetingSeries
from casebridge.organisations.models import Partnership


def coordinates(user: User, partnership_id: int) -> bool:
    """Coordinators (and administrators, who configure series) set up series and schedule meetings."""
    return holds(user, Capability.TRIAGE, partnership_id) or holds(
        user, Capability.CONFIGURE_PARTNERSHIP, partnership_id
    )


def builds_agenda(user: User, meeting: Meeting) -> bool:
    """Order, publish and decline proposals for the agenda: the coordinator's."""
    return does_casework_in(user, meeting.partnership_id) and holds(user, Capability.TRIAGE, meeting.partnership_id)


def _series_q(user: User) -> Q:
    attendees = MeetingSeries.attendees.through.objects.filter(meetingseries_id=OuterRef("pk"), user_id=user.pk)
    q = Q(chair_id=user.pk) | Q(Exists(attendees))
    if user.organisation_id:
        members = MeetingSeries.member_organisations.through.objects.filter(
            meetingseries_id=OuterRef("pk"), organisation_id=user.organisation_id
        )
        q |= Q(Exists(members))
    return q


def visible_series(user: User, partnership: Partnership) -> QuerySet[MeetingSeries]:
    series = MeetingSeries.objects.filter(partnership=partnership)
    if not does_casework_in(user, partnership.pk):
        return series.none()
    if coordinates(user, partnership.pk):
        return series
    return series.filter(_series_q(user))


def visible_meetings(user: User, partnership: Partnership) -> QuerySet[Meeting]:
    """Meetings whose series the user chairs, attends, or whose member organisation they work for.

    Seeing a meeting shows its agenda only as far as each case allows (``items_readable``).
    """
    return Meeting.objects.filter(partnership=partnership, series__in=visible_series(user, partnership))


def may_see(user: User, meeting: Meeting) -> bool:
    return visible_meetings(user, meeting.partnership).filter(pk=meeting.pk).exists()


def may_run(user: User, meeting: Meeting) -> bool:
    """Record attendance and minutes: the chair, and the coordinator who builds the agenda."""
    if not does_casework_in(user, meeting.partnership_id):
        return False
    return meeting.series.chair_id == user.pk or builds_agenda(user, meeting)


def may_propose(user: User, meeting: Meeting, case: Case) -> bool:
    """Anyone who may see the case, and the meeting, may propose the case for its agenda."""
    return case.partnership_id == meeting.partnership_id and can(user, Act.VIEW, case) and may_see(user, meeting)


def may_agree(user: User, item: AgendaItem) -> bool:
    """Only someone who may manage the case puts it on an agenda."""
    return can(user, Act.MANAGE, item.case)


def may_decline(user: User, item: AgendaItem) -> bool:
    return may_agree(user, item) or builds_agenda(user, item.meeting)


def may_remove(user: User, item: AgendaItem) -> bool:
    """Those who run the meeting take an item off; whoever may manage the case withdraws its agreement."""
    return may_run(user, item.meeting) or can(user, Act.MANAGE, item.case)


def may_assign_task(user: User, meeting: Meeting, case: Case) -> bool:
    """Through a meeting, only on a case that is an agreed item of it now; then as the case's plan allows."""
    if not meeting.items.filter(case=case, state=ItemState.AGREED, removed_at__isnull=True).exists():
        return False
    return may_run(user, meeting) or task_services.may_assign(user, case)


def runs_task_meeting(user: User, task: Task) -> bool:
    """Whoever runs the meeting that assigned an action may update the action too."""
    return task.meeting is not None and may_run(user, task.meeting)


def is_attendee(user: User, meeting: Meeting) -> bool:
    """A named attendee: the series' attendees and its chair (people, not organisations)."""
    return meeting.series.chair_id == user.pk or meeting.series.attendees.filter(pk=user.pk).exists()


def papers_window(meeting: Meeting) -> tuple[datetime.datetime, datetime.datetime] | None:
    """When attendees may read the agreed items' papers: publication to N days after the meeting."""
    if meeting.agenda_published_at is None:
        return None
    days = meeting.partnership.meeting_papers_days
    return meeting.agenda_published_at, meeting.starts_at + datetime.timedelta(days=days)


def papers_open(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    window = papers_window(meeting)
    if window is None:
        return False
    return window[0] <= (now or timezone.now()) < window[1]


def attendee_reads_papers(user: User, meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    """The time-window rule: a named attendee, casework in the partnership, inside the window."""
    return does_casework_in(user, meeting.partnership_id) and is_attendee(user, meeting) and papers_open(meeting, now)


def may_read_item(user: User, item: AgendaItem, now: datetime.datetime | None = None) -> bool:
    """May the user read this item's papers now? Agreed and on, and the case visible or the window open."""
    if not item.is_on:
        return False
    return attendee_reads_papers(user, item.meeting, now) or can(user, Act.VIEW, item.case)


def get_meeting_or_404(user: User, public_id: Any, partnership: Partnership | None) -> Meeting:
    if partnership is None:
        raise Http404
    meeting = (
        visible_meetings(user, partnership)
        .select_related("series", "series__chair", "partnership")
        .filter(public_id=public_id)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def get_series_or_404(user: User, public_id: Any, partnership: Partnership | None) -> MeetingSeries:
    if partnership is None:
        raise Http404
    series = visible_series(user, partnership).select_related("chair").filter(public_id=public_id).first()
    if series is None:
        raise Http404
    return series
