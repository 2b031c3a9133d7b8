from functools import partial

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from casebridge.audit.models import Action, AuditEvent
from casebridge.cases import services
from casebridge.cases.models import Case, CaseReferenceCounter, CaseType, Note, Status
from casebridge.cases.tests.base import CasesTestCase


class CaseReferenceTests(CasesTestCase):
    def test_references_follow_code_year_and_six_digits_in_sequence(self):
        year = timezone.localdate().year
        assert self.case.reference == f"SH-{year}-000001"
        assert self.private_case.reference == f"SH-{year}-000002"
        third = self.new_case(actor=self.colleague)
        assert third.reference == f"SH-{year}-000003"

    def test_each_partnership_counts_separately(self):
        case_type = CaseType.objects.get(partnership=self.runnymede, code="asb_victim")
        case = services.case_create(
            actor=self.other_partnership_user, partnership=self.runnymede, case_type=case_type, risk_level="medium"
        )
        assert case.reference.startswith("RU-")
        assert case.reference.endswith("-000001")

    def test_a_failed_create_leaves_no_gap_and_no_duplicate(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            self.new_case(risk_level="x")
        assert CaseReferenceCounter.objects.get(partnership=self.surrey_heath).last_number == 2
        case = self.new_case(risk_level="high")
        assert case.reference.endswith("-000003")

    def test_the_database_refuses_two_cases_with_one_reference(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            Case.objects.create(
                partnership=self.surrey_heath,
                reference=self.case.reference,
                case_type=self.asb_perpetrator,
                lead_organisation=self.council,
                created_by=self.asb_officer,
            )

    def test_someone_outside_the_partnership_cannot_create_a_case_there(self):
        with pytest.raises(PermissionDenied):
            self.new_case(actor=self.other_partnership_user)


class CaseUpdateTests(CasesTestCase):
    def test_an_update_is_audited_field_by_field(self):
        services.case_update(
            actor=self.asb_officer, case=self.case, version=self.case.version, values={"risk_level": "medium"}
        )
        event = AuditEvent.objects.filter(action=Action.CHANGED, object_id=str(self.case.public_id)).first()
        assert event is not None
        assert event.data["changes"] == {"risk_level": {"from": "high", "to": "medium"}}

    def test_a_stale_edit_is_refused_and_says_what_changed(self):
        error = self.refused_stale_edit(
            partial(services.case_update, case=self.case),
            version=self.case.version,
            first={"summary": "Colin's summary"},
            second={"summary": "Alex's summary"},
        )
        assert error.changes["summary"]["to"] == "Colin's summary"
        assert "summary" in str(error)
        self.case.refresh_from_db()
        assert self.case.summary == "Colin's summary"

    def test_a_support_worker_with_contribute_access_cannot_change_the_case(self):
        with pytest.raises(PermissionDenied):
            services.case_update(
                actor=self.support_worker, case=self.case, version=self.case.version, values={"summary": "x"}
            )


class CaseCloseAndReopenTests(CasesTestCase):
    def test_closing_records_reason_outcome_and_a_timeline_entry(self):
        case = services.case_close(
            actor=self.asb_officer,
            case=self.case,
            version=self.case.version,
            closure_reason="resolved",
            outcome="Behaviour stopped.",
        )
        assert case.status == Status.CLOSED
        assert case.closed_at is not None
        assert Note.objects.filter(case=case, kind=Note.Kind.STATUS, text__startswith="Closed").exists()

    def test_reopening_is_recorded_with_its_reason(self):
        case = services.case_close(
            actor=self.asb_officer, case=self.case, version=self.case.version, closure_reason="resolved", outcome="ok"
        )
        case = services.case_reopen(actor=self.asb_officer, case=case, version=case.version, reason="New incidents")
        assert case.status == Status.OPEN
        assert case.closure_reason == ""
        event = AuditEvent.objects.filter(action=Action.CHANGED, object_id=str(case.public_id)).first()
        assert event is not None
        assert event.data["reopened"] == "New incidents"

    def test_the_database_refuses_a_closed_case_without_a_reason(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            Case.objects.filter(pk=self.case.pk).update(status=Status.CLOSED, closed_at=timezone.now())
