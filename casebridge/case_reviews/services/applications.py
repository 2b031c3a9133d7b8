"""Applications for an ASB Case Review (online, by staff, or opened by the partnership) and their acknowledgement."""

import datetime
import secrets
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.audit.services import audit_created
from casebridge.case_reviews.models import ApplicantRole, CaseReview, Channel, Complaint, ReviewStatus
from casebridge.case_reviews.services._shared import bump, changed, require_run
from casebridge.case_reviews.services.complaints import MAX_COMPLAINTS, ComplaintData, check_complaint
from casebridge.case_reviews.tasks import send_application_confirmation
from casebridge.cases.models import Case
from casebridge.cases.policy import Act, can, does_casework_in
from casebridge.organisations.models import Partnership
from casebridge.people.access import can_person
from casebridge.people.models import Person

PUBLIC_ACTOR = "Online ASB Case Review application"


REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _new_reference() -> str:
    for _attempt in range(10):
        reference = "CR-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        if not CaseReview.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("Could not find a free reference.")


@dataclass(frozen=True)
class Application:
    applicant_role: str
    applicant_name: str
    applicant_email: str = ""
    applicant_phone: str = ""
    applicant_address: str = ""
    postcode: str = ""
    victim_name: str = ""
    relationship: str = ""
    consent_given: bool = False
    summary: str = ""
    complaints: list[ComplaintData] = field(default_factory=list)


def _check_application(application: Application) -> None:
    if application.applicant_role not in ApplicantRole.values:
        raise ValidationError(_("Select who is applying."))
    if not application.applicant_name.strip():
        raise ValidationError(_("Enter the applicant's name."))
    if application.applicant_role == ApplicantRole.ON_BEHALF:
        if not application.consent_given:
            raise ValidationError(_("Someone applying for the victim must have the victim's consent."))
        if not application.victim_name.strip():
            raise ValidationError(_("Enter the victim's name."))
    if len(application.complaints) > MAX_COMPLAINTS:
        raise ValidationError(_("List at most %(n)d complaints.") % {"n": MAX_COMPLAINTS})
    for complaint in application.complaints:
        check_complaint(complaint)


def _create(
    *,
    partnership: Partnership,
    application: Application,
    channel: str,
    actor: User | None,
    audit_data: dict[str, Any],
    received_on: datetime.date | None = None,
    **extra: Any,
) -> CaseReview:
    """The review and its complaints, audited with the channel it came by and ``audit_data``."""
    _check_application(application)
    review = CaseReview.objects.create(
        partnership=partnership,
        reference=_new_reference(),
        channel=channel,
        received_on=received_on or timezone.localdate(),
        applicant_role=application.applicant_role,
        applicant_name=application.applicant_name.strip(),
        applicant_email=application.applicant_email.strip(),
        applicant_phone=application.applicant_phone.strip(),
        applicant_address=application.applicant_address.strip(),
        postcode=application.postcode,
        victim_name=application.victim_name.strip() if application.applicant_role == ApplicantRole.ON_BEHALF else "",
        relationship=application.relationship.strip() if application.applicant_role == ApplicantRole.ON_BEHALF else "",
        consent_given=application.consent_given and application.applicant_role == ApplicantRole.ON_BEHALF,
        summary=application.summary.strip(),
        created_by=actor,
        **extra,
    )
    Complaint.objects.bulk_create(
        [
            Complaint(
                partnership=partnership,
                review=review,
                occurred_on=c.occurred_on,
                reported_on=c.reported_on,
                reported_to=c.reported_to.strip(),
                description=c.description.strip(),
                is_hate=c.is_hate,
            )
            for c in application.complaints
        ]
    )
    audit_created(
        actor=actor,
        actor_label=PUBLIC_ACTOR if actor is None else "",
        obj=review,
        data={"channel": channel, **audit_data},
    )
    return review


@transaction.atomic
def review_apply_online(*, partnership: Partnership, application: Application) -> CaseReview:
    """A resident's application; no one is signed in. An email, if given, gets the reference and acknowledges it."""
    review = _create(
        partnership=partnership,
        application=application,
        channel=Channel.ONLINE,
        actor=None,
        audit_data={"complaints": len(application.complaints)},
        acknowledged_on=timezone.localdate() if application.applicant_email else None,
    )
    if review.applicant_email:
        transaction.on_commit(
            partial(send_application_confirmation.enqueue, email=review.applicant_email, reference=review.reference)
        )
    return review


def _check_links(actor: User, partnership: Partnership, case: Case | None, victim: Person | None) -> None:
    if case is not None and (case.partnership_id != partnership.pk or not can(actor, Act.VIEW, case)):
        raise PermissionDenied
    if victim is not None and (victim.partnership_id != partnership.pk or not can_person(actor, Act.VIEW, victim)):
        raise PermissionDenied


@transaction.atomic
def review_record(
    *,
    actor: User,
    partnership: Partnership,
    application: Application,
    received_on: datetime.date,
    case: Case | None = None,
    victim: Person | None = None,
) -> CaseReview:
    """An application taken by staff (by phone, letter or in person)."""
    if not does_casework_in(actor, partnership.pk):
        raise PermissionDenied
    _check_links(actor, partnership, case, victim)
    if received_on > timezone.localdate():
        raise ValidationError(_("The date received must be today or in the past."))
    review = _create(
        partnership=partnership,
        application=application,
        channel=Channel.STAFF,
        actor=actor,
        audit_data={"case": case.reference if case else None, "complaints": len(application.complaints)},
        received_on=received_on,
        case=case,
        victim=victim,
    )
    return review


@transaction.atomic
def review_open_from_alert(*, actor: User, partnership: Partnership, victim: Person, case: Case) -> CaseReview:
    """The partnership starts a review itself because the victim meets the threshold."""
    if not holds(actor, Capability.TRIAGE, partnership.pk):
        raise PermissionDenied
    _check_links(actor, partnership, case, victim)
    if victim.pk not in set(case.parties.filter(role="victim").values_list("person_id", flat=True)):
        raise ValidationError(_("The person is not a victim on that case."))
    existing = (
        CaseReview.objects.select_for_update()
        .filter(partnership=partnership, victim=victim, status__in=[ReviewStatus.RECEIVED, ReviewStatus.IN_REVIEW])
        .first()
    )
    if existing is not None:
        return existing
    review = _create(
        partnership=partnership,
        application=Application(
            applicant_role=ApplicantRole.VICTIM,
            applicant_name=victim.full_name,
            summary=_("Opened by the partnership: the victim's reports on %(ref)s meet the threshold.")
            % {"ref": case.reference},
        ),
        channel=Channel.PARTNERSHIP,
        actor=actor,
        audit_data={"case": case.reference},
        case=case,
        victim=victim,
    )
    return review


@transaction.atomic
def review_acknowledge(*, actor: User, review: CaseReview, acknowledged_on: datetime.date) -> CaseReview:
    require_run(actor, review)
    if acknowledged_on < review.received_on or acknowledged_on > timezone.localdate():
        raise ValidationError(_("The date must be between the date received and today."))
    before = review.acknowledged_on
    review.acknowledged_on = acknowledged_on
    bump(review, ["acknowledged_on"])
    changed(actor, review, {"acknowledged_on": {"from": before, "to": acknowledged_on}})
    return review
