"""Writes on interventions and breaches: checked against the case policy and the toolkit's rules."""

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.assessments.models import AlertKind
from casebridge.assessments.services import alert_create
from casebridge.audit.models import Action
from casebridge.audit.services import audit_record, changes_between
from casebridge.cases import services as case_services
from casebridge.cases.models import Case, CaseLocation, CaseParty, Document, Incident, Restriction
from casebridge.cases.policy import Act, can
from casebridge.interventions.models import (
    Breach,
    BreachAction,
    Condition,
    ConditionKind,
    Intervention,
    InterventionDocument,
    InterventionType,
    Signatory,
    SignatoryRole,
    Status,
    SubjectKind,
)
from casebridge.interventions.toolkit import TOOLKIT
from casebridge.organisations.models import Partnership, Role
from casebridge.people.models import Location, Person

if TYPE_CHECKING:
    from casebridge.accounts.models import User

LIVE_STATUSES = (Status.IN_FORCE, Status.BREACHED, Status.VARIED)


def age_on(person: Person, day: datetime.date) -> int | None:
    """Age in whole years on a day; the approximate age when no date of birth is known."""
    born = person.date_of_birth
    if born is None:
        return person.approximate_age
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def a_type(type_: InterventionType) -> str:
    """The type's name with its indefinite article, capitalised to open a sentence."""
    article = "An" if type_.name[:1].lower() in "aeiou" else "A"
    return f"{article} {type_.name}"


def check_age(*, type_: InterventionType, person: Person, on: datetime.date) -> None:
    """The toolkit's age rules, with a message that names the rule, the person and their age."""
    if type_.min_age is None:
        return
    age = age_on(person, on)
    if age is None:
        raise ValidationError(
            {
                "subject_person": _(
                    "%(a_type)s can only be issued to someone aged %(min)s or over; record %(name)s's date of "
                    "birth or age first."
                )
                % {"a_type": a_type(type_), "min": type_.min_age, "name": person.full_name}
            }
        )
    if age < type_.min_age:
        raise ValidationError(
            {
                "subject_person": _(
                    "%(a_type)s can only be issued to someone aged %(min)s or over; %(name)s is %(age)s."
                )
                % {"a_type": a_type(type_), "min": type_.min_age, "name": person.full_name, "age": age}
            }
        )


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
def intervention_type_update(*, actor: "User", type_: InterventionType, values: dict[str, Any]) -> InterventionType:
    if actor.role_in(type_.partnership) != Role.ADMINISTRATOR:
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
    audit_record(
        actor=actor,
        action=Action.CHANGED,
        partnership_id=type_.partnership_id,
        obj=type_,
        data={"changes": changes_between(before, values)},
    )
    return type_


def _check_subject(
    *,
    case: Case,
    type_: InterventionType,
    person: Person | None,
    organisation_name: str,
    location: Location | None,
) -> str:
    given = [
        kind
        for kind, value in (("person", person), ("organisation", organisation_name), ("location", location))
        if value
    ]
    if len(given) != 1:
        raise ValidationError(_("Choose exactly one subject: a person, a business or body, or a place."))
    kind = given[0]
    if kind not in type_.allowed_subjects:
        allowed = ", ".join(str(SubjectKind(k).label).lower() for k in type_.allowed_subjects)
        raise ValidationError(
            _("%(a_type)s can only apply to %(allowed)s.") % {"a_type": a_type(type_), "allowed": allowed}
        )
    if person is not None and not CaseParty.objects.filter(case=case, person=person).exists():
        raise ValidationError({"subject_person": _("Choose someone who is a party to this case.")})
    if location is not None and not CaseLocation.objects.filter(case=case, location=location).exists():
        raise ValidationError({"subject_location": _("Choose a place linked to this case.")})
    return kind


def _check_issue_rules(
    *,
    type_: InterventionType,
    person: Person | None,
    status: str,
    issued_on: datetime.date | None,
    court: str,
    signatories: Sequence[tuple[str, str]],
) -> None:
    if status != Status.PROPOSED and issued_on is None:
        raise ValidationError({"issued_on": _("Enter the date it was issued.")})
    if person is not None:
        check_age(type_=type_, person=person, on=issued_on or timezone.localdate())
    if status == Status.PROPOSED:
        return
    if type_.needs_court and not court.strip():
        raise ValidationError(
            {"court": _("%(a_type)s is made by a court: enter the court.") % {"a_type": a_type(type_)}}
        )
    if type_.parent_signatory_under_18 and person is not None:
        age = age_on(person, issued_on or timezone.localdate())
        if age is not None and age < 18 and not any(role == SignatoryRole.PARENT for _name, role in signatories):
            raise ValidationError(
                {
                    "parent_guardian_name": _(
                        "%(name)s is %(age)s: a parent or guardian must sign the %(type)s. Enter their name."
                    )
                    % {"name": person.full_name, "age": age, "type": type_.name}
                }
            )


