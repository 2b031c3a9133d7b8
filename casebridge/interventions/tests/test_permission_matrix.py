"""Every URL the assessments and interventions apps add, against every persona.

Assessments and interventions are visible exactly when their case is (rule 6 in docs/access-model.md): the status
code must match the policy and no name a persona may not see may appear in the response.
"""

from django.urls import reverse

from casebridge.assessments import services as assessment_services
from casebridge.assessments.models import Alert, Assessment, TemplateVersion
from casebridge.assessments.tests.base import AssessmentsTestCase
from casebridge.cases.tests.base import PRIVATE_SUBJECT, SHARED_VICTIM
from casebridge.interventions.models import Intervention
from casebridge.interventions.tests.base import InterventionsTestCase

OK, GONE = 200, 404
SHARED_SUBJECT = "Lee Carter"


class PermissionMatrixTests(AssessmentsTestCase, InterventionsTestCase):
    assessment: Assessment
    private_assessment: Assessment
    draft: TemplateVersion
    intervention: Intervention
    private_intervention: Intervention

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        officer = cls.asb_officer
        cls.assessment = assessment_services.assessment_complete(
            actor=officer, case=cls.case, version=cls.version, answers={"threatened": "no"}, person=cls.victim
        )
        cls.private_assessment = assessment_services.assessment_complete(
            actor=officer,
            case=cls.private_case,
            version=cls.version,
            answers={"threatened": "no"},
            person=cls.private_person,
        )
        cls.draft = assessment_services.version_draft_create(actor=cls.administrator, template=cls.version.template)

    def setUp(self) -> None:
        self.intervention = self.issue("warning_letter", self.lee)
        self.private_intervention = self.issue("warning_letter", self.private_person, case=self.private_case)

    def urls(self) -> dict[str, str]:
        ref, private = self.case.reference, self.private_case.reference
        version, draft = self.version.public_id, self.draft.public_id
        return {
            "templates": reverse("assessments:templates"),
            "template_create": reverse("assessments:template_create"),
            "version": reverse("assessments:version", args=[version]),
            "section_add": reverse("assessments:section_add", args=[draft]),
            "question_add": reverse("assessments:question_add", args=[draft]),
            "band_add": reverse("assessments:band_add", args=[draft]),
            "reviews_due": reverse("assessments:reviews_due"),
            "alerts": reverse("assessments:alerts"),
            "assessment": reverse("assessments:detail", args=[self.assessment.public_id]),
            "private_assessment": reverse("assessments:detail", args=[self.private_assessment.public_id]),
            "case_assessments": reverse("assessments:case_list", args=[ref]),
            "private_case_assessments": reverse("assessments:case_list", args=[private]),
            "choose": reverse("assessments:choose", args=[ref]),
            "complete": reverse("assessments:complete", args=[ref, version]),
            "private_complete": reverse("assessments:complete", args=[private, version]),
            "types": reverse("interventions:types"),
            "type_edit": reverse("interventions:type_edit", args=["cpn"]),
            "intervention": reverse("interventions:detail", args=[self.intervention.public_id]),
            "private_intervention": reverse("interventions:detail", args=[self.private_intervention.public_id]),
            "status": reverse("interventions:status", args=[self.intervention.public_id]),
            "breach_record": reverse("interventions:breach_record", args=[self.intervention.public_id]),
            "private_breach_record": reverse("interventions:breach_record", args=[self.private_intervention.public_id]),
            "document_add": reverse("interventions:document_add", args=[self.intervention.public_id]),
            "private_document_add": reverse("interventions:document_add", args=[self.private_intervention.public_id]),
            "ladder": reverse("interventions:ladder", args=[self.lee.public_id]),
            "private_ladder": reverse("interventions:ladder", args=[self.private_person.public_id]),
            "case_interventions": reverse("interventions:case_list", args=[ref]),
            "private_case_interventions": reverse("interventions:case_list", args=[private]),
            "create": reverse("interventions:create", args=[ref]),
            "create_cpw": reverse("interventions:create", args=[ref]) + "?type=cpw",
            "private_create": reverse("interventions:create", args=[private]),
        }

    def expectations(self) -> dict[str, tuple[dict[str, int], list[str]]]:
        everything = dict.fromkeys(self.urls(), OK)
        admin_only = [
            "templates",
            "template_create",
            "version",
            "section_add",
            "question_add",
            "band_add",
            "types",
            "type_edit",
        ]
        lead = {**everything, **dict.fromkeys(admin_only, GONE)}
        support = {**lead, **{name: GONE for name in everything if name.startswith("private_")}}
        nothing = {**dict.fromkeys(everything, GONE), "reviews_due": OK, "alerts": OK}
        hidden_all = [SHARED_VICTIM, PRIVATE_SUBJECT, SHARED_SUBJECT]
        return {
            "administrator": (everything, []),
            "asb_officer": (lead, []),
            "colleague": (lead, []),
            "support_worker": (support, [PRIVATE_SUBJECT]),
            "police_officer": (nothing, hidden_all),
            "other_partnership_user": (nothing, hidden_all),
            "auditor": (nothing, hidden_all),
        }

    def test_every_url_answers_each_persona_as_the_policy_says_and_leaks_no_hidden_name(self):
        self.assert_url_matrix(self.urls(), self.expectations())

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        for name, url in self.urls().items():
            with self.subTest(url=name):
                response = self.client.get(url)
                assert response.status_code == 302
                assert reverse("accounts:sign_in") in response["Location"]

    def test_only_administrators_may_publish_or_start_a_draft(self):
        for persona in ("asb_officer", "support_worker", "other_partnership_user"):
            self.sign_in(getattr(self, persona))
            for name, version in (("publish", self.draft), ("new_draft", self.version)):
                with self.subTest(persona=persona, url=name):
                    response = self.client.post(reverse(f"assessments:{name}", args=[version.public_id]))
                    assert response.status_code == GONE

    def test_only_the_recipient_may_mark_an_alert_as_read(self):
        alert = Alert.objects.create(
            partnership=self.surrey_heath,
            recipient=self.asb_officer,
            case=self.case,
            kind="high_risk",
            message="m",
            link="/",
        )
        url = reverse("assessments:alert_read", args=[alert.public_id])
        for persona in ("administrator", "colleague", "support_worker", "police_officer", "other_partnership_user"):
            self.sign_in(getattr(self, persona))
            with self.subTest(persona=persona):
                assert self.client.post(url).status_code == GONE
        self.client.logout()
        assert self.client.post(url).status_code == 302  # anonymous: to sign in
        self.sign_in(self.asb_officer)
        assert self.client.post(url).status_code == 302
        alert.refresh_from_db()
        assert alert.read_at is not None

    def test_someone_who_cannot_contribute_gets_404_when_posting_a_breach_or_an_assessment(self):
        self.sign_in(self.police_officer)
        breach = self.client.post(
            reverse("interventions:breach_record", args=[self.intervention.public_id]),
            {"occurred_on": "2026-01-01", "details": "x", "action_taken": "warning"},
        )
        complete = self.client.post(
            reverse("assessments:complete", args=[self.case.reference, self.version.public_id]), {"q_threatened": "no"}
        )
        assert (breach.status_code, complete.status_code) == (GONE, GONE)
