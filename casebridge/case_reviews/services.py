"""Writes on ASB Case Reviews: each checks who may make it and writes its audit event in the same transaction."""

import datetime
import secrets
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.audit.models import Action
from casebridge.audit.services import audit_record
from casebridge.case_reviews import access
from casebridge.case_reviews.letters import decision_letter_text
from casebridge.case_reviews.models import (
    AgencyResponse,
    Appeal,
    ApplicantRole,
    CaseReview,
    Channel,
    Complaint,
    Decision,
    Recommendation,
    RecommendationStatus,
    ReviewStatus,
)
from casebridge.case_reviews.tasks import send_application_confirmation, send_decision_letter
from casebridge.cases.models import Case
from casebridge.cases.policy import Act, can, does_casework_in
from casebridge.meetings.models import Kind, Meeting
from casebridge.organisations.models import Organisation, Partnership
from casebridge.people.access import can_person
from casebridge.people.models import Person

if TYPE_CHECKING:
    from casebridge.accounts.models import User

PUBLIC_ACTOR = "Online ASB Case Review application"
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MAX_COMPLAINTS = 20


def _new_reference() -> str:
    for _attempt in range(10):
        reference = "CR-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        if not CaseReview.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("Could not find a free reference.")


@dataclass(frozen=True)
class ComplaintData:
    occurred_on: datetime.date
    reported_on: datetime.date
    reported_to: str
    description: str = ""
    is_hate: bool = False


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
        _check_complaint(complaint)


def _check_complaint(complaint: ComplaintData) -> None:
    if complaint.reported_on < complaint.occurred_on:
        raise ValidationError(_("The date reported must be the same as or after the date of the incident."))
    if complaint.reported_on > timezone.localdate():
        raise ValidationError(_("The dates must be today or in the past."))
    if not complaint.reported_to.strip():
        raise ValidationError(_("Enter who the complaint was reported to."))


def _create(
    *,
    partnership: Partnership,
    application: Application,
    channel: str,
    actor: "User | None",
    received_on: datetime.date | None = None,
    **extra: Any,
) -> CaseReview:
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
    return review


@transaction.atomic
def review_apply_online(*, partnership: Partnership, application: Application) -> CaseReview:
    """A resident's application; no one is signed in. An email, if given, gets the reference and acknowledges it."""
    review = _create(
        partnership=partnership,
        application=application,
        channel=Channel.ONLINE,
        actor=None,
        acknowledged_on=timezone.localdate() if application.applicant_email else None,
    )
    audit_record(
        actor=None,
        actor_label=PUBLIC_ACTOR,
        action=Action.CREATED,
        partnership_id=partnership.pk,
        obj=review,
        data={"channel": Channel.ONLINE, "complaints": len(application.complaints)},
    )
    if review.applicant_email:
        transaction.on_commit(
            partial(send_application_confirmation.enqueue, email=review.applicant_email, reference=review.reference)
        )
    return review


def _check_links(actor: "User", partnership: Partnership, case: Case | None, victim: Person | None) -> None:
    if case is not None and (case.partnership_id != partnership.pk or not can(actor, Act.VIEW, case)):
        raise PermissionDenied
    if victim is not None and (victim.partnership_id != partnership.pk or not can_person(actor, Act.VIEW, victim)):
        raise PermissionDenied


@transaction.atomic
def review_record(
    *,
    actor: "User",
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
        received_on=received_on,
        case=case,
        victim=victim,
    )
    audit_record(
        actor=actor,
        action=Action.CREATED,
        partnership_id=partnership.pk,
        obj=review,
        data={
            "channel": Channel.STAFF,
            "case": case.reference if case else None,
            "complaints": len(application.complaints),
        },
    )
    return review


@transaction.atomic
def review_open_from_alert(*, actor: "User", partnership: Partnership, victim: Person, case: Case) -> CaseReview:
    """The partnership starts a review itself because the victim meets the threshold."""
    if not access.runs_reviews(actor, partnership.pk):
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
        case=case,
        victim=victim,
    )
    audit_record(
        actor=actor,
        action=Action.CREATED,
        partnership_id=partnership.pk,
        obj=review,
        data={"channel": Channel.PARTNERSHIP, "case": case.reference},
    )
    return review


