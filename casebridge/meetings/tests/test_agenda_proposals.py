"""Meetings never hand out cases: each test is named after a behaviour the access model forbids.

On top of the CHaRMM fixtures: a police-led high-risk case (Priya is its lead officer) that the
council cannot see unless a test shares it. Attendees: Alex (council), Priya (police), Sam
(charity); Mona (council manager) chairs; Max (police manager) works for a member organisation
but is no named attendee.
"""

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.actions.models import Task
from casebridge.audit.models import AuditEvent
from casebridge.cases import services as case_services
from casebridge.cases.models import Case, Level, Share
from casebridge.cases.policy import Act, can
from casebridge.meetings import services
from casebridge.meetings.models import AgendaItem, ItemState, Meeting, MeetingSeries, Pack, Source
from casebridge.meetings.tests.base import MeetingsTestCase
from casebridge.meetings.tests.test_papers import pdf_text
from casebridge.notifications.models import Notification
from casebridge.organisations.middleware import PARTNERSHIP_KEY
from casebridge.reminders.services import reminders_run
from casebridge.sharing import services as sharing_services

POLICE_SUMMARY = "Threats made to a shop owner by a group of adults"


class AgendaProposalTests(MeetingsTestCase):
    police_case: Case

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.police_case = case_services.case_create(
            actor=cls.police_officer,
            partnership=cls.surrey_heath,
            case_type=cls.asb_perpetrator,
            risk_level="high",
            summary=POLICE_SUMMARY,
        )

    def share_police_case_with_the_council(self, level: str = Level.VIEW) -> None:
        sharing_services.share_grant(
            actor=self.police_officer,
            case=self.police_case,
            organisation=self.council,
            level=level,
            reason="The council works with the victim.",
        )

    def propose(self, user: User, case: Case) -> Any:
        self.sign_in(user)
        return self.client.post(
            reverse("meetings:agenda_add", args=[self.meeting.public_id]),
            {"reference": case.reference, "reason": "Discuss at the CHaRMM."},
        )

    def item_of(self, case: Case) -> AgendaItem:
        return AgendaItem.objects.get(meeting=self.meeting, case=case)

    def agree_private_case_and_publish(self) -> AgendaItem:
        """The council's private case agreed (the coordinator works for its lead) and the agenda published."""
        self.propose(self.coordinator, self.private_case)
        self.client.post(reverse("meetings:agenda_publish", args=[self.meeting.public_id]))
        self.meeting.refresh_from_db()
        assert self.meeting.agenda_published_at is not None
        return self.item_of(self.private_case)

    def publish_papers(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            services.papers_publish(actor=self.coordinator, meeting=self.meeting)

    def papers_pdf(self, user: User) -> Any:
        self.sign_in(user)
        return self.client.get(reverse("meetings:papers_pdf", args=[self.meeting.public_id]))

    def move_meeting(self, *, days_ago: int) -> None:
        Meeting.objects.filter(pk=self.meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(days=days_ago))

    # -- who may put a case on the agenda --------------------------------------------------

    def test_chair_who_is_a_practitioner_cannot_put_a_police_case_on_the_agenda(self):
        MeetingSeries.objects.filter(pk=self.series.pk).update(chair=self.asb_officer)
        response = self.propose(self.asb_officer, self.police_case)
        assert b"There is no case with that reference that you may see." in response.content
        assert not AgendaItem.objects.filter(case=self.police_case).exists()
        # Seeing the case (a view share) lets the chair propose it, but only the police can agree.
        self.share_police_case_with_the_council()
        response = self.propose(self.asb_officer, self.police_case)
        assert response.status_code == 302
        assert self.item_of(self.police_case).state == ItemState.PROPOSED
        agree = reverse("meetings:proposal_agree", args=[self.item_of(self.police_case).public_id])
        assert self.client.post(agree).status_code == 404
        assert self.client.post(reverse("meetings:agenda_publish", args=[self.meeting.public_id])).status_code == 404
        assert self.item_of(self.police_case).state == ItemState.PROPOSED

    def test_a_coordinator_cannot_agree_to_a_case_they_may_only_view(self):
        self.share_police_case_with_the_council()
        self.propose(self.coordinator, self.police_case)
        item = self.item_of(self.police_case)
        assert item.state == ItemState.PROPOSED
        response = self.client.post(reverse("meetings:proposal_agree", args=[item.public_id]))
        assert response.status_code == 404
        body = self.client.get(reverse("meetings:detail", args=[self.meeting.public_id])).content.decode()
        assert "waiting for Surrey Police's agreement" in body

    def test_add_these_cases_only_proposes(self):
        self.share_police_case_with_the_council()
        AgendaItem.objects.filter(pk=self.item.pk).delete()
        self.sign_in(self.coordinator)
        response = self.client.post(reverse("meetings:agenda_build", args=[self.meeting.public_id]))
        assert response.status_code == 302
        assert self.item_of(self.police_case).state == ItemState.PROPOSED
        # The council's own case: the coordinator may manage it, so proposing it agreed it.
        assert self.item_of(self.case).state == ItemState.AGREED
        assert not Share.objects.filter(case=self.police_case, organisation__in=[self.charity]).exists()

    def test_add_these_cases_never_proposes_a_case_the_coordinator_cannot_see(self):
        self.sign_in(self.coordinator)
        body = self.client.get(reverse("meetings:detail", args=[self.meeting.public_id])).content.decode()
        assert self.police_case.reference not in body
        self.client.post(reverse("meetings:agenda_build", args=[self.meeting.public_id]))
        assert not AgendaItem.objects.filter(case=self.police_case).exists()

    def test_the_reminders_run_only_proposes(self):
        with self.captureOnCommitCallbacks(execute=True):
            reminders_run(today=self.meeting.referral_deadline + datetime.timedelta(days=1))
        item = self.item_of(self.police_case)
        assert (item.state, item.added_by, item.source) == (ItemState.PROPOSED, None, Source.HIGH_RISK)
        assert not can(self.coordinator, Act.VIEW, self.police_case)
        assert Notification.objects.filter(user=self.police_officer, kind="agenda_proposal").exists()
        self.sign_in(self.coordinator)
        body = self.client.get(reverse("meetings:detail", args=[self.meeting.public_id])).content.decode()
        assert "waiting for Surrey Police's agreement" in body
        assert POLICE_SUMMARY not in body

    # -- access an agenda gives ------------------------------------------------------------

    def test_no_member_organisation_gains_case_access_from_an_agenda(self):
        shares = Share.objects.count()
        self.agree_private_case_and_publish()
        self.publish_papers()
        assert Share.objects.count() == shares
        for user in (self.police_officer, self.police_manager, self.support_worker):
            with self.subTest(user=str(user)):
                assert not can(user, Act.VIEW, self.private_case)
                self.sign_in(user)
                response = self.client.get(reverse("cases:summary", args=[self.private_case.reference]))
                assert response.status_code == 404

    def test_an_attendee_sees_the_items_papers_in_the_window_and_not_after_n_days(self):
        self.agree_private_case_and_publish()
        self.publish_papers()
        papers = reverse("meetings:papers", args=[self.meeting.public_id])
        self.sign_in(self.police_officer)
        assert self.private_case.reference in self.client.get(papers).content.decode()
        assert self.private_case.reference in pdf_text(self.papers_pdf(self.police_officer).content)
        self.surrey_heath.meeting_papers_days = 3
        self.surrey_heath.save(update_fields=["meeting_papers_days"])
        self.move_meeting(days_ago=2)
        assert self.private_case.reference in self.client.get(papers).content.decode()
        self.move_meeting(days_ago=4)
        assert self.private_case.reference not in self.client.get(papers).content.decode()
        assert self.papers_pdf(self.police_officer).status_code == 302

    def test_no_papers_before_the_agenda_is_published(self):
        self.propose(self.coordinator, self.private_case)
        self.client = self.client_class()  # a different browser: no flash message from the coordinator
        self.sign_in(self.police_officer)
        body = self.client.get(reverse("meetings:detail", args=[self.meeting.public_id])).content.decode()
        assert self.private_case.reference not in body

    def test_a_non_attendee_never_sees_the_papers(self):
        self.agree_private_case_and_publish()
        self.publish_papers()
        self.sign_in(self.police_manager)
        session = self.client.session
        session[PARTNERSHIP_KEY] = str(self.surrey_heath.public_id)
        session.save()
        assert self.client.get(reverse("meetings:papers", args=[self.meeting.public_id])).status_code == 404
        assert self.client.get(reverse("meetings:papers_pdf", args=[self.meeting.public_id])).status_code == 404
        body = self.client.get(reverse("meetings:detail", args=[self.meeting.public_id]))
        assert self.private_case.reference.encode() not in body.content

    # -- the lead decides from the case page -----------------------------------------------

    def test_the_lead_is_notified_and_agrees_from_the_case_page(self):
        self.share_police_case_with_the_council()
        with self.captureOnCommitCallbacks(execute=True):
            self.propose(self.asb_officer, self.police_case)
        for user in (self.police_officer, self.police_manager):
            assert Notification.objects.filter(
                user=user, kind="agenda_proposal", reference=self.police_case.reference
            ).exists()
        self.sign_in(self.police_officer)
        page = self.client.get(reverse("cases:summary", args=[self.police_case.reference])).content.decode()
        item = self.item_of(self.police_case)
        assert "Proposed for a meeting" in page
        assert reverse("meetings:proposal_agree", args=[item.public_id]) in page
        assert 'name="csrfmiddlewaretoken"' in page
        response = self.client.post(reverse("meetings:proposal_agree", args=[item.public_id]), {"from": "case"})
        assert response["Location"] == reverse("cases:summary", args=[self.police_case.reference])
        item.refresh_from_db()
        assert (item.state, item.decided_by) == (ItemState.AGREED, self.police_officer)
        assert AuditEvent.objects.filter(object_id=str(item.public_id), data__proposal__to="agreed").exists()

    def test_the_lead_declines_from_the_case_page_with_a_reason(self):
        self.share_police_case_with_the_council()
        self.propose(self.asb_officer, self.police_case)
        item = self.item_of(self.police_case)
        self.sign_in(self.police_officer)
        decline = reverse("meetings:proposal_decline", args=[item.public_id])
        self.client.post(decline, {"from": "case", "reason": " "})
        item.refresh_from_db()
        assert item.state == ItemState.PROPOSED
        response = self.client.post(decline, {"from": "case", "reason": "Live operation."})
        assert response["Location"] == reverse("cases:summary", args=[self.police_case.reference])
        item.refresh_from_db()
        assert (item.state, item.decline_reason) == (ItemState.DECLINED, "Live operation.")
        assert AuditEvent.objects.filter(object_id=str(item.public_id), data__proposal__to="declined").exists()
        page = self.client.get(reverse("cases:summary", args=[self.police_case.reference])).content.decode()
        assert "Proposed for a meeting" not in page

    def test_a_viewer_of_the_case_cannot_decide_its_proposal(self):
        self.share_police_case_with_the_council(Level.CONTRIBUTE)
        with self.captureOnCommitCallbacks(execute=True):
            reminders_run(today=self.meeting.referral_deadline + datetime.timedelta(days=1))
        item = self.item_of(self.police_case)
        self.sign_in(self.asb_officer)
        page = self.client.get(reverse("cases:summary", args=[self.police_case.reference])).content.decode()
        assert "Proposed for a meeting" in page
        assert reverse("meetings:proposal_agree", args=[item.public_id]) not in page
        assert self.client.post(reverse("meetings:proposal_agree", args=[item.public_id])).status_code == 404
        decline = reverse("meetings:proposal_decline", args=[item.public_id])
        assert self.client.post(decline, {"reason": "No."}).status_code == 404

    def test_a_manage_share_may_agree(self):
        self.share_police_case_with_the_council(Level.MANAGE)
        self.propose(self.asb_officer, self.police_case)
        assert self.item_of(self.police_case).state == ItemState.AGREED

    # -- packs -----------------------------------------------------------------------------

    def test_a_pack_is_not_served_after_its_item_leaves(self):
        item = self.agree_private_case_and_publish()
        self.publish_papers()
        assert self.papers_pdf(self.police_officer).status_code == 200
        self.sign_in(self.coordinator)
        self.client.post(reverse("meetings:item_remove", args=[item.public_id]), {"reason": "Dealt with elsewhere."})
        pack = Pack.objects.get(meeting=self.meeting, recipient=self.police_officer)
        assert pack.state == Pack.State.WITHDRAWN
        assert pack.pdf is None
        assert self.papers_pdf(self.police_officer)["Location"] == reverse(
            "meetings:papers", args=[self.meeting.public_id]
        )
        assert AuditEvent.objects.filter(object_id=str(pack.public_id), data__state__to="withdrawn").exists()
        assert AuditEvent.objects.filter(object_id=str(item.public_id), action="deleted").exists()

    def test_a_pack_is_not_served_after_the_window_closes(self):
        self.agree_private_case_and_publish()
        self.publish_papers()
        self.move_meeting(days_ago=8)
        response = self.papers_pdf(self.police_officer)
        assert response["Location"] == reverse("meetings:papers", args=[self.meeting.public_id])
        pack = Pack.objects.get(meeting=self.meeting, recipient=self.police_officer)
        assert pack.state == Pack.State.WITHDRAWN
        # The lead organisation's attendee may still see its own case: their pack is still served.
        assert self.papers_pdf(self.asb_officer).status_code == 200

    # -- actions ---------------------------------------------------------------------------

    def test_an_action_cannot_be_created_through_a_meeting_the_case_has_left(self):
        url = reverse("actions:create", args=[self.case.reference]) + f"?meeting={self.meeting.public_id}"
        self.sign_in(self.coordinator)
        assert self.client.get(url).status_code == 200
        self.client.post(reverse("meetings:item_remove", args=[self.item.public_id]), {"reason": "Resolved."})
        assert self.client.get(url).status_code == 404
        data = {
            "meeting": str(self.meeting.public_id),
            "title": "Visit",
            "due_on_0": "1",
            "due_on_1": "1",
            "due_on_2": "2030",
            "assigned_organisation": self.council.pk,
            "priority": "normal",
        }
        assert self.client.post(url, data).status_code == 404
        assert not Task.objects.filter(meeting=self.meeting).exists()

    def test_an_action_cannot_be_created_through_a_meeting_on_a_case_only_proposed(self):
        self.share_police_case_with_the_council()
        self.propose(self.coordinator, self.police_case)
        url = reverse("actions:create", args=[self.police_case.reference]) + f"?meeting={self.meeting.public_id}"
        assert self.client.get(url).status_code == 404
