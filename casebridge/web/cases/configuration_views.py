"""Partnership administrators configure case types and incident categories for their partnership."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.cases import services
from casebridge.cases.forms import (
    CaseTypeEditForm,
    ConfigurationNameForm,
    IncidentCategoryEditForm,
    IncidentCategoryForm,
)
from casebridge.cases.models import CaseType, IncidentCategory, IncidentGroup
from casebridge.lib.pages import FormPage, form_view
from casebridge.organisations.models import Partnership

View = Callable[..., HttpResponse]
FORM = "cases/form.html"


def administrators_only(view: View) -> View:
    """Those who configure the partnership (administrators) only: anyone else gets 403 (the pages are not secret)."""

    @wraps(view)
    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = getattr(request, "membership", None)
        if membership is None or not holds(request.user, Capability.CONFIGURE_PARTNERSHIP, membership.partnership_id):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _partnership(request: AuthenticatedRequest) -> Partnership:
    if request.membership is None:  # administrators_only has checked; this keeps the types honest
        raise PermissionDenied
    return request.membership.partnership


def _configuration_page(title: str) -> FormPage:
    """A form that adds or changes one setting, returning to the configuration page."""
    return {
        "redirect_to": "cases:configuration",
        "template": FORM,
        "context": {"title": title, "back_url": reverse("cases:configuration")},
    }


@administrators_only
def configuration(request: AuthenticatedRequest) -> HttpResponse:
    partnership = _partnership(request)
    categories = list(IncidentCategory.objects.filter(partnership=partnership))
    groups = [(label, [c for c in categories if c.group == value]) for value, label in IncidentGroup.choices]
    context = {"case_types": CaseType.objects.filter(partnership=partnership), "groups": groups}
    return render(request, "cases/configuration.html", context)


@administrators_only
def case_type_create(request: AuthenticatedRequest) -> HttpResponse:
    form = ConfigurationNameForm(request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: services.case_type_create(
            actor=request.user, partnership=_partnership(request), name=data["name"]
        ),
        success_message=_("Case type added."),
        **_configuration_page(_("Add a case type")),
    )


@administrators_only
def case_type_edit(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    case_type = CaseType.objects.filter(partnership=_partnership(request), public_id=public_id).first()
    if case_type is None:
        raise Http404
    initial = {"name": case_type.name, "status": "active" if case_type.is_active else "retired"}
    form = CaseTypeEditForm(request.POST or None, initial=initial)
    return form_view(
        request,
        form,
        save=lambda data: services.case_type_update(
            actor=request.user, case_type=case_type, name=data["name"], is_active=data["status"] == "active"
        ),
        success_message=_("Case type saved."),
        **_configuration_page(_("Change the case type %(name)s") % {"name": case_type.name}),
    )


@administrators_only
def incident_category_create(request: AuthenticatedRequest) -> HttpResponse:
    form = IncidentCategoryForm(request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: services.incident_category_create(
            actor=request.user, partnership=_partnership(request), group=data["group"], name=data["name"]
        ),
        success_message=_("Incident category added."),
        **_configuration_page(_("Add an incident category")),
    )


@administrators_only
def incident_category_edit(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    category = IncidentCategory.objects.filter(partnership=_partnership(request), public_id=public_id).first()
    if category is None:
        raise Http404
    initial = {"name": category.name, "group": category.group, "status": "active" if category.is_active else "retired"}
    form = IncidentCategoryEditForm(request.POST or None, initial=initial)
    return form_view(
        request,
        form,
        save=lambda data: services.incident_category_update(
            actor=request.user,
            category=category,
            group=data["group"],
            name=data["name"],
            is_active=data["status"] == "active",
        ),
        success_message=_("Incident category saved."),
        **_configuration_page(_("Change the incident category %(name)s") % {"name": category.name}),
    )
