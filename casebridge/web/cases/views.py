"""Case pages: fetched through the access policy, audited, written through services."""

from typing import Any, cast
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.requests import AuthenticatedRequest
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
from casebridge.cases.policy import Act, get_case_or_404, get_document_or_404
from casebridge.lib.pages import form_view, partnership_or_404
from casebridge.lib.versioning import StaleWriteError
from casebridge.matching import repeats
from casebridge.meetings import selectors as meeting_selectors
from casebridge.people import selectors as people_selectors
from casebridge.people import services as people_services
from casebridge.people.access import get_person_or_404
from casebridge.people.forms import PartyAddForm
from casebridge.people.models import Person
from casebridge.web.cases.tabs import case_page_context
from casebridge.web.matching.possible_matches import possible_matches_step

PAGE_SIZE = 25
LIST_TITLES = {
    "mine": _("My cases"),
    "organisation": _("My organisation's cases"),
    "shared": _("Shared with me"),
}
FORM = "cases/form.html"


def _case(request: AuthenticatedRequest, reference: str, action: Act) -> Case:
    return get_case_or_404(request.user, reference, action, partnership_or_404(request))


def _summary_url(case: Case) -> str:
    return reverse("cases:summary", args=[case.reference])


def _timeline_url(case: Case) -> str:
    return reverse("cases:timeline", args=[case.reference])


def _form_context(title: str, case: Case | None = None, **extra: Any) -> dict[str, Any]:
    return {"title": title, "case": case, "shows_personal_data": True, **extra}


def case_list(request: AuthenticatedRequest, scope: str = "mine") -> HttpResponse:
    partnership = partnership_or_404(request)
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


def case_create(request: AuthenticatedRequest) -> HttpResponse:
    partnership = partnership_or_404(request)
    if not can_create_cases(request):
        raise Http404
    form = CaseCreateForm(request.POST or None, partnership=partnership)
    return form_view(
        request,
        form,
        save=lambda data: services.case_create(actor=request.user, partnership=partnership, **data),
        success_message=lambda case: _("Case %(ref)s created.") % {"ref": case.reference},
        redirect_to=_summary_url,
        template=FORM,
        context=_form_context(_("Open a case")),
    )


def can_create_cases(request: AuthenticatedRequest) -> bool:
    membership = getattr(request, "membership", None)
    return bool(
        membership
        and holds(request.user, Capability.CASEWORK, membership.partnership_id)
        and request.user.organisation_id
    )


def case_summary(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.VIEW)
    services.case_viewed(actor=request.user, case=case, page="summary")
    context = case_page_context(
        request,
        case,
        "summary",
        parties=people_selectors.case_parties_visible(user=request.user, case=case),
        locations=case.case_locations.select_related("location"),
        linked=selectors.case_linked_visible(user=request.user, case=case),
        victim_flags=case_review_selectors.flags_for_case(case=case),
        runs_reviews=holds(request.user, Capability.TRIAGE, case.partnership_id),
        agenda_proposals=meeting_selectors.proposals_for_case(case=case),
    )
    return render(request, "cases/case_summary.html", context)


def case_timeline(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.VIEW)
    services.case_viewed(actor=request.user, case=case, page="timeline")
    items = selectors.case_timeline(user=request.user, case=case)
    return render(request, "cases/case_timeline.html", case_page_context(request, case, "timeline", items=items))


def case_parties(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.VIEW)
    services.case_viewed(actor=request.user, case=case, page="parties")
    parties = people_selectors.case_parties_visible(user=request.user, case=case)
    return render(request, "cases/case_parties.html", case_page_context(request, case, "parties", parties=parties))


def case_sharing(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.VIEW)
    services.case_viewed(actor=request.user, case=case, page="sharing")
    shares = selectors.case_shares(case=case)
    return render(request, "cases/case_sharing.html", case_page_context(request, case, "sharing", shares=shares))


def case_access_log(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.LEAD)
    services.case_viewed(actor=request.user, case=case, page="access_log")
    page = Paginator(selectors.case_access_log(case=case), 50).get_page(request.GET.get("page"))
    return render(request, "cases/case_access_log.html", case_page_context(request, case, "access_log", page=page))


def case_edit(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.MANAGE)
    if case.status == Status.CLOSED:
        raise Http404
    initial = {"version": case.version, "risk_level": case.risk_level, "summary": case.summary, "status": case.status}
    form = CaseEditForm(request.POST or None, initial=initial)
    if request.method != "POST":
        services.case_viewed(actor=request.user, case=case, page="edit")

    def save(data: dict[str, Any]) -> Case:
        values = {"risk_level": data["risk_level"], "summary": data["summary"]}
        updated = services.case_update(actor=request.user, case=case, version=data["version"], values=values)
        if data["status"] != updated.status:
            updated = services.case_status_set(
                actor=request.user, case=updated, version=updated.version, status=data["status"]
            )
        return updated

    return form_view(
        request,
        form,
        save=save,
        success_message=_("Case updated."),
        redirect_to=_summary_url(case),
        template=FORM,
        context=_form_context(_("Change case details"), case),
        stale=StaleWriteError,
    )


