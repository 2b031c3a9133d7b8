"""Writes on templates, assessments and alerts: checked, and audited in the same transaction."""

import datetime
from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.assessments import scoring
from casebridge.assessments.models import (
    Alert,
    AlertKind,
    Answer,
    AnswerOption,
    Assessment,
    AssessmentTemplate,
    Band,
    Question,
    QuestionKind,
    Section,
    TemplateKind,
    TemplateVersion,
    VersionState,
)
from casebridge.audit.models import Action
from casebridge.audit.services import audit_changed, audit_created, audit_record
from casebridge.cases.models import Case, CaseParty
from casebridge.cases.policy import Act, can
from casebridge.cases.services import case_record_viewed
from casebridge.notifications.models import Kind
from casebridge.notifications.services import notify
from casebridge.organisations.models import Partnership
from casebridge.people.models import Person


class PublishedVersionError(ValidationError):
    """A published version is frozen: edit a new draft instead."""

    def __init__(self) -> None:
        super().__init__(_("This version has been published and cannot be changed. Create a new draft to edit it."))


def is_administrator(user: User, partnership: Partnership) -> bool:
    return holds(user, Capability.CONFIGURE_PARTNERSHIP, partnership.pk)


def _require_admin(actor: User, partnership_id: int) -> None:
    if not holds(actor, Capability.CONFIGURE_PARTNERSHIP, partnership_id):
        raise PermissionDenied


def _require_draft(version: TemplateVersion) -> None:
    # Re-read under a lock: a concurrent publish must not let an edit slip in afterwards.
    state = TemplateVersion.objects.select_for_update().values_list("state", flat=True).get(pk=version.pk)
    if state != VersionState.DRAFT:
        raise PublishedVersionError


def _audit(actor: User, action: Action, partnership_id: int, obj: object, **data: object) -> None:
    audit_record(actor=actor, action=action, partnership_id=partnership_id, obj=obj, data=dict(data))  # type: ignore[arg-type]


# -- building templates ----------------------------------------------------------------------


@transaction.atomic
def template_create(
    *,
    actor: User,
    partnership: Partnership,
    name: str,
    kind: str = TemplateKind.RISK,
    description: str = "",
    code: str = "",
) -> AssessmentTemplate:
    """A new template with an empty draft version 1."""
    _require_admin(actor, partnership.pk)
    code = code or slugify(name)[:60]
    if AssessmentTemplate.objects.filter(partnership=partnership, code=code).exists():
        raise ValidationError({"name": _("A template with this name already exists.")})
    template = AssessmentTemplate.objects.create(
        partnership=partnership, code=code, name=name, kind=kind, description=description
    )
    TemplateVersion.objects.create(partnership=partnership, template=template, number=1, created_by=actor)
    _audit(actor, Action.CREATED, partnership.pk, template, kind=kind)
    return template


@transaction.atomic
def section_add(*, actor: User, version: TemplateVersion, title: str, description: str = "") -> Section:
    _require_admin(actor, version.partnership_id)
    _require_draft(version)
    order = (version.sections.aggregate(m=Max("order"))["m"] or 0) + 1
    section = Section.objects.create(version=version, order=order, title=title, description=description)
    _audit(actor, Action.CHANGED, version.partnership_id, version, added_section=title)
    return section


YES_NO_VALUES = ("yes", "no")


