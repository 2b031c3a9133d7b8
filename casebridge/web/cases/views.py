"""Case pages: fetched through the access policy, audited, written through services."""

from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from casebridge.case_reviews import selectors as case_review_selectors
from casebridge.cases import documents, selectors, services
from casebridge.cases.exports import case_filters
from casebridge.cases.forms import (
    CaseCloseForm,
    CaseCreateForm,
    CaseEditForm,
    CaseLinkForm,
    CaseLocationForm,
    CaseReopenForm,
    DocumentForm,
    IncidentForm,
    NoteForm,
)
from casebridge.cases.models import Case, Status
from casebridge.cases.policy import Act, can, get_case_or_404, get_document_or_404
from casebridge.cases.versioning import StaleWriteError
from casebridge.lib.types import AuthenticatedRequest
from casebridge.matching import repeats
from casebridge.organisations.models import Partnership
from casebridge.people import services as people_services
from casebridge.people.access import get_person_or_404
from casebridge.people.forms import PartyAddForm
from casebridge.referrals.access import triages_in
from casebridge.web.matching.views import possible_matches_step

PAGE_SIZE = 25
LIST_TITLES = {
    "mine": _("My cases"),
    "organisation": _("My organisation's cases"),
    "shared": _("Shared with me"),
}


def current_partnership(request: AuthenticatedRequest) -> Partnership | None:
    membership = getattr(request, "membership", None)
    return membership.partnership if membership else None


def _case(request: AuthenticatedRequest, reference: str, action: Act) -> Case:
    return get_case_or_404(request.user, reference, action, current_partnership(request))


def _case_context(request: AuthenticatedRequest, case: Case, tab: str, **extra: Any) -> dict[str, Any]:
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


def form_page(
    request: AuthenticatedRequest, *, title: str, form: Any, case: Case | None = None, **extra: Any
) -> HttpResponse:
    context = {"title": title, "form": form, "case": case, "shows_personal_data": True, **extra}
    return render(request, "cases/form.html", context)


@login_required
def case_list(request: AuthenticatedRequest, scope: str = "mine") -> HttpResponse:
    partnership = current_partnership(request)
    if partnership is None:
        raise Http404
    form, filters = case_filters(request.GET, partnership)
    paginator = selectors.case_list_paginator(
        user=request.user, partnership=partnership, scope=scope, filters=filters, per_page=PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.page_rows(cast(QuerySet[Case], page.object_list))
    repeats.annotate_cases(partnership=partnership, cases=page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "scope": scope,
            "title": LIST_TITLES[scope],
            "scopes": LIST_TITLES,
            "form": form,
            "page": page,
            "sort": filters.sort,
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "shows_personal_data": True,
        },
    )


@login_required
@transaction.atomic
def case_create(request: AuthenticatedRequest) -> HttpResponse:
    partnership = current_partnership(request)
    if partnership is None or not can_create_cases(request):
        raise Http404
    form = CaseCreateForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        case = services.case_create(actor=request.user, partnership=partnership, **form.cleaned_data)
        messages.success(request, _("Case %(ref)s created.") % {"ref": case.reference})
        return redirect("cases:summary", reference=case.reference)
    return form_page(request, title=_("Open a case"), form=form)


def can_create_cases(request: AuthenticatedRequest) -> bool:
    membership = getattr(request, "membership", None)
    return bool(membership and membership.does_casework and request.user.organisation_id)


@login_required
@transaction.atomic
def case_summary(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.VIEW)
    services.case_viewed(actor=request.user, case=case, page="summary")
    context = _case_context(
        request,
        case,
        "summary",
        parties=selectors.case_parties(case=case),
        locations=case.case_locations.select_related("location"),
        linked=selectors.case_linked_visible(user=request.user, case=case),
        victim_flags=case_review_selectors.flags_for_case(case=case),
        runs_reviews=triages_in(request.user, case.partnership_id),
    )
    return render(request, "cases/case_summary.html", context)


