"""Recording an intervention on a case and moving it on: proposed, in force, breached, ended."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.audit.services import audit_changed, audit_created, changes_between
from casebridge.cases.models import Case
from casebridge.cases.policy import Act, can
from casebridge.interventions.models import Condition, ConditionKind, Intervention, InterventionType, Signatory, Status
from casebridge.interventions.services.rules import a_type, check_issue_rules, check_subject
from casebridge.people.models import Location, Person


@transaction.atomic
def intervention_create(
    *,
    actor: User,
    case: Case,
    type_: InterventionType,
    subject_person: Person | None = None,
    subject_organisation_name: str = "",
    subject_location: Location | None = None,
    status: str = Status.PROPOSED,
    issued_on: datetime.date | None = None,
    court: str = "",
    hearing_on: datetime.date | None = None,
    review_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    details: str = "",
    prohibitions: Sequence[str] = (),
    requirements: Sequence[str] = (),
    signatories: Sequence[tuple[str, str]] = (),
) -> Intervention:
    """Record a step of the toolkit on a case; age, court and signatory rules are enforced.

    Review and expiry dates default from the type's periods counted from the issue date.
    """
    if not can(actor, Act.CONTRIBUTE, case) or actor.organisation is None:
        raise PermissionDenied
    if case.is_closed:
        raise ValidationError(_("This case is closed. Reopen it to record an intervention."))
    if type_.partnership_id != case.partnership_id or not type_.is_active:
        raise ValidationError(_("Choose one of this partnership's interventions."))
    if status not in (Status.PROPOSED, Status.IN_FORCE):
        raise ValidationError({"status": _("A new intervention is either proposed or in force.")})
    kind = check_subject(
        case=case,
        type_=type_,
        person=subject_person,
        organisation_name=subject_organisation_name,
        location=subject_location,
    )
    check_issue_rules(
        type_=type_, person=subject_person, status=status, issued_on=issued_on, court=court, signatories=signatories
    )
    if issued_on is not None:
        if review_on is None and type_.default_review_days:
            review_on = issued_on + datetime.timedelta(days=type_.default_review_days)
        if expires_on is None and type_.default_expiry_days:
            expires_on = issued_on + datetime.timedelta(days=type_.default_expiry_days)
        if expires_on is not None and expires_on < issued_on:
            raise ValidationError({"expires_on": _("The expiry date must be on or after the date issued.")})
    intervention = Intervention.objects.create(
        partnership_id=case.partnership_id,
        case=case,
        type=type_,
        subject_kind=kind,
        subject_person=subject_person,
        subject_organisation_name=subject_organisation_name.strip(),
        subject_location=subject_location,
        status=status,
        issued_on=issued_on,
        issuing_organisation=actor.organisation,
        issuing_officer=actor,
        court=court,
        hearing_on=hearing_on,
        review_on=review_on,
        expires_on=expires_on,
        details=details,
        created_by=actor,
    )
    conditions = [(ConditionKind.PROHIBITION, text) for text in prohibitions if text.strip()]
    conditions += [(ConditionKind.REQUIREMENT, text) for text in requirements if text.strip()]
    Condition.objects.bulk_create(
        Condition(intervention=intervention, kind=kind_, text=text.strip(), order=index)
        for index, (kind_, text) in enumerate(conditions)
    )
    Signatory.objects.bulk_create(
        Signatory(intervention=intervention, name=name.strip(), role=role, signed_on=issued_on)
        for name, role in signatories
        if name.strip()
    )
    audit_created(
        actor=actor,
        obj=intervention,
        data={"case": case.reference, "type": type_.code, "status": status, "subject": kind},
    )
    return intervention


ALLOWED_CHANGES: dict[str, set[str]] = {
    Status.PROPOSED: {Status.IN_FORCE, Status.DISCHARGED},
    Status.IN_FORCE: {Status.BREACHED, Status.EXPIRED, Status.DISCHARGED, Status.VARIED},
    Status.BREACHED: {Status.IN_FORCE, Status.EXPIRED, Status.DISCHARGED, Status.VARIED},
    Status.VARIED: {Status.IN_FORCE, Status.BREACHED, Status.EXPIRED, Status.DISCHARGED},
    Status.EXPIRED: set(),
    Status.DISCHARGED: set(),
}


@transaction.atomic
def intervention_status_set(
    *,
    actor: User,
    intervention: Intervention,
    status: str,
    outcome: str = "",
    issued_on: datetime.date | None = None,
) -> Intervention:
    """Move an intervention on (e.g. proposed to in force, in force to discharged)."""
    intervention = (
        Intervention.objects.select_for_update(of=("self",))
        .select_related("type", "case", "subject_person")
        .get(pk=intervention.pk)
    )
    if not can(actor, Act.CONTRIBUTE, intervention.case):
        raise PermissionDenied
    if status not in ALLOWED_CHANGES.get(intervention.status, set()):
        raise ValidationError(
            {
                "status": _("%(a_type)s that is %(from)s cannot become %(to)s.")
                % {
                    "a_type": a_type(intervention.type),
                    "from": intervention.get_status_display().lower(),
                    "to": str(Status(status).label).lower() if status in Status.values else status,
                }
            }
        )
    before = {"status": intervention.status, "outcome": intervention.outcome, "issued_on": intervention.issued_on}
    if status == Status.IN_FORCE and intervention.issued_on is None:
        if issued_on is None:
            raise ValidationError({"issued_on": _("Enter the date it was issued.")})
        signatories = list(intervention.signatories.values_list("name", "role"))
        check_issue_rules(
            type_=intervention.type,
            person=intervention.subject_person,
            status=status,
            issued_on=issued_on,
            court=intervention.court,
            signatories=signatories,
        )
        intervention.issued_on = issued_on
    intervention.status = status
    if outcome:
        intervention.outcome = outcome
    intervention.save(update_fields=["status", "outcome", "issued_on", "updated_at"])
    after = {"status": intervention.status, "outcome": intervention.outcome, "issued_on": intervention.issued_on}
    audit_changed(
        actor=actor,
        obj=intervention,
        data={"case": intervention.case.reference, "changes": changes_between(before, after)},
    )
    return intervention
