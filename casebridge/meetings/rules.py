"""Who may see and run which meeting (``meetings.access``), registered with the one access door."""

from django.db.models import Q, QuerySet

from casebridge.access import policy
from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.cases.policy import does_casework_in
from casebridge.meetings import access
from casebridge.meetings.models import Meeting, MeetingSeries
from casebridge.organisations.models import Partnership

SEE = "see"
RUN = "run"


def meetings_run_by(user: User, partnership: Partnership) -> QuerySet[Meeting]:
    """``access.may_run`` as a query: every meeting for the coordinator, who builds agendas; a chair's own series'."""
    meetings = Meeting.objects.filter(partnership=partnership)
    if not does_casework_in(user, partnership.pk):
        return meetings.none()
    if holds(user, Capability.TRIAGE, partnership.pk):
        return meetings
    return meetings.filter(Q(series__chair_id=user.pk))


def register() -> None:
    policy.register(Meeting, SEE, may=access.may_see, visible=access.visible_meetings)
    policy.register(Meeting, RUN, may=access.may_run, visible=meetings_run_by)
    policy.register(
        MeetingSeries,
        SEE,
        may=lambda user, series: access.visible_series(user, series.partnership).filter(pk=series.pk).exists(),
        visible=access.visible_series,
    )