@transaction.atomic
def intervention_create(
    *,
    actor: "User",
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
    kind = _check_subject(
        case=case,
        type_=type_,
        person=subject_person,
        organisation_name=subject_organisation_name,
        location=subject_location,
    )
    _check_issue_rules(
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
    audit_record(
        actor=actor,
        action=Action.CREATED,
        partnership_id=case.partnership_id,
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
    actor: "User",
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
        _check_issue_rules(
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
    audit_record(
        actor=actor,
        action=Action.CHANGED,
        partnership_id=intervention.partnership_id,
        obj=intervention,
        data={"case": intervention.case.reference, "changes": changes_between(before, after)},
    )
    return intervention


@transaction.atomic
def breach_record(
    *,
    actor: "User",
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
    if incident is not None and incident.case_id != case.pk:
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
    audit_record(
        actor=actor,
        action=Action.CREATED,
        partnership_id=case.partnership_id,
        obj=breach,
        data={"case": case.reference, "intervention": str(intervention.public_id), "action_taken": action_taken},
    )
    return breach


@transaction.atomic
def intervention_document_add(
    *,
    actor: "User",
    intervention: Intervention,
    file: UploadedFile,
    title: str,
    restriction: str = Restriction.NONE,
    restricted_to: list["User"] | None = None,
) -> Document:
    """Files a document on the intervention: a case document (same checks, storage, audit and policy), linked."""
    case = intervention.case
    document = case_services.document_upload(
        actor=actor, case=case, file=file, title=title, restriction=restriction, restricted_to=restricted_to
    )
    InterventionDocument.objects.create(intervention=intervention, document=document)
    audit_record(
        actor=actor,
        action=Action.CHANGED,
        partnership_id=case.partnership_id,
        obj=intervention,
        data={"case": case.reference, "document_added": str(document.public_id)},
    )
    return document


@transaction.atomic
def intervention_viewed(*, actor: "User", intervention: Intervention) -> None:
    audit_record(
        actor=actor,
        action=Action.VIEWED,
        partnership_id=intervention.partnership_id,
        obj=intervention,
        data={"case": intervention.case.reference},
    )


@transaction.atomic
def person_ladder_viewed(*, actor: "User", person: Person) -> None:
    audit_record(
        actor=actor,
        action=Action.VIEWED,
        partnership_id=person.partnership_id,
        obj=person,
        data={"page": "escalation_ladder"},
    )


REMINDER_DAYS = 7


def intervention_reminders_send(*, today: datetime.date | None = None, days_ahead: int = REMINDER_DAYS) -> int:
    """Alert the issuing officer and the case's lead officer before review and expiry dates.

    Idempotent per intervention, date and recipient. Emails carry only the case reference and a link.
    """
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=days_ahead)
    due = (
        Intervention.objects.filter(status__in=LIVE_STATUSES)
        .filter(Q(review_on__range=(today, horizon)) | Q(expires_on__range=(today, horizon)))
        .select_related("case__lead_officer", "issuing_officer", "type")
    )
    sent = 0
    for intervention in due:
        for kind, day in (
            (AlertKind.INTERVENTION_REVIEW, intervention.review_on),
            (AlertKind.INTERVENTION_EXPIRY, intervention.expires_on),
        ):
            if day is None or not today <= day <= horizon:
                continue
            sent += _remind(intervention, kind=kind, day=day)
    return sent


@transaction.atomic
def _remind(intervention: Intervention, *, kind: str, day: datetime.date) -> int:
    case = intervention.case
    link = reverse("interventions:detail", args=[intervention.public_id])
    if kind == AlertKind.INTERVENTION_REVIEW:
        message = _("%(ref)s: %(type)s due for review on %(day)s.")
    else:
        message = _("%(ref)s: %(type)s expires on %(day)s.")
    message = message % {"ref": case.reference, "type": intervention.type.name, "day": day.strftime("%d %B %Y")}
    recipients = {u.pk: u for u in (intervention.issuing_officer, case.lead_officer) if u is not None and u.is_active}
    sent = 0
    for user in recipients.values():
        if not can(user, Act.VIEW, case):
            continue
        alert = alert_create(
            recipient=user,
            case=case,
            kind=kind,
            message=message,
            link=link,
            dedupe_key=f"{intervention.public_id}:{day.isoformat()}",
        )
        if alert is None:
            continue
        sent += 1
        send_mail(
            subject=_("Casebridge reminder for %(ref)s") % {"ref": case.reference},
            message=message + "\n\n" + settings.SITE_URL + link,
            from_email=None,
            recipient_list=[user.email],
        )
    return sent