@transaction.atomic
def question_add(
    *,
    actor: User,
    section: Section,
    text: str,
    kind: str,
    options: Sequence[tuple[str, int]] = (),
    required: bool = False,
    hint: str = "",
    code: str = "",
    show_if_question: Question | None = None,
    show_if_value: str = "",
) -> Question:
    """Add a question; ``options`` are (label, weight) pairs for yes/no, choice and scale questions.

    Yes/no questions take exactly two options (yes first). A scale with no options gets grades 1 to 5,
    each weighted by its grade. A condition may only refer to an earlier question of the same version.
    """
    version = section.version
    _require_admin(actor, version.partnership_id)
    _require_draft(version)
    code = code or slugify(text)[:50]
    if version.questions.filter(code=code).exists():
        code = f"{code[:50]}-{version.questions.count() + 1}"
    options = list(options)
    if kind == QuestionKind.YES_NO:
        if not options:
            options = [(_("Yes"), 0), (_("No"), 0)]
        if len(options) != 2:
            raise ValidationError({"options": _("A yes or no question needs exactly two answers: yes, then no.")})
    elif kind == QuestionKind.SCALE and not options:
        options = [(str(grade), grade) for grade in range(1, 6)]
    elif kind == QuestionKind.CHOICE and len(options) < 2:
        raise ValidationError({"options": _("A single choice question needs at least two answers.")})
    elif kind in (QuestionKind.TEXT, QuestionKind.DATE) and options:
        raise ValidationError({"options": _("Free text and date questions have no answers to weight.")})
    if show_if_question is not None:
        if show_if_question.version_id != version.pk:
            raise ValidationError({"show_if_question": _("The condition must refer to a question in this version.")})
        allowed = {o.value for o in show_if_question.options.all()}
        if show_if_value not in allowed:
            raise ValidationError(
                {"show_if_value": _("Choose one of the answers of “%(q)s”.") % {"q": show_if_question.text}}
            )
    order = (section.questions.aggregate(m=Max("order"))["m"] or 0) + 1
    question = Question.objects.create(
        version=version,
        section=section,
        order=order,
        code=code,
        text=text,
        hint=hint,
        kind=kind,
        required=required,
        show_if_question=show_if_question,
        show_if_value=show_if_value if show_if_question else "",
    )
    values: list[str] = []
    for index, (label, weight) in enumerate(options, start=1):
        value = YES_NO_VALUES[index - 1] if kind == QuestionKind.YES_NO else (slugify(label)[:60] or str(index))
        if value in values:
            value = f"{value[:55]}-{index}"
        values.append(value)
        AnswerOption.objects.create(question=question, order=index, value=value, label=label, weight=weight)
    _audit(actor, Action.CHANGED, version.partnership_id, version, added_question=code)
    return question


@transaction.atomic
def band_add(
    *,
    actor: User,
    version: TemplateVersion,
    label: str,
    min_score: int,
    review_days: int,
    is_high: bool = False,
    code: str = "",
) -> Band:
    _require_admin(actor, version.partnership_id)
    _require_draft(version)
    code = code or slugify(label)[:30]
    if version.bands.filter(code=code).exists() or version.bands.filter(min_score=min_score).exists():
        raise ValidationError(_("Each band needs its own name and its own lowest score."))
    if review_days < 1:
        raise ValidationError({"review_days": _("The review interval must be at least 1 day.")})
    band = Band.objects.create(
        version=version, code=code, label=label, min_score=min_score, review_days=review_days, is_high=is_high
    )
    _audit(actor, Action.CHANGED, version.partnership_id, version, added_band=code)
    return band


@transaction.atomic
def version_publish(*, actor: User, version: TemplateVersion) -> TemplateVersion:
    """Freeze a draft so assessments can use it; there must be questions and bands."""
    _require_admin(actor, version.partnership_id)
    _require_draft(version)
    if not version.questions.exists():
        raise ValidationError(_("Add at least one question before publishing."))
    if not version.bands.exists():
        raise ValidationError(_("Add at least one band before publishing, so that every score has a band."))
    version.state = VersionState.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["state", "published_at", "published_by"])
    _audit(actor, Action.CHANGED, version.partnership_id, version, published=version.number)
    return version


