"""Staff work on a review: recording, the threshold decision, the panel, recommendations, the letter, the appeal."""

import datetime
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casebridge.audit.models import Action, AuditEvent
from casebridge.case_reviews import services
from casebridge.case_reviews.models import CaseReview, Channel, Recommendation, RecommendationStatus, ReviewStatus
from casebridge.case_reviews.tests.base import ReviewsTestCase, complaints
from casebridge.cases import services as case_services
from casebridge.cases.tests.base import PRIVATE_SUBJECT, SHARED_VICTIM

TODAY = timezone.localdate()


class RecordingTests(ReviewsTestCase):
    def test_a_practitioner_records_an_application_linked_to_a_case_and_its_victim(self):
        self.sign_in(self.asb_officer)
        url = reverse("case_reviews:create") + f"?case={self.case.reference}"
        page = self.client.get(url)
        self.assertContains(page, SHARED_VICTIM)
        response = self.client.post(
            url,
            {
                "received_on": TODAY.isoformat(),
                "applicant_role": "victim",
                "applicant_name": "Dana Whitlock",
                "summary": "Neighbour harassment.",
                "victim": self.victim.pk,
            },
        )
        review = CaseReview.objects.filter(created_by=self.asb_officer).get()
        self.assertRedirects(response, reverse("case_reviews:detail", args=[review.public_id]))
        assert (review.case, review.victim, review.channel) == (self.case, self.victim, Channel.STAFF)
        assert AuditEvent.objects.filter(action=Action.CREATED, object_id=str(review.public_id)).exists()

    def test_linking_a_case_the_user_cannot_see_answers_404(self):
        self.sign_in(self.police_officer)
        url = reverse("case_reviews:create") + f"?case={self.case.reference}"
        assert self.client.get(url).status_code == 404

    def test_on_behalf_needs_consent(self):
        self.sign_in(self.coordinator)
        response = self.client.post(
            reverse("case_reviews:create"),
            {
                "received_on": TODAY.isoformat(),
                "applicant_role": "on_behalf",
                "applicant_name": "Councillor Reed",
                "victim_name": "Ann Other",
                "summary": "Noise.",
            },
        )
        self.assertContains(response, "Confirm that the victim has consented to the application.")

    def test_a_review_linked_to_a_case_is_404_to_its_recorder_who_can_no_longer_see_the_case(self):
        review = self.record(actor=self.support_worker, case=self.case)
        self.sign_in(self.support_worker)
        assert self.client.get(reverse("case_reviews:detail", args=[review.public_id])).status_code == 200
        from casebridge.sharing import services as sharing_services

        share = self.case.shares.get(organisation=self.charity)
        sharing_services.share_revoke(actor=self.asb_officer, share=share)
        assert self.client.get(reverse("case_reviews:detail", args=[review.public_id])).status_code == 404

    def test_the_coordinator_sees_the_review_but_not_a_case_they_cannot_see(self):
        review = self.record(actor=self.asb_officer, case=self.private_case)
        review.case = self.private_case
        self.sign_in(self.coordinator)
        # The coordinator works for the council, which leads the private case: the link shows.
        self.assertContains(
            self.client.get(reverse("case_reviews:detail", args=[review.public_id])), self.private_case.reference
        )


