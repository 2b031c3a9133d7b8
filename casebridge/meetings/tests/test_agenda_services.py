import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casebridge.actions import services as task_services
from casebridge.audit.models import AuditEvent
from casebridge.cases.models import Share
from casebridge.cases.policy import Act, can
from casebridge.meetings import services
from casebridge.meetings.models import AgendaItem, ItemState, Source
from casebridge.meetings.selectors import agenda_candidates
from casebridge.meetings.tests.base import MeetingsTestCase
from casebridge.notifications.models import Notification


class AgendaSharesNothingTests(MeetingsTestCase):
    def test_an_agreed_item_shares_the_case_with_no_one(self):
        """Priya (police, a member and an attendee) still cannot see the case: an agenda is no share."""
        assert self.item.state == ItemState.AGREED
        assert not can(self.police_officer, Act.VIEW, self.case)
        assert not Share.objects.filter(case=self.case, organisation=self.police).exists()

    def test_removal_needs_a_reason(self):
        with self.assertRaisesMessage(ValidationError, "reason for removing"):
            services.agenda_item_remove(actor=self.coordinator, item=self.item, reason=" ")

    def test_a_practitioner_cannot_propose_a_case_they_cannot_see(self):
        with pytest.raises(PermissionDenied):
            self.add_to_agenda(self.private_case, actor=self.police_officer)

    def test_a_lead_practitioner_proposing_their_own_case_agrees_it(self):
        item = self.add_to_agenda(self.private_case, actor=self.asb_officer)
        assert (item.state, item.decided_by) == (ItemState.AGREED, self.asb_officer)

    def test_the_same_case_cannot_be_proposed_twice(self):
        with self.assertRaisesMessage(ValidationError, "already proposed for this agenda"):
            self.add_to_agenda(self.case)

    def test_a_removed_case_can_be_proposed_again(self):
        services.agenda_item_remove(actor=self.coordinator, item=self.item, reason="Mistake.")
        again = self.add_to_agenda(self.case, reason="Back.")
        assert again.is_on

    def test_every_proposal_tells_the_lead_and_shares_nothing(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.add_to_agenda(self.private_case, reason="On the police's list.")
        assert Notification.objects.filter(user=self.council_manager, kind="agenda_proposal").exists()
        assert not Share.objects.filter(case=self.private_case, organisation=self.police).exists()
        assert not Notification.objects.filter(kind="share").exists()


class AgendaBuildTests(MeetingsTestCase):
    def test_overdue_actions_put_a_case_on_the_next_agenda(self):
        task_services.task_create(
            actor=self.asb_officer,
            case=self.private_case,
            title="Visit the neighbour",
            due_on=timezone.localdate() - datetime.timedelta(days=1),
            assigned_organisation=self.council,
        )
        candidates = {c.case.pk: c.source for c in agenda_candidates(meeting=self.meeting)}
        assert candidates == {self.private_case.pk: Source.OVERDUE_ACTIONS}
        services.agenda_build(actor=self.coordinator, meeting=self.meeting)
        assert self.meeting.items.filter(case=self.private_case, source=Source.OVERDUE_ACTIONS).exists()

    def test_actions_due_after_the_meeting_do_not(self):
        task_services.task_create(
            actor=self.asb_officer,
            case=self.private_case,
            title="Visit the neighbour",
            due_on=timezone.localdate() + datetime.timedelta(days=30),
            assigned_organisation=self.council,
        )
        assert agenda_candidates(meeting=self.meeting) == []

    def test_a_review_date_set_in_published_minutes_brings_the_case_back(self):
        from casebridge.meetings.models import Outcome

        self.minute(
            outcome=Outcome.REMOVE,
            outcome_reason="Review in a month.",
            next_review_on=timezone.localdate() + datetime.timedelta(days=30),
        )
        services.minutes_publish(actor=self.coordinator, meeting=self.meeting)
        self.case.risk_level = "medium"
        self.case.save(update_fields=["risk_level"])
        later = services.meeting_schedule(
            actor=self.coordinator, series=self.series, starts_at=timezone.now() + datetime.timedelta(days=40)
        )
        sooner = services.meeting_schedule(
            actor=self.coordinator, series=self.series, starts_at=timezone.now() + datetime.timedelta(days=20)
        )
        assert [(c.case, c.source) for c in agenda_candidates(meeting=later)] == [(self.case, Source.REVIEW_DUE)]
        assert agenda_candidates(meeting=sooner) == []

    def test_high_risk_cases_are_proposed(self):
        AgendaItem.objects.filter(pk=self.item.pk).delete()
        candidates = agenda_candidates(meeting=self.meeting)
        assert [(c.case, c.source) for c in candidates] == [(self.case, Source.HIGH_RISK)]

    def test_registered_sources_come_first(self):
        from casebridge.meetings import selectors

        def referrals(meeting):
            yield selectors.Candidate(self.private_case, Source.REFERRAL, "Accepted referral")

        selectors.register_agenda_source(referrals)
        self.addCleanup(selectors.AGENDA_SOURCES.remove, referrals)
        assert [c.source for c in agenda_candidates(meeting=self.meeting)] == [Source.REFERRAL]


class AgendaOrderAndPublishTests(MeetingsTestCase):
    def test_moving_an_item_up_swaps_it_with_the_one_above(self):
        second = self.add_to_agenda(self.private_case)
        services.agenda_item_move(actor=self.coordinator, item=second, up=True)
        assert [i.case for i in self.meeting.items.order_by("position")] == [self.private_case, self.case]

    def test_publishing_an_empty_agenda_is_refused(self):
        services.agenda_item_remove(actor=self.coordinator, item=self.item, reason="x")
        with self.assertRaisesMessage(ValidationError, "at least one case"):
            services.agenda_publish(actor=self.coordinator, meeting=self.meeting)

    def test_the_coordinator_publishes_and_the_chair_may_not(self):
        with pytest.raises(PermissionDenied):
            services.agenda_publish(actor=self.council_manager, meeting=self.meeting)
        services.agenda_publish(actor=self.coordinator, meeting=self.meeting)
        assert self.meeting.agenda_published_at is not None


class LeadOrganisationTests(MeetingsTestCase):
    def test_the_lead_organisation_can_object_and_it_is_flagged(self):
        services.agenda_item_object(actor=self.asb_officer, item=self.item, objection="Live police operation.")
        self.item.refresh_from_db()
        assert self.item.objection == "Live police operation."
        assert AuditEvent.objects.filter(object_type="agendaitem", flagged=True).exists()

    def test_another_organisation_cannot_object_or_restrict(self):
        with pytest.raises(PermissionDenied):
            services.agenda_item_object(actor=self.police_officer, item=self.item, objection="No.")
        with pytest.raises(PermissionDenied):
            services.agenda_item_restrict(actor=self.police_officer, item=self.item, restricted=True)