@transaction.atomic
def version_draft_create(*, actor: User, template: AssessmentTemplate) -> TemplateVersion:
    """A new draft copied from the latest version; the existing draft if there is one."""
    _require_admin(actor, template.partnership_id)
    latest = TemplateVersion.objects.select_for_update().filter(template=template).order_by("-number").first()
    if latest is not None and latest.state == VersionState.DRAFT:
        return latest
    draft = TemplateVersion.objects.create(
        partnership_id=template.partnership_id,
        template=template,
        number=(latest.number if latest else 0) + 1,
        created_by=actor,
    )
    if latest is not None:
        _copy_content(latest, draft)
    _audit(actor, Action.CREATED, template.partnership_id, draft, copied_from=latest.number if latest else None)
    return draft


def _copy_content(source: TemplateVersion, target: TemplateVersion) -> None:
    question_map: dict[int, Question] = {}
    for section in source.sections.all():
        new_section = Section.objects.create(
            version=target, order=section.order, title=section.title, description=section.description
        )
        for question in section.questions.order_by("order", "id").prefetch_related("options"):
            new_question = Question.objects.create(
                version=target,
                section=new_section,
                order=question.order,
                code=question.code,
                text=question.text,
                hint=question.hint,
                kind=question.kind,
                required=question.required,
                show_if_question=question_map.get(question.show_if_question_id or 0),
                show_if_value=question.show_if_value if question.show_if_question_id else "",
            )
            question_map[question.pk] = new_question
            AnswerOption.objects.bulk_create(
                AnswerOption(question=new_question, order=o.order, value=o.value, label=o.label, weight=o.weight)
                for o in question.options.all()
            )
    Band.objects.bulk_create(
        Band(
            version=target,
            code=b.code,
            label=b.label,
            min_score=b.min_score,
            review_days=b.review_days,
            is_high=b.is_high,
        )
        for b in source.bands.all()
    )


# -- completing assessments ------------------------------------------------------------------


@transaction.atomic
def assessment_complete(
    *,
    actor: User,
    case: Case,
    version: TemplateVersion,
    answers: Mapping[str, str],
    person: Person | None = None,
    completed_at: datetime.datetime | None = None,
) -> Assessment:
    """Score and store a completed assessment; hidden questions are neither required nor scored.

    Raises ValidationError keyed by question code for missing or invalid answers.
    """
    if not can(actor, Act.CONTRIBUTE, case):
        raise PermissionDenied
    if case.is_closed:
        raise ValidationError(_("This case is closed. Reopen it to complete an assessment."))
    if version.partnership_id != case.partnership_id or version.state != VersionState.PUBLISHED:
        raise ValidationError(_("Choose a published assessment of this partnership."))
    if person is not None and not CaseParty.objects.filter(case=case, person=person).exists():
        raise ValidationError({"person": _("Choose someone who is a party to this case.")})
    questions = list(version.questions.select_related("section").prefetch_related("options"))
    answers = {code: (value or "").strip() for code, value in answers.items()}
    shown = scoring.shown_questions(questions, answers)
    errors = scoring.answer_errors(shown, answers)
    if errors:
        raise ValidationError({e.code: e.message for e in errors})
    bands = list(version.bands.all())
    score = scoring.score_of(shown, answers)
    band = scoring.band_for(bands, score)
    if band is None:
        raise ValidationError(_("This assessment has no bands."))
    completed_at = completed_at or timezone.now()
    assessment = Assessment.objects.create(
        partnership_id=case.partnership_id,
        case=case,
        person=person,
        version=version,
        assessor=actor,
        assessor_organisation_id=actor.organisation_id,
        completed_at=completed_at,
        score=score,
        band_code=band.code,
        band_label=band.label,
        is_high=band.is_high,
        next_review_on=timezone.localdate(completed_at) + datetime.timedelta(days=band.review_days),
    )
    Answer.objects.bulk_create(_answer_rows(assessment, shown, answers))
    # The earlier assessment with this template about the same person is now reviewed.
    Assessment.objects.filter(
        case=case, person=person, version__template_id=version.template_id, reviewed_by_later=False
    ).exclude(pk=assessment.pk).update(reviewed_by_later=True)
    audit_created(
        actor=actor,
        obj=assessment,
        data={"case": case.reference, "template": version.template.code, "version": version.number, "band": band.code},
    )
    if band.is_high:
        _alert_high_risk(assessment)
    return assessment