def _require_run(actor: "User", review: CaseReview) -> None:
    if not access.runs_reviews(actor, review.partnership_id):
        raise PermissionDenied


def _changed(actor: "User", review: CaseReview, data: dict[str, object]) -> None:
    audit_record(actor=actor, action=Action.CHANGED, partnership_id=review.partnership_id, obj=review, data=data)


def _check_version(review: CaseReview, version: int | None) -> None:
    if version is not None and version != review.version:
        raise ValidationError(
            _("Someone else changed this review while you were working on it. Check it and try again.")
        )


def _bump(review: CaseReview, fields: list[str]) -> None:
    review.version += 1
    review.save(update_fields=[*fields, "version", "updated_at"])


@transaction.atomic
def review_acknowledge(*, actor: "User", review: CaseReview, acknowledged_on: datetime.date) -> CaseReview:
    _require_run(actor, review)
    if acknowledged_on < review.received_on or acknowledged_on > timezone.localdate():
        raise ValidationError(_("The date must be between the date received and today."))
    before = review.acknowledged_on
    review.acknowledged_on = acknowledged_on
    _bump(review, ["acknowledged_on"])
    _changed(actor, review, {"acknowledged_on": {"from": before, "to": acknowledged_on}})
    return review


@transaction.atomic
def complaint_add(*, actor: "User", review: CaseReview, complaint: ComplaintData) -> Complaint:
    _require_run(actor, review)
    if review.decision:
        raise ValidationError(_("The threshold has been decided: complaints can no longer be added."))
    _check_complaint(complaint)
    if review.complaints.count() >= MAX_COMPLAINTS:
        raise ValidationError(_("A review lists at most %(n)d complaints.") % {"n": MAX_COMPLAINTS})
    created = Complaint.objects.create(
        partnership_id=review.partnership_id,
        review=review,
        occurred_on=complaint.occurred_on,
        reported_on=complaint.reported_on,
        reported_to=complaint.reported_to.strip(),
        description=complaint.description.strip(),
        is_hate=complaint.is_hate,
    )
    _changed(
        actor, review, {"complaint_added": {"occurred_on": complaint.occurred_on, "reported_to": created.reported_to}}
    )
    return created


@transaction.atomic
def threshold_decide(
    *,
    actor: "User",
    review: CaseReview,
    decision: str,
    reason: str,
    letter: str,
    qualifying: int,
    version: int | None = None,
) -> CaseReview:
    """The coordinator's decision, with the reason; the letter goes to the applicant if we have their email."""
    _require_run(actor, review)
    _check_version(review, version)
    if review.decision:
        raise ValidationError(_("The threshold decision has already been made."))
    if decision not in Decision.values:
        raise ValidationError(_("Select whether the threshold is met."))
    if not reason.strip():
        raise ValidationError(_("Enter the reason for the decision."))
    review.decision = decision
    review.decision_reason = reason.strip()
    review.decision_letter = letter.strip() or decision_letter_text(review, decision, reason.strip())
    review.qualifying_at_decision = qualifying
    review.decided_by = actor
    review.decided_on = timezone.localdate()
    review.status = ReviewStatus.IN_REVIEW if decision == Decision.MET else ReviewStatus.NOT_MET
    if review.acknowledged_on is None:
        review.acknowledged_on = review.decided_on
    _bump(
        review,
        [
            "decision",
            "decision_reason",
            "decision_letter",
            "qualifying_at_decision",
            "decided_by",
            "decided_on",
            "status",
            "acknowledged_on",
        ],
    )
    _changed(actor, review, {"decision": decision, "reason": review.decision_reason, "qualifying": qualifying})
    if review.applicant_email and review.decision_letter:
        transaction.on_commit(
            partial(
                send_decision_letter.enqueue,
                email=review.applicant_email,
                reference=review.reference,
                letter=review.decision_letter,
            )
        )
    return review


def _require_in_review(review: CaseReview) -> None:
    if review.decision != Decision.MET:
        raise ValidationError(_("The review starts once the threshold is met."))


