"""Audited views of interventions and of a person's escalation ladder."""

from django.db import transaction

from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import audit_on_record
from casebridge.cases.services import case_record_viewed
from casebridge.interventions.models import Intervention
from casebridge.people.models import Person


def intervention_viewed(*, actor: User, intervention: Intervention) -> None:
    case_record_viewed(actor=actor, record=intervention, case=intervention.case)


@transaction.atomic
def person_ladder_viewed(*, actor: User, person: Person) -> None:
    audit_on_record(
        Action.VIEWED,
        actor=actor,
        obj=person,
        data={"page": "escalation_ladder"},
    )
