"""Exports of the partnership's review figures, audited."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import audit_record
from casebridge.organisations.models import Partnership


@transaction.atomic
def figures_exported(*, actor: User, partnership: Partnership, years: list[int]) -> None:
    if not holds(actor, Capability.VIEW_FIGURES, partnership.pk):
        raise PermissionDenied
    audit_record(
        actor=actor,
        action=Action.EXPORTED,
        partnership_id=partnership.pk,
        object_type="case_review_figures",
        object_label="ASB Case Review figures",
        data={"years": years},
    )
