import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casebridge.accounts import services as account_services
from casebridge.accounts.lockout import is_locked_out
from casebridge.accounts.models import User
from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.accounts.selectors import user_has_mfa
from casebridge.accounts.staff import organisations as organisation_admin
from casebridge.accounts.staff import permissions as staff_permissions
from casebridge.accounts.staff import selectors as staff_selectors
from casebridge.accounts.staff import services as staff_services
from casebridge.accounts.staff import users_import as staff_import
from casebridge.accounts.staff.forms import MembershipForm, UserEditForm, UserInviteForm, UsersImportForm
from casebridge.accounts.staff.importing import ImportFileError, ImportReport, errors_csv, rows_from_csv
from casebridge.lib.pages import form_view
from casebridge.organisations.forms import OrganisationAddForm, OrganisationEditForm, OrganisationForm, TeamForm
from casebridge.organisations.middleware import PARTNERSHIP_KEY
from casebridge.organisations.models import Partnership, Role

PAGE_SIZE = 50
IMPORT_REPORTS_KEY = "casebridge_import_reports"
FORM = "organisations/form.html"
USER_FORM = "organisations/user_form.html"
View = Callable[..., HttpResponse]


def _partnership(request: AuthenticatedRequest) -> Partnership:
    if request.membership is None:
        raise PermissionDenied
    return request.membership.partnership