class ThresholdDecisionTests(ReviewsTestCase):
    def decision_page(self, review: CaseReview | None = None, data: dict[str, Any] | None = None) -> Any:
        """Carla opens the decision page of ``review`` (the shared one unless told), or posts ``data`` to it."""
        self.sign_in(self.coordinator)
        url = reverse("case_reviews:decision", args=[(review or self.review).public_id])
        return self.client.get(url) if data is None else self.client.post(url, data)

    def test_the_decision_page_shows_the_computed_threshold_and_suggests_met(self):
        page = self.decision_page()
        self.assertContains(page, "3 qualifying complaints")
        self.assertContains(page, "Threshold met")
        assert page.context["form"].initial["decision"] == "met"

    def test_recorded_incidents_about_the_victim_count_too(self):
        review = self.record(complaints=complaints(40), victim=self.victim)
        self.incident(30)
        self.incident(20)
        page = self.decision_page(review)
        self.assertContains(page, "3 qualifying complaints")
        self.assertContains(page, f"Recorded incident: {self.case.reference}")

    def test_incidents_on_a_case_the_user_cannot_see_count_without_details(self):
        other = self.new_case(actor=self.police_officer, risk_level="high")
        case_services.case_party_add(actor=self.police_officer, case=other, person=self.victim, role="victim")
        review = self.record(victim=self.victim)
        self.incident(10, case=other, actor=self.police_officer)
        page = self.decision_page(review)
        self.assertContains(page, "Recorded incident on a case you cannot see")
        self.assertNotContains(page, other.reference)

    def test_the_coordinator_records_not_met_with_a_reason_and_the_applicant_is_told(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.decision_page(
                data={
                    "decision": "not_met",
                    "reason": "Two of the complaints were about a different address.",
                    "version": 1,
                },
            )
        self.assertRedirects(response, reverse("case_reviews:detail", args=[self.review.public_id]))
        self.review.refresh_from_db()
        assert (self.review.status, self.review.decided_by, self.review.qualifying_at_decision) == (
            ReviewStatus.NOT_MET,
            self.coordinator,
            3,
        )
        assert "different address" in mail.outbox[-1].body
        assert mail.outbox[-1].to == ["dana@example.com"]
        assert self.client.get(reverse("case_reviews:decision", args=[self.review.public_id])).status_code == 404

    def test_a_reason_is_required(self):
        response = self.decision_page(data={"decision": "met", "reason": "", "version": 1})
        self.assertContains(response, "Enter the reason for the decision.")

    def test_a_stale_decision_is_refused(self):
        services.review_acknowledge(actor=self.coordinator, review=self.review, acknowledged_on=TODAY)
        response = self.decision_page(data={"decision": "met", "reason": "x", "version": 1})
        self.assertContains(response, "Someone else changed this review")


class ReviewStepsTests(ReviewsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.decide()
        self.review.refresh_from_db()

    def test_the_panel_links_to_an_asb_case_review_panel_meeting_or_a_date(self):
        from casebridge.meetings import services as meeting_services

        series = meeting_services.series_create(
            actor=self.coordinator,
            partnership=self.surrey_heath,
            kind="asb_case_review",
            name="ASB Case Review panel",
            chair=self.coordinator,
            member_organisations=[self.council, self.police],
            attendees=[],
            cadence="monthly",
        )
        meeting = meeting_services.meeting_schedule(
            actor=self.coordinator, series=series, starts_at=timezone.now() + datetime.timedelta(days=7)
        )
        self.sign_in(self.coordinator)
        page = self.client.get(reverse("case_reviews:panel", args=[self.review.public_id]))
        self.assertContains(page, str(meeting))
        self.client.post(reverse("case_reviews:panel", args=[self.review.public_id]), {"meeting": meeting.pk})
        self.review.refresh_from_db()
        assert self.review.panel_meeting == meeting
        assert self.review.panel_on == timezone.localtime(meeting.starts_at).date()

    def test_recommendations_appear_in_the_owners_actions_and_only_they_may_update_them(self):
        recommendation = services.recommendation_add(
            actor=self.coordinator,
            review=self.review,
            text="Police to share call logs weekly.",
            owner_organisation=self.police,
            owner_user=self.police_officer,
            due_on=TODAY + datetime.timedelta(days=14),
        )
        self.sign_in(self.police_officer)
        self.assertContains(self.client.get(reverse("actions:mine")), "Police to share call logs weekly.")
        url = reverse("case_reviews:recommendation", args=[recommendation.public_id])
        page = self.client.get(url)
        self.assertContains(page, "Police to share call logs weekly.")
        self.assertNotContains(page, "Harassment by a neighbour.")  # the review itself stays private
        response = self.client.post(url, {"status": "done", "completion_note": ""})
        self.assertContains(response, "Enter what was done.")
        self.client.post(url, {"status": "done", "completion_note": "Logs shared."})
        recommendation.refresh_from_db()
        assert recommendation.status == RecommendationStatus.DONE
        self.sign_in(self.police_manager)  # same organisation, but the recommendation names Priya
        self.client.post(reverse("organisations:partnership_switch"), {"partnership": self.surrey_heath.public_id})
        assert self.client.get(url).status_code == 404

    def test_an_organisations_recommendation_is_any_of_its_staffs(self):
        recommendation = services.recommendation_add(
            actor=self.coordinator,
            review=self.review,
            text="Review the tenancy.",
            owner_organisation=self.police,
            due_on=TODAY,
        )
        self.sign_in(self.police_officer)
        assert (
            self.client.get(reverse("case_reviews:recommendation", args=[recommendation.public_id])).status_code == 200
        )
        self.sign_in(self.support_worker)
        assert (
            self.client.get(reverse("case_reviews:recommendation", args=[recommendation.public_id])).status_code == 404
        )

    def test_the_outcome_letter_is_written_edited_sent_and_downloaded_as_a_marked_pdf(self):
        services.recommendation_add(
            actor=self.coordinator,
            review=self.review,
            text="Weekly patrols.",
            owner_organisation=self.police,
            due_on=TODAY,
        )
        services.panel_set(actor=self.coordinator, review=self.review, meeting=None, panel_on=TODAY)
        self.review.refresh_from_db()
        self.sign_in(self.coordinator)
        url = reverse("case_reviews:letter", args=[self.review.public_id])
        page = self.client.get(url)
        self.assertContains(page, "Weekly patrols.")
        self.assertContains(page, "Dear Dana Whitlock,")
        self.assertNotContains(page, self.case.reference)
        self.client.post(
            url, {"text": "Dear Dana Whitlock,\n\nEdited letter.", "version": self.review.version, "send": "1"}
        )
        self.review.refresh_from_db()
        assert (self.review.status, self.review.completed_on) == (ReviewStatus.COMPLETED, TODAY)
        response = self.client.get(reverse("case_reviews:letter_pdf", args=[self.review.public_id]))
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert AuditEvent.objects.filter(action=Action.DOWNLOADED, object_id=str(self.review.public_id)).exists()

    def test_sending_the_outcome_needs_the_review_meeting(self):
        self.sign_in(self.coordinator)
        response = self.client.post(
            reverse("case_reviews:letter", args=[self.review.public_id]),
            {"text": "Letter.", "version": self.review.version, "send": "1"},
        )
        self.assertContains(response, "Record the review meeting before sending the outcome.")

    def test_an_appeal_is_reviewed_by_someone_else_and_an_upheld_appeal_reopens_the_review(self):
        self.sign_in(self.coordinator)
        url = reverse("case_reviews:appeal", args=[self.review.public_id])
        data = {
            "received_on": TODAY.isoformat(),
            "grounds": "Not all the agencies responded.",
            "reviewer_name": self.coordinator.get_full_name(),
            "reviewer_body": "Office of the Police and Crime Commissioner",
        }
        self.assertContains(self.client.post(url, data), "someone other than the person who made the decision")
        self.client.post(url, {**data, "reviewer_name": "Pat Quinn"})
        self.review.status = ReviewStatus.COMPLETED
        self.review.save(update_fields=["status"])
        self.client.post(
            reverse("case_reviews:appeal_outcome", args=[self.review.public_id]),
            {"outcome": "upheld", "reason": "The housing association's response was missing."},
        )
        self.review.refresh_from_db()
        assert self.review.status == ReviewStatus.IN_REVIEW
        assert self.review.appeal.outcome == "upheld"

    def test_every_write_is_audited(self):
        before = AuditEvent.objects.count()
        services.response_add(actor=self.coordinator, review=self.review, organisation=self.police, text="Visited.")
        services.recommendation_add(
            actor=self.coordinator, review=self.review, text="Patrols.", owner_organisation=self.police, due_on=TODAY
        )
        services.panel_set(actor=self.coordinator, review=self.review, meeting=None, panel_on=TODAY)
        assert AuditEvent.objects.count() == before + 3

    def test_only_the_triage_team_runs_a_review(self):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            services.response_add(actor=self.asb_officer, review=self.review, organisation=self.police, text="x")


class AlertTests(ReviewsTestCase):
    def test_meeting_the_threshold_prompts_the_coordinator_to_open_a_review(self):
        CaseReview.objects.all().delete()
        for days in (60, 30, 5):
            self.incident(days)
        self.sign_in(self.coordinator)
        page = self.client.get(reverse("case_reviews:alerts"))
        self.assertContains(page, "Open a case review")
        response = self.client.post(
            reverse("case_reviews:alert_open"), {"person": self.victim.public_id, "case": self.case.reference}
        )
        review = CaseReview.objects.get()
        self.assertRedirects(response, reverse("case_reviews:detail", args=[review.public_id]))
        assert (review.channel, review.victim, review.case, review.applicant_name) == (
            Channel.PARTNERSHIP,
            self.victim,
            self.case,
            SHARED_VICTIM,
        )
        self.client.post(
            reverse("case_reviews:alert_open"), {"person": self.victim.public_id, "case": self.case.reference}
        )
        assert CaseReview.objects.count() == 1
        self.assertContains(self.client.get(reverse("case_reviews:alerts")), review.reference)

    def test_opening_from_an_alert_about_someone_not_on_the_case_is_refused(self):
        self.sign_in(self.coordinator)
        response = self.client.post(
            reverse("case_reviews:alert_open"), {"person": self.private_person.public_id, "case": self.case.reference}
        )
        assert response.status_code == 404

    def test_the_case_page_shows_the_victims_flags(self):
        for days in (60, 30, 5):
            self.incident(days)
        self.sign_in(self.asb_officer)
        page = self.client.get(reverse("cases:summary", args=[self.case.reference]))
        self.assertContains(page, "Case review threshold met")
        self.assertContains(page, "Repeat victim")


class ListTests(ReviewsTestCase):
    def test_overdue_reviews_are_listed_for_the_coordinator(self):
        late = self.record(received_on=TODAY - datetime.timedelta(days=40))
        self.sign_in(self.coordinator)
        page = self.client.get(reverse("case_reviews:list") + "?state=overdue")
        self.assertContains(page, late.reference)
        self.assertNotContains(page, self.review.reference)
        self.assertContains(page, "Overdue")

    def test_the_list_has_a_fixed_number_of_queries(self):
        self.sign_in(self.coordinator)
        url = reverse("case_reviews:list") + "?state="
        self.client.get(url)
        with CaptureQueriesContext(connection) as first:
            self.client.get(url)
        for _n in range(5):
            self.record(complaints=complaints(5))
        self.get_in_queries(len(first.captured_queries), url)

    def test_other_staff_see_only_what_they_recorded(self):
        mine = self.record(actor=self.police_officer)
        self.sign_in(self.police_officer)
        page = self.client.get(reverse("case_reviews:list") + "?state=")
        self.assertContains(page, mine.reference)
        self.assertNotContains(page, self.review.reference)
        self.assertNotContains(page, PRIVATE_SUBJECT)


class RecommendationCountTests(ReviewsTestCase):
    def test_my_actions_lists_recommendations_in_a_fixed_number_of_queries(self):
        self.decide()
        self.review.refresh_from_db()
        self.sign_in(self.police_officer)
        url = reverse("actions:mine")
        self.client.get(url)
        with CaptureQueriesContext(connection) as first:
            self.client.get(url)
        for n in range(4):
            Recommendation.objects.create(
                partnership=self.surrey_heath,
                review=self.review,
                text=f"Recommendation {n}",
                owner_organisation=self.police,
                owner_user=self.police_officer,
                due_on=TODAY,
                created_by=self.coordinator,
            )
        page = self.get_in_queries(len(first.captured_queries), url)
        self.assertContains(page, "Recommendation 3")
