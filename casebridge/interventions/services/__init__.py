"""Writes on interventions and breaches: checked against the case policy and the toolkit's rules.

One module per topic: the toolkit's ``rules``, the ``intervention_types``, an intervention's
``lifecycle``, ``breaches``, ``documents``, audited ``viewing`` and ``reminders``. Callers import from here.
"""

from casebridge.interventions.services.breaches import breach_record
from casebridge.interventions.services.documents import intervention_document_add
from casebridge.interventions.services.intervention_types import (
    TYPE_FIELDS,
    intervention_type_update,
    intervention_types_seed,
)
from casebridge.interventions.services.lifecycle import ALLOWED_CHANGES, intervention_create, intervention_status_set
from casebridge.interventions.services.reminders import LIVE_STATUSES, REMINDER_DAYS, intervention_reminders_send
from casebridge.interventions.services.rules import a_type, age_on, check_age
from casebridge.interventions.services.viewing import intervention_viewed, person_ladder_viewed

__all__ = [
    "ALLOWED_CHANGES",
    "LIVE_STATUSES",
    "REMINDER_DAYS",
    "TYPE_FIELDS",
    "a_type",
    "age_on",
    "breach_record",
    "check_age",
    "intervention_create",
    "intervention_document_add",
    "intervention_reminders_send",
    "intervention_status_set",
    "intervention_type_update",
    "intervention_types_seed",
    "intervention_viewed",
    "person_ladder_viewed",
]
