import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casebridge.assessments.models import Alert, AlertKind, Assessment
from casebridge.assessments.tests.base import AssessmentsTestCase
from casebridge.audit.models import Action, AuditEvent


class AssessmentCompleteTests(AssessmentsTestCase):
    def refusal(self, answers: dict[str, str]) -> dict[str, list[str]]:
        """Completing with ``answers`` is refused; the messages by question code."""
        with pytest.raises(ValidationError) as caught:
            self.complete(answers)
        return caught.value.message_dict

    def test_score_is_the_sum_of_the_chosen_weights(self):
        assessment = self.complete({"threatened": "yes", "weapon": "no", "repeat": "one-or-two"})
        assert assessment.score == 5
        assert assessment.band_code == "medium"

    def test_unanswered_optional_questions_score_nothing_and_store_no_answer(self):
        assessment = self.complete({"threatened": "no"})
        assert assessment.score == 0
        assert assessment.band_code == "standard"
        assert list(assessment.answers.values_list("question__code", flat=True)) == ["threatened"]

    def test_a_question_hidden_by_its_condition_is_not_required(self):
        assessment = self.complete({"threatened": "no"})
        assert assessment.band_label == "Standard"

    def test_a_question_hidden_by_its_condition_is_not_scored_even_if_answered(self):
        assessment = self.complete({"threatened": "no", "weapon": "yes", "repeat": "three-or-more"})
        assert assessment.score == 4
        assert not assessment.answers.filter(question__code="weapon").exists()

    def test_a_shown_conditional_question_is_required(self):
        assert "weapon" in self.refusal({"threatened": "yes"})

    def test_a_required_question_left_blank_is_refused_with_its_text(self):
        assert self.refusal({})["threatened"] == ["Answer “Has the victim been threatened?”."]

    def test_an_answer_not_offered_is_refused(self):
        assert "threatened" in self.refusal({"threatened": "maybe"})

    def test_a_date_that_is_not_a_date_is_refused(self):
        assert "last_incident" in self.refusal({"threatened": "no", "last_incident": "31/02/2026"})

    def test_the_band_threshold_is_inclusive(self):
        assessment = self.complete({"threatened": "yes", "weapon": "yes"})
        assert assessment.score == 7
        assert assessment.band_code == "high"

    def test_the_next_review_date_follows_the_band(self):
        completed = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))
        high = self.complete({"threatened": "yes", "weapon": "yes"}, completed_at=completed)
        assert high.next_review_on == datetime.date(2026, 3, 16)
        medium = self.complete({"threatened": "yes", "weapon": "no", "repeat": "one-or-two"}, completed_at=completed)
        assert medium.next_review_on == datetime.date(2026, 3, 30)

    def test_a_high_band_alerts_the_lead_officer(self):
        assessment = self.complete({"threatened": "yes", "weapon": "yes"}, actor=self.support_worker)
        alert = Alert.objects.get(kind=AlertKind.HIGH_RISK)
        assert alert.recipient == self.asb_officer
        assert self.case.reference in alert.message
        assert "CHaRMM" in alert.message
        assert str(assessment.public_id) in alert.link

    def test_a_medium_band_raises_no_alert(self):
        self.complete({"threatened": "yes", "weapon": "no"})
        assert not Alert.objects.exists()

    def test_completing_is_audited_in_the_same_transaction(self):
        assessment = self.complete({"threatened": "no"})
        event = AuditEvent.objects.get(action=Action.CREATED, object_id=str(assessment.public_id))
        assert event.data["case"] == self.case.reference
        assert event.data["band"] == "standard"

    def test_someone_who_may_only_view_the_case_cannot_complete_one(self):
        with pytest.raises(PermissionDenied):
            self.complete({"threatened": "no"}, actor=self.police_officer)
        assert not Assessment.objects.exists()

    def test_a_later_assessment_marks_the_earlier_one_as_reviewed(self):
        first = self.complete({"threatened": "no"})
        second = self.complete({"threatened": "no"})
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.reviewed_by_later
        assert not second.reviewed_by_later

    def test_an_assessment_about_a_person_must_name_a_party_to_the_case(self):
        with pytest.raises(ValidationError):
            self.complete({"threatened": "no"}, person=self.private_person)
        assert self.complete({"threatened": "no"}, person=self.victim).person == self.victim
