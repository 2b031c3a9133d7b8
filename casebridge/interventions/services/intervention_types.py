"""The partnership's toolkit: the default intervention types and their settings."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.audit.services import audit_changed, changes_between
from casebridge.interventions.models import InterventionType, SubjectKind
from casebridge.interventions.toolkit import TOOLKIT
from casebridge.organisations.models import Partnership


@transaction.atomic
def intervention_types_seed(*, partnership: Partnership) -> int:
    """The default toolkit for a partnership; existing types are left as configured."""
    created = 0
    for step in TOOLKIT:
        _type, was_created = InterventionType.objects.get_or_create(
            partnership=partnership,
            code=step.code,
            defaults={
                "name": step.name,
                "rank": step.rank,
                "min_age": step.min_age,
                "needs_court": step.needs_court,
                "parent_signatory_under_18": step.parent_signatory_under_18,
                "subject_kinds": step.subject_kinds,
                "default_review_days": step.review_days,
                "default_expiry_days": step.expiry_days,
            },
        )
        created += was_created
    return created


TYPE_FIELDS = (
    "name",
    "rank",
    "min_age",
    "needs_court",
    "parent_signatory_under_18",
    "subject_kinds",
    "default_review_days",
    "default_expiry_days",
    "is_active",
)


@transaction.atomic
def intervention_type_update(*, actor: User, type_: InterventionType, values: dict[str, Any]) -> InterventionType:
    if not holds(actor, Capability.CONFIGURE_PARTNERSHIP, type_.partnership_id):
        raise PermissionDenied
    unknown = set(values) - set(TYPE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    kinds = [k.strip() for k in str(values.get("subject_kinds", type_.subject_kinds)).split(",") if k.strip()]
    if not kinds or set(kinds) - set(SubjectKind.values):
        raise ValidationError({"subject_kinds": _("Use person, organisation or location, separated by commas.")})
    values["subject_kinds"] = ",".join(kinds)
    before = {name: getattr(type_, name) for name in values}
    for name, value in values.items():
        setattr(type_, name, value)
    type_.save(update_fields=list(values))
    audit_changed(
        actor=actor,
        obj=type_,
        data={"changes": changes_between(before, values)},
    )
    return type_
