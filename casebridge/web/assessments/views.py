"""Template builder (administrators) and assessments on cases (through the case access policy)."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.assessments import selectors, services
from casebridge.assessments.forms import AssessmentForm, BandForm, QuestionForm, SectionForm, TemplateForm
from casebridge.assessments.models import Assessment, TemplateVersion
from casebridge.cases import services as case_services
from casebridge.cases.policy import Act, get_case_or_404
from casebridge.lib.pages import form_view, partnership_or_404
from casebridge.organisations.models import Partnership
from casebridge.people.models import Person
from casebridge.web.cases.tabs import case_page_context

FORM = "assessments/form.html"

# -- template builder ------------------------------------------------------------------------


def _admin_partnership(request: AuthenticatedRequest) -> Partnership:
    partnership = partnership_or_404(request)
    if not services.is_administrator(request.user, partnership):
        raise Http404
    return partnership


def _draft_or_404(request: AuthenticatedRequest, public_id: UUID) -> TemplateVersion:
    version = selectors.version_for_admin(partnership=_admin_partnership(request), public_id=public_id)
    if version.is_published:
        raise Http404
    return version


def template_list(request: AuthenticatedRequest) -> HttpResponse:
    partnership = _admin_partnership(request)
    templates = selectors.template_list(partnership=partnership)
    return render(request, "assessments/template_list.html", {"templates": templates})


def _version_url(version: TemplateVersion) -> str:
    return reverse("assessments:version", args=[version.public_id])


def _builder_context(title: str, back_url: str) -> dict[str, Any]:
    return {"title": title, "back_url": back_url}


def template_create(request: AuthenticatedRequest) -> HttpResponse:
    partnership = _admin_partnership(request)
    form = TemplateForm(request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: services.template_create(actor=request.user, partnership=partnership, **data),
        redirect_to=lambda template: _version_url(template.versions.get()),
        template=FORM,
        context=_builder_context(_("Create an assessment template"), reverse("assessments:templates")),
    )


def version_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    version = selectors.version_for_admin(partnership=_admin_partnership(request), public_id=public_id)
    context = {
        "version": version,
        "sections": selectors.version_content(version=version),
        "bands": list(version.bands.all()),
        "other_versions": version.template.versions.exclude(pk=version.pk).order_by("-number"),
    }
    return render(request, "assessments/version_detail.html", context)


def section_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    version = _draft_or_404(request, public_id)
    return form_view(
        request,
        SectionForm(request.POST or None),
        save=lambda data: services.section_add(actor=request.user, version=version, **data),
        redirect_to=_version_url(version),
        template=FORM,
        context=_builder_context(_("Add a section"), _version_url(version)),
    )


def question_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    version = _draft_or_404(request, public_id)
    if not version.sections.exists():
        messages.error(request, _("Add a section before adding questions."))
        return redirect("assessments:version", public_id=version.public_id)
    return form_view(
        request,
        QuestionForm(request.POST or None, version=version),
        save=lambda data: services.question_add(actor=request.user, **data),
        redirect_to=_version_url(version),
        template=FORM,
        context=_builder_context(_("Add a question"), _version_url(version)),
    )


def band_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    version = _draft_or_404(request, public_id)
    return form_view(
        request,
        BandForm(request.POST or None),
        save=lambda data: services.band_add(actor=request.user, version=version, **data),
        redirect_to=_version_url(version),
        template=FORM,
        context=_builder_context(_("Add a band"), _version_url(version)),
    )


@require_POST
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


@require_POST
def version_draft(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    version = selectors.version_for_admin(partnership=_admin_partnership(request), public_id=public_id)
    draft = services.version_draft_create(actor=request.user, template=version.template)
    return redirect("assessments:version", public_id=draft.public_id)


# -- assessments on cases --------------------------------------------------------------------


def case_assessments(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = get_case_or_404(request.user, reference, Act.VIEW, partnership_or_404(request))
    case_services.case_viewed(actor=request.user, case=case, page="assessments")
    assessments = list(selectors.case_assessments(case=case))
    context = case_page_context(
        request, case, "assessments", assessments=assessments, trend=selectors.assessment_trend(assessments)
    )
    return render(request, "assessments/case_assessments.html", context)


def assessment_choose(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = get_case_or_404(request.user, reference, Act.CONTRIBUTE, partnership_or_404(request))
    versions = selectors.published_versions(partnership=case.partnership)
    context = case_page_context(request, case, "assessments", versions=versions)
    return render(request, "assessments/assessment_choose.html", context)


def assessment_complete(request: AuthenticatedRequest, reference: str, version_id: UUID) -> HttpResponse:
    case = get_case_or_404(request.user, reference, Act.CONTRIBUTE, partnership_or_404(request))
    version = selectors.published_version_or_404(partnership=case.partnership, public_id=version_id)
    questions = list(version.questions.select_related("section").prefetch_related("options"))
    people = list(Person.objects.filter(case_parties__case=case).distinct().order_by("last_name", "first_name"))
    form = AssessmentForm(request.POST or None, questions=questions, people=people)

    def save(data: dict[str, Any]) -> Assessment:
        person = next((p for p in people if str(p.public_id) == data.get("person")), None)
        return services.assessment_complete(
            actor=request.user, case=case, version=version, answers=form.answers(), person=person
        )

    sections: dict[Any, list[Any]] = {}
    for question, field in form.bound_questions():
        sections.setdefault(question.section, []).append((question, field))
    return form_view(
        request,
        form,
        save=save,
        redirect_to=lambda assessment: reverse("assessments:detail", args=[assessment.public_id]),
        template="assessments/assessment_form.html",
        context=case_page_context(request, case, "assessments", version=version, sections=sections),
        error_prefix="q_",
    )


def assessment_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    assessment = selectors.get_assessment_or_404(request.user, public_id, partnership_or_404(request))
    services.assessment_viewed(actor=request.user, assessment=assessment)
    context = case_page_context(
        request,
        assessment.case,
        "assessments",
        assessment=assessment,
        answers=selectors.assessment_answers(assessment=assessment),
    )
    return render(request, "assessments/assessment_detail.html", context)


def reviews_due(request: AuthenticatedRequest) -> HttpResponse:
    partnership = partnership_or_404(request)
    due = list(selectors.assessments_due_for_review(request.user, partnership))
    return render(request, "assessments/reviews_due.html", {"due": due, "shows_personal_data": bool(due)})


def alert_list(request: AuthenticatedRequest) -> HttpResponse:
    partnership = partnership_or_404(request)
    alerts = list(selectors.alerts_for(user=request.user, partnership=partnership)[:100])
    return render(request, "assessments/alert_list.html", {"alerts": alerts})


@require_POST
def alert_read(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    partnership = partnership_or_404(request)
    alert = selectors.alerts_for(user=request.user, partnership=partnership).filter(public_id=public_id).first()
    if alert is None:
        raise Http404
    services.alert_mark_read(actor=request.user, alert=alert)
    messages.success(request, _("Alert marked as read."))
    return redirect("assessments:alerts")
