import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casebridge.cases import services as case_services
from casebridge.interventions import services
from casebridge.interventions.models import BreachAction, Status
from casebridge.interventions.tests.base import InterventionsTestCase


class BreachRecordTests(InterventionsTestCase):
    def test_a_breach_is_recorded_with_its_incident_and_marks_the_intervention_breached(self):
        abc = self.issue("abc", self.lee)
        incident = case_services.incident_record(
            actor=self.asb_officer,
            case=self.case,
            occurred_at=timezone.now(),
            reported_on=timezone.localdate(),
            category=self.category,
            description="Shouting at the neighbour again.",
        )
        breach = services.breach_record(
            actor=self.support_worker,
            intervention=abc,
            occurred_on=timezone.localdate(),
            details="Entered the car park.",
            evidence="CCTV reference 42",
            action_taken=BreachAction.ESCALATION,
            incident=incident,
        )
        abc.refresh_from_db()
        assert abc.status == Status.BREACHED
        assert (breach.incident, breach.recorded_by) == (incident, self.support_worker)

    def test_a_proposed_intervention_cannot_be_breached(self):
        abc = self.issue("abc", self.lee, status="proposed", issued_on=None)
        with pytest.raises(ValidationError):
            services.breach_record(
                actor=self.asb_officer,
                intervention=abc,
                occurred_on=timezone.localdate(),
                details="x",
                action_taken=BreachAction.WARNING,
            )

    def test_a_breach_before_the_issue_date_is_refused(self):
        cpw = self.issue("cpw", self.lee)
        with pytest.raises(ValidationError) as caught:
            services.breach_record(
                actor=self.asb_officer,
                intervention=cpw,
                occurred_on=timezone.localdate() - datetime.timedelta(days=11),  # issued 10 days ago
                details="x",
                action_taken=BreachAction.WARNING,
            )
        assert "occurred_on" in caught.value.message_dict

    def test_an_incident_from_another_case_cannot_be_linked(self):
        cpw = self.issue("cpw", self.lee)
        other = case_services.incident_record(
            actor=self.asb_officer,
            case=self.private_case,
            occurred_at=timezone.now(),
            reported_on=timezone.localdate(),
            category=self.category,
            description="Elsewhere.",
        )
        with pytest.raises(ValidationError):
            services.breach_record(
                actor=self.asb_officer,
                intervention=cpw,
                occurred_on=timezone.localdate(),
                details="x",
                action_taken=BreachAction.FIXED_PENALTY,
                incident=other,
            )
