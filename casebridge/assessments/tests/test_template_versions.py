import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casebridge.assessments import services
from casebridge.assessments.models import Question, QuestionKind, TemplateVersion, VersionState
from casebridge.assessments.services import PublishedVersionError
from casebridge.assessments.tests.base import AssessmentsTestCase


class TemplateVersionTests(AssessmentsTestCase):
    def add_hurt_question(self, draft: TemplateVersion, *, show_if_question: Question, show_if_value: str) -> None:
        """Adds "Was anyone hurt?" to the draft's first section, shown on the given answer."""
        services.question_add(
            actor=self.administrator,
            section=draft.sections.all()[0],
            text="Was anyone hurt?",
            kind=QuestionKind.YES_NO,
            show_if_question=show_if_question,
            show_if_value=show_if_value,
        )

    def test_a_published_version_refuses_new_questions(self):
        section = self.version.sections.all()[0]
        with pytest.raises(PublishedVersionError):
            services.question_add(actor=self.administrator, section=section, text="New?", kind=QuestionKind.YES_NO)

    def test_a_published_version_refuses_new_sections_and_bands(self):
        with pytest.raises(PublishedVersionError):
            services.section_add(actor=self.administrator, version=self.version, title="More")
        with pytest.raises(PublishedVersionError):
            services.band_add(
                actor=self.administrator, version=self.version, label="Very high", min_score=20, review_days=7
            )

    def test_a_published_version_cannot_be_published_again(self):
        with pytest.raises(PublishedVersionError):
            services.version_publish(actor=self.administrator, version=self.version)

    def test_editing_after_publication_creates_a_new_draft_copy(self):
        draft = services.version_draft_create(actor=self.administrator, template=self.version.template)
        assert draft.number == 2
        assert draft.state == VersionState.DRAFT
        assert list(draft.questions.values_list("code", flat=True)) == list(
            self.version.questions.values_list("code", flat=True)
        )
        weapon = draft.questions.get(code="weapon")
        assert weapon.show_if_question == draft.questions.get(code="threatened")
        assert draft.bands.count() == 3

    def test_asking_for_a_draft_twice_returns_the_same_draft(self):
        first = services.version_draft_create(actor=self.administrator, template=self.version.template)
        second = services.version_draft_create(actor=self.administrator, template=self.version.template)
        assert first == second

    def test_a_template_edited_after_use_leaves_earlier_assessments_unchanged(self):
        before = self.complete({"threatened": "yes", "weapon": "no"})
        draft = services.version_draft_create(actor=self.administrator, template=self.version.template)
        draft.bands.filter(code="high").update(min_score=3)  # a draft may change freely
        services.question_add(
            actor=self.administrator,
            section=draft.sections.all()[0],
            text="Is the victim disabled?",
            kind=QuestionKind.YES_NO,
            options=[("Yes", 5), ("No", 0)],
            required=True,
        )
        services.version_publish(actor=self.administrator, version=draft)
        before.refresh_from_db()
        assert (before.version, before.score, before.band_code) == (self.version, 3, "standard")
        assert before.answers.count() == 2

    def test_new_assessments_use_the_latest_published_version(self):
        from casebridge.assessments.selectors import published_versions

        draft = services.version_draft_create(actor=self.administrator, template=self.version.template)
        assert published_versions(partnership=self.surrey_heath) == [self.version]
        services.version_publish(actor=self.administrator, version=draft)
        assert published_versions(partnership=self.surrey_heath) == [draft]

    def test_only_administrators_build_templates(self):
        with pytest.raises(PermissionDenied):
            services.template_create(actor=self.coordinator, partnership=self.surrey_heath, name="Mine")

    def test_publishing_needs_questions_and_bands(self):
        template = services.template_create(actor=self.administrator, partnership=self.surrey_heath, name="Empty")
        with pytest.raises(ValidationError):
            services.version_publish(actor=self.administrator, version=template.versions.get())

    def test_a_condition_must_use_an_answer_of_its_question(self):
        draft = services.version_draft_create(actor=self.administrator, template=self.version.template)
        threatened = draft.questions.get(code="threatened")
        with pytest.raises(ValidationError):
            self.add_hurt_question(draft, show_if_question=threatened, show_if_value="perhaps")

    def test_a_condition_cannot_point_at_another_version(self):
        draft = services.version_draft_create(actor=self.administrator, template=self.version.template)
        with pytest.raises(ValidationError):
            self.add_hurt_question(draft, show_if_question=self.threatened, show_if_value="yes")

    def test_a_scale_question_without_options_is_graded_one_to_five(self):
        draft = services.version_draft_create(actor=self.administrator, template=self.version.template)
        question = services.question_add(
            actor=self.administrator, section=draft.sections.all()[0], text="Home conditions", kind=QuestionKind.SCALE
        )
        assert [(o.value, o.weight) for o in question.options.all()] == [(str(g), g) for g in range(1, 6)]

    def test_only_one_draft_exists_per_template_in_the_database(self):
        from django.db import IntegrityError, transaction

        services.version_draft_create(actor=self.administrator, template=self.version.template)
        with pytest.raises(IntegrityError), transaction.atomic():
            TemplateVersion.objects.create(
                partnership=self.surrey_heath, template=self.version.template, number=9, created_by=self.administrator
            )
