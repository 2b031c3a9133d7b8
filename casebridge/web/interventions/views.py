"""Interventions on cases, breaches, the per-person escalation ladder and the toolkit settings."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from casebridge.cases import services as case_services
from casebridge.cases.forms import DocumentForm
from casebridge.cases.policy import Act, can, get_case_or_404
from casebridge.interventions import selectors, services
from casebridge.interventions.forms import BreachForm, InterventionForm, InterventionTypeForm, StatusForm
from casebridge.interventions.models import BreachAction, InterventionType
from casebridge.lib.types import AuthenticatedRequest
from casebridge.organisations.models import Partnership, Role
from casebridge.people.access import get_person_or_404
from casebridge.people.models import Location, Person
from casebridge.web.assessments.views import apply_errors, case_page_context, current_partnership


@login_required
@transaction.atomic
def case_interventions(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = get_case_or_404(request.user, reference, Act.VIEW, current_partnership(request))
    case_services.case_viewed(actor=request.user, case=case, page="interventions")
    interventions = list(selectors.case_interventions(case=case))
    context = case_page_context(request, case, "interventions", interventions=interventions)
    return render(request, "interventions/case_interventions.html", context)


@login_required
@transaction.atomic
def intervention_create(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = get_case_or_404(request.user, reference, Act.CONTRIBUTE, current_partnership(request))
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
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                intervention = services.intervention_create(
                    actor=request.user,
                    case=case,
                    type_=type_,
                    **form.service_arguments(officer_name=request.user.get_full_name()),
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(type)s recorded.") % {"type": type_.name})
            return redirect("interventions:detail", public_id=intervention.public_id)
    context = case_page_context(request, case, "interventions", form=form, type=type_)
    return render(request, "interventions/intervention_form.html", context)


@login_required
@transaction.atomic
def intervention_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    intervention = selectors.get_intervention_or_404(request.user, public_id, current_partnership(request))
    services.intervention_viewed(actor=request.user, intervention=intervention)
    context = case_page_context(
        request,
        intervention.case,
        "interventions",
        intervention=intervention,
        conditions=list(intervention.conditions.all()),
        signatories=list(intervention.signatories.all()),
        breaches=list(selectors.intervention_breaches(intervention=intervention)),
        documents=list(selectors.intervention_documents(user=request.user, intervention=intervention)),
        can_change_status=bool(services.ALLOWED_CHANGES.get(intervention.status)),
    )
    return render(request, "interventions/intervention_detail.html", context)


@login_required
@transaction.atomic
def intervention_status(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    intervention = selectors.get_intervention_or_404(request.user, public_id, current_partnership(request))
    case = intervention.case
    allowed = services.ALLOWED_CHANGES.get(intervention.status, set())
    if not can(request.user, Act.CONTRIBUTE, case) or not allowed:
        raise Http404
    form = StatusForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.intervention_status_set(actor=request.user, intervention=intervention, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Status updated."))
            return redirect("interventions:detail", public_id=intervention.public_id)
    context = case_page_context(
        request, case, "interventions", form=form, intervention=intervention, title=_("Change the status")
    )
    return render(request, "interventions/simple_form.html", context)


@login_required
@transaction.atomic
def breach_record(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    intervention = selectors.get_intervention_or_404(request.user, public_id, current_partnership(request))
    case = intervention.case
    if not can(request.user, Act.CONTRIBUTE, case):
        raise Http404
    form = BreachForm(request.POST or None, incidents=selectors.breach_incidents(user=request.user, case=case))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                breach = services.breach_record(actor=request.user, intervention=intervention, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Breach recorded."))
            if breach.action_taken == BreachAction.ESCALATION and intervention.subject_person is not None:
                return redirect(_escalation_url(case.reference, intervention.subject_person))
            return redirect("interventions:detail", public_id=intervention.public_id)
    context = case_page_context(
        request, case, "interventions", form=form, intervention=intervention, title=_("Record a breach")
    )
    return render(request, "interventions/simple_form.html", context)


@login_required
@transaction.atomic
def intervention_document_add(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    intervention = selectors.get_intervention_or_404(request.user, public_id, current_partnership(request))
    case = intervention.case
    if not can(request.user, Act.CONTRIBUTE, case):
        raise Http404
    form = DocumentForm(request.POST or None, request.FILES or None, partnership=case.partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.intervention_document_add(
            actor=request.user,
            intervention=intervention,
            file=data["file"],
            title=data["title"],
            restriction=data["restriction"],
            restricted_to=data["restricted_users"],
        )
        messages.success(request, _("Document added."))
        return redirect("interventions:detail", public_id=intervention.public_id)
    context = case_page_context(
        request, case, "interventions", form=form, intervention=intervention, title=_("Add a document"), multipart=True
    )
    return render(request, "interventions/simple_form.html", context)


def _escalation_url(reference: str, person: Person) -> str:
    """After a breach escalated, the form for the next step, with the same person chosen."""
    return reverse("interventions:create", args=[reference]) + f"?subject={person.public_id}"


@login_required
@transaction.atomic
def person_ladder(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    person = get_person_or_404(request.user, public_id, Act.VIEW, current_partnership(request))
    services.person_ladder_viewed(actor=request.user, person=person)
    steps = selectors.escalation_ladder(user=request.user, person=person)
    return render(
        request,
        "interventions/person_ladder.html",
        {"person": person, "steps": steps, "shows_personal_data": True},
    )


def _admin_partnership(request: AuthenticatedRequest) -> Partnership:
    partnership = current_partnership(request)
    if partnership is None or request.user.role_in(partnership) != Role.ADMINISTRATOR:
        raise Http404
    return partnership


@login_required
def type_list(request: AuthenticatedRequest) -> HttpResponse:
    partnership = _admin_partnership(request)
    types = list(selectors.intervention_types(partnership=partnership, active_only=False))
    return render(request, "interventions/type_list.html", {"types": types})


@login_required
@transaction.atomic
def type_edit(request: AuthenticatedRequest, code: str) -> HttpResponse:
    partnership = _admin_partnership(request)
    type_ = InterventionType.objects.filter(partnership=partnership, code=code).first()
    if type_ is None:
        raise Http404
    form = InterventionTypeForm(request.POST or None, instance=type_)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        type_.refresh_from_db()
        try:
            with transaction.atomic():
                services.intervention_type_update(actor=request.user, type_=type_, values=values)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(type)s updated.") % {"type": type_.name})
            return redirect("interventions:types")
    return render(request, "interventions/type_form.html", {"form": form, "type": type_})
