import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from casebridge.case_reviews.models import ReviewRules
from casebridge.case_reviews.selectors import victims_needing_attention
from casebridge.cases import services as case_services
from casebridge.cases.tests.base import CasesTestCase


class AlertsTests(CasesTestCase):
    """Dana Whitlock is the victim on the council's shared case."""

    def incident(self, days_ago: int, reported_after: int = 0, *, is_hate: bool = False, case: Any = None) -> None:
        occurred = timezone.now() - datetime.timedelta(days=days_ago)
        reported_on = timezone.localdate(occurred) + datetime.timedelta(days=reported_after)
        self.record_incident(occurred_at=occurred, reported_on=reported_on, case=case, is_hate=is_hate)

    def flags(self, user: Any = None) -> list[tuple[Any, bool, bool]]:
        standings = victims_needing_attention(user=user or self.coordinator, partnership=self.surrey_heath)
        return [(s.person, s.repeat_victim, s.meets_threshold) for s in standings]

    def test_three_timely_complaints_in_six_months_meet_the_threshold(self):
        for days in (100, 50, 10):
            self.incident(days)
        assert self.flags() == [(self.victim, False, True)]

    def test_three_incidents_in_three_months_make_a_repeat_victim(self):
        for days in (60, 30, 5):
            self.incident(days)
        assert self.flags() == [(self.victim, True, True)]

    def test_a_complaint_reported_more_than_a_month_late_does_not_qualify(self):
        self.incident(60)
        self.incident(30)
        self.incident(50, reported_after=40)
        assert self.flags() == [(self.victim, True, False)]

    def test_incidents_on_another_case_about_the_same_victim_count_together(self):
        other = self.new_case()
        case_services.case_party_add(actor=self.asb_officer, case=other, person=self.victim, role="victim")
        self.incident(40)
        self.incident(20, case=other)
        self.incident(10, case=other)
        assert self.flags()[0][2] is True

    def test_one_hate_incident_qualifies_where_the_partnership_says_so(self):
        self.incident(10, is_hate=True)
        assert self.flags() == []
        ReviewRules.objects.create(partnership=self.surrey_heath, single_hate_incident_qualifies=True)
        assert self.flags() == [(self.victim, False, True)]

    def test_nobody_outside_the_case_sees_the_victim(self):
        for days in (60, 30, 5):
            self.incident(days)
        assert self.flags(self.police_officer) == []

    def test_the_alerts_page_has_a_fixed_number_of_queries(self):
        for days in (60, 30, 5):
            self.incident(days)
        self.sign_in(self.coordinator)
        self.client.get(reverse("case_reviews:alerts"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as first:
            response = self.client.get(reverse("case_reviews:alerts"))
        self.assertContains(response, "Case review threshold met")
        self.assertContains(response, "Dana Whitlock")
        for name in ("Ann", "Bea", "Cy"):
            case = self.new_case(risk_level="high")

            self.new_person(name, "Victim", case=case)
            for days in (60, 30, 5):
                self.incident(days, case=case)
        self.get_in_queries(len(first.captured_queries), reverse("case_reviews:alerts"))

    def test_only_the_triage_team_has_the_alerts_page(self):
        for persona, status in [
            ("coordinator", 200),
            ("administrator", 404),
            ("asb_officer", 404),
            ("police_officer", 404),
            ("support_worker", 404),
            ("analyst", 404),
            ("auditor", 404),
            ("other_partnership_user", 404),
        ]:
            self.sign_in(getattr(self, persona))
            with self.subTest(persona=persona):
                assert self.client.get(reverse("case_reviews:alerts")).status_code == status
