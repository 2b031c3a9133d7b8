"""Accepted referrals build the agenda of the meeting they were made for."""

import datetime

from django.utils import timezone

from casebridge.cases.models import Case
from casebridge.meetings import services
from casebridge.meetings.models import Meeting, Source
from casebridge.meetings.selectors import agenda_candidates
from casebridge.meetings.tests.base import MeetingsTestCase
from casebridge.referrals import services as referral_services
from casebridge.referrals.models import Referral
from casebridge.referrals.tests.base import ReferralsTestCase


class AcceptedReferralTests(MeetingsTestCase, ReferralsTestCase):
    def accept(self) -> None:
        referral_services.referral_accept(
            actor=self.coordinator, referral=self.referral, version=self.referral.version, case=self.private_case
        )

    def proposed(self, meeting: Meeting | None = None) -> list[tuple[Case, str]]:
        return [(c.case, c.source) for c in agenda_candidates(meeting=meeting or self.meeting)]

    def test_a_referral_accepted_by_the_deadline_is_proposed_first(self):
        assert self.referral.purpose == self.series.kind
        self.accept()
        assert self.proposed()[0] == (self.private_case, Source.REFERRAL)

    def test_building_the_agenda_adds_it(self):
        self.accept()
        added = services.agenda_build(actor=self.coordinator, meeting=self.meeting)
        assert (self.private_case, Source.REFERRAL) in [(item.case, item.source) for item in added]

    def test_a_referral_accepted_after_the_deadline_waits_for_the_next_meeting(self):
        self.accept()
        deadline = datetime.datetime.combine(self.meeting.referral_deadline, datetime.time(12))
        Referral.objects.filter(pk=self.referral.pk).update(
            decided_at=timezone.make_aware(deadline) + datetime.timedelta(days=1)
        )
        assert (self.private_case, Source.REFERRAL) not in self.proposed()
        later = services.meeting_schedule(
            actor=self.coordinator, series=self.series, starts_at=self.meeting.starts_at + datetime.timedelta(days=28)
        )
        assert (self.private_case, Source.REFERRAL) in self.proposed(later)

    def test_once_a_meeting_has_discussed_it_the_next_one_does_not_propose_it_again(self):
        self.accept()
        self.add_to_agenda(self.private_case, source=Source.REFERRAL)
        later = services.meeting_schedule(
            actor=self.coordinator, series=self.series, starts_at=self.meeting.starts_at + datetime.timedelta(days=28)
        )
        assert (self.private_case, Source.REFERRAL) not in self.proposed(later)

    def test_a_referral_for_another_kind_of_meeting_is_not_proposed(self):
        Referral.objects.filter(pk=self.referral.pk).update(purpose="jag")
        self.referral.refresh_from_db()
        self.accept()
        assert (self.private_case, Source.REFERRAL) not in self.proposed()
