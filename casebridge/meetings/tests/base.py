"""A CHaRMM for Surrey Heath on top of the cases fixtures.

Members: the council (lead of both cases), the police and the charity. Carla the coordinator
runs it and Mona chairs it; Alex (council), Priya (police) and Sam (charity) attend.
``case`` (high risk) is on the agenda; ``private_case`` is not.
"""

import datetime

from django.utils import timezone

from casebridge.cases.tests.base import CasesTestCase
from casebridge.meetings import services
from casebridge.meetings.models import AgendaItem, Kind, Meeting, MeetingSeries, Source


class MeetingsTestCase(CasesTestCase):
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
        cls.item = services.agenda_item_add(
            actor=cls.coordinator,
            meeting=cls.meeting,
            case=cls.case,
            source=Source.COORDINATOR,
            reason="Escalating harassment.",
        )