@login_required
@transaction.atomic
def case_timeline(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.VIEW)
    services.case_viewed(actor=request.user, case=case, page="timeline")
    items = selectors.case_timeline(user=request.user, case=case)
    return render(request, "cases/case_timeline.html", _case_context(request, case, "timeline", items=items))


@login_required
@transaction.atomic
def case_parties(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.VIEW)
    services.case_viewed(actor=request.user, case=case, page="parties")
    parties = selectors.case_parties(case=case)
    return render(request, "cases/case_parties.html", _case_context(request, case, "parties", parties=parties))


@login_required
@transaction.atomic
def case_sharing(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.VIEW)
    services.case_viewed(actor=request.user, case=case, page="sharing")
    shares = selectors.case_shares(case=case)
    return render(request, "cases/case_sharing.html", _case_context(request, case, "sharing", shares=shares))


@login_required
@transaction.atomic
def case_access_log(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.LEAD)
    services.case_viewed(actor=request.user, case=case, page="access_log")
    page = Paginator(selectors.case_access_log(case=case), 50).get_page(request.GET.get("page"))
    return render(request, "cases/case_access_log.html", _case_context(request, case, "access_log", page=page))


def stale_context(request: AuthenticatedRequest, form: Any, error: StaleWriteError) -> dict[str, Any]:
    """Show what changed; the form now carries the current version, so resubmitting is a choice."""
    data = form.data.copy()
    data["version"] = error.current_version
    form.data = data
    form.add_error(None, str(error))
    return {"stale_changes": error.changes}


@login_required
@transaction.atomic
def case_edit(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.MANAGE)
    if case.status == Status.CLOSED:
        raise Http404
    initial = {"version": case.version, "risk_level": case.risk_level, "summary": case.summary, "status": case.status}
    form = CaseEditForm(request.POST or None, initial=initial)
    if request.method != "POST":
        services.case_viewed(actor=request.user, case=case, page="edit")
    extra: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                case = services.case_update(
                    actor=request.user,
                    case=case,
                    version=data["version"],
                    values={"risk_level": data["risk_level"], "summary": data["summary"]},
                )
                if data["status"] != case.status:
                    case = services.case_status_set(
                        actor=request.user, case=case, version=case.version, status=data["status"]
                    )
        except StaleWriteError as error:
            extra = stale_context(request, form, error)
        else:
            messages.success(request, _("Case updated."))
            return redirect("cases:summary", reference=case.reference)
    return form_page(request, title=_("Change case details"), form=form, case=case, **extra)


@login_required
@transaction.atomic
def case_close(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.MANAGE)
    if case.status == Status.CLOSED:
        raise Http404
    form = CaseCloseForm(request.POST or None, initial={"version": case.version})
    extra: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.case_close(actor=request.user, case=case, **form.cleaned_data)
        except StaleWriteError as error:
            extra = stale_context(request, form, error)
        else:
            messages.success(request, _("Case closed."))
            return redirect("cases:summary", reference=case.reference)
    return form_page(request, title=_("Close the case"), form=form, case=case, **extra)


@login_required
@transaction.atomic
def case_reopen(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.MANAGE)
    if case.status != Status.CLOSED:
        raise Http404
    form = CaseReopenForm(request.POST or None, initial={"version": case.version})
    extra: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.case_reopen(actor=request.user, case=case, **form.cleaned_data)
        except StaleWriteError as error:
            extra = stale_context(request, form, error)
        else:
            messages.success(request, _("Case reopened."))
            return redirect("cases:summary", reference=case.reference)
    return form_page(request, title=_("Reopen the case"), form=form, case=case, **extra)


