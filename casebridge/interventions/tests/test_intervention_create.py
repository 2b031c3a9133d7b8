import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casebridge.audit.models import Action, AuditEvent
from casebridge.interventions import services
from casebridge.interventions.models import Intervention, Status
from casebridge.interventions.tests.base import InterventionsTestCase, years_ago


class AgeRuleTests(InterventionsTestCase):
    def test_a_cpn_for_someone_under_16_is_refused_with_a_clear_message(self):
        with pytest.raises(ValidationError) as caught:
            self.issue("cpn", self.jamie)
        assert caught.value.message_dict["subject_person"] == [
            "A Community Protection Notice can only be issued to someone aged 16 or over; Jamie Smith is 14."
        ]
        assert not Intervention.objects.exists()

    def test_the_age_counts_on_the_issue_date(self):
        self.jamie.date_of_birth = years_ago(16, days=0)  # sixteen today
        self.jamie.save(update_fields=["date_of_birth"])
        with pytest.raises(ValidationError):
            self.issue("cpn", self.jamie, issued_on=timezone.localdate() - datetime.timedelta(days=1))
        assert self.issue("cpn", self.jamie, issued_on=timezone.localdate()).status == Status.IN_FORCE

    def test_an_injunction_needs_the_subject_to_be_ten_or_over(self):
        child = self.new_person("Kai", "Ng", date_of_birth=years_ago(9))
        from casebridge.cases import services as case_services

        case_services.case_party_add(actor=self.asb_officer, case=self.case, person=child, role="perpetrator")
        with pytest.raises(ValidationError) as caught:
            self.issue("civil_injunction", child, court="Guildford County Court")
        assert "aged 10 or over; Kai Ng is 9." in caught.value.message_dict["subject_person"][0]
        assert (
            self.issue("civil_injunction", self.jamie, court="Guildford County Court").type.code == "civil_injunction"
        )

    def test_an_unknown_age_is_refused_for_a_step_with_an_age_rule(self):
        self.lee.date_of_birth = None
        self.lee.save(update_fields=["date_of_birth"])
        with pytest.raises(ValidationError) as caught:
            self.issue("cpw", self.lee)
        assert "record Lee Carter's date of birth or age first" in caught.value.message_dict["subject_person"][0]

    def test_a_warning_letter_has_no_age_rule(self):
        assert self.issue("warning_letter", self.jamie).subject_person == self.jamie

    def test_a_cpw_can_be_issued_to_a_business(self):
        intervention = self.issue("cpw", None, subject_person=None, subject_organisation_name="Late Night Kebabs Ltd")
        assert intervention.subject_label == "Late Night Kebabs Ltd"


class SignatoryRuleTests(InterventionsTestCase):
    def test_an_abc_with_someone_under_18_needs_a_parent_or_guardian_signatory(self):
        with pytest.raises(ValidationError) as caught:
            self.issue("abc", self.jamie, signatories=[("Jamie Smith", "subject")])
        assert caught.value.message_dict["parent_guardian_name"] == [
            "Jamie Smith is 14: a parent or guardian must sign the Acceptable Behaviour Contract. Enter their name."
        ]

    def test_an_abc_with_a_parent_signatory_is_recorded_with_its_conditions(self):
        abc = self.issue(
            "abc",
            self.jamie,
            signatories=[("Jamie Smith", "subject"), ("Sue Smith", "parent")],
            prohibitions=["Not to enter Heath Road car park"],
            requirements=["Attend youth club every Tuesday"],
        )
        assert sorted(abc.signatories.values_list("role", flat=True)) == ["parent", "subject"]
        assert list(abc.conditions.values_list("kind", "text")) == [
            ("prohibition", "Not to enter Heath Road car park"),
            ("requirement", "Attend youth club every Tuesday"),
        ]

    def test_a_proposed_abc_does_not_need_signatures_yet(self):
        abc = self.issue("abc", self.jamie, status="proposed", issued_on=None)
        assert abc.status == Status.PROPOSED
        with pytest.raises(ValidationError):
            services.intervention_status_set(
                actor=self.asb_officer, intervention=abc, status="in_force", issued_on=timezone.localdate()
            )

    def test_an_abc_with_an_adult_needs_no_parent(self):
        assert self.issue("abc", self.lee).status == Status.IN_FORCE


class InterventionCreateTests(InterventionsTestCase):
    def test_review_and_expiry_default_from_the_type(self):
        issued = datetime.date(2026, 1, 10)
        abc = self.issue("abc", self.lee, issued_on=issued)
        assert abc.review_on == issued + datetime.timedelta(days=182)
        assert abc.expires_on == issued + datetime.timedelta(days=365)

    def test_a_court_order_needs_the_court(self):
        with pytest.raises(ValidationError) as caught:
            self.issue("civil_injunction", self.lee)
        assert "court" in caught.value.message_dict

    def test_a_step_only_applies_to_its_kinds_of_subject(self):
        with pytest.raises(ValidationError) as caught:
            self.issue("pspo", self.lee)
        assert caught.value.messages == ["A Public Spaces Protection Order can only apply to a place or premises."]

    def test_the_subject_must_be_a_party_to_the_case(self):
        with pytest.raises(ValidationError):
            self.issue("warning_letter", self.private_person)

    def test_someone_who_may_only_view_the_case_cannot_record_one(self):
        with pytest.raises(PermissionDenied):
            self.issue("warning_letter", self.lee, actor=self.police_officer)

    def test_creating_is_audited(self):
        intervention = self.issue("cpw", self.lee)
        event = AuditEvent.objects.get(action=Action.CREATED, object_id=str(intervention.public_id))
        assert event.data == {"case": self.case.reference, "type": "cpw", "status": "in_force", "subject": "person"}

    def test_the_database_refuses_an_intervention_without_a_subject(self):
        from django.db import IntegrityError, transaction

        intervention = self.issue("warning_letter", self.lee)
        with pytest.raises(IntegrityError), transaction.atomic():
            Intervention.objects.filter(pk=intervention.pk).update(subject_person=None)


class StatusTests(InterventionsTestCase):
    def test_an_in_force_intervention_can_be_discharged_with_a_result(self):
        cpw = self.issue("cpw", self.lee)
        services.intervention_status_set(
            actor=self.asb_officer, intervention=cpw, status="discharged", outcome="Behaviour stopped."
        )
        cpw.refresh_from_db()
        assert (cpw.status, cpw.outcome) == ("discharged", "Behaviour stopped.")

    def test_a_discharged_intervention_cannot_come_back_into_force(self):
        cpw = self.issue("cpw", self.lee)
        services.intervention_status_set(actor=self.asb_officer, intervention=cpw, status="discharged")
        with pytest.raises(ValidationError) as caught:
            services.intervention_status_set(actor=self.asb_officer, intervention=cpw, status="in_force")
        assert caught.value.message_dict["status"] == [
            "A Community Protection Warning that is discharged cannot become in force."
        ]


class ClosedCaseTests(InterventionsTestCase):
    def test_a_closed_case_takes_no_new_intervention(self):
        self.case.status, self.case.closure_reason, self.case.closed_at = "closed", "resolved", timezone.now()
        self.case.save(update_fields=["status", "closure_reason", "closed_at"])
        with pytest.raises(ValidationError) as caught:
            self.issue("warning_letter", self.lee)
        assert caught.value.messages == ["This case is closed. Reopen it to record an intervention."]
