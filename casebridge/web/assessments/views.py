"""Template builder (administrators) and assessments on cases (through the case access policy)."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casebridge.assessments import selectors, services
from casebridge.assessments.forms import AssessmentForm, BandForm, QuestionForm, SectionForm, TemplateForm
from casebridge.assessments.models import TemplateVersion
from casebridge.cases import services as case_services
from casebridge.cases.models import Case
from casebridge.cases.policy import Act, can, get_case_or_404
from casebridge.lib.types import AuthenticatedRequest
from casebridge.organisations.models import Partnership
from casebridge.people.models import Person


def current_partnership(request: AuthenticatedRequest) -> Partnership | None:
    membership = getattr(request, "membership", None)
    return membership.partnership if membership else None


def case_page_context(request: AuthenticatedRequest, case: Case, tab: str, **extra: Any) -> dict[str, Any]:
    """What cases/case_base.html needs, so these pages sit among the case's tabs."""
    user = request.user
    return {
        "case": case,
        "tab": tab,
        "can_contribute": can(user, Act.CONTRIBUTE, case),
        "can_manage": can(user, Act.MANAGE, case),
        "is_lead": can(user, Act.LEAD, case),
        "shows_personal_data": True,
        **extra,
    }


def apply_errors(form: Any, error: ValidationError, prefix: str = "") -> None:
    """Put a service's errors on the form's fields where they match, otherwise at the top."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            name = f"{prefix}{field}"
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


# -- template builder ------------------------------------------------------------------------


def _admin_partnership(request: AuthenticatedRequest) -> Partnership:
    partnership = current_partnership(request)
    if partnership is None or not services.is_administrator(request.user, partnership):
        raise Http404
    return partnership


def _draft_or_404(request: AuthenticatedRequest, public_id: UUID) -> TemplateVersion:
    version = selectors.version_for_admin(partnership=_admin_partnership(request), public_id=public_id)
    if version.is_published:
        raise Http404
    return version


@login_required
def template_list(request: AuthenticatedRequest) -> HttpResponse:
    partnership = _admin_partnership(request)
    templates = selectors.template_list(partnership=partnership)
    return render(request, "assessments/template_list.html", {"templates": templates})


def _form_page(request: AuthenticatedRequest, *, title: str, form: Any, back_url: str) -> HttpResponse:
    return render(request, "assessments/form.html", {"title": title, "form": form, "back_url": back_url})


def _version_url(version: TemplateVersion) -> str:
    return reverse("assessments:version", args=[version.public_id])


@login_required
@transaction.atomic
def template_create(request: AuthenticatedRequest) -> HttpResponse:
    partnership = _admin_partnership(request)
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                template = services.template_create(actor=request.user, partnership=partnership, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("assessments:version", public_id=template.versions.get().public_id)
    return _form_page(
        request, title=_("Create an assessment template"), form=form, back_url=reverse("assessments:templates")
    )


@login_required
def version_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    version = selectors.version_for_admin(partnership=_admin_partnership(request), public_id=public_id)
    context = {
        "version": version,
        "sections": selectors.version_content(version=version),
        "bands": list(version.bands.all()),
        "other_versions": version.template.versions.exclude(pk=version.pk).order_by("-number"),
    }
    return render(request, "assessments/version_detail.html", context)


@login_required
@transaction.atomic
def section_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    version = _draft_or_404(request, public_id)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.section_add(actor=request.user, version=version, **form.cleaned_data)
        return redirect("assessments:version", public_id=version.public_id)
    return _form_page(request, title=_("Add a section"), form=form, back_url=_version_url(version))


@login_required
@transaction.atomic
def question_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    version = _draft_or_404(request, public_id)
    if not version.sections.exists():
        messages.error(request, _("Add a section before adding questions."))
        return redirect("assessments:version", public_id=version.public_id)
    form = QuestionForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.question_add(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("assessments:version", public_id=version.public_id)
    return _form_page(request, title=_("Add a question"), form=form, back_url=_version_url(version))


@login_required
@transaction.atomic
def band_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    version = _draft_or_404(request, public_id)
    form = BandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.band_add(actor=request.user, version=version, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("assessments:version", public_id=version.public_id)
    return _form_page(request, title=_("Add a band"), form=form, back_url=_version_url(version))


@login_required
@require_POST
@transaction.atomic
def version_publish(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    version = _draft_or_404(request, public_id)
    try:
        with transaction.atomic():
            services.version_publish(actor=request.user, version=version)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Version %(n)s published.") % {"n": version.number})
    return redirect("assessments:version", public_id=version.public_id)


@login_required
@require_POST
@transaction.atomic
def version_draft(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    version = selectors.version_for_admin(partnership=_admin_partnership(request), public_id=public_id)
    draft = services.version_draft_create(actor=request.user, template=version.template)
    return redirect("assessments:version", public_id=draft.public_id)


# -- assessments on cases --------------------------------------------------------------------


@login_required
@transaction.atomic
def case_assessments(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = get_case_or_404(request.user, reference, Act.VIEW, current_partnership(request))
    case_services.case_viewed(actor=request.user, case=case, page="assessments")
    assessments = list(selectors.case_assessments(case=case))
    context = case_page_context(
        request, case, "assessments", assessments=assessments, trend=selectors.assessment_trend(assessments)
    )
    return render(request, "assessments/case_assessments.html", context)


@login_required
def assessment_choose(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = get_case_or_404(request.user, reference, Act.CONTRIBUTE, current_partnership(request))
    versions = selectors.published_versions(partnership=case.partnership)
    context = case_page_context(request, case, "assessments", versions=versions)
    return render(request, "assessments/assessment_choose.html", context)


@login_required
@transaction.atomic
def assessment_complete(request: AuthenticatedRequest, reference: str, version_id: UUID) -> HttpResponse:
    case = get_case_or_404(request.user, reference, Act.CONTRIBUTE, current_partnership(request))
    version = selectors.published_version_or_404(partnership=case.partnership, public_id=version_id)
    questions = list(version.questions.select_related("section").prefetch_related("options"))
    people = list(Person.objects.filter(case_parties__case=case).distinct().order_by("last_name", "first_name"))
    form = AssessmentForm(request.POST or None, questions=questions, people=people)
    if request.method == "POST" and form.is_valid():
        person = next((p for p in people if str(p.public_id) == form.cleaned_data.get("person")), None)
        try:
            with transaction.atomic():
                assessment = services.assessment_complete(
                    actor=request.user, case=case, version=version, answers=form.answers(), person=person
                )
        except ValidationError as error:
            apply_errors(form, error, prefix="q_")
        else:
            return redirect("assessments:detail", public_id=assessment.public_id)
    sections: dict[Any, list[Any]] = {}
    for question, field in form.bound_questions():
        sections.setdefault(question.section, []).append((question, field))
    context = case_page_context(request, case, "assessments", version=version, form=form, sections=sections)
    return render(request, "assessments/assessment_form.html", context)


@login_required
@transaction.atomic
def assessment_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    assessment = selectors.get_assessment_or_404(request.user, public_id, current_partnership(request))
    services.assessment_viewed(actor=request.user, assessment=assessment)
    context = case_page_context(
        request,
        assessment.case,
        "assessments",
        assessment=assessment,
        answers=selectors.assessment_answers(assessment=assessment),
    )
    return render(request, "assessments/assessment_detail.html", context)


@login_required
def reviews_due(request: AuthenticatedRequest) -> HttpResponse:
    partnership = current_partnership(request)
    if partnership is None:
        raise Http404
    due = list(selectors.assessments_due_for_review(request.user, partnership))
    return render(request, "assessments/reviews_due.html", {"due": due, "shows_personal_data": bool(due)})


@login_required
def alert_list(request: AuthenticatedRequest) -> HttpResponse:
    partnership = current_partnership(request)
    if partnership is None:
        raise Http404
    alerts = list(selectors.alerts_for(user=request.user, partnership=partnership)[:100])
    return render(request, "assessments/alert_list.html", {"alerts": alerts})


@login_required
@require_POST
@transaction.atomic
def alert_read(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    partnership = current_partnership(request)
    if partnership is None:
        raise Http404
    alert = selectors.alerts_for(user=request.user, partnership=partnership).filter(public_id=public_id).first()
    if alert is None:
        raise Http404
    services.alert_mark_read(actor=request.user, alert=alert)
    messages.success(request, _("Alert marked as read."))
    return redirect("assessments:alerts")