@login_required
@transaction.atomic
def party_add(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """Add a new person, or (with ?person=<id> from search) one the user can already see."""
    case = _case(request, reference, Act.CONTRIBUTE)
    person = None
    person_id = request.GET.get("person") or request.POST.get("person")
    if person_id:
        try:
            person = get_person_or_404(request.user, UUID(person_id), Act.VIEW, case.partnership)
        except ValueError as error:
            raise Http404 from error
    form = PartyAddForm(request.POST or None, existing=person is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        role = data.pop("role")
        if person is None:
            shown = possible_matches_step(request, partnership=case.partnership, data=data)
            if shown is not None:
                return shown
            person = people_services.person_create(
                actor=request.user, partnership=case.partnership, **{k: v for k, v in data.items() if v is not None}
            )
        services.case_party_add(actor=request.user, case=case, person=person, role=role)
        messages.success(request, _("%(name)s added to the case.") % {"name": person.full_name})
        return redirect("cases:parties", reference=case.reference)
    return form_page(request, title=_("Add a person to the case"), form=form, case=case, person=person)


@login_required
@transaction.atomic
def note_add(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.CONTRIBUTE)
    form = NoteForm(request.POST or None, partnership=case.partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.note_add(
            actor=request.user,
            case=case,
            text=data["text"],
            kind=data["kind"],
            restriction=data["restriction"],
            restricted_to=data["restricted_users"],
        )
        messages.success(request, _("Note added."))
        return redirect("cases:timeline", reference=case.reference)
    return form_page(request, title=_("Add a note"), form=form, case=case)


@login_required
@transaction.atomic
def incident_record(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.CONTRIBUTE)
    form = IncidentForm(request.POST or None, partnership=case.partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        location = None
        if data["location"] or data["postcode"]:
            try:
                location = people_services.location_from_text(
                    actor=request.user, partnership=case.partnership, text=data["location"], postcode=data["postcode"]
                )
            except ValidationError as error:
                form.add_error("postcode", error.messages)
        if not form.errors:
            services.incident_record(
                actor=request.user,
                case=case,
                occurred_at=data["occurred_at"],
                reported_on=data["reported_on"],
                category=data["category"],
                description=data["description"],
                location=location,
                is_hate=data["is_hate"],
                hate_strand=data["hate_strand"],
                police_reference=data["police_reference"],
                restriction=data["restriction"],
                restricted_to=data["restricted_users"],
            )
            messages.success(request, _("Incident recorded."))
            return redirect("cases:timeline", reference=case.reference)
    return form_page(request, title=_("Record an incident"), form=form, case=case)


@login_required
@transaction.atomic
def document_upload(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.CONTRIBUTE)
    form = DocumentForm(request.POST or None, request.FILES or None, partnership=case.partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.document_upload(
            actor=request.user,
            case=case,
            file=data["file"],
            title=data["title"],
            restriction=data["restriction"],
            restricted_to=data["restricted_users"],
        )
        messages.success(request, _("Document uploaded."))
        return redirect("cases:timeline", reference=case.reference)
    return form_page(request, title=_("Upload a document"), form=form, case=case, multipart=True)


@login_required
@transaction.atomic
def document_download(request: AuthenticatedRequest, public_id: UUID) -> FileResponse:
    document = get_document_or_404(request.user, public_id, current_partnership(request))
    path = documents.path_of(document.stored_name)
    if not path.is_file():
        raise Http404
    services.document_downloaded(actor=request.user, document=document)
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 (FileResponse closes it)
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@transaction.atomic
def location_add(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.CONTRIBUTE)
    form = CaseLocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        location = people_services.location_create(
            actor=request.user, partnership=case.partnership, **form.location_values()
        )
        services.case_location_add(
            actor=request.user, case=case, location=location, is_subject=form.cleaned_data["is_subject"]
        )
        messages.success(request, _("Location added."))
        return redirect("cases:summary", reference=case.reference)
    return form_page(request, title=_("Add a location"), form=form, case=case)


@login_required
@transaction.atomic
def link_add(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.CONTRIBUTE)
    form = CaseLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            other = _case(request, form.cleaned_data["reference"].strip(), Act.VIEW)
        except Http404:
            other = None
        if other is None or other.pk == case.pk:
            form.add_error("reference", _("There is no other case you can see with that reference."))
        elif case.links.filter(other=other).exists():
            form.add_error("reference", _("The cases are already linked."))
        else:
            services.case_link_add(actor=request.user, case=case, other=other)
            messages.success(request, _("Cases linked."))
            return redirect("cases:summary", reference=case.reference)
    return form_page(request, title=_("Link another case"), form=form, case=case)