@transaction.atomic
def panel_set(
    *, actor: "User", review: CaseReview, meeting: Meeting | None, panel_on: datetime.date | None
) -> CaseReview:
    _require_run(actor, review)
    _require_in_review(review)
    if meeting is not None:
        if meeting.partnership_id != review.partnership_id or meeting.series.kind != Kind.ASB_CASE_REVIEW:
            raise PermissionDenied
        panel_on = timezone.localtime(meeting.starts_at).date()
    if panel_on is None:
        raise ValidationError(_("Choose a panel meeting or enter the date of the review meeting."))
    before = {"meeting": str(review.panel_meeting.public_id) if review.panel_meeting else None, "on": review.panel_on}
    review.panel_meeting, review.panel_on = meeting, panel_on
    _bump(review, ["panel_meeting", "panel_on"])
    _changed(
        actor,
        review,
        {"panel": {"from": before, "to": {"meeting": str(meeting.public_id) if meeting else None, "on": panel_on}}},
    )
    return review


@transaction.atomic
def response_add(*, actor: "User", review: CaseReview, organisation: Organisation, text: str) -> AgencyResponse:
    _require_run(actor, review)
    _require_in_review(review)
    if not text.strip():
        raise ValidationError(_("Enter the agency's response."))
    if not organisation.partnerships.filter(pk=review.partnership_id).exists():
        raise ValidationError(_("Choose an organisation of this partnership."))
    response = AgencyResponse.objects.create(
        partnership_id=review.partnership_id,
        review=review,
        organisation=organisation,
        text=text.strip(),
        recorded_by=actor,
    )
    _changed(actor, review, {"response_added": str(organisation)})
    return response


@transaction.atomic
def recommendation_add(
    *,
    actor: "User",
    review: CaseReview,
    text: str,
    owner_organisation: Organisation,
    due_on: datetime.date,
    owner_user: "User | None" = None,
) -> Recommendation:
    _require_run(actor, review)
    _require_in_review(review)
    if not text.strip():
        raise ValidationError(_("Enter the recommendation."))
    if not owner_organisation.partnerships.filter(pk=review.partnership_id).exists():
        raise ValidationError(_("Choose an organisation of this partnership."))
    if owner_user is not None and owner_user.organisation_id != owner_organisation.pk:
        raise ValidationError(_("The person must work for the organisation that owns the recommendation."))
    if owner_user is not None and not does_casework_in(owner_user, review.partnership_id):
        raise ValidationError(_("The person does not work in this partnership."))
    recommendation = Recommendation.objects.create(
        partnership_id=review.partnership_id,
        review=review,
        text=text.strip(),
        owner_organisation=owner_organisation,
        owner_user=owner_user,
        due_on=due_on,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CREATED,
        partnership_id=review.partnership_id,
        obj=recommendation,
        object_label=f"Recommendation of {review.reference}",
        data={
            "review": review.reference,
            "organisation": str(owner_organisation),
            "user": str(owner_user) if owner_user else None,
            "due_on": due_on,
        },
    )
    return recommendation


