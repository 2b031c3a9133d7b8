"""Referral pages: fetched through the access policy, audited, written through services."""

from typing import Any, TypedDict
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.case_reviews.selectors import flags_for_referrals
from casebridge.cases import documents
from casebridge.cases.policy import Act, can, does_casework_in
from casebridge.lib.pages import form_view, partnership_or_404
from casebridge.lib.versioning import StaleWriteError
from casebridge.matching.selectors import intake_matches
from casebridge.people.models import Person
from casebridge.referrals import selectors, services
from casebridge.referrals.access import can_referral, get_referral_or_404
from casebridge.referrals.forms import (
    AcceptForm,
    DeclineForm,
    DocumentsForm,
    MoreInfoForm,
    QueueFilterForm,
    ReferralForm,
    RespondForm,
    SubjectFormSet,
)
from casebridge.referrals.models import Referral, Status

PAGE_SIZE = 25
DECISION_FORM = "referrals/decision_form.html"


def _referral(request: AuthenticatedRequest, public_id: UUID, action: Act) -> Referral:
    return get_referral_or_404(request.user, public_id, action, partnership_or_404(request))


def referral_create(request: AuthenticatedRequest) -> HttpResponse:
    partnership = partnership_or_404(request)
    if not does_casework_in(request.user, partnership.pk) or request.user.organisation_id is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = ReferralForm(data)
    subjects = SubjectFormSet(data, prefix="subject")
    files = DocumentsForm(data, request.FILES or None)
    if request.method == "POST" and form.is_valid() and subjects.is_valid() and files.is_valid():
        chosen = [f.cleaned_data for f in subjects.forms if f.has_changed() and f.cleaned_data]
        try:
            referral = services.referral_create(
                actor=request.user,
                partnership=partnership,
                subjects=[services.SubjectData(**subject) for subject in chosen],
                files=[("", f) for f in files.cleaned_data["files"]],
                **{k: v for k, v in form.cleaned_data.items() if k in services.REFERRAL_FIELDS},
            )
        except ValidationError as error:
            files.add_error("files", error.messages)
        else:
            messages.success(request, _("Referral sent. You will be notified when it is triaged."))
            return redirect("referrals:detail", public_id=referral.public_id)
    context = {"form": form, "subjects": subjects, "files": files, "shows_personal_data": True}
    return render(request, "referrals/referral_create.html", context)


def referral_list_mine(request: AuthenticatedRequest) -> HttpResponse:
    partnership = partnership_or_404(request)
    if not does_casework_in(request.user, partnership.pk):
        raise Http404
    referrals = selectors.referrals_made_by(user=request.user, partnership=partnership)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "referrals/referral_list_mine.html", {"page": page, "shows_personal_data": True})


def triage_queue(request: AuthenticatedRequest) -> HttpResponse:
    partnership = partnership_or_404(request)
    if not holds(request.user, Capability.TRIAGE, partnership.pk):
        raise Http404
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.QueueFilters(
        status=data.get("status", ""),
        source=data.get("source", ""),
        purpose=data.get("purpose", ""),
        urgency=data.get("urgency", ""),
    )
    if not request.GET:
        filters = selectors.QueueFilters(status=Status.SUBMITTED)
        form = QueueFilterForm(initial={"status": Status.SUBMITTED})
    referrals = selectors.referral_queue(user=request.user, partnership=partnership, filters=filters)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    victim_flags = flags_for_referrals(partnership=partnership, referrals=list(page.object_list))
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "victim_flags": victim_flags,
        "shows_personal_data": True,
    }
    return render(request, "referrals/triage_queue.html", context)


def referral_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    referral = _referral(request, public_id, Act.VIEW)
    services.referral_viewed(actor=request.user, referral=referral)
    triager = can_referral(request.user, Act.MANAGE, referral)
    context = {
        "referral": referral,
        "subjects": selectors.referral_subjects(referral=referral),
        "updates": selectors.referral_updates(referral=referral),
        "documents": selectors.referral_documents(referral=referral),
        "triager": triager,
        "matches": intake_matches(user=request.user, referral=referral) if triager else None,
        "is_referrer": referral.referred_by_id == request.user.pk,
        "case_visible": referral.case is not None and can(request.user, Act.VIEW, referral.case),
        "shows_personal_data": True,
    }
    return render(request, "referrals/referral_detail.html", context)


