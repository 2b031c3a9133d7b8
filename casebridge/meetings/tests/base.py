"""A CHaRMM for Surrey Heath on top of the cases fixtures.

Members: the council (lead of both cases), the police and the charity. Carla the coordinator
runs it and Mona chairs it; Alex (council), Priya (police) and Sam (charity) attend.
``case`` (high risk) is on the agenda (the coordinator works for its lead, so proposing agreed it);
``private_case`` is not.
"""

import datetime
from typing import Any

from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.cases.models import Case
from casebridge.cases.tests.base import CasesTestCase
from casebridge.meetings import services
from casebridge.meetings.models import AgendaItem, Kind, Meeting, MeetingSeries, Minute, Source
from casebridge.sharing import services as sharing_services
from tests.personas import fixture_method


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
        cls.item = cls.add_to_agenda(cls.case, reason="Escalating harassment.")
        if cls.POLICE_SHARE:
            sharing_services.share_grant(
                actor=cls.asb_officer,
                case=cls.case,
                organisation=cls.police,
                level=cls.POLICE_SHARE,
                reason="The police work this case with the council.",
            )

    @fixture_method
    def add_to_agenda(
        self, case: Case, *, actor: User | None = None, source: str = Source.COORDINATOR, reason: str = "x"
    ) -> AgendaItem:
        """Proposes ``case`` for the meeting's agenda, as Carla the coordinator unless told.

        The proposal is agreed at once when the proposer may manage the case (Carla works for the
        council, the lead of both cases).
        """
        return services.agenda_item_propose(
            actor=actor or self.coordinator, meeting=self.meeting, case=case, source=source, reason=reason
        )

    @fixture_method
    def minute(
        self,
        item: AgendaItem | None = None,
        *,
        actor: User | None = None,
        update: str = "",
        decision: str = "",
        **fields: Any,
    ) -> Minute:
        """Records Carla's minute of ``item`` (the shared case's item unless told)."""
        return services.minute_record(
            actor=actor or self.coordinator, item=item or self.item, update=update, decision=decision, **fields
        )