@transaction.atomic
def recommendation_update(
    *, actor: "User", recommendation: Recommendation, status: str, completion_note: str = ""
) -> Recommendation:
    if not access.may_update_recommendation(actor, recommendation):
        raise PermissionDenied
    if status not in RecommendationStatus.values:
        raise ValidationError(_("Choose a status from the list."))
    if status == RecommendationStatus.DONE and not completion_note.strip():
        raise ValidationError(_("Enter what was done."))
    before = recommendation.status
    recommendation.status = status
    recommendation.completion_note = completion_note.strip()
    recommendation.save(update_fields=["status", "completion_note", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.CHANGED,
        partnership_id=recommendation.partnership_id,
        obj=recommendation,
        object_label=f"Recommendation of {recommendation.review.reference}",
        data={"status": {"from": before, "to": status}},
    )
    return recommendation


@transaction.atomic
def outcome_letter_save(
    *, actor: "User", review: CaseReview, text: str, sent: bool, version: int | None = None
) -> CaseReview:
    """Save the edited outcome letter; marking it sent completes the review."""
    _require_run(actor, review)
    _require_in_review(review)
    _check_version(review, version)
    if not text.strip():
        raise ValidationError(_("Enter the text of the outcome letter."))
    if sent and review.panel_on is None:
        raise ValidationError(_("Record the review meeting before sending the outcome."))
    review.outcome_letter = text.strip()
    fields = ["outcome_letter"]
    if sent and review.completed_on is None:
        review.completed_on = timezone.localdate()
        review.status = ReviewStatus.COMPLETED
        fields += ["completed_on", "status"]
    _bump(review, fields)
    _changed(actor, review, {"outcome_letter": "saved", "sent": sent})
    return review


@transaction.atomic
def outcome_letter_downloaded(*, actor: "User", review: CaseReview) -> None:
    _require_run(actor, review)
    audit_record(
        actor=actor,
        action=Action.DOWNLOADED,
        partnership_id=review.partnership_id,
        obj=review,
        data={"document": "outcome letter"},
    )


@transaction.atomic
def appeal_record(
    *,
    actor: "User",
    review: CaseReview,
    received_on: datetime.date,
    grounds: str,
    reviewer_name: str,
    reviewer_body: str,
) -> Appeal:
    """The applicant is dissatisfied: the appeal goes to someone other than the decision-maker."""
    _require_run(actor, review)
    if not review.decision:
        raise ValidationError(_("An appeal can be recorded once the threshold has been decided."))
    if hasattr(review, "appeal"):
        raise ValidationError(_("An appeal has already been recorded for this review."))
    if not grounds.strip() or not reviewer_name.strip() or not reviewer_body.strip():
        raise ValidationError(_("Enter the grounds and who reviews the appeal."))
    decider = review.decided_by.get_full_name().strip().lower() if review.decided_by else ""
    if reviewer_name.strip().lower() in {decider, actor.get_full_name().strip().lower()}:
        raise ValidationError(_("The appeal must be reviewed by someone other than the person who made the decision."))
    if received_on < review.received_on or received_on > timezone.localdate():
        raise ValidationError(_("The date must be between the date of the application and today."))
    appeal = Appeal.objects.create(
        partnership_id=review.partnership_id,
        review=review,
        received_on=received_on,
        grounds=grounds.strip(),
        reviewer_name=reviewer_name.strip(),
        reviewer_body=reviewer_body.strip(),
        recorded_by=actor,
    )
    _changed(
        actor,
        review,
        {"appeal": {"received_on": received_on, "reviewer": f"{appeal.reviewer_name}, {appeal.reviewer_body}"}},
    )
    return appeal


@transaction.atomic
def appeal_decide(*, actor: "User", appeal: Appeal, outcome: str, reason: str) -> Appeal:
    """The appeal reviewer's outcome, recorded by the coordinator; an upheld appeal reopens the review."""
    review = appeal.review
    _require_run(actor, review)
    if appeal.outcome:
        raise ValidationError(_("The appeal's outcome has already been recorded."))
    if outcome not in {"upheld", "not_upheld"} or not reason.strip():
        raise ValidationError(_("Select the outcome and enter the reason."))
    appeal.outcome, appeal.outcome_reason, appeal.decided_on = outcome, reason.strip(), timezone.localdate()
    appeal.save(update_fields=["outcome", "outcome_reason", "decided_on"])
    data: dict[str, object] = {"appeal_outcome": outcome, "reason": appeal.outcome_reason}
    if outcome == "upheld":
        # The review is to be carried out (again): the threshold is treated as met from today.
        data["status"] = {"from": review.status, "to": ReviewStatus.IN_REVIEW}
        review.status = ReviewStatus.IN_REVIEW
        review.completed_on = None
        if review.decision != Decision.MET:
            review.decision, review.decided_on = Decision.MET, timezone.localdate()
            review.decision_reason = _("Appeal upheld: %(reason)s") % {"reason": appeal.outcome_reason}
        _bump(review, ["status", "completed_on", "decision", "decided_on", "decision_reason"])
    _changed(actor, review, data)
    return appeal


@transaction.atomic
def figures_exported(*, actor: "User", partnership: Partnership, years: list[int]) -> None:
    if not access.sees_figures(actor, partnership.pk):
        raise PermissionDenied
    audit_record(
        actor=actor,
        action=Action.EXPORTED,
        partnership_id=partnership.pk,
        object_type="case_review_figures",
        object_label="ASB Case Review figures",
        data={"years": years},
    )
