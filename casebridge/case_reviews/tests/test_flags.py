"""The triage queue shows when a referral is about a repeat victim or someone meeting the case review threshold."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casebridge.case_reviews.selectors import flags_for_people
from casebridge.case_reviews.tests.base import ReviewsTestCase
from casebridge.referrals import services as referral_services
from casebridge.referrals.models import Referral


class TriageFlagTests(ReviewsTestCase):
    def refer(self, first: str, last: str, born: datetime.date | None) -> Referral:
        return referral_services.referral_create(
            actor=self.police_officer,
            partnership=self.surrey_heath,
            subjects=[
                referral_services.SubjectData(first_name=first, last_name=last, date_of_birth=born, role="victim")
            ],
            purpose="victim_care",
            subject_kind="person",
            reason="Repeated abuse at her door.",
            consent="given",
        )

    def test_a_referral_about_a_victim_meeting_the_threshold_is_flagged_in_the_queue(self):
        for days in (60, 30, 5):
            self.incident(days)
        self.refer("Dana", "Whitlock", datetime.date(1980, 5, 17))
        self.sign_in(self.coordinator)
        page = self.client.get(reverse("referrals:queue"))
        self.assertContains(page, "Case review threshold met")
        self.assertContains(page, 'govuk-tag--orange">Repeat victim<', count=1)

    def test_a_different_date_of_birth_is_not_the_same_person(self):
        for days in (60, 30, 5):
            self.incident(days)
        self.refer("Dana", "Whitlock", datetime.date(1981, 5, 17))
        self.sign_in(self.coordinator)
        self.assertNotContains(self.client.get(reverse("referrals:queue")), "Case review threshold met")

    def test_the_flags_count_cases_the_coordinator_cannot_see_but_show_only_the_flag(self):
        assert (
            flags_for_people(partnership=self.surrey_heath, person_ids=[self.victim.pk])[self.victim.pk].meets_threshold
            is False
        )
        for days in (60, 30, 5):
            self.incident(days)
        assert flags_for_people(partnership=self.surrey_heath, person_ids=[self.victim.pk])[
            self.victim.pk
        ].meets_threshold

    def test_the_queue_has_a_fixed_number_of_queries(self):
        for days in (60, 30, 5):
            self.incident(days)
        self.refer("Dana", "Whitlock", datetime.date(1980, 5, 17))
        self.sign_in(self.coordinator)
        url = reverse("referrals:queue")
        self.client.get(url)
        with CaptureQueriesContext(connection) as first:
            self.client.get(url)
        for n in range(4):
            self.refer(f"Person{n}", "Smith", datetime.date(1990, 1, n + 1))
        self.get_in_queries(len(first.captured_queries), url)
