import io

from casebridge.assessments.models import AssessmentTemplate, TemplateKind, VersionState
from casebridge.assessments.tests.base import AssessmentsTestCase
from casebridge.demo.risk_toolkit import seed_risk_toolkit
from casebridge.interventions.models import InterventionType


class SeedTests(AssessmentsTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        seed_risk_toolkit(io.StringIO())

    def test_every_partnership_gets_the_published_templates_and_the_toolkit(self):
        codes = set(AssessmentTemplate.objects.filter(partnership=self.surrey_heath).values_list("code", flat=True))
        assert {"asb-victim-risk", "asb-perpetrator-risk", "household-needs-profile"} <= codes
        victim = AssessmentTemplate.objects.get(partnership=self.surrey_heath, code="asb-victim-risk")
        assert victim.versions.get().state == VersionState.PUBLISHED
        assert AssessmentTemplate.objects.get(code="household-needs-profile", partnership=self.surrey_heath).kind == (
            TemplateKind.GRADED_PROFILE
        )
        assert InterventionType.objects.get(partnership=self.surrey_heath, code="cpn").min_age == 16
        assert InterventionType.objects.get(partnership=self.surrey_heath, code="civil_injunction").min_age == 10

    def test_seeding_twice_changes_nothing(self):
        counts = (AssessmentTemplate.objects.count(), InterventionType.objects.count())
        seed_risk_toolkit(io.StringIO())
        assert (AssessmentTemplate.objects.count(), InterventionType.objects.count()) == counts

    def test_a_partnership_without_an_administrator_gets_the_toolkit_only(self):
        assert not AssessmentTemplate.objects.filter(partnership=self.runnymede).exists()
        assert InterventionType.objects.filter(partnership=self.runnymede).count() == 13

    def test_the_seeded_victim_assessment_scores_a_high_risk_repeat_victim_as_high(self):
        from casebridge.assessments import services

        version = AssessmentTemplate.objects.get(partnership=self.surrey_heath, code="asb-victim-risk").versions.get()
        answers = {
            "incidents-3-months": "three-or-more",
            "targeted": "yes",
            "violence": "yes",
            "weapon": "yes",
            "health-condition": "yes",
            "daily-life": "4-severely",
            "unsafe-at-home": "yes",
            "self-harm": "no",
        }
        assessment = services.assessment_complete(
            actor=self.asb_officer, case=self.case, version=version, answers=answers
        )
        assert assessment.score == 25
        assert assessment.band_code == "high"
