import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casebridge.actions import services as task_services
from casebridge.audit.models import AuditEvent
from casebridge.cases.models import Share
from casebridge.cases.policy import Act, can
from casebridge.meetings import services
from casebridge.meetings.models import AgendaShare, Source
from casebridge.meetings.selectors import agenda_candidates
from casebridge.meetings.tests.base import MeetingsTestCase
from casebridge.notifications.models import Notification


class AgendaSharingTests(MeetingsTestCase):
    def test_adding_a_case_shares_it_with_member_organisations(self):
        """Priya (police, a member) can see the case only because it is on the agenda."""
        assert can(self.police_officer, Act.VIEW, self.case)
        share = Share.objects.get(case=self.case, organisation=self.police, revoked_at__isnull=True)
        assert "Surrey Heath CHaRMM" in share.reason
        assert AgendaShare.objects.get(share=share).item == self.item

    def test_the_lead_organisation_gets_no_share_of_its_own_case(self):
        assert not Share.objects.filter(case=self.case, organisation=self.council).exists()

    def test_removing_the_case_ends_the_meeting_share(self):
        services.agenda_item_remove(actor=self.coordinator, item=self.item, reason="Risk reduced.")
        assert not can(self.police_officer, Act.VIEW, self.case)
        assert AuditEvent.objects.filter(action="share_revoked", data__with="Surrey Police").exists()

    def test_removing_leaves_shares_made_for_other_reasons(self):
        """Sam's charity had its own share before the meeting: it survives the removal."""
        services.agenda_item_remove(actor=self.coordinator, item=self.item, reason="Risk reduced.")
        assert can(self.support_worker, Act.VIEW, self.case)

    def test_removal_needs_a_reason(self):
        with self.assertRaisesMessage(ValidationError, "reason for removing"):
            services.agenda_item_remove(actor=self.coordinator, item=self.item, reason=" ")

    def test_a_practitioner_cannot_add_to_the_agenda(self):
        with pytest.raises(PermissionDenied):
            self.add_to_agenda(self.private_case, actor=self.asb_officer)

    def test_the_same_case_cannot_be_on_an_agenda_twice(self):
        with self.assertRaisesMessage(ValidationError, "already on this agenda"):
            self.add_to_agenda(self.case)

    def test_a_removed_case_can_be_added_again(self):
        services.agenda_item_remove(actor=self.coordinator, item=self.item, reason="Mistake.")
        self.add_to_agenda(self.case, reason="Back.")
        assert can(self.police_officer, Act.VIEW, self.case)

    def test_agenda_shares_do_not_notify_separately(self):
        """The papers-published notification tells the attendees; the agenda's shares add no "shared with you"."""
        with self.captureOnCommitCallbacks(execute=True):
            self.add_to_agenda(self.private_case, reason="On the police's list.")
        assert Share.objects.filter(case=self.private_case, organisation=self.police).exists()
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
        services.agenda_item_remove(actor=self.coordinator, item=self.item, reason="Rebuild.")
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

    def test_the_chair_may_publish(self):
        services.agenda_publish(actor=self.council_manager, meeting=self.meeting)
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
