import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casebridge.audit.models import AuditEvent
from casebridge.meetings import services
from casebridge.meetings.models import Kind
from casebridge.meetings.tests.base import MeetingsTestCase

LONDON = zoneinfo.ZoneInfo("Europe/London")


class SeriesServiceTests(MeetingsTestCase):
    def test_scheduling_sets_the_default_working_day_dates(self):
        """Referral deadline two working days before, papers one, skipping the Christmas holidays."""
        starts = datetime.datetime(2026, 12, 29, 10, tzinfo=LONDON)
        meeting = services.meeting_schedule(actor=self.coordinator, series=self.series, starts_at=starts)
        assert meeting.referral_deadline == datetime.date(2026, 12, 23)
        assert meeting.papers_date == datetime.date(2026, 12, 24)

    def test_a_practitioner_cannot_create_a_series(self):
        with pytest.raises(PermissionDenied):
            services.series_create(
                actor=self.asb_officer,
                partnership=self.surrey_heath,
                kind=Kind.JAG,
                name="JAG",
                chair=self.coordinator,
                member_organisations=[self.council],
                attendees=[],
                cadence="monthly",
            )

    def test_attendees_must_work_for_a_member_organisation(self):
        with self.assertRaisesMessage(ValidationError, "Priya Shah"):
            services.series_create(
                actor=self.coordinator,
                partnership=self.surrey_heath,
                kind=Kind.JAG,
                name="JAG",
                chair=self.coordinator,
                member_organisations=[self.council],
                attendees=[self.police_officer],
                cadence="monthly",
            )

    def test_an_organisation_outside_the_partnership_cannot_be_a_member(self):
        with pytest.raises(ValidationError):
            services.series_create(
                actor=self.coordinator,
                partnership=self.surrey_heath,
                kind=Kind.JAG,
                name="JAG",
                chair=self.coordinator,
                member_organisations=[self.other_council],
                attendees=[],
                cadence="monthly",
            )

    def test_creating_a_series_is_audited(self):
        assert AuditEvent.objects.filter(object_type="meetingseries", action="created").exists()