def case_close(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.MANAGE)
    if case.status == Status.CLOSED:
        raise Http404
    form = CaseCloseForm(request.POST or None, initial={"version": case.version})
    return form_view(
        request,
        form,
        save=lambda data: services.case_close(actor=request.user, case=case, **data),
        success_message=_("Case closed."),
        redirect_to=_summary_url(case),
        template=FORM,
        context=_form_context(_("Close the case"), case),
        stale=StaleWriteError,
    )


def case_reopen(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.MANAGE)
    if case.status != Status.CLOSED:
        raise Http404
    form = CaseReopenForm(request.POST or None, initial={"version": case.version})
    return form_view(
        request,
        form,
        save=lambda data: services.case_reopen(actor=request.user, case=case, **data),
        success_message=_("Case reopened."),
        redirect_to=_summary_url(case),
        template=FORM,
        context=_form_context(_("Reopen the case"), case),
        stale=StaleWriteError,
    )


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
    if request.method == "POST" and person is None and form.is_valid():
        # Before a new person is made, the user confirms they are none of the people like them.
        data = {k: v for k, v in form.cleaned_data.items() if k != "role"}
        shown = possible_matches_step(request, partnership=case.partnership, data=data)
        if shown is not None:
            return shown

    def save(data: dict[str, Any]) -> Person:
        added = person
        if added is None:
            details = {k: v for k, v in data.items() if k != "role" and v is not None}
            added = people_services.person_create(actor=request.user, partnership=case.partnership, **details)
        services.case_party_add(actor=request.user, case=case, person=added, role=data["role"])
        return added

    return form_view(
        request,
        form,
        save=save,
        success_message=lambda added: _("%(name)s added to the case.") % {"name": added.full_name},
        redirect_to=reverse("cases:parties", args=[case.reference]),
        template=FORM,
        context=_form_context(_("Add a person to the case"), case, person=person),
    )


def note_add(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.CONTRIBUTE)
    form = NoteForm(request.POST or None, partnership=case.partnership)
    return form_view(
        request,
        form,
        save=lambda data: services.note_add(
            actor=request.user,
            case=case,
            text=data["text"],
            kind=data["kind"],
            **form.restriction_values(),
        ),
        success_message=_("Note added."),
        redirect_to=_timeline_url(case),
        template=FORM,
        context=_form_context(_("Add a note"), case),
    )


def incident_record(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.CONTRIBUTE)
    form = IncidentForm(request.POST or None, partnership=case.partnership)

    def save(data: dict[str, Any]) -> None:
        location = None
        if data["location"] or data["postcode"]:
            try:
                location = people_services.location_from_text(
                    actor=request.user, partnership=case.partnership, text=data["location"], postcode=data["postcode"]
                )
            except ValidationError as error:
                raise ValidationError({"postcode": error.messages}) from error
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
            **form.restriction_values(),
        )

    return form_view(
        request,
        form,
        save=save,
        success_message=_("Incident recorded."),
        redirect_to=_timeline_url(case),
        template=FORM,
        context=_form_context(_("Record an incident"), case),
    )


def document_upload(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.CONTRIBUTE)
    form = DocumentForm(request.POST or None, request.FILES or None, partnership=case.partnership)
    return form_view(
        request,
        form,
        save=lambda data: services.document_upload(actor=request.user, case=case, **form.document_values()),
        success_message=_("Document uploaded."),
        redirect_to=_timeline_url(case),
        template=FORM,
        context=_form_context(_("Upload a document"), case, multipart=True),
    )


def document_download(request: AuthenticatedRequest, public_id: UUID) -> FileResponse:
    document = get_document_or_404(request.user, public_id, partnership_or_404(request))
    path = documents.path_of(document.stored_name)
    if not path.is_file():
        raise Http404
    services.document_downloaded(actor=request.user, document=document)
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 (FileResponse closes it)
        as_attachment=True,
        filename=documents.file_name(document.original_name, document.content_type),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def location_add(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.CONTRIBUTE)
    form = CaseLocationForm(request.POST or None)

    def save(data: dict[str, Any]) -> None:
        location = people_services.location_create(
            actor=request.user, partnership=case.partnership, **form.location_values()
        )
        services.case_location_add(actor=request.user, case=case, location=location, is_subject=data["is_subject"])

    return form_view(
        request,
        form,
        save=save,
        success_message=_("Location added."),
        redirect_to=_summary_url(case),
        template=FORM,
        context=_form_context(_("Add a location"), case),
    )


def link_add(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, Act.CONTRIBUTE)
    form = CaseLinkForm(request.POST or None)

    def save(data: dict[str, Any]) -> None:
        try:
            other = _case(request, data["reference"].strip(), Act.VIEW)
        except Http404:
            other = None
        if other is None or other.pk == case.pk:
            raise ValidationError({"reference": _("There is no other case you can see with that reference.")})
        if case.links.filter(other=other).exists():
            raise ValidationError({"reference": _("The cases are already linked.")})
        services.case_link_add(actor=request.user, case=case, other=other)

    return form_view(
        request,
        form,
        save=save,
        success_message=_("Cases linked."),
        redirect_to=_summary_url(case),
        template=FORM,
        context=_form_context(_("Link another case"), case),
    )
