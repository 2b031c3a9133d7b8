"""A small published template on top of the cases test base."""

from typing import Any

from casebridge.assessments import services
from casebridge.assessments.models import Assessment, Question, QuestionKind, TemplateVersion
from casebridge.cases.tests.base import CasesTestCase
from casebridge.people.models import Person


class AssessmentsTestCase(CasesTestCase):
    """Version 1 of "Victim risk": scores 0 to 11, bands standard (0), medium (4, 28 days), high (7, 14 days).

    ``threatened`` (yes 3 / no 0, required); ``weapon`` (yes 4 / no 0) is shown only if threatened is yes;
    ``repeat`` (choice: none 0, some 2, many 4, optional); ``impact`` (scale 1-5 weighted 0..), ``notes``
    (free text) and ``last_incident`` (date) are optional.
    """

    version: TemplateVersion
    threatened: Question
    weapon: Question

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        admin = cls.administrator
        template = services.template_create(actor=admin, partnership=cls.surrey_heath, name="Victim risk")
        version = template.versions.get()
        section = services.section_add(actor=admin, version=version, title="Threats")
        cls.threatened = services.question_add(
            actor=admin,
            section=section,
            code="threatened",
            text="Has the victim been threatened?",
            kind=QuestionKind.YES_NO,
            options=[("Yes", 3), ("No", 0)],
            required=True,
        )
        cls.weapon = services.question_add(
            actor=admin,
            section=section,
            code="weapon",
            text="Was a weapon mentioned?",
            kind=QuestionKind.YES_NO,
            options=[("Yes", 4), ("No", 0)],
            required=True,
            show_if_question=cls.threatened,
            show_if_value="yes",
        )
        history = services.section_add(actor=admin, version=version, title="History")
        services.question_add(
            actor=admin,
            section=history,
            code="repeat",
            text="How many similar incidents in the last three months?",
            kind=QuestionKind.CHOICE,
            options=[("None", 0), ("One or two", 2), ("Three or more", 4)],
        )
        services.question_add(actor=admin, section=history, code="notes", text="Anything else?", kind=QuestionKind.TEXT)
        services.question_add(
            actor=admin, section=history, code="last_incident", text="Date of the last incident", kind=QuestionKind.DATE
        )
        services.band_add(actor=admin, version=version, label="Standard", code="standard", min_score=0, review_days=56)
        services.band_add(actor=admin, version=version, label="Medium", code="medium", min_score=4, review_days=28)
        services.band_add(
            actor=admin, version=version, label="High", code="high", min_score=7, review_days=14, is_high=True
        )
        cls.version = services.version_publish(actor=admin, version=version)

    def complete(
        self, answers: dict[str, str], *, actor: Any = None, person: Person | None = None, **kwargs: Any
    ) -> Assessment:
        return services.assessment_complete(
            actor=actor or self.asb_officer,
            case=self.case,
            version=self.version,
            answers=answers,
            person=person,
            **kwargs,
        )
