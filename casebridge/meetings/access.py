"""Who may see and run meetings. Case content inside a meeting still goes through cases.policy."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.actions import services as task_services
from casebridge.actions.models import Task
from casebridge.cases.models import Case
from casebridge.cases.policy import does_casework_in
from casebridge.meetings.models import Meeting, MeetingSeries
from casebridge.organisations.models import Partnership


def coordinates(user: User, partnership_id: int) -> bool:
    """Those who triage (coordinators) build agendas and run every meeting of their partnership."""
    return holds(user, Capability.TRIAGE, partnership_id)


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
    """Meetings whose series the user chairs, attends, or whose member organisation they work for."""
    return Meeting.objects.filter(partnership=partnership, series__in=visible_series(user, partnership))


def may_see(user: User, meeting: Meeting) -> bool:
    return visible_meetings(user, meeting.partnership).filter(pk=meeting.pk).exists()


def may_run(user: User, meeting: Meeting) -> bool:
    """Build the agenda, record attendance and minutes: the coordinators and the chair."""
    if not does_casework_in(user, meeting.partnership_id):
        return False
    return coordinates(user, meeting.partnership_id) or meeting.series.chair_id == user.pk


def may_assign_task(user: User, meeting: Meeting, case: Case) -> bool:
    """Those who run the meeting assign actions on its agenda's cases; others as on the case's plan."""
    if may_run(user, meeting):
        return meeting.items.filter(case=case).exists()
    return task_services.may_assign(user, case)


def runs_task_meeting(user: User, task: Task) -> bool:
    """Whoever runs the meeting that assigned an action may update the action too."""
    return task.meeting is not None and may_run(user, task.meeting)


def is_attendee(user: User, meeting: Meeting) -> bool:
    return meeting.series.attendees.filter(pk=user.pk).exists() or meeting.series.chair_id == user.pk


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
