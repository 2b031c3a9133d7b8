import datetime

from django.urls import reverse
from django.utils import timezone

from casebridge.assessments.models import Alert, Assessment
from casebridge.assessments.selectors import assessments_due_for_review
from casebridge.assessments.tests.base import AssessmentsTestCase
from casebridge.audit.models import Action, AuditEvent


class CaseAssessmentViewTests(AssessmentsTestCase):
    def complete_url(self) -> str:
        return reverse("assessments:complete", args=[self.case.reference, self.version.public_id])

    def test_a_practitioner_completes_a_high_assessment_and_sees_the_alert_and_referral_prompt(self):
        self.sign_in(self.support_worker)
        response = self.client.post(
            self.complete_url(), {"person": str(self.victim.public_id), "q_threatened": "yes", "q_weapon": "yes"}
        )
        assessment = Assessment.objects.get()
        assert response["Location"] == reverse("assessments:detail", args=[assessment.public_id])
        page = self.client.get(response["Location"])
        self.assertContains(page, "This assessment came out high")
        self.assertContains(page, "CHaRMM")
        self.assertContains(page, "Community MARAC")
        self.assertContains(page, "Dana Whitlock")
        assert Alert.objects.filter(recipient=self.asb_officer, case=self.case).exists()

    def test_a_missing_required_answer_is_shown_against_its_question(self):
        self.sign_in(self.asb_officer)
        response = self.client.post(self.complete_url(), {"q_threatened": "yes"})
        assert response.status_code == 200
        self.assertContains(response, "Answer “Was a weapon mentioned?”.", count=2)  # summary and field
        assert not Assessment.objects.exists()

    def test_the_form_says_when_a_question_applies(self):
        self.sign_in(self.asb_officer)
        response = self.client.get(self.complete_url())
        self.assertContains(response, "Only if the answer to “Has the victim been threatened?” was")

    def test_viewing_a_result_is_audited(self):
        assessment = self.complete({"threatened": "no"})
        self.sign_in(self.support_worker)
        self.client.get(reverse("assessments:detail", args=[assessment.public_id]))
        assert AuditEvent.objects.filter(
            action=Action.VIEWED, object_id=str(assessment.public_id), actor=self.support_worker
        ).exists()

    def test_history_lists_every_assessment_with_a_constant_number_of_queries(self):
        for answers in ({"threatened": "no"}, {"threatened": "yes", "weapon": "yes"}):
            self.complete(answers, person=self.victim)
        self.sign_in(self.asb_officer)
        url = reverse("assessments:case_list", args=[self.case.reference])
        self.client.get(url)
        response = self.get_in_queries(18, url)
        self.assertContains(response, "Trend")
        self.complete({"threatened": "yes", "weapon": "no"})
        self.get_in_queries(18, url)

    def test_reviews_due_lists_only_overdue_latest_assessments(self):
        past = timezone.now() - datetime.timedelta(days=30)
        overdue = self.complete({"threatened": "yes", "weapon": "yes"}, completed_at=past)
        self.complete({"threatened": "no"}, person=self.victim, completed_at=past - datetime.timedelta(days=90))
        self.complete({"threatened": "no"}, person=self.victim)  # reviews the one above
        due = list(assessments_due_for_review(self.asb_officer, self.surrey_heath))
        assert due == [overdue]

    def test_reviews_due_are_not_shown_to_someone_who_cannot_see_the_case(self):
        past = timezone.now() - datetime.timedelta(days=60)
        self.complete({"threatened": "no"}, actor=self.support_worker, completed_at=past)
        assert len(assessments_due_for_review(self.support_worker, self.surrey_heath)) == 1
        self.case.shares.update(revoked_at=timezone.now())
        assert len(assessments_due_for_review(self.support_worker, self.surrey_heath)) == 0

    def test_the_reviews_due_page_counts_its_queries(self):
        past = timezone.now() - datetime.timedelta(days=60)
        self.sign_in(self.asb_officer)
        url = reverse("assessments:reviews_due")
        self.complete({"threatened": "no"}, completed_at=past)
        self.client.get(url)
        response = self.get_in_queries(10, url)
        self.assertContains(response, self.case.reference)
        self.complete({"threatened": "no"}, person=self.victim, completed_at=past)
        self.get_in_queries(10, url)

    def test_the_alerts_page_shows_the_lead_officer_their_alert(self):
        self.complete({"threatened": "yes", "weapon": "yes"}, actor=self.colleague)
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("assessments:alerts"))
        self.assertContains(response, "came out high")

    def test_the_trend_shows_how_the_score_moved(self):
        base = timezone.now() - datetime.timedelta(days=40)
        self.complete({"threatened": "yes", "weapon": "no"}, completed_at=base)
        self.complete({"threatened": "yes", "weapon": "yes"}, completed_at=base + datetime.timedelta(days=14))
        self.complete({"threatened": "no"}, completed_at=base + datetime.timedelta(days=28))
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("assessments:case_list", args=[self.case.reference]))
        self.assertContains(response, "Up 4")
        self.assertContains(response, "Down 7")

    def test_a_closed_case_takes_no_new_assessment(self):
        import pytest
        from django.core.exceptions import ValidationError

        self.case.status, self.case.closure_reason, self.case.closed_at = "closed", "resolved", timezone.now()
        self.case.save(update_fields=["status", "closure_reason", "closed_at"])
        with pytest.raises(ValidationError):
            self.complete({"threatened": "no"})

    def test_overdue_reviews_appear_in_my_tasks(self):
        past = timezone.now() - datetime.timedelta(days=60)
        overdue = self.complete({"threatened": "yes", "weapon": "yes"}, completed_at=past)
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("actions:mine"))
        self.assertContains(response, "Assessment reviews due")
        self.assertContains(response, reverse("assessments:detail", args=[overdue.public_id]))
        self.sign_in(self.police_officer)
        self.assertNotContains(self.client.get(reverse("actions:mine")), "Assessment reviews due")
