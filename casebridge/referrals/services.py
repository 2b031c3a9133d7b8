"""Writes on referrals: each checks the access policy and audits in the same transaction."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import PendingEvent, audit_created, audit_on_record, audit_record_batch
from casebridge.audit.versioning import versioned_update
from casebridge.cases import documents
from casebridge.cases import services as case_services
from casebridge.cases.models import Case, CaseParty, CaseType, IncidentCategory, PartyRole
from casebridge.cases.policy import Act, can, does_casework_in
from casebridge.lib.addresses import normalise_postcode
from casebridge.notifications.models import Kind
from casebridge.notifications.services import notify
from casebridge.organisations.models import Partnership
from casebridge.people import services as people_services
from casebridge.people.access import can_person, visible_locations
from casebridge.people.models import Person
from casebridge.referrals.access import can_referral
from casebridge.referrals.models import (
    Consent,
    Referral,
    ReferralDocument,
    ReferralSubject,
    ReferralUpdate,
    Source,
    Status,
    SubjectKind,
)

# What a partner's referral records, in the order its form asks.
REFERRAL_FIELDS = (
    "purpose",
    "subject_kind",
    "reason",
    "evidence",
    "risk_level",
    "vulnerabilities",
    "tried_already",
    "consent",
    "lawful_basis",
    "consent_not_sought_reason",
    "urgency",
)
PUBLIC_ACTOR = "Resident (online report)"


@dataclass(frozen=True)
class SubjectData:
    kind: str = ReferralSubject.Kind.PERSON
    first_name: str = ""
    last_name: str = ""
    date_of_birth: datetime.date | None = None
    address: str = ""
    postcode: str = ""
    role: str = ""


def check_consent(*, consent: str, lawful_basis: str, consent_not_sought_reason: str) -> None:
    """Consent not given needs the lawful basis relied on; consent not sought needs a reason."""
    if consent == Consent.NOT_GIVEN and not lawful_basis:
        raise ValidationError(
            {"lawful_basis": _("Select the lawful basis you are relying on to share without consent.")}
        )
    if consent == Consent.NOT_SOUGHT and not consent_not_sought_reason.strip():
        raise ValidationError({"consent_not_sought_reason": _("Enter why consent was not sought.")})


def _subjects_create(referral: Referral, subjects: list[SubjectData]) -> None:
    ReferralSubject.objects.bulk_create(
        [
            ReferralSubject(
                partnership_id=referral.partnership_id,
                referral=referral,
                kind=s.kind,
                first_name=s.first_name.strip(),
                last_name=s.last_name.strip(),
                date_of_birth=s.date_of_birth,
                address=s.address.strip(),
                postcode=normalise_postcode(s.postcode) if s.postcode else "",
                role=s.role,
            )
            for s in subjects
        ]
    )


def _update(referral: Referral, author: User | None, kind: str, text: str = "") -> None:
    ReferralUpdate.objects.create(
        partnership_id=referral.partnership_id, referral=referral, author=author, kind=kind, text=text
    )


@transaction.atomic
def referral_create(
    *,
    actor: User,
    partnership: Partnership,
    subjects: list[SubjectData],
    files: list[tuple[str, UploadedFile]] | None = None,
    **fields: Any,
) -> Referral:
    """A practitioner refers people, a household or a place; files are checked by their content."""
    if not does_casework_in(actor, partnership.pk) or actor.organisation_id is None:
        raise PermissionDenied
    if set(fields) - set(REFERRAL_FIELDS):
        raise ValueError(f"referral_create does not take {sorted(set(fields) - set(REFERRAL_FIELDS))}")
    check_consent(
        consent=fields.get("consent", ""),
        lawful_basis=fields.get("lawful_basis", ""),
        consent_not_sought_reason=fields.get("consent_not_sought_reason", ""),
    )
    checked = [(title, file, documents.check_upload(file)) for title, file in files or []]
    referral = Referral.objects.create(
        partnership=partnership,
        source=Source.PARTNER,
        referred_by=actor,
        referrer_organisation_id=actor.organisation_id,
        **fields,
    )
    _subjects_create(referral, subjects)
    _update(referral, actor, ReferralUpdate.Kind.SUBMITTED)
    stored: list[str] = []
    try:
        for title, file, content_type in checked:
            stored_name, sha256 = documents.store(file)
            stored.append(stored_name)
            ReferralDocument.objects.create(
                partnership=partnership,
                referral=referral,
                uploaded_by=actor,
                title=title or documents.file_name(file.name or "", content_type),
                original_name=documents.file_name(file.name or "", content_type),
                content_type=content_type,
                size=file.size or 0,
                stored_name=stored_name,
                sha256=sha256,
            )
        audit_created(
            actor=actor,
            obj=referral,
            data={"purpose": referral.purpose, "urgency": referral.urgency, "documents": len(checked)},
        )
    except Exception:
        for name in stored:
            documents.path_of(name).unlink(missing_ok=True)
        raise
    return referral


@transaction.atomic
def referral_public_create(
    *,
    partnership: Partnership,
    category: IncidentCategory,
    occurred_at: datetime.datetime,
    place: str,
    postcode: str,
    reason: str,
    vulnerabilities: str,
    risk_level: str,
    subjects: list[SubjectData],
) -> Referral:
    """A resident's online report, in its partnership's triage queue; no one is signed in."""
    if category.partnership_id != partnership.pk:
        raise PermissionDenied
    referral = Referral.objects.create(
        partnership=partnership,
        source=Source.PUBLIC,
        purpose="asb_report",
        subject_kind=SubjectKind.LOCATION if not subjects else SubjectKind.PERSON,
        reason=reason,
        vulnerabilities=vulnerabilities,
        risk_level=risk_level,
        consent=Consent.GIVEN,
        category=category,
        occurred_at=occurred_at,
        place=place,
        postcode=postcode,
    )
    _subjects_create(referral, subjects)
    _update(referral, None, ReferralUpdate.Kind.SUBMITTED)
    audit_created(
        actor=None,
        actor_label=PUBLIC_ACTOR,
        obj=referral,
        data={"source": Source.PUBLIC, "category": category.name},
    )
    return referral


def _require_open_triage(actor: User, referral: Referral) -> None:
    if not can_referral(actor, Act.MANAGE, referral):
        raise PermissionDenied
    if not referral.is_open:
        raise ValidationError(_("This referral has already been decided."))


def referral_label(referral: Referral) -> str:
    """How a notification names a referral: no reference number exists, so the day it was sent."""
    return _("Referral sent %(day)s") % {"day": timezone.localtime(referral.created_at).strftime("%d %b %Y")}


def _tell_referrer(referral: Referral, summary: str) -> None:
    """In-app notification and (through the task worker) email; the summary is fixed text."""
    if referral.referred_by is not None:
        notify(
            users=[referral.referred_by],
            kind=Kind.REFERRAL_DECISION,
            reference=referral_label(referral),
            path=reverse("referrals:detail", kwargs={"public_id": referral.public_id}),
            may_see=None,
            summary=summary,
        )


@transaction.atomic
def referral_accept(
    *,
    actor: User,
    referral: Referral,
    version: int,
    case: Case | None = None,
    case_type: CaseType | None = None,
    risk_level: str = "",
    people: dict[int, Person] | None = None,
) -> Case:
    """Accept into a new case (``case_type``) or an existing one (``case``).

    The referral's subjects become parties and places on the case (linked to the existing
    profiles in ``people``, keyed by subject id, or new ones), its documents become case
    documents, a resident's report becomes an incident, and the referrer is told.
    """
    _require_open_triage(actor, referral)
    if case is None:
        if case_type is None:
            raise ValueError("Give either an existing case or a case type for a new one.")
        case = case_services.case_create(
            actor=actor,
            partnership=referral.partnership,
            case_type=case_type,
            risk_level=risk_level or referral.risk_level,
            summary=referral.reason[:2000],
        )
    elif case.partnership_id != referral.partnership_id or not can(actor, Act.CONTRIBUTE, case):
        raise PermissionDenied
    _subjects_to_case(actor, referral, case, people or {})
    _documents_to_case(actor, referral, case)
    if referral.category is not None:
        case_services.incident_record(
            actor=actor,
            case=case,
            occurred_at=referral.occurred_at or referral.created_at,
            reported_on=timezone.localdate(referral.created_at),
            category=referral.category,
            description=f"{referral.reason}\n\n{_('Where')}: {referral.place} {referral.postcode}".strip(),
        )
    case_services.note_add(
        actor=actor,
        case=case,
        text=_("Referral accepted (%(source)s, %(purpose)s): %(reason)s")
        % {
            "source": referral.get_source_display(),
            "purpose": referral.get_purpose_display(),
            "reason": referral.reason,
        },
    )
    versioned_update(
        actor=actor,
        obj=referral,
        version=version,
        values={"status": Status.ACCEPTED, "case": case, "decided_by": actor, "decided_at": timezone.now()},
    )
    referral.refresh_from_db()
    _update(referral, actor, ReferralUpdate.Kind.ACCEPTED)
    _tell_referrer(referral, _("Your referral was accepted into a case."))
    return case


def _subjects_to_case(actor: User, referral: Referral, case: Case, people: dict[int, Person]) -> None:
    for subject in referral.subjects.all():
        if subject.kind == ReferralSubject.Kind.PERSON and (subject.first_name or subject.last_name):
            person = people.get(subject.pk)
            if person is not None and (
                person.partnership_id != case.partnership_id or not can_person(actor, Act.VIEW, person)
            ):
                raise PermissionDenied
            if person is None:
                person = people_services.person_create(
                    actor=actor,
                    partnership=referral.partnership,
                    first_name=subject.first_name or "Unknown",
                    last_name=subject.last_name or "Unknown",
                    date_of_birth=subject.date_of_birth,
                )
            role = subject.role if subject.role in PartyRole.values else PartyRole.ASSOCIATE
            if not CaseParty.objects.filter(case=case, person=person, role=role).exists():
                case_services.case_party_add(actor=actor, case=case, person=person, role=role)
            subject.person = person
            subject.save(update_fields=["person"])
        elif subject.address or subject.postcode:
            # Only a place the accepting user may open is reused: linking a hidden one would open it to them.
            location = visible_locations(actor, referral.partnership).filter(
                postcode=subject.postcode, address_line_1__iexact=subject.address
            ).first() or people_services.location_from_text(
                actor=actor, partnership=referral.partnership, text=subject.address, postcode=subject.postcode
            )
            if not case.case_locations.filter(location=location).exists():
                case_services.case_location_add(actor=actor, case=case, location=location, is_subject=True)
            subject.location = location
            subject.save(update_fields=["location"])


def _documents_to_case(actor: User, referral: Referral, case: Case) -> None:
    events = []
    for item in referral.documents.filter(case_document__isnull=True):
        document = case_services.document_stored_add(
            case=case,
            created_by=item.uploaded_by,
            title=item.title,
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
            stored_name=item.stored_name,
            sha256=item.sha256,
        )
        item.case_document = document
        item.save(update_fields=["case_document"])
        events.append(
            PendingEvent(
                action=Action.CREATED,
                actor=actor,
                partnership_id=case.partnership_id,
                obj=document,
                data={"case": case.reference, "from_referral": str(referral.public_id), "sha256": item.sha256},
            )
        )
    if events:
        audit_record_batch(events)


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, version: int, reason: str) -> Referral:
    _require_open_triage(actor, referral)
    if not reason.strip():
        raise ValidationError({"reason": _("Enter why the referral is declined.")})
    values = {"status": Status.DECLINED, "decision_reason": reason, "decided_by": actor, "decided_at": timezone.now()}
    referral = versioned_update(actor=actor, obj=referral, version=version, values=values)
    _update(referral, actor, ReferralUpdate.Kind.DECLINED, reason)
    _tell_referrer(referral, _("Your referral was declined. The reason is on the referral."))
    return referral


@transaction.atomic
def referral_more_info_request(*, actor: User, referral: Referral, version: int, question: str) -> Referral:
    _require_open_triage(actor, referral)
    if referral.source == Source.PUBLIC:
        raise ValidationError(_("A resident's report has no referrer to ask: contact the resident instead."))
    if not question.strip():
        raise ValidationError({"question": _("Enter what information you need.")})
    referral = versioned_update(actor=actor, obj=referral, version=version, values={"status": Status.MORE_INFO})
    _update(referral, actor, ReferralUpdate.Kind.MORE_INFO_REQUESTED, question)
    _tell_referrer(referral, _("More information is needed on your referral."))
    return referral


@transaction.atomic
def referral_information_add(*, actor: User, referral: Referral, version: int, text: str) -> Referral:
    """The referrer answers a request for more information; the referral returns to the queue."""
    if referral.referred_by_id != actor.pk or not can_referral(actor, Act.VIEW, referral):
        raise PermissionDenied
    if referral.status != Status.MORE_INFO:
        raise ValidationError(_("No more information has been asked for on this referral."))
    if not text.strip():
        raise ValidationError({"text": _("Enter the information asked for.")})
    referral = versioned_update(actor=actor, obj=referral, version=version, values={"status": Status.SUBMITTED})
    _update(referral, actor, ReferralUpdate.Kind.INFORMATION_ADDED, text)
    return referral


@transaction.atomic
def referral_viewed(*, actor: User, referral: Referral) -> None:
    audit_on_record(Action.VIEWED, actor=actor, obj=referral)


@transaction.atomic
def referral_document_downloaded(*, actor: User, document: ReferralDocument) -> None:
    audit_on_record(
        Action.DOWNLOADED,
        actor=actor,
        obj=document,
        data={"referral": str(document.referral.public_id), "sha256": document.sha256},
    )
