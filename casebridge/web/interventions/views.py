"""Interventions on cases, breaches, the per-person escalation ladder and the toolkit settings."""

from typing import Any
from uuid import UUID

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.cases import services as case_services
from casebridge.cases.forms import DocumentForm
from casebridge.cases.policy import Act, can, get_case_or_404
from casebridge.interventions import selectors, services
from casebridge.interventions.forms import BreachForm, InterventionForm, InterventionTypeForm, StatusForm
from casebridge.interventions.models import Breach, BreachAction, Intervention, InterventionType
from casebridge.lib.pages import form_view, partnership_or_404
from casebridge.organisations.models import Partnership
from casebridge.people.access import get_person_or_404
from casebridge.people.models import Location, Person
from casebridge.web.cases.tabs import case_page_context

SIMPLE_FORM = "interventions/simple_form.html"


def _detail_url(intervention: Intervention) -> str:
    return reverse("interventions:detail", args=[intervention.public_id])


def case_interventions(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = get_case_or_404(request.user, reference, Act.VIEW, partnership_or_404(request))
    case_services.case_viewed(actor=request.user, case=case, page="interventions")
    interventions = list(selectors.case_interventions(case=case))
    context = case_page_context(request, case, "interventions", interventions=interventions)
    return render(request, "interventions/case_interventions.html", context)


def intervention_create(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = get_case_or_404(request.user, reference, Act.CONTRIBUTE, partnership_or_404(request))
    types = list(selectors.intervention_types(partnership=case.partnership))
    type_ = next((t for t in types if t.code == (request.GET.get("type") or request.POST.get("type"))), None)
    if type_ is None:
        context = case_page_context(request, case, "interventions", types=types)
        return render(request, "interventions/type_choose.html", context)
    people = Person.objects.filter(case_parties__case=case).distinct().order_by("last_name", "first_name")
    locations = Location.objects.filter(case_links__case=case).distinct()
    initial = {}
    subject = request.GET.get("subject")
    if subject:
        initial["subject_person"] = next((p for p in people if str(p.public_id) == subject), None)
    form = InterventionForm(request.POST or None, type_=type_, people=people, locations=locations, initial=initial)
    return form_view(
        request,
        form,
        save=lambda _data: services.intervention_create(
            actor=request.user,
            case=case,
            type_=type_,
            **form.service_arguments(officer_name=request.user.get_full_name()),
        ),
        success_message=_("%(type)s recorded.") % {"type": type_.name},
        redirect_to=_detail_url,
        template="interventions/intervention_form.html",
        context=case_page_context(request, case, "interventions", type=type_),
    )


def intervention_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    intervention = selectors.get_intervention_or_404(request.user, public_id, partnership_or_404(request))
    services.intervention_viewed(actor=request.user, intervention=intervention)
    context = case_page_context(
        request,
        intervention.case,
        "interventions",
        intervention=intervention,
        conditions=list(intervention.conditions.all()),
        signatories=list(intervention.signatories.all()),
        breaches=list(selectors.intervention_breaches(user=request.user, intervention=intervention)),
        documents=list(selectors.intervention_documents(user=request.user, intervention=intervention)),
        can_change_status=bool(services.ALLOWED_CHANGES.get(intervention.status)),
    )
    return render(request, "interventions/intervention_detail.html", context)


def intervention_status(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    intervention = selectors.get_intervention_or_404(request.user, public_id, partnership_or_404(request))
    case = intervention.case
    allowed = services.ALLOWED_CHANGES.get(intervention.status, set())
    if not can(request.user, Act.CONTRIBUTE, case) or not allowed:
        raise Http404
    form = StatusForm(request.POST or None, allowed=allowed)
    return form_view(
        request,
        form,
        save=lambda data: services.intervention_status_set(actor=request.user, intervention=intervention, **data),
        success_message=_("Status updated."),
        redirect_to=_detail_url(intervention),
        template=SIMPLE_FORM,
        context=case_page_context(
            request, case, "interventions", intervention=intervention, title=_("Change the status")
        ),
    )


def breach_record(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    intervention = selectors.get_intervention_or_404(request.user, public_id, partnership_or_404(request))
    case = intervention.case
    if not can(request.user, Act.CONTRIBUTE, case):
        raise Http404
    form = BreachForm(request.POST or None, incidents=selectors.breach_incidents(user=request.user, case=case))

    def next_page(breach: Breach) -> str:
        """After an escalation, the form for the next step, with the same person chosen."""
        person = intervention.subject_person
        if breach.action_taken == BreachAction.ESCALATION and person is not None:
            return reverse("interventions:create", args=[case.reference]) + f"?subject={person.public_id}"
        return _detail_url(intervention)

    return form_view(
        request,
        form,
        save=lambda data: services.breach_record(actor=request.user, intervention=intervention, **data),
        success_message=_("Breach recorded."),
        redirect_to=next_page,
        template=SIMPLE_FORM,
        context=case_page_context(
            request, case, "interventions", intervention=intervention, title=_("Record a breach")
        ),
    )


def intervention_document_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    intervention = selectors.get_intervention_or_404(request.user, public_id, partnership_or_404(request))
    case = intervention.case
    if not can(request.user, Act.CONTRIBUTE, case):
        raise Http404
    form = DocumentForm(request.POST or None, request.FILES or None, partnership=case.partnership)
    return form_view(
        request,
        form,
        save=lambda data: services.intervention_document_add(
            actor=request.user, intervention=intervention, **form.document_values()
        ),
        success_message=_("Document added."),
        redirect_to=_detail_url(intervention),
        template=SIMPLE_FORM,
        context=case_page_context(
            request,
            case,
            "interventions",
            intervention=intervention,
            title=_("Add a document"),
            multipart=True,
        ),
    )


def person_ladder(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    person = get_person_or_404(request.user, public_id, Act.VIEW, partnership_or_404(request))
    services.person_ladder_viewed(actor=request.user, person=person)
    steps = selectors.escalation_ladder(user=request.user, person=person)
    return render(
        request,
        "interventions/person_ladder.html",
        {"person": person, "steps": steps, "shows_personal_data": True},
    )


def _admin_partnership(request: AuthenticatedRequest) -> Partnership:
    partnership = partnership_or_404(request)
    if not holds(request.user, Capability.CONFIGURE_PARTNERSHIP, partnership.pk):
        raise Http404
    return partnership


def type_list(request: AuthenticatedRequest) -> HttpResponse:
    partnership = _admin_partnership(request)
    types = list(selectors.intervention_types(partnership=partnership, active_only=False))
    return render(request, "interventions/type_list.html", {"types": types})


def type_edit(request: AuthenticatedRequest, code: str) -> HttpResponse:
    partnership = _admin_partnership(request)
    type_ = InterventionType.objects.filter(partnership=partnership, code=code).first()
    if type_ is None:
        raise Http404
    form = InterventionTypeForm(request.POST or None, instance=type_)

    def save(data: dict[str, Any]) -> None:
        values = {name: data[name] for name in form.changed_data}
        # Validating the model form wrote the posted values onto the instance; the service diffs the stored ones.
        type_.refresh_from_db()
        services.intervention_type_update(actor=request.user, type_=type_, values=values)

    return form_view(
        request,
        form,
        save=save,
        success_message=lambda _result: _("%(type)s updated.") % {"type": type_.name},
        redirect_to="interventions:types",
        template="interventions/type_form.html",
        context={"type": type_},
    )
