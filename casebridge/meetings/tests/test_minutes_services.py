import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casebridge.cases.models import Note, Restriction
from casebridge.cases.policy import Act, can
from casebridge.meetings import services
from casebridge.meetings.models import Attendance, Outcome
from casebridge.meetings.tests.base import MeetingsTestCase


class MinutesTests(MeetingsTestCase):
    def test_published_minutes_go_onto_the_case_timeline(self):
        self.minute(update="Two more reports.", decision="Issue CPW.")
        services.minutes_publish(actor=self.coordinator, meeting=self.meeting)
        note = Note.objects.get(case=self.case, text__startswith="Minutes of")
        assert "Issue CPW." in note.text
        assert note.restriction == Restriction.NONE

    def test_restricted_items_are_lead_organisation_only_on_the_timeline(self):
        services.agenda_item_restrict(actor=self.asb_officer, item=self.item, restricted=True)
        self.item.refresh_from_db()
        self.minute(update="Sensitive.")
        services.minutes_publish(actor=self.coordinator, meeting=self.meeting)
        note = Note.objects.get(case=self.case, text__startswith="Minutes of")
        assert note.restriction == Restriction.LEAD_ORGANISATION
        assert not can(self.police_officer, Act.VIEW, note)

    def test_a_risk_change_is_applied_when_minutes_are_published(self):
        self.minute(risk_to="medium")
        self.case.refresh_from_db()
        assert self.case.risk_level == "high"
        services.minutes_publish(actor=self.coordinator, meeting=self.meeting)
        self.case.refresh_from_db()
        assert self.case.risk_level == "medium"

    def test_removing_in_the_minutes_takes_the_case_off_and_ends_the_share(self):
        self.minute(outcome=Outcome.REMOVE, outcome_reason="Moved away.")
        self.item.refresh_from_db()
        assert self.item.removed_reason == "Moved away."
        assert not can(self.police_officer, Act.VIEW, self.case)

    def test_keep_or_remove_needs_a_reason(self):
        with self.assertRaisesMessage(ValidationError, "reason for keeping or removing"):
            self.minute(outcome=Outcome.KEEP)

    def test_minutes_cannot_change_after_publication(self):
        services.minutes_publish(actor=self.coordinator, meeting=self.meeting)
        with pytest.raises(ValidationError):
            self.minute(update="Late.")

    def test_an_attendee_cannot_record_minutes(self):
        with pytest.raises(PermissionDenied):
            self.minute(actor=self.police_officer, update="x")


class AttendanceTests(MeetingsTestCase):
    def test_attendance_marks_the_present_and_the_absent(self):
        services.attendance_record(actor=self.coordinator, meeting=self.meeting, present=[self.police_officer])
        rows = dict(Attendance.objects.filter(meeting=self.meeting).values_list("user_id", "present"))
        assert rows[self.police_officer.pk]
        assert not rows[self.support_worker.pk]

    def test_each_attendee_acknowledges_confidentiality_for_themselves(self):
        row = services.confidentiality_acknowledge(actor=self.support_worker, meeting=self.meeting)
        assert row.acknowledged_at is not None

    def test_someone_not_invited_cannot_acknowledge(self):
        with pytest.raises(PermissionDenied):
            services.confidentiality_acknowledge(actor=self.colleague, meeting=self.meeting)
