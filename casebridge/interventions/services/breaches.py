"""Breaches of an intervention."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.audit.services import audit_created
from casebridge.cases.models import Incident
from casebridge.cases.policy import Act, can, visible_entries
from casebridge.interventions.models import Breach, BreachAction, Intervention, Status


@transaction.atomic
def breach_record(
    *,
    actor: User,
    intervention: Intervention,
    occurred_on: datetime.date,
    details: str,
    action_taken: str,
    evidence: str = "",
    incident: Incident | None = None,
) -> Breach:
    """Record a breach; an intervention in force (or varied) becomes breached."""
    case = intervention.case
    if not can(actor, Act.CONTRIBUTE, case):
        raise PermissionDenied
    if intervention.status == Status.PROPOSED or intervention.issued_on is None:
        raise ValidationError(_("Only an intervention that has been issued can be breached."))
    if occurred_on < intervention.issued_on:
        raise ValidationError(
            {"occurred_on": _("The breach must be on or after the date the intervention was issued.")}
        )
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date of the breach must be today or in the past.")})
    if action_taken not in BreachAction.values:
        raise ValidationError({"action_taken": _("Choose the action taken.")})
    if incident is not None and not visible_entries(actor, case, Incident.objects.filter(pk=incident.pk)).exists():
        raise ValidationError({"incident": _("Choose an incident recorded on this case.")})
    breach = Breach.objects.create(
        partnership_id=case.partnership_id,
        intervention=intervention,
        occurred_on=occurred_on,
        details=details,
        evidence=evidence,
        action_taken=action_taken,
        incident=incident,
        recorded_by=actor,
    )
    if intervention.status in (Status.IN_FORCE, Status.VARIED):
        intervention.status = Status.BREACHED
        intervention.save(update_fields=["status", "updated_at"])
    audit_created(
        actor=actor,
        obj=breach,
        data={"case": case.reference, "intervention": str(intervention.public_id), "action_taken": action_taken},
    )
    return breach