def _answer_rows(assessment: Assessment, shown: list[Question], answers: Mapping[str, str]) -> list[Answer]:
    rows = []
    for question in shown:
        value = answers.get(question.code, "")
        if not value:
            continue
        option = next((o for o in question.options.all() if o.value == value), None)
        rows.append(
            Answer(
                assessment=assessment,
                question=question,
                value=value,
                label=option.label if option else "",
                weight=option.weight if option and question.is_scored else 0,
            )
        )
    return rows


def _alert_high_risk(assessment: Assessment) -> None:
    case = assessment.case
    recipient = case.lead_officer or assessment.assessor
    alert_create(
        recipient=recipient,
        case=case,
        kind=AlertKind.HIGH_RISK,
        message=_("%(ref)s: the %(template)s came out high. Consider referral to the next CHaRMM or Community MARAC.")
        % {"ref": case.reference, "template": assessment.version.template.name},
        link=reverse("assessments:detail", args=[assessment.public_id]),
    )


@transaction.atomic
def alert_create(
    *, recipient: User, case: Case, kind: str, message: str, link: str, dedupe_key: str = ""
) -> Alert | None:
    """An in-app alert; with a ``dedupe_key`` a second identical alert is not created (returns None)."""
    if dedupe_key and Alert.objects.filter(recipient=recipient, kind=kind, dedupe_key=dedupe_key).exists():
        return None
    alert = Alert.objects.create(
        partnership_id=case.partnership_id,
        recipient=recipient,
        case=case,
        kind=kind,
        message=message[:300],
        link=link,
        dedupe_key=dedupe_key,
    )
    _notify_alert(alert)
    return alert


NOTIFIED_AS = {
    AlertKind.HIGH_RISK: Kind.HIGH_RISK,
    AlertKind.REVIEW_DUE: Kind.REVIEW_DUE,
    AlertKind.INTERVENTION_REVIEW: Kind.REVIEW_DUE,
    AlertKind.INTERVENTION_EXPIRY: Kind.INTERVENTION_EXPIRY,
}
# The interventions reminder emails its own alerts; these are notified in the app only.
EMAILED_BY_SENDER = frozenset({AlertKind.INTERVENTION_REVIEW, AlertKind.INTERVENTION_EXPIRY})


def _notify_alert(alert: Alert) -> None:
    """The alert's recipient is notified too, once the alert is committed."""
    if alert.kind not in NOTIFIED_AS:
        return
    case, recipient, link = alert.case, alert.recipient, alert.link
    kind, email = NOTIFIED_AS[AlertKind(alert.kind)], alert.kind not in EMAILED_BY_SENDER
    transaction.on_commit(
        lambda: notify(
            users=[recipient],
            kind=kind,
            reference=case.reference,
            path=link,
            may_see=lambda user: can(user, Act.VIEW, case),
            email=email,
        )
    )


def assessment_viewed(*, actor: User, assessment: Assessment) -> None:
    case_record_viewed(actor=actor, record=assessment, case=assessment.case)


@transaction.atomic
def alert_mark_read(*, actor: User, alert: Alert) -> Alert:
    """Marks the actor's own alert as read (once); audited. Anyone else's alert is refused."""
    if alert.recipient_id != actor.pk:
        raise PermissionDenied
    if alert.read_at is None:
        alert.read_at = timezone.now()
        alert.save(update_fields=["read_at"])
        audit_changed(
            actor=actor,
            obj=alert,
            data={"case": alert.case.reference, "read_at": {"from": None, "to": alert.read_at.isoformat()}},
        )
    return alert