class _DecisionPage(TypedDict):
    template: str
    context: dict[str, Any]
    refused: tuple[type[Exception], ...]


def _decision_page(referral: Referral, title: str) -> _DecisionPage:
    """A step that moves a referral on; a stale version is refused above the form."""
    return {
        "template": DECISION_FORM,
        "context": {"referral": referral, "title": title, "shows_personal_data": True},
        "refused": (StaleWriteError,),
    }


def _already_decided(request: AuthenticatedRequest, referral: Referral) -> HttpResponse:
    messages.info(request, _("This referral has already been decided."))
    return redirect("referrals:detail", public_id=referral.public_id)


def referral_accept(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    referral = _referral(request, public_id, Act.MANAGE)
    if not referral.is_open:
        return _already_decided(request, referral)
    matches = intake_matches(user=request.user, referral=referral)
    visible_people = [r.person for r in matches.people if r.visible]
    people: dict[int, list[Person]] = {s.pk: visible_people for s in referral.subjects.all()}
    cases = list(selectors.attachable_cases(user=request.user, partnership=referral.partnership)[:200])
    form = AcceptForm(
        request.POST or None, initial={"version": referral.version}, referral=referral, cases=cases, people=people
    )
    return form_view(
        request,
        form,
        save=lambda data: services.referral_accept(
            actor=request.user,
            referral=referral,
            version=data["version"],
            case=form.chosen_case(),
            case_type=data.get("case_type"),
            risk_level=data.get("risk_level", ""),
            people=form.chosen_people(),
        ),
        success_message=lambda case: _("Referral accepted into %(ref)s.") % {"ref": case.reference},
        redirect_to=lambda case: reverse("cases:summary", args=[case.reference]),
        **_decision_page(referral, _("Accept the referral")),
    )


def referral_decline(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    referral = _referral(request, public_id, Act.MANAGE)
    if not referral.is_open:
        return _already_decided(request, referral)
    form = DeclineForm(request.POST or None, initial={"version": referral.version})
    return form_view(
        request,
        form,
        save=lambda data: services.referral_decline(
            actor=request.user, referral=referral, version=data["version"], reason=data["reason"]
        ),
        success_message=_("Referral declined. The referrer has been told."),
        redirect_to="referrals:queue",
        **_decision_page(referral, _("Decline the referral")),
    )


def referral_more_info(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    referral = _referral(request, public_id, Act.MANAGE)
    if not referral.is_open:
        return _already_decided(request, referral)
    form = MoreInfoForm(request.POST or None, initial={"version": referral.version})
    return form_view(
        request,
        form,
        save=lambda data: services.referral_more_info_request(
            actor=request.user, referral=referral, version=data["version"], question=data["question"]
        ),
        success_message=_("The referrer has been asked for more information."),
        redirect_to=reverse("referrals:detail", args=[referral.public_id]),
        **_decision_page(referral, _("Ask the referrer for more information")),
    )


def referral_respond(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    referral = _referral(request, public_id, Act.VIEW)
    if referral.referred_by_id != request.user.pk or referral.status != Status.MORE_INFO:
        raise Http404
    form = RespondForm(request.POST or None, initial={"version": referral.version})
    return form_view(
        request,
        form,
        save=lambda data: services.referral_information_add(
            actor=request.user, referral=referral, version=data["version"], text=data["text"]
        ),
        success_message=_("Information added. The referral is back in the triage queue."),
        redirect_to=reverse("referrals:detail", args=[referral.public_id]),
        **_decision_page(referral, _("Add the information asked for")),
    )


def referral_document(request: AuthenticatedRequest, public_id: UUID) -> FileResponse:
    document = selectors.referral_document_for(
        user=request.user, public_id=public_id, partnership=partnership_or_404(request)
    )
    path = documents.path_of(document.stored_name)
    if not path.is_file():
        raise Http404
    services.referral_document_downloaded(actor=request.user, document=document)
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 (FileResponse closes it)
        as_attachment=True,
        filename=documents.file_name(document.original_name, document.content_type),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
