import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from casebridge.cases.policy import Act, can
from casebridge.cases.tests.base import PRIVATE_SUBJECT
from casebridge.meetings import services
from casebridge.meetings.models import AgendaItem, Attendance, Meeting, MeetingSeries, Minute
from casebridge.meetings.tests.base import MeetingsTestCase


class SeriesAndScheduleViewTests(MeetingsTestCase):
    def post_series(self, *, member_organisations: list[int], attendees: list[int]) -> Any:
        """Posts the new-series form for a monthly Camberley JAG chaired by the coordinator."""
        return self.client.post(
            reverse("meetings:series_create"),
            {
                "kind": "jag",
                "name": "Camberley JAG",
                "chair": self.coordinator.pk,
                "member_organisations": member_organisations,
                "attendees": attendees,
                "cadence": "monthly",
                "referral_deadline_days": 2,
                "papers_days": 1,
            },
        )

    def test_a_coordinator_sets_up_a_series_with_default_dates(self):
        self.sign_in(self.coordinator)
        response = self.post_series(
            member_organisations=[self.council.pk, self.police.pk], attendees=[self.police_officer.pk]
        )
        series = MeetingSeries.objects.get(name="Camberley JAG")
        assert response["Location"] == reverse("meetings:series", args=[series.public_id])
        assert list(series.attendees.all()) == [self.police_officer]

    def test_an_attendee_outside_the_members_is_refused_with_a_clear_error(self):
        self.sign_in(self.coordinator)
        response = self.post_series(member_organisations=[self.council.pk], attendees=[self.support_worker.pk])
        assert b"Attendees must work for a member organisation" in response.content

    def test_scheduling_a_meeting_in_the_past_is_refused(self):
        self.sign_in(self.coordinator)
        response = self.client.post(
            reverse("meetings:schedule", args=[self.series.public_id]), {"day": "2020-01-06", "time": "10:00"}
        )
        assert b"The meeting must be in the future." in response.content

    def test_scheduling_shows_the_working_day_dates(self):
        self.sign_in(self.coordinator)
        response = self.client.post(
            reverse("meetings:schedule", args=[self.series.public_id]), {"day": "2026-12-29", "time": "10:00"}
        )
        meeting = Meeting.objects.get(starts_at__date=datetime.date(2026, 12, 29))
        assert response.status_code == 302
        body = self.client.get(reverse("meetings:detail", args=[meeting.public_id])).content
        assert b"Thursday 24 December 2026" in body
        assert b"Wednesday 23 December 2026" in body


