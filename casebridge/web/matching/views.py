"""The possible-duplicates queue: list, compare side by side, merge, unmerge, not the same person."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.lib.pages import form_view
from casebridge.matching import selectors, services
from casebridge.matching.forms import MergeForm
from casebridge.matching.models import DuplicateCandidate, PersonMerge
from casebridge.organisations.models import Partnership
from casebridge.people import services as people_services
from casebridge.people.access import visible_people


def _reviewer_partnership(request: AuthenticatedRequest) -> Partnership:
    membership = request.membership
    if membership is None or not selectors.may_review_duplicates(request.user, membership.partnership):
        raise PermissionDenied
    return membership.partnership


def _candidate(request: AuthenticatedRequest, public_id: UUID) -> DuplicateCandidate:
    partnership = _reviewer_partnership(request)
    candidate = selectors.candidates_visible_to(user=request.user, partnership=partnership).filter(public_id=public_id)
    found = candidate.select_related("partnership").first()
    if found is None:
        raise Http404
    return found


def _merge(request: AuthenticatedRequest, public_id: UUID) -> PersonMerge:
    partnership = _reviewer_partnership(request)
    visible = visible_people(request.user, partnership).values("pk")
    merge = (
        PersonMerge.objects.filter(partnership=partnership, public_id=public_id, survivor__in=visible)
        .select_related("survivor", "merged_by", "unmerged_by", "partnership")
        .first()
    )
    if merge is None:
        raise Http404
    return merge


def queue(request: AuthenticatedRequest) -> HttpResponse:
    partnership = _reviewer_partnership(request)
    candidates = list(selectors.candidates_visible_to(user=request.user, partnership=partnership)[:200])
    merges = list(selectors.merges_visible_to(user=request.user, partnership=partnership)[:20])
    context = {"candidates": candidates, "merges": merges, "shows_personal_data": True}
    return render(request, "matching/queue.html", context)


def compare(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    candidate = _candidate(request, public_id)
    form = MergeForm(candidate, request.POST if request.method == "POST" else None)
    if request.method != "POST":
        for person in (candidate.person_a, candidate.person_b):
            people_services.person_viewed(actor=request.user, person=person)

    def save(_data: dict[str, Any]) -> PersonMerge:
        survivor, merged, values = form.merge_arguments()
        return services.person_merge(actor=request.user, survivor=survivor, merged=merged, values=values)

    return form_view(
        request,
        form,
        save=save,
        success_message=_("The two records are now one. You can undo this merge below."),
        redirect_to=lambda merge: reverse("matching:merge_detail", args=[merge.public_id]),
        template="matching/compare.html",
        context={
            "candidate": candidate,
            "sides": selectors.comparison(user=request.user, candidate=candidate),
            "shows_personal_data": True,
        },
    )


@require_POST
def not_same(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    candidate = _candidate(request, public_id)
    services.not_same_person_record(actor=request.user, candidate=candidate)
    messages.success(request, _("Recorded as two different people. This pair will not be suggested again."))
    return redirect("matching:queue")


def merge_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    merge = _merge(request, public_id)
    return render(request, "matching/merge_detail.html", {"merge": merge, "shows_personal_data": True})


@require_POST
def unmerge(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    merge = _merge(request, public_id)
    try:
        with transaction.atomic():
            person = services.person_unmerge(actor=request.user, merge=merge)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("matching:merge_detail", public_id=merge.public_id)
    messages.success(
        request, _("The merge is undone: %(name)s has their own record again.") % {"name": person.full_name}
    )
    return redirect("matching:merge_detail", public_id=merge.public_id)
