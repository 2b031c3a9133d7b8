"""Writes on cases: each checks the access policy and audits in the same transaction."""

import datetime
import uuid
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import (
    PendingEvent,
    audit_changed,
    audit_created,
    audit_on_record,
    audit_record,
    audit_record_batch,
    changes_between,
)
from casebridge.audit.versioning import versioned_update
from casebridge.cases import documents
from casebridge.cases.models import (
    SEED_CASE_TYPES,
    Case,
    CaseLink,
    CaseLocation,
    CaseParty,
    CaseReferenceCounter,
    CaseType,
    Document,
    Incident,
    IncidentCategory,
    IncidentGroup,
    Note,
    Restriction,
    Status,
)
from casebridge.cases.policy import Act, can, does_casework_in
from casebridge.lib.actors import require
from casebridge.organisations.models import Organisation, Partnership


class PartnershipRecord(Protocol):
    """A person or a place as a case links to it: people sits above cases, so it is named by shape."""

    @property
    def pk(self) -> Any: ...

    @property
    def public_id(self) -> uuid.UUID: ...

    @property
    def partnership_id(self) -> int: ...


SEED_INCIDENT_CATEGORIES = [
    (IncidentGroup.PERSONAL, "Harassment or intimidation"),
    (IncidentGroup.PERSONAL, "Threats or violence"),
    (IncidentGroup.PERSONAL, "Hate-related abuse"),
    (IncidentGroup.NUISANCE, "Noise"),
    (IncidentGroup.NUISANCE, "Rowdy or inconsiderate behaviour"),
    (IncidentGroup.NUISANCE, "Drug dealing or use"),
    (IncidentGroup.NUISANCE, "Vehicle nuisance"),
    (IncidentGroup.ENVIRONMENTAL, "Fly-tipping or litter"),
    (IncidentGroup.ENVIRONMENTAL, "Graffiti or criminal damage"),
]


def _require(user: User, action: Act, obj: Any) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def partnership_seed_configuration(*, partnership: Partnership) -> None:
    """The default case types and incident categories, for a partnership that has none."""
    for code, label in SEED_CASE_TYPES:
        CaseType.objects.get_or_create(partnership=partnership, code=code, defaults={"name": str(label)})
    for group, name in SEED_INCIDENT_CATEGORIES:
        IncidentCategory.objects.get_or_create(partnership=partnership, name=name, defaults={"group": group})