class AgendaViewTests(MeetingsTestCase):
    def test_the_coordinator_proposes_their_organisations_case_by_reference_and_it_is_agreed(self):
        self.sign_in(self.coordinator)
        response = self.client.post(
            reverse("meetings:agenda_add", args=[self.meeting.public_id]),
            {"reference": self.private_case.reference.lower(), "reason": "Escalating."},
        )
        assert response.status_code == 302
        assert self.meeting.items.get(case=self.private_case).is_on
        assert not can(self.police_officer, Act.VIEW, self.private_case)

    def test_an_unknown_reference_gets_a_specific_error(self):
        self.sign_in(self.coordinator)
        response = self.client.post(
            reverse("meetings:agenda_add", args=[self.meeting.public_id]),
            {"reference": "SH-2026-999999", "reason": "x"},
        )
        assert b"There is no case with that reference that you may see." in response.content

    def test_the_coordinator_removes_a_case_with_a_reason(self):
        self.sign_in(self.coordinator)
        response = self.client.post(reverse("meetings:item_remove", args=[self.item.public_id]), {"reason": "Closed."})
        assert response.status_code == 302
        self.add_to_agenda(self.private_case)
        services.agenda_publish(actor=self.coordinator, meeting=self.meeting)
        self.client = self.client_class()  # a different browser: no flash message from the coordinator
        self.sign_in(self.police_officer)
        body = self.client.get(reverse("meetings:detail", args=[self.meeting.public_id])).content
        assert self.case.reference.encode() not in body

    def test_build_and_publish_from_the_page(self):
        AgendaItem.objects.filter(pk=self.item.pk).delete()
        self.sign_in(self.coordinator)
        self.client.post(reverse("meetings:agenda_build", args=[self.meeting.public_id]))
        assert self.meeting.items.filter(case=self.case, source="high_risk").exists()
        self.client.post(reverse("meetings:agenda_publish", args=[self.meeting.public_id]))
        self.meeting.refresh_from_db()
        assert self.meeting.agenda_published_at is not None

    def test_attendees_see_the_published_agenda_and_no_case_that_is_not_on_it(self):
        services.agenda_publish(actor=self.coordinator, meeting=self.meeting)
        self.sign_in(self.police_officer)
        body = self.client.get(reverse("meetings:detail", args=[self.meeting.public_id])).content.decode()
        assert self.case.reference in body
        assert self.private_case.reference not in body
        assert PRIVATE_SUBJECT not in body

    def test_the_agenda_page_runs_in_constant_queries(self):
        services.agenda_publish(actor=self.coordinator, meeting=self.meeting)
        self.sign_in(self.police_officer)
        url = reverse("meetings:detail", args=[self.meeting.public_id])
        self.client.get(url)
        self.get_in_queries(19, url)
        self.add_to_agenda(self.private_case)
        response = self.get_in_queries(19, url)
        assert self.private_case.reference.encode() in response.content

    def test_the_lead_organisation_objects_through_the_page(self):
        self.sign_in(self.asb_officer)
        response = self.client.post(
            reverse("meetings:item_lead", args=[self.item.public_id]),
            {"timeline_restricted": "on", "objection": "Live operation."},
        )
        assert response.status_code == 302
        self.item.refresh_from_db()
        assert self.item.timeline_restricted
        assert self.item.objection == "Live operation."


class AtTheMeetingViewTests(MeetingsTestCase):
    def remove_with_reason(self, reason: str) -> Any:
        """Posts minutes for the item that lower the risk and take the case off the list."""
        return self.client.post(
            reverse("meetings:item_minutes", args=[self.item.public_id]),
            {
                "update": "Calmer.",
                "decision": "Close.",
                "risk_to": "standard",
                "outcome": "remove",
                "outcome_reason": reason,
            },
        )

    def test_the_chair_records_minutes_and_removes_a_case_with_a_reason(self):
        self.sign_in(self.council_manager)
        response = self.remove_with_reason("")
        assert b"Enter the reason for keeping or removing the case." in response.content
        response = self.remove_with_reason("Resolved.")
        assert response.status_code == 302
        assert Minute.objects.get(item=self.item).decision == "Close."
        self.item.refresh_from_db()
        assert self.item.removed_reason == "Resolved."

    def test_attendance_and_acknowledgement(self):
        self.sign_in(self.coordinator)
        self.client.post(
            reverse("meetings:attendance", args=[self.meeting.public_id]), {"present": [self.police_officer.pk]}
        )
        assert Attendance.objects.get(meeting=self.meeting, user=self.police_officer).present
        self.sign_in(self.police_officer)
        self.client.post(reverse("meetings:acknowledge", args=[self.meeting.public_id]))
        assert Attendance.objects.get(meeting=self.meeting, user=self.police_officer).acknowledged_at is not None

    def test_publishing_minutes_from_the_page_puts_them_on_the_timeline(self):
        self.sign_in(self.coordinator)
        self.client.post(
            reverse("meetings:item_minutes", args=[self.item.public_id]), {"update": "Two visits.", "decision": ""}
        )
        self.client.post(reverse("meetings:minutes_publish", args=[self.meeting.public_id]))
        self.sign_in(self.support_worker)
        body = self.client.get(reverse("cases:timeline", args=[self.case.reference])).content
        assert b"Two visits." in body

    def test_a_meeting_with_no_upcoming_date_is_listed_as_past(self):
        Meeting.objects.filter(pk=self.meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(days=3))
        self.sign_in(self.police_officer)
        body = self.client.get(reverse("meetings:list")).content
        assert b"No meetings are coming up." in body
