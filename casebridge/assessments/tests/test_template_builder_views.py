from django.urls import reverse

from casebridge.assessments import services
from casebridge.assessments.models import AssessmentTemplate, Question, VersionState
from casebridge.assessments.tests.base import AssessmentsTestCase


class TemplateBuilderViewTests(AssessmentsTestCase):
    def test_an_administrator_builds_and_publishes_a_template_through_the_pages(self):
        self.sign_in(self.administrator)
        response = self.client.post(
            reverse("assessments:template_create"), {"name": "Witness risk", "kind": "risk", "description": ""}
        )
        version = AssessmentTemplate.objects.get(name="Witness risk").versions.get()
        assert response["Location"] == reverse("assessments:version", args=[version.public_id])
        self.client.post(reverse("assessments:section_add", args=[version.public_id]), {"title": "Safety"})
        section = version.sections.get()
        response = self.client.post(
            reverse("assessments:question_add", args=[version.public_id]),
            {
                "section": section.pk,
                "text": "Has the witness been threatened?",
                "kind": "yes_no",
                "options": "Yes = 5\nNo = 0",
                "required": "on",
            },
        )
        assert response.status_code == 302
        threatened = Question.objects.get(version=version)
        response = self.client.post(
            reverse("assessments:question_add", args=[version.public_id]),
            {
                "section": section.pk,
                "text": "By whom?",
                "kind": "text",
                "show_if_question": threatened.pk,
                "show_if_value": "Yes",
            },
        )
        assert response.status_code == 302
        assert version.questions.get(text="By whom?").show_if_value == "yes"
        for label, score, days in (("Standard", 0, 28), ("High", 5, 14)):
            self.client.post(
                reverse("assessments:band_add", args=[version.public_id]),
                {"label": label, "min_score": score, "review_days": days},
            )
        self.client.post(reverse("assessments:publish", args=[version.public_id]))
        version.refresh_from_db()
        assert version.state == VersionState.PUBLISHED
        page = self.client.get(reverse("assessments:version", args=[version.public_id]))
        self.assertContains(page, "can no longer be changed")
        self.assertNotContains(page, reverse("assessments:question_add", args=[version.public_id]))

    def test_a_published_version_has_no_edit_pages(self):
        self.sign_in(self.administrator)
        for name in ("section_add", "question_add", "band_add"):
            with self.subTest(name):
                assert self.client.get(reverse(f"assessments:{name}", args=[self.version.public_id])).status_code == 404

    def test_badly_written_weights_get_a_specific_message(self):
        self.sign_in(self.administrator)
        draft = services.template_create(
            actor=self.administrator, partnership=self.surrey_heath, name="X"
        ).versions.get()
        services.section_add(actor=self.administrator, version=draft, title="S")
        response = self.client.post(
            reverse("assessments:question_add", args=[draft.public_id]),
            {"section": draft.sections.get().pk, "text": "Q", "kind": "choice", "options": "A = lots\nB = 1"},
        )
        self.assertContains(response, "Line 1: write the answer, then “=”, then a whole number")

    def test_publishing_without_bands_explains_why_not(self):
        self.sign_in(self.administrator)
        response = self.client.post(reverse("assessments:template_create"), {"name": "Empty", "kind": "risk"})
        response = self.client.post(response["Location"] + "publish/", follow=True)
        self.assertContains(response, "Add at least one question before publishing.")

    def test_edit_as_new_draft_copies_the_published_version(self):
        self.sign_in(self.administrator)
        response = self.client.post(reverse("assessments:new_draft", args=[self.version.public_id]))
        draft = self.version.template.versions.get(number=2)
        assert response["Location"] == reverse("assessments:version", args=[draft.public_id])

    def test_the_template_list_counts_its_queries(self):
        self.sign_in(self.administrator)
        for n in range(3):
            services.template_create(actor=self.administrator, partnership=self.surrey_heath, name=f"T{n}")
        self.client.get(reverse("assessments:templates"))
        # Session, user, memberships, organisation, templates, session save (3), the request's savepoint (2).
        response = self.get_in_queries(10, reverse("assessments:templates"))
        assert response.status_code == 200
