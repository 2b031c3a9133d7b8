"""Merging only where the merger may manage every case; otherwise a proposal the lead organisations decide.

The door: a police manager with a view share on a closed council case merged the council's person
into a police record, and the police kept seeing the person after the share was revoked.
"""

import datetime

from django.urls import reverse

from casebridge.accounts.models import User
from casebridge.audit.models import AuditEvent
from casebridge.cases import services as case_services
from casebridge.cases.models import Case, Level
from casebridge.cases.tests.base import CasesTestCase
from casebridge.matching.models import (
    DecisionOutcome,
    DuplicateCandidate,
    MergeProposal,
    PersonMerge,
    ProposalStatus,
)
from casebridge.notifications.models import Kind, Notification
from casebridge.organisations.models import Role
from casebridge.people import services as people_services
from casebridge.people.models import Person
from casebridge.sharing import services as sharing_services
from tests.personas import make_user

POLICE_PNC = "99/999999X"


class MergeProposalTests(CasesTestCase):
    """The council's Jon Smyth (closed council case, shared with the police to view) and the police's Jonathan Smith."""

    police_coordinator: User
    council_case: Case
    police_case: Case
    council_jon: Person
    police_jon: Person
    candidate: DuplicateCandidate

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        sh = cls.surrey_heath
        cls.police_coordinator = make_user("paul.reed@police.example", cls.police, roles={sh: Role.COORDINATOR})
        cls.council_case = cls.private_case
        cls.council_jon = people_services.person_create(
            actor=cls.asb_officer, partnership=sh, first_name="Jon", last_name="Smyth", phone="07700 900123"
        )
        case_services.case_party_add(
            actor=cls.asb_officer, case=cls.council_case, person=cls.council_jon, role="perpetrator"
        )
        cls.police_case = case_services.case_create(
            actor=cls.police_officer, partnership=sh, case_type=cls.asb_perpetrator, risk_level="standard"
        )
        cls.police_jon = people_services.person_create(
            actor=cls.police_officer,
            partnership=sh,
            first_name="Jonathan",
            last_name="Smith",
            date_of_birth=datetime.date(1990, 3, 4),
        )
        people_services.person_identifier_add(
            actor=cls.police_officer, person=cls.police_jon, kind="pnc", value=POLICE_PNC
        )
        case_services.case_party_add(
            actor=cls.police_officer, case=cls.police_case, person=cls.police_jon, role="perpetrator"
        )
        for user in (cls.police_officer, cls.police_manager, cls.police_coordinator):
            sharing_services.share_grant(
                actor=cls.asb_officer, case=cls.council_case, level=Level.VIEW, reason="Joint work", user=user
            )
        council_case = Case.objects.get(pk=cls.council_case.pk)
        case_services.case_close(
            actor=cls.asb_officer,
            case=council_case,
            version=council_case.version,
            closure_reason="resolved",
            outcome="resolved",
        )
        a, b = sorted((cls.council_jon, cls.police_jon), key=lambda person: person.pk)
        cls.candidate = DuplicateCandidate.objects.create(
            partnership=sh, person_a=a, person_b=b, score=0.97, band="likely"
        )

    def compare_url(self) -> str:
        return reverse("matching:compare", args=[self.candidate.public_id])

    def merge_police_survives(self, **extra: str) -> dict[str, str]:
        """The form's answer keeping the police record, as the reproduced merge did."""
        side = "a" if self.candidate.person_a_id == self.police_jon.pk else "b"
        fields = {"survivor": side, "first_name": side, "last_name": side, "phone": side, "date_of_birth": side}
        return {**fields, **extra}

    def propose(self) -> MergeProposal:
        self.sign_in(self.police_coordinator)
        response = self.client.post(self.compare_url(), self.merge_police_survives(reason="Same man, same phone."))
        proposal = MergeProposal.objects.get()
        self.assertRedirects(response, reverse("matching:proposal", args=[proposal.public_id]))
        self.client.logout()
        return proposal

    def test_a_manager_with_only_a_view_share_cannot_merge_or_open_the_queue(self):
        self.sign_in(self.police_manager)
        assert self.client.get(reverse("matching:queue")).status_code == 403
        assert self.client.get(self.compare_url()).status_code == 403
        response = self.client.post(self.compare_url(), self.merge_police_survives(reason="x"))
        assert response.status_code == 403
        assert Person.objects.filter(pk=self.council_jon.pk).exists()
        assert not PersonMerge.objects.exists()
        assert not MergeProposal.objects.exists()

    def test_a_coordinator_who_cannot_manage_a_council_case_gets_a_proposal_not_a_merge(self):
        self.sign_in(self.police_coordinator)
        response = self.client.get(self.compare_url())
        self.assertContains(response, "Propose the merge")
        self.assertContains(response, "Surrey Heath Council")
        response = self.client.post(self.compare_url(), self.merge_police_survives())
        self.assertContains(response, "Say why these records are the same person")
        assert not MergeProposal.objects.exists()

        proposal = self.propose()
        assert Person.objects.filter(pk=self.council_jon.pk).exists()
        assert not PersonMerge.objects.exists()
        assert proposal.status == ProposalStatus.OPEN
        assert [(d.organisation_id, d.outcome) for d in proposal.decisions.all()] == [
            (self.council.pk, DecisionOutcome.PENDING)
        ]
        told = set(Notification.objects.filter(kind=Kind.MERGE_PROPOSAL).values_list("user_id", flat=True))
        assert told == {self.coordinator.pk, self.council_manager.pk, self.administrator.pk}
        assert AuditEvent.objects.filter(object_type="mergeproposal", action="created").count() == 1

    def test_a_council_practitioner_cannot_decide_a_proposal(self):
        proposal = self.propose()
        self.sign_in(self.asb_officer)
        url = reverse("matching:proposal", args=[proposal.public_id])
        assert self.client.get(url).status_code == 403
        assert self.client.post(url, {"decision": "agree"}).status_code == 403
        assert Person.objects.filter(pk=self.council_jon.pk).exists()

    def test_the_proposal_page_shows_the_council_only_what_rule_4_allows(self):
        proposal = self.propose()
        self.sign_in(self.council_manager)
        response = self.client.get(reverse("matching:proposals"))
        self.assertContains(response, str(proposal.public_id)[:8])
        response = self.client.get(reverse("matching:proposal", args=[proposal.public_id]))
        self.assertContains(response, "Jonathan Smith")
        self.assertContains(response, "4 March 1990")
        self.assertContains(response, "Surrey Police")
        self.assertContains(response, self.council_case.reference)
        self.assertNotContains(response, POLICE_PNC)
        self.assertNotContains(response, self.police_case.reference)
        self.assertNotContains(response, reverse("people:detail", args=[self.police_jon.public_id]))

    def test_the_council_lead_agreeing_carries_out_the_merge_as_the_proposer(self):
        proposal = self.propose()
        self.sign_in(self.council_manager)
        url = reverse("matching:proposal", args=[proposal.public_id])
        self.assertRedirects(self.client.post(url, {"decision": "agree"}), url)
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.DONE
        merge = PersonMerge.objects.get()
        assert (proposal.merge_id, merge.merged_by_id) == (merge.pk, self.police_coordinator.pk)
        assert not Person.objects.filter(pk=self.council_jon.pk).exists()
        assert self.council_case.parties.filter(person=self.police_jon).exists()
        event = AuditEvent.objects.get(object_id=str(self.police_jon.public_id), data__merge=str(merge.public_id))
        assert event.data["agreed_by"][0]["by"] == str(self.council_manager.pk)
        decided = AuditEvent.objects.filter(object_type="mergeproposal", actor=self.council_manager)
        assert decided.count() == 2  # the decision, and the proposal closing
        assert Notification.objects.filter(user=self.police_coordinator, kind=Kind.MERGE_PROPOSAL).exists()

    def test_a_council_decline_changes_nothing(self):
        proposal = self.propose()
        self.sign_in(self.coordinator)
        url = reverse("matching:proposal", args=[proposal.public_id])
        self.client.post(url, {"decision": "decline"})
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.DECLINED
        assert Person.objects.filter(pk=self.council_jon.pk).exists()
        assert self.council_case.parties.filter(person=self.council_jon).exists()
        assert not PersonMerge.objects.exists()
        # Decided: nobody can agree afterwards.
        self.sign_in(self.council_manager)
        assert self.client.post(url, {"decision": "agree"}).status_code == 403
        assert not PersonMerge.objects.exists()

    def test_another_partnerships_users_get_404_on_a_proposal(self):
        proposal = self.propose()
        url = reverse("matching:proposal", args=[proposal.public_id])
        runnymede_coordinator = make_user(
            "rhys.cole@runnymede.example", self.other_council, roles={self.runnymede: Role.COORDINATOR}
        )
        for user in (runnymede_coordinator, self.police_manager):  # Max works in Runnymede first
            self.sign_in(user)
            assert self.client.get(url).status_code == 404
            assert self.client.post(url, {"decision": "agree"}).status_code == 404
        assert proposal.decisions.get().outcome == DecisionOutcome.PENDING

    def test_the_police_do_not_keep_seeing_a_merged_person_after_the_share_is_revoked(self):
        """A council coordinator merges two council records; the police saw one through a view share."""
        other_jon = people_services.person_create(
            actor=self.asb_officer, partnership=self.surrey_heath, first_name="Jon", last_name="Smythe"
        )
        case_services.case_party_add(actor=self.asb_officer, case=self.case, person=other_jon, role="witness")
        pair = DuplicateCandidate.objects.create(
            partnership=self.surrey_heath, person_a=self.council_jon, person_b=other_jon, score=0.9, band="likely"
        )
        self.sign_in(self.coordinator)
        response = self.client.post(
            reverse("matching:compare", args=[pair.public_id]), {"survivor": "b", "last_name": "b", "phone": "a"}
        )
        merge = PersonMerge.objects.get()
        self.assertRedirects(response, reverse("matching:merge_detail", args=[merge.public_id]))

        survivor_url = reverse("people:detail", args=[other_jon.public_id])
        self.sign_in(self.police_officer)
        assert self.client.get(survivor_url).status_code == 200
        # The view share on the merged record's case does not open the survivor's other council case.
        assert self.client.get(reverse("cases:summary", args=[self.case.reference])).status_code == 404
        self.assertNotContains(self.client.get(survivor_url), self.case.reference)

        share = self.council_case.shares.get(user=self.police_officer)
        sharing_services.share_revoke(actor=self.asb_officer, share=share)
        assert self.client.get(survivor_url).status_code == 404
