import datetime

from django.urls import reverse
from django.utils import timezone

from casebridge.audit.models import Action, AuditEvent
from casebridge.interventions.models import Breach, Intervention, Status
from casebridge.interventions.tests.base import InterventionsTestCase


class InterventionViewTests(InterventionsTestCase):
    def create_url(self, code: str = "") -> str:
        url = reverse("interventions:create", args=[self.case.reference])
        return f"{url}?type={code}" if code else url

    def test_choosing_a_type_lists_the_toolkit_with_ages(self):
        self.sign_in(self.asb_officer)
        response = self.client.get(self.create_url())
        self.assertContains(response, "Community Protection Notice")
        self.assertContains(response, "(16 or over)")

    def test_recording_a_cpn_for_a_child_shows_the_age_rule_against_the_person(self):
        self.sign_in(self.asb_officer)
        response = self.client.post(
            self.create_url("cpn"),
            {"type": "cpn", "subject_person": self.jamie.pk, "status": "in_force", "issued_on": "2026-01-05"},
        )
        assert response.status_code == 200
        self.assertContains(response, "A Community Protection Notice can only be issued to someone aged 16 or over;")
        assert not Intervention.objects.exists()

    def test_a_practitioner_records_an_abc_a_breach_and_escalates_to_a_cpw(self):
        self.sign_in(self.support_worker)
        issued = (timezone.localdate() - datetime.timedelta(days=20)).isoformat()
        response = self.client.post(
            self.create_url("abc"),
            {
                "type": "abc",
                "subject_person": self.jamie.pk,
                "status": "in_force",
                "issued_on": issued,
                "prohibitions": "Not to enter Heath Road car park\nNot to contact Dana Whitlock",
                "requirements": "Attend youth club weekly",
                "subject_signed": "on",
                "parent_guardian_name": "Sue Smith",
            },
        )
        abc = Intervention.objects.get()
        assert response["Location"] == reverse("interventions:detail", args=[abc.public_id])
        assert abc.conditions.count() == 3
        assert sorted(abc.signatories.values_list("role", flat=True)) == ["officer", "parent", "subject"]
        response = self.client.post(
            reverse("interventions:breach_record", args=[abc.public_id]),
            {
                "occurred_on": timezone.localdate().isoformat(),
                "details": "Seen in the car park.",
                "action_taken": "escalation",
            },
        )
        assert Breach.objects.get().action_taken == "escalation"
        assert response["Location"] == f"{self.create_url()}?subject={self.jamie.public_id}"
        abc.refresh_from_db()
        assert abc.status == Status.BREACHED

    def test_the_detail_page_shows_conditions_and_breaches_and_is_audited(self):
        cpw = self.issue("cpw", self.lee, prohibitions=["No loud music after 11pm"])
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("interventions:detail", args=[cpw.public_id]))
        self.assertContains(response, "No loud music after 11pm")
        self.assertContains(response, "Lee Carter")
        assert AuditEvent.objects.filter(action=Action.VIEWED, object_id=str(cpw.public_id)).exists()

    def test_the_status_page_offers_only_allowed_changes(self):
        cpw = self.issue("cpw", self.lee)
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("interventions:status", args=[cpw.public_id]))
        self.assertContains(response, 'value="discharged"')
        self.assertNotContains(response, 'value="proposed"')
        response = self.client.post(
            reverse("interventions:status", args=[cpw.public_id]), {"status": "discharged", "outcome": "Stopped."}
        )
        cpw.refresh_from_db()
        assert cpw.status == "discharged"

    def test_the_case_list_counts_its_queries(self):
        self.sign_in(self.asb_officer)
        url = reverse("interventions:case_list", args=[self.case.reference])
        self.issue("warning_letter", self.lee)
        self.client.get(url)
        response = self.get_in_queries(18, url)
        self.assertContains(response, "Warning letter")
        self.issue("cpw", self.lee)
        self.issue("abc", self.jamie, signatories=[("Sue Smith", "parent")])
        self.get_in_queries(18, url)


class EscalationLadderTests(InterventionsTestCase):
    def test_the_ladder_shows_each_step_in_order_with_what_was_tried(self):
        self.issue("warning_letter", self.lee, issued_on=datetime.date(2026, 1, 5))
        cpw = self.issue("cpw", self.lee, issued_on=datetime.date(2026, 2, 5))
        from casebridge.interventions.services import breach_record

        breach_record(
            actor=self.asb_officer,
            intervention=cpw,
            occurred_on=datetime.date(2026, 2, 20),
            details="Music again.",
            action_taken="escalation",
        )
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("interventions:ladder", args=[self.lee.public_id]))
        text = response.content.decode()
        assert (
            text.index("Warning letter")
            < text.index("Community Protection Warning")
            < text.index("Criminal Behaviour Order")
        )
        self.assertContains(response, "5 Jan 2026")
        self.assertContains(response, "1 breach")
        self.assertContains(response, "Not tried")

    def test_the_ladder_leaves_out_steps_on_cases_the_user_cannot_see(self):
        from casebridge.cases import services as case_services

        case_services.case_party_add(
            actor=self.asb_officer, case=self.private_case, person=self.lee, role="perpetrator"
        )
        self.issue("cpn", self.lee, case=self.private_case)
        self.sign_in(self.support_worker)
        response = self.client.get(reverse("interventions:ladder", args=[self.lee.public_id]))
        assert response.status_code == 200
        self.assertNotContains(response, self.private_case.reference)

    def test_the_ladder_counts_its_queries(self):
        self.sign_in(self.asb_officer)
        url = reverse("interventions:ladder", args=[self.lee.public_id])
        self.issue("warning_letter", self.lee)
        self.client.get(url)
        self.get_in_queries(20, url)
        self.issue("cpw", self.lee)
        self.issue("cpn", self.lee)
        self.get_in_queries(20, url)
