import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casebridge.interventions import services
from casebridge.interventions.models import Breach, BreachAction, Intervention, Status
from casebridge.interventions.tests.base import InterventionsTestCase


class BreachRecordTests(InterventionsTestCase):
    def breach(self, intervention: Intervention, *, occurred_on: datetime.date | None = None, **fields: Any) -> Breach:
        """Alex records a breach of ``intervention`` today (unless told) and gives a warning (unless told)."""
        fields.setdefault("actor", self.asb_officer)
        fields.setdefault("details", "x")
        fields.setdefault("action_taken", BreachAction.WARNING)
        return services.breach_record(
            intervention=intervention, occurred_on=occurred_on or timezone.localdate(), **fields
        )

    def test_a_breach_is_recorded_with_its_incident_and_marks_the_intervention_breached(self):
        abc = self.issue("abc", self.lee)
        incident = self.record_incident(description="Shouting at the neighbour again.")
        breach = self.breach(
            abc,
            actor=self.support_worker,
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
            self.breach(abc)

    def test_a_breach_before_the_issue_date_is_refused(self):
        cpw = self.issue("cpw", self.lee)
        with pytest.raises(ValidationError) as caught:
            self.breach(cpw, occurred_on=timezone.localdate() - datetime.timedelta(days=11))  # issued 10 days ago
        assert "occurred_on" in caught.value.message_dict

    def test_an_incident_from_another_case_cannot_be_linked(self):
        cpw = self.issue("cpw", self.lee)
        other = self.record_incident(case=self.private_case, description="Elsewhere.")
        with pytest.raises(ValidationError):
            self.breach(cpw, action_taken=BreachAction.FIXED_PENALTY, incident=other)
