import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casebridge.accounts.models import User
from casebridge.audit.models import AuditEvent
from casebridge.meetings import services
from casebridge.meetings.models import Kind, MeetingSeries
from casebridge.meetings.tests.base import MeetingsTestCase
from casebridge.organisations.models import Organisation

LONDON = zoneinfo.ZoneInfo("Europe/London")


class SeriesServiceTests(MeetingsTestCase):
    def create_jag(
        self, *, actor: User, member_organisations: list[Organisation], attendees: list[User]
    ) -> MeetingSeries:
        return services.series_create(
            actor=actor,
            partnership=self.surrey_heath,
            kind=Kind.JAG,
            name="JAG",
            chair=self.coordinator,
            member_organisations=member_organisations,
            attendees=attendees,
            cadence="monthly",
        )

    def test_scheduling_sets_the_default_working_day_dates(self):
        """Referral deadline two working days before, papers one, skipping the Christmas holidays."""
        starts = datetime.datetime(2026, 12, 29, 10, tzinfo=LONDON)
        meeting = services.meeting_schedule(actor=self.coordinator, series=self.series, starts_at=starts)
        assert meeting.referral_deadline == datetime.date(2026, 12, 23)
        assert meeting.papers_date == datetime.date(2026, 12, 24)

    def test_a_practitioner_cannot_create_a_series(self):
        with pytest.raises(PermissionDenied):
            self.create_jag(actor=self.asb_officer, member_organisations=[self.council], attendees=[])

    def test_attendees_must_work_for_a_member_organisation(self):
        with self.assertRaisesMessage(ValidationError, "Priya Shah"):
            self.create_jag(
                actor=self.coordinator, member_organisations=[self.council], attendees=[self.police_officer]
            )

    def test_an_organisation_outside_the_partnership_cannot_be_a_member(self):
        with pytest.raises(ValidationError):
            self.create_jag(actor=self.coordinator, member_organisations=[self.other_council], attendees=[])

    def test_creating_a_series_is_audited(self):
        assert AuditEvent.objects.filter(object_type="meetingseries", action="created").exists()
