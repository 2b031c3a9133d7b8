import datetime
from typing import Any
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import audit_record
from casebridge.audit.tests.audit_data import AuditDataTestCase

URL = reverse("audit:event_list")


class EventListTests(AuditDataTestCase):
    def event_list_as(self, user: User, **filters: str) -> Any:
        self.sign_in(user)
        return self.client.get(URL, filters)

    def test_auditor_sees_every_event_of_the_partnership(self):
        response = self.event_list_as(self.auditor)
        self.assertContains(response, "alex.morgan@council.example")
        self.assertContains(response, "priya.shah@police.example")
        self.assertContains(response, "SH-2026-000002")
        self.assertContains(response, "OFFICIAL-SENSITIVE")

    def test_changes_are_shown_from_and_to(self):
        self.assertContains(self.event_list_as(self.auditor), "risk_level: medium → high")

    def test_flagged_events_carry_a_tag(self):
        self.assertContains(
            self.event_list_as(self.auditor), '<strong class="govuk-tag govuk-tag--red">Flagged</strong>', count=1
        )

    def test_manager_sees_only_their_organisations_staff(self):
        response = self.event_list_as(self.council_manager)
        self.assertContains(response, "alex.morgan@council.example")
        self.assertNotContains(response, "priya.shah@police.example")
        self.assertNotContains(response, "sam.taylor@charity.example")

    def test_other_partnership_sees_none_of_ours(self):
        response = self.event_list_as(self.runnymede_auditor)
        self.assertContains(response, "RU-2026-000009")
        for email in self.SURREY_HEATH_ONLY:
            self.assertNotContains(response, email)
        self.assertNotContains(response, "SH-2026-")

    def test_practitioner_gets_403(self):
        for user in (self.asb_officer, self.police_officer, self.support_worker, self.analyst, self.administrator):
            with self.subTest(user=user.email):
                response = self.event_list_as(user)
                self.assertContains(response, "You cannot see this page", status_code=403)

    def test_anonymous_is_sent_to_sign_in(self):
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))

    def test_audit_is_offered_to_auditors_and_managers_only(self):
        # Auditors find it in the main navigation; organisation managers on their Manage page.
        pages = (
            (self.auditor, "home", True),
            (self.council_manager, "manage", True),
            (self.asb_officer, "home", False),
        )
        for user, page, shown in pages:
            with self.subTest(user=user.email):
                self.sign_in(user)
                response = self.client.get(reverse(page))
                assert (f'href="{URL}"' in response.content.decode()) is shown

    def test_filter_by_email(self):
        response = self.event_list_as(self.auditor, email="priya.shah")
        self.assertContains(response, "priya.shah@police.example")
        self.assertNotContains(response, "alex.morgan@council.example")

    def test_filter_by_action(self):
        response = self.event_list_as(self.auditor, action=Action.BREAK_GLASS)
        self.assertContains(response, "sam.taylor@charity.example")
        self.assertNotContains(response, "priya.shah@police.example")

    def test_filter_by_date_range_uses_uk_days(self):
        # 23:30 UTC on 1 July is 00:30 on 2 July in the UK (BST).
        late = datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC)
        with mock.patch.object(timezone, "now", return_value=late):
            audit_record(
                actor=self.colleague, action=Action.VIEWED, partnership_id=self.surrey_heath.pk, object_label="late"
            )
        self.sign_in(self.auditor)
        on_second = self.client.get(URL, {"date_from": "2026-07-02", "date_to": "2026-07-02"})
        self.assertContains(on_second, "colin.baker@council.example")
        self.assertNotContains(on_second, "alex.morgan@council.example")
        on_first = self.client.get(URL, {"date_from": "2026-07-01", "date_to": "2026-07-01"})
        self.assertNotContains(on_first, "colin.baker@council.example")

    def test_end_before_start_is_a_clear_error(self):
        response = self.event_list_as(self.auditor, date_from="2026-07-02", date_to="2026-07-01")
        self.assertContains(response, "The end date must be the same as or after the start date.", status_code=400)
        self.assertContains(response, "govuk-error-summary", status_code=400)

    def test_impossible_date_is_a_clear_error(self):
        response = self.event_list_as(self.auditor, date_from="2026-02-30")
        self.assertContains(response, "Enter the start date as a real date", status_code=400)

    def test_export_link_keeps_the_filters(self):
        response = self.event_list_as(self.auditor, email="priya", action=Action.CHANGED)
        self.assertContains(response, f"{reverse('audit:event_export')}?email=priya&amp;action=changed")

    def test_pages_hold_fifty_events_and_link_on(self):
        for n in range(60):
            audit_record(actor=self.colleague, action=Action.VIEWED, partnership_id=self.surrey_heath.pk, data={"n": n})
        self.sign_in(self.auditor)
        first = self.client.get(URL, {"action": Action.VIEWED})
        assert len(first.context["page"].object_list) == 50
        self.assertContains(first, "?action=viewed&amp;page=2")
        second = self.client.get(URL, {"action": Action.VIEWED, "page": "2"})
        assert len(second.context["page"].object_list) == 11

    def test_query_count_does_not_grow_with_events(self):
        self.sign_in(self.auditor)
        self.client.get(URL)  # warm the session
        # session, user, memberships, count, page of events, header organisation, session save (3)
        self.get_in_queries(11, URL)
        for n in range(80):
            actor = (self.asb_officer, self.police_officer, self.support_worker)[n % 3]
            audit_record(actor=actor, action=Action.VIEWED, partnership_id=self.surrey_heath.pk, data={"n": n})
        response = self.get_in_queries(11, URL)
        assert len(response.context["page"].object_list) == 50