def _only_if(may: Callable[[User, Partnership], bool]) -> Callable[[View], View]:
    """Whole pages for those ``may`` allows in the partnership they work in: anyone else gets 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not may(request.user, _partnership(request)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


user_managers_only = _only_if(staff_permissions.may_manage_users)
organisation_adders_only = _only_if(staff_permissions.may_add_organisations)
importers_only = _only_if(staff_permissions.may_import_users)


def _user_url(user: User) -> str:
    return reverse("organisations:user_detail", args=[user.public_id])


@user_managers_only
def user_list(request: AuthenticatedRequest) -> HttpResponse:
    partnership = _partnership(request)
    may_import = staff_permissions.may_import_users(request.user, partnership)
    organisations = list(staff_permissions.organisations_visible_to(request.user, partnership))
    chosen = next((o for o in organisations if str(o.public_id) == request.GET.get("organisation")), None)
    role = request.GET.get("role", "")
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("order") == "descending"
    users = staff_selectors.user_list_manageable(
        actor=request.user,
        partnership=partnership,
        search=request.GET.get("search", "").strip(),
        organisation=chosen,
        role=role if role in Role.values else "",
        sort=sort if sort in staff_selectors.USER_SORTS else "name",
        descending=descending,
    )
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    columns = [("name", _("Name")), ("email", _("Email")), ("organisation", _("Organisation"))]
    columns += [("team", _("Team")), ("role", _("Role"))]
    context = {
        "page": page,
        "columns": columns,
        "sort": sort,
        "order": "descending" if descending else "ascending",
        "organisations": organisations,
        "chosen_organisation": chosen,
        "roles": Role.choices,
        "chosen_role": role,
        "search": request.GET.get("search", ""),
        "may_import": may_import,
        "join_requests": staff_selectors.join_requests_to_answer(actor=request.user),
        "shows_personal_data": True,
    }
    return render(request, "organisations/user_list.html", context)


@user_managers_only
@require_http_methods(["GET", "POST"])
def user_create(request: AuthenticatedRequest) -> HttpResponse:
    partnership = _partnership(request)
    form = UserInviteForm(
        request.POST or None,
        organisations=staff_permissions.organisations_for_new_users(request.user, partnership),
        roles=staff_permissions.roles_assignable_by(request.user, partnership),
    )
    return form_view(
        request,
        form,
        save=lambda data: staff_services.user_invite(actor=request.user, partnership=partnership, **data),
        success_message=lambda user: _("%(name)s has been invited by email.") % {"name": user.get_full_name()},
        redirect_to=_user_url,
        template=USER_FORM,
        context={"title": _("Add a user")},
    )


def user_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    partnership = _partnership(request)
    user = staff_selectors.user_get_manageable(actor=request.user, partnership=partnership, public_id=public_id)
    context = {
        "person": user,
        "memberships": staff_selectors.user_memberships(user=user),
        "may_set_memberships": bool(staff_permissions.partnerships_for_roles(request.user, user)),
        "removable_partnership_ids": {p.pk for p in staff_permissions.partnerships_for_removal(request.user, user)},
        "may_manage_account": staff_permissions.may_act_on_account(request.user, partnership, user),
        "has_two_factor": user_has_mfa(user=user),
        "is_locked_out": is_locked_out(user),
        "shows_personal_data": True,
    }
    return render(request, "organisations/user_detail.html", context)


ACCOUNT_ACTIONS: dict[str, tuple[Callable[..., Any], str]] = {
    "deactivate": (account_services.user_deactivate, _("%(name)s can no longer sign in; their sessions have ended.")),
    "reactivate": (account_services.user_reactivate, _("%(name)s can sign in again.")),
    "unlock": (account_services.user_unlock, _("%(name)s's account is unlocked.")),
    "reset-two-factor": (
        account_services.mfa_reset,
        _("%(name)s's two-factor authentication was reset: they will set it up again when they next sign in."),
    ),
}


@require_http_methods(["POST"])
def user_account_action(request: AuthenticatedRequest, public_id: UUID, action: str) -> HttpResponse:
    """Deactivate, reactivate, unlock or reset two-factor: 404 unless the actor may act on this account."""
    partnership = _partnership(request)
    user = staff_selectors.user_get_account(actor=request.user, partnership=partnership, public_id=public_id)
    if action not in ACCOUNT_ACTIONS:
        raise Http404
    service, done = ACCOUNT_ACTIONS[action]
    try:
        service(actor=request.user, user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"name": user.get_full_name()})
    return redirect("organisations:user_detail", public_id=user.public_id)


@require_http_methods(["GET", "POST"])
def user_edit(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    partnership = _partnership(request)
    user = staff_selectors.user_get_account(actor=request.user, partnership=partnership, public_id=public_id)
    initial = {"first_name": user.first_name, "last_name": user.last_name, "job_title": user.job_title}
    form = UserEditForm(request.POST or None, initial={**initial, "team": user.team}, organisation=user.organisation)
    return form_view(
        request,
        form,
        save=lambda data: staff_services.user_update(actor=request.user, partnership=partnership, user=user, **data),
        success_message=_("The user's details have been saved."),
        redirect_to=_user_url(user),
        template=USER_FORM,
        context={"person": user, "title": _("Change %(name)s") % {"name": user.get_full_name()}},
    )


@require_http_methods(["GET", "POST"])
def membership_set(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    partnership = _partnership(request)
    user = staff_selectors.user_get_manageable(actor=request.user, partnership=partnership, public_id=public_id)
    partnerships = staff_permissions.partnerships_for_roles(request.user, user)
    if not partnerships:
        raise Http404
    roles = {role for p in partnerships for role in staff_permissions.roles_assignable_by(request.user, p)}
    form = MembershipForm(
        request.POST or None,
        initial={"partnership": partnership, "role": user.role_in(partnership)},
        partnerships=partnerships,
        roles=[role for role in Role if role in roles],
    )

    def save(data: dict[str, Any]) -> None:
        try:
            staff_services.membership_set(actor=request.user, user=user, **data)
        except PermissionDenied as error:
            raise ValidationError({"role": _("You cannot give this role. Ask a partnership administrator.")}) from error

    return form_view(
        request,
        form,
        save=save,
        success_message=_("The role has been saved."),
        redirect_to=_user_url(user),
        template=USER_FORM,
        context={"person": user, "title": _("Set a role for %(name)s") % {"name": user.get_full_name()}},
    )


@require_http_methods(["GET", "POST"])
def membership_remove(request: AuthenticatedRequest, public_id: UUID, partnership_id: UUID) -> HttpResponse:
    user = staff_selectors.user_get_manageable(
        actor=request.user, partnership=_partnership(request), public_id=public_id
    )
    target = next(
        (p for p in staff_permissions.partnerships_for_removal(request.user, user) if p.public_id == partnership_id),
        None,
    )
    membership = user.membership_in(target) if target else None
    if target is None or membership is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            staff_services.membership_remove(actor=request.user, user=user, partnership=target)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, _("The role has been removed."))
            if staff_permissions.may_see_user(request.user, _partnership(request), user):
                return redirect("organisations:user_detail", public_id=user.public_id)
            return redirect("organisations:user_list")
    context = {"person": user, "membership": membership, "error": error}
    return render(request, "organisations/membership_remove.html", context)


@user_managers_only
def organisation_list(request: AuthenticatedRequest) -> HttpResponse:
    partnership = _partnership(request)
    context = {
        "organisations": staff_selectors.organisation_list_visible(actor=request.user, partnership=partnership),
        "changeable_ids": set(
            staff_permissions.organisations_changeable_by(request.user, partnership).values_list("pk", flat=True)
        ),
        "may_add_organisations": staff_permissions.may_add_organisations(request.user, partnership),
        "join_requests_sent": staff_selectors.join_requests_sent(partnership=partnership),
    }
    return render(request, "organisations/organisation_list.html", context)


@organisation_adders_only
@require_http_methods(["GET", "POST"])
def organisation_create(request: AuthenticatedRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: organisation_admin.organisation_create(
            actor=request.user, partnership=_partnership(request), **data
        ),
        success_message=_("The organisation has been added."),
        redirect_to="organisations:organisation_list",
        template=FORM,
        context={"title": _("Add an organisation")},
    )


@organisation_adders_only
@require_http_methods(["GET", "POST"])
def organisation_add_existing(request: AuthenticatedRequest) -> HttpResponse:
    """Asks an existing organisation to take part: it joins only when one of its managers accepts."""
    partnership = _partnership(request)
    form = OrganisationAddForm(
        request.POST or None, organisations=staff_selectors.organisations_to_ask(partnership=partnership)
    )
    return form_view(
        request,
        form,
        save=lambda data: organisation_admin.organisation_ask_to_join(
            actor=request.user, partnership=partnership, organisation=data["organisation"]
        ),
        success_message=lambda asked: (
            _(
                "%(organisation)s has been asked to take part in %(partnership)s. "
                "It joins when one of its managers accepts."
            )
            % {"organisation": asked.organisation, "partnership": partnership}
        ),
        redirect_to="organisations:organisation_list",
        template=FORM,
        context={"title": _("Ask an existing organisation to join %(name)s") % {"name": partnership}},
    )


@require_http_methods(["GET", "POST"])
def organisation_edit(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    partnership = _partnership(request)
    organisation = staff_selectors.organisation_get_changeable(
        actor=request.user, partnership=partnership, public_id=public_id
    )
    initial = {"name": organisation.name, "type": organisation.type, "is_active": organisation.is_active}
    form = OrganisationEditForm(request.POST or None, initial=initial)
    return form_view(
        request,
        form,
        save=lambda data: organisation_admin.organisation_update(
            actor=request.user, partnership=partnership, organisation=organisation, **data
        ),
        success_message=_("The organisation has been saved."),
        redirect_to="organisations:organisation_list",
        template=FORM,
        context={"title": _("Change %(name)s") % {"name": organisation.name}},
    )


@require_http_methods(["GET", "POST"])
def team_create(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    partnership = _partnership(request)
    organisation = staff_selectors.organisation_get_changeable(
        actor=request.user, partnership=partnership, public_id=public_id
    )
    form = TeamForm(request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: organisation_admin.team_create(
            actor=request.user, partnership=partnership, organisation=organisation, **data
        ),
        success_message=_("The team has been added."),
        redirect_to="organisations:organisation_list",
        template=FORM,
        context={"title": _("Add a team to %(name)s") % {"name": organisation.name}},
    )


def join_request_list(request: AuthenticatedRequest) -> HttpResponse:
    """Partnerships asking the manager's organisation to take part: its managers' page only."""
    if not staff_permissions.organisations_answering_for(request.user).exists():
        raise PermissionDenied
    requests = staff_selectors.join_requests_to_answer(actor=request.user)
    return render(request, "organisations/join_request_list.html", {"join_requests": requests})


JOIN_ANSWERS = {
    "accept": (True, _("%(organisation)s now takes part in %(partnership)s.")),
    "decline": (False, _("You declined the request from %(partnership)s.")),
}


@require_http_methods(["POST"])
def join_request_answer(request: AuthenticatedRequest, public_id: UUID, answer: str) -> HttpResponse:
    if answer not in JOIN_ANSWERS:
        raise Http404
    join_request = staff_selectors.join_request_get_to_answer(actor=request.user, public_id=public_id)
    accept, done = JOIN_ANSWERS[answer]
    try:
        organisation_admin.organisation_answer_join_request(actor=request.user, request=join_request, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        names = {"organisation": join_request.organisation, "partnership": join_request.partnership}
        messages.success(request, done % names)
    return redirect("organisations:join_request_list")


@importers_only
@require_http_methods(["GET", "POST"])
def users_import(request: AuthenticatedRequest) -> HttpResponse:
    form = UsersImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = rows_from_csv(form.cleaned_data["file"].read())
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            report = staff_import.users_import(
                actor=request.user,
                rows=rows,
                partnership=_partnership(request),
                dry_run=form.cleaned_data["dry_run"],
            )
            report_id = str(uuid.uuid4())
            # Only the latest few reports are kept, in the session: they may hold personal data.
            reports = dict(list(request.session.get(IMPORT_REPORTS_KEY, {}).items())[-4:])
            reports[report_id] = report.as_dict()
            request.session[IMPORT_REPORTS_KEY] = reports
            return redirect("organisations:users_import_report", report_id=report_id)
    return render(request, "organisations/users_import.html", {"form": form})


def _report(request: AuthenticatedRequest, report_id: UUID) -> ImportReport:
    data = request.session.get(IMPORT_REPORTS_KEY, {}).get(str(report_id))
    if data is None:
        raise Http404
    return ImportReport.from_dict(data)


@importers_only
def users_import_report(request: AuthenticatedRequest, report_id: UUID) -> HttpResponse:
    context = {"report": _report(request, report_id), "report_id": report_id, "shows_personal_data": True}
    return render(request, "organisations/users_import_report.html", context)


@importers_only
def users_import_errors(request: AuthenticatedRequest, report_id: UUID) -> HttpResponse:
    response = HttpResponse(errors_csv(_report(request, report_id)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="import-errors.csv"'
    return response


@require_http_methods(["POST"])
def partnership_switch(request: AuthenticatedRequest) -> HttpResponse:
    """Work in another partnership the user has a role in; anything else answers 404."""
    chosen = request.POST.get("partnership", "")
    membership = next((m for m in request.user.cached_memberships() if str(m.partnership.public_id) == chosen), None)
    if membership is None:
        raise Http404
    request.session[PARTNERSHIP_KEY] = chosen
    messages.success(request, _("You are now working in %(name)s.") % {"name": membership.partnership.name})
    return redirect("home")