@transaction.atomic
def case_reference_next(*, partnership: Partnership, year: int) -> str:
    """The next reference, e.g. SH-2026-000123: the counter row is locked so none repeats."""
    counter = CaseReferenceCounter.objects.select_for_update().filter(partnership=partnership, year=year).first()
    if counter is None:
        CaseReferenceCounter.objects.bulk_create(
            [CaseReferenceCounter(partnership=partnership, year=year)], ignore_conflicts=True
        )
        counter = CaseReferenceCounter.objects.select_for_update().get(partnership=partnership, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{partnership.code}-{year}-{counter.last_number:06d}"


@transaction.atomic
def case_create(
    *,
    actor: User,
    partnership: Partnership,
    case_type: CaseType,
    risk_level: str,
    summary: str = "",
    lead_organisation: Organisation | None = None,
    lead_officer: User | None = None,
) -> Case:
    if not does_casework_in(actor, partnership.pk) or actor.organisation is None:
        raise PermissionDenied
    if case_type.partnership_id != partnership.pk:
        raise PermissionDenied
    case = Case.objects.create(
        partnership=partnership,
        reference=case_reference_next(partnership=partnership, year=timezone.localdate().year),
        case_type=case_type,
        risk_level=risk_level,
        summary=summary,
        lead_organisation=lead_organisation or actor.organisation,
        lead_officer=lead_officer or actor,
        created_by=actor,
    )
    audit_created(
        actor=actor,
        obj=case,
        data={"case_type": case_type.name, "risk_level": risk_level, "lead_organisation": str(case.lead_organisation)},
    )
    return case


@transaction.atomic
def case_update(*, actor: User, case: Case, version: int, values: dict[str, Any]) -> Case:
    """Change summary, risk level, type or lead officer; a stale ``version`` is refused."""
    _require(actor, Act.MANAGE, case)
    allowed = {"summary", "risk_level", "case_type", "lead_officer"}
    if set(values) - allowed:
        raise ValueError(f"case_update cannot change {sorted(set(values) - allowed)}")
    return versioned_update(actor=actor, obj=case, version=version, values=values)


@transaction.atomic
def case_close(*, actor: User, case: Case, version: int, closure_reason: str, outcome: str) -> Case:
    _require(actor, Act.MANAGE, case)
    if case.status == Status.CLOSED:
        raise ValueError("The case is already closed.")
    values = {
        "status": Status.CLOSED,
        "closure_reason": closure_reason,
        "outcome": outcome,
        "closed_at": timezone.now(),
    }
    case = versioned_update(actor=actor, obj=case, version=version, values=values)
    _status_note(actor=actor, case=case, text=f"Closed: {case.get_closure_reason_display()}. {outcome}")
    return case


@transaction.atomic
def case_reopen(*, actor: User, case: Case, version: int, reason: str) -> Case:
    _require(actor, Act.MANAGE, case)
    if case.status != Status.CLOSED:
        raise ValueError("Only a closed case can be reopened.")
    values = {"status": Status.OPEN, "closure_reason": "", "outcome": "", "closed_at": None}
    case = versioned_update(actor=actor, obj=case, version=version, values=values, extra={"reopened": reason})
    _status_note(actor=actor, case=case, text=f"Reopened: {reason}")
    return case


@transaction.atomic
def case_status_set(*, actor: User, case: Case, version: int, status: str) -> Case:
    """Open ↔ under review; closing and reopening have their own services."""
    _require(actor, Act.MANAGE, case)
    if status not in (Status.OPEN, Status.UNDER_REVIEW) or case.status == Status.CLOSED:
        raise ValueError("Use case_close or case_reopen.")
    case = versioned_update(actor=actor, obj=case, version=version, values={"status": status})
    _status_note(actor=actor, case=case, text=f"Status: {case.get_status_display()}")
    return case


def _status_note(*, actor: User, case: Case, text: str) -> None:
    Note.objects.create(
        partnership_id=case.partnership_id, case=case, created_by=actor, kind=Note.Kind.STATUS, text=text
    )


@transaction.atomic
def case_party_add(*, actor: User, case: Case, person: PartnershipRecord, role: str) -> CaseParty:
    _require(actor, Act.CONTRIBUTE, case)
    if person.partnership_id != case.partnership_id:
        raise PermissionDenied
    party = CaseParty.objects.create(partnership_id=case.partnership_id, case=case, person_id=person.pk, role=role)
    _case_changed(actor, case, {"party_added": {"person": str(person.public_id), "role": role}})
    return party


@transaction.atomic
def case_location_add(
    *, actor: User, case: Case, location: PartnershipRecord, is_subject: bool = False
) -> CaseLocation:
    _require(actor, Act.CONTRIBUTE, case)
    link = CaseLocation.objects.create(
        partnership_id=case.partnership_id, case=case, location_id=location.pk, is_subject=is_subject
    )
    _case_changed(actor, case, {"location_added": str(location.public_id)})
    return link


@transaction.atomic
def case_link_add(*, actor: User, case: Case, other: Case) -> CaseLink:
    _require(actor, Act.CONTRIBUTE, case)
    _require(actor, Act.VIEW, other)
    link = CaseLink.objects.create(partnership_id=case.partnership_id, case=case, other=other)
    CaseLink.objects.get_or_create(partnership_id=case.partnership_id, case=other, other=case)
    _case_changed(actor, case, {"linked": other.reference})
    return link


def _case_changed(actor: User, case: Case, data: dict[str, Any]) -> None:
    audit_changed(actor=actor, obj=case, data=data)


def _entry_created(actor: User, entry: Note | Incident | Document, label: str, **data: Any) -> None:
    """A new entry on a case's timeline, audited under the case's reference."""
    audit_created(
        actor=actor,
        obj=entry,
        object_label=label,
        data={"case": entry.case.reference, **data},
    )


def _restrict(entry: Note | Incident | Document, restriction: str, restricted_to: list[User] | None) -> None:
    if restriction == Restriction.NAMED_USERS:
        entry.restricted_to.set(restricted_to or [])


@transaction.atomic
def note_add(
    *,
    actor: User,
    case: Case,
    text: str,
    kind: str = Note.Kind.NOTE,
    restriction: str = Restriction.NONE,
    restricted_to: list[User] | None = None,
) -> Note:
    _require(actor, Act.CONTRIBUTE, case)
    note = Note.objects.create(
        partnership_id=case.partnership_id, case=case, created_by=actor, kind=kind, text=text, restriction=restriction
    )
    _restrict(note, restriction, restricted_to)
    _entry_created(actor, note, f"{note.get_kind_display()} on {case.reference}", restriction=restriction)
    return note


@transaction.atomic
def case_minutes_record(
    *,
    actor: User,
    case: Case,
    text: str,
    restriction: str,
    risk_to: str,
    meeting_public_id: uuid.UUID,
) -> Note:
    """Put a meeting's published minutes on the case's timeline and apply the risk level it agreed.

    No permission check here: the meeting's own check (running the meeting) authorises these
    writes for every case on its agenda. ``case.risk_level`` is the level the minutes were taken
    against; an empty ``risk_to`` (or the same level) leaves the case as it is.
    """
    note = Note.objects.create(
        partnership_id=case.partnership_id,
        case=case,
        created_by=actor,
        kind=Note.Kind.NOTE,
        text=text,
        restriction=restriction,
    )
    events = [
        PendingEvent(
            action=Action.CREATED,
            actor=actor,
            partnership_id=case.partnership_id,
            obj=note,
            object_label=f"Meeting minutes on {case.reference}",
            data={"case": case.reference, "meeting": str(meeting_public_id)},
        )
    ]
    if risk_to and risk_to != case.risk_level:
        Case.objects.filter(pk=case.pk).update(risk_level=risk_to, version=F("version") + 1)
        events.append(
            PendingEvent(
                action=Action.CHANGED,
                actor=actor,
                partnership_id=case.partnership_id,
                obj=case,
                data={"risk_level": {"from": case.risk_level, "to": risk_to}, "meeting": str(meeting_public_id)},
            )
        )
    audit_record_batch(events)
    return note


@transaction.atomic
def incident_record(
    *,
    actor: User,
    case: Case,
    occurred_at: datetime.datetime,
    reported_on: datetime.date,
    category: IncidentCategory,
    description: str,
    location: PartnershipRecord | None = None,
    is_hate: bool = False,
    hate_strand: str = "",
    police_reference: str = "",
    restriction: str = Restriction.NONE,
    restricted_to: list[User] | None = None,
) -> Incident:
    _require(actor, Act.CONTRIBUTE, case)
    if category.partnership_id != case.partnership_id:
        raise PermissionDenied
    incident = Incident.objects.create(
        partnership_id=case.partnership_id,
        case=case,
        created_by=actor,
        occurred_at=occurred_at,
        reported_on=reported_on,
        category=category,
        location_id=location.pk if location is not None else None,
        description=description,
        is_hate=is_hate,
        hate_strand=hate_strand if is_hate else "",
        police_reference=police_reference,
        restriction=restriction,
    )
    _restrict(incident, restriction, restricted_to)
    _entry_created(actor, incident, f"Incident on {case.reference}", category=category.name, is_hate=is_hate)
    return incident


@transaction.atomic
def document_upload(
    *,
    actor: User,
    case: Case,
    file: UploadedFile,
    title: str,
    restriction: str = Restriction.NONE,
    restricted_to: list[User] | None = None,
) -> Document:
    _require(actor, Act.CONTRIBUTE, case)
    content_type = documents.check_upload(file)
    stored_name, sha256 = documents.store(file)
    try:
        document = Document.objects.create(
            partnership_id=case.partnership_id,
            case=case,
            created_by=actor,
            title=title,
            original_name=documents.file_name(file.name or "", content_type),
            content_type=content_type,
            size=file.size or 0,
            stored_name=stored_name,
            sha256=sha256,
            restriction=restriction,
        )
        _restrict(document, restriction, restricted_to)
        _entry_created(actor, document, "", content_type=content_type, size=document.size, sha256=sha256)
    except Exception:
        documents.path_of(stored_name).unlink(missing_ok=True)
        raise
    return document


def document_stored_add(
    *,
    case: Case,
    created_by: User,
    title: str,
    original_name: str,
    content_type: str,
    size: int,
    stored_name: str,
    sha256: str,
) -> Document:
    """Puts a file already checked and stored on the case; no permission check or audit here: the caller makes both."""
    return Document.objects.create(
        partnership_id=case.partnership_id,
        case=case,
        created_by=created_by,
        title=title,
        original_name=original_name,
        content_type=content_type,
        size=size,
        stored_name=stored_name,
        sha256=sha256,
    )


@transaction.atomic
def case_viewed(*, actor: User, case: Case, page: str) -> None:
    """Every view of a case is evidence: audit it in the request's transaction."""
    audit_on_record(Action.VIEWED, actor=actor, obj=case, data={"page": page})


@transaction.atomic
def case_record_viewed(*, actor: User, record: models.Model, case: Case) -> None:
    """A view of a record kept on a case (an assessment, an intervention), audited under the case."""
    audit_record(
        actor=actor, action=Action.VIEWED, partnership_id=case.partnership_id, obj=record, data={"case": case.reference}
    )


@transaction.atomic
def document_downloaded(*, actor: User, document: Document) -> None:
    audit_on_record(
        Action.DOWNLOADED,
        actor=actor,
        obj=document,
        data={"case": document.case.reference, "sha256": document.sha256},
    )


# -- partnership configuration: case types and incident categories ----------------------------


def _require_administrator(actor: User, partnership_id: int) -> None:
    require(holds(actor, Capability.CONFIGURE_PARTNERSHIP, partnership_id))


def _unique_name(model: type[CaseType] | type[IncidentCategory], partnership_id: int, name: str, pk: Any) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Enter a name.")})
    if model.objects.filter(partnership_id=partnership_id, name__iexact=name).exclude(pk=pk).exists():
        raise ValidationError({"name": _("There is already one called %(name)s in this partnership.") % {"name": name}})
    return name


@transaction.atomic
def case_type_create(*, actor: User, partnership: Partnership, name: str) -> CaseType:
    _require_administrator(actor, partnership.pk)
    name = _unique_name(CaseType, partnership.pk, name, None)
    base = slugify(name)[:34] or "case-type"
    code, number = base, 2
    while CaseType.objects.filter(partnership=partnership, code=code).exists():
        code, number = f"{base}-{number}", number + 1
    case_type = CaseType.objects.create(partnership=partnership, code=code, name=name)
    audit_created(actor=actor, obj=case_type, data={"name": name})
    return case_type


@transaction.atomic
def case_type_update(*, actor: User, case_type: CaseType, name: str, is_active: bool) -> CaseType:
    """Rename, retire or restore: case types are never deleted, since cases and the audit trail refer to them."""
    _require_administrator(actor, case_type.partnership_id)
    name = _unique_name(CaseType, case_type.partnership_id, name, case_type.pk)
    before = {"name": case_type.name, "is_active": case_type.is_active}
    changes = changes_between(before, {"name": name, "is_active": is_active})
    if changes:
        case_type.name, case_type.is_active = name, is_active
        case_type.save(update_fields=["name", "is_active"])
        audit_changed(actor=actor, obj=case_type, data=changes)
    return case_type


@transaction.atomic
def incident_category_create(*, actor: User, partnership: Partnership, group: str, name: str) -> IncidentCategory:
    _require_administrator(actor, partnership.pk)
    name = _unique_name(IncidentCategory, partnership.pk, name, None)
    category = IncidentCategory.objects.create(partnership=partnership, group=group, name=name)
    audit_created(
        actor=actor,
        obj=category,
        data={"name": name, "group": group},
    )
    return category


@transaction.atomic
def incident_category_update(
    *, actor: User, category: IncidentCategory, group: str, name: str, is_active: bool
) -> IncidentCategory:
    """Rename, regroup, retire or restore; never deleted, since incidents refer to them."""
    _require_administrator(actor, category.partnership_id)
    before = {"name": category.name, "group": category.group, "is_active": category.is_active}
    name = _unique_name(IncidentCategory, category.partnership_id, name, category.pk)
    after = {"name": name, "group": group, "is_active": is_active}
    changes = changes_between(before, after)
    if changes:
        category.name, category.group, category.is_active = name, group, is_active
        category.save(update_fields=["name", "group", "is_active"])
        audit_changed(actor=actor, obj=category, data=changes)
    return category
