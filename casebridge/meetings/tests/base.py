"""A CHaRMM for Surrey Heath on top of the cases fixtures.

Members: the council (lead of both cases), the police and the charity. Carla the coordinator
runs it and Mona chairs it; Alex (council), Priya (police) and Sam (charity) attend.
``case`` (high risk) is on the agenda (the coordinator works for its lead, so proposing agreed it);
``private_case`` is not.
"""

import datetime

from django.utils import timezone

from casebridge.cases.tests.base import CasesTestCase
from casebridge.meetings import services
from casebridge.meetings.models import AgendaItem, Kind, Meeting, MeetingSeries, Source
from casebridge.sharing import services as sharing_services


class MeetingsTestCase(CasesTestCase):
    # The agenda shares nothing: tests where the police work ``case`` say so, and it is shared with them.
    POLICE_SHARE: str | None = None

    series: MeetingSeries
    meeting: Meeting
    item: AgendaItem

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.series = services.series_create(
            actor=cls.coordinator,
            partnership=cls.surrey_heath,
            kind=Kind.CHARMM,
            name="Surrey Heath CHaRMM",
            chair=cls.council_manager,
            member_organisations=[cls.council, cls.police, cls.charity],
            attendees=[cls.asb_officer, cls.police_officer, cls.support_worker],
            cadence="monthly",
        )
        starts = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) + datetime.timedelta(days=14)
        cls.meeting = services.meeting_schedule(actor=cls.coordinator, series=cls.series, starts_at=starts)
        cls.item = services.agenda_item_propose(
            actor=cls.coordinator,
            meeting=cls.meeting,
            case=cls.case,
            source=Source.COORDINATOR,
            reason="Escalating harassment.",
        )
        if cls.POLICE_SHARE:
            sharing_services.share_grant(
                actor=cls.asb_officer,
                case=cls.case,
                organisation=cls.police,
                level=cls.POLICE_SHARE,
                reason="The police work this case with the council.",
            )
