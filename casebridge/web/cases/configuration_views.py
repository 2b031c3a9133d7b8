"""Partnership administrators configure case types and incident categories for their partnership."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.cases import services
from casebridge.cases.forms import (
    CaseTypeEditForm,
    ConfigurationNameForm,
    IncidentCategoryEditForm,
    IncidentCategoryForm,
)
from casebridge.cases.models import CaseType, IncidentCategory, IncidentGroup
from casebridge.organisations.models import Partnership, Role

View = Callable[..., HttpResponse]


def administrators_only(view: View) -> View:
    """The partnership's administrators only: anyone else gets 403 (the pages are not secret)."""

    @wraps(view)
    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = getattr(request, "membership", None)
        if membership is None or membership.role != Role.ADMINISTRATOR:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _partnership(request: AuthenticatedRequest) -> Partnership:
    if request.membership is None:  # administrators_only has checked; this keeps the types honest
        raise PermissionDenied
    return request.membership.partnership


def _form_page(request: AuthenticatedRequest, title: str, form: Any) -> HttpResponse:
    context = {"title": title, "form": form, "back_url": reverse("cases:configuration")}
    return render(request, "cases/form.html", context)


def _service_errors(form: Any, error: ValidationError) -> None:
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@administrators_only
def configuration(request: AuthenticatedRequest) -> HttpResponse:
    partnership = _partnership(request)
    categories = list(IncidentCategory.objects.filter(partnership=partnership))
    groups = [(label, [c for c in categories if c.group == value]) for value, label in IncidentGroup.choices]
    context = {"case_types": CaseType.objects.filter(partnership=partnership), "groups": groups}
    return render(request, "cases/configuration.html", context)


@administrators_only
@transaction.atomic
def case_type_create(request: AuthenticatedRequest) -> HttpResponse:
    form = ConfigurationNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.case_type_create(
                    actor=request.user, partnership=_partnership(request), name=form.cleaned_data["name"]
                )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Case type added."))
            return redirect("cases:configuration")
    return _form_page(request, _("Add a case type"), form)


@administrators_only
@transaction.atomic
def case_type_edit(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    case_type = CaseType.objects.filter(partnership=_partnership(request), public_id=public_id).first()
    if case_type is None:
        raise Http404
    initial = {"name": case_type.name, "status": "active" if case_type.is_active else "retired"}
    form = CaseTypeEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.case_type_update(
                    actor=request.user, case_type=case_type, name=data["name"], is_active=data["status"] == "active"
                )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Case type saved."))
            return redirect("cases:configuration")
    return _form_page(request, _("Change the case type %(name)s") % {"name": case_type.name}, form)


@administrators_only
@transaction.atomic
def incident_category_create(request: AuthenticatedRequest) -> HttpResponse:
    form = IncidentCategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.incident_category_create(
                    actor=request.user,
                    partnership=_partnership(request),
                    group=data["group"],
                    name=data["name"],
                )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Incident category added."))
            return redirect("cases:configuration")
    return _form_page(request, _("Add an incident category"), form)


@administrators_only
@transaction.atomic
def incident_category_edit(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    category = IncidentCategory.objects.filter(partnership=_partnership(request), public_id=public_id).first()
    if category is None:
        raise Http404
    initial = {"name": category.name, "group": category.group, "status": "active" if category.is_active else "retired"}
    form = IncidentCategoryEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.incident_category_update(
                    actor=request.user,
                    category=category,
                    group=data["group"],
                    name=data["name"],
                    is_active=data["status"] == "active",
                )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Incident category saved."))
            return redirect("cases:configuration")
    return _form_page(request, _("Change the incident category %(name)s") % {"name": category.name}, form)
