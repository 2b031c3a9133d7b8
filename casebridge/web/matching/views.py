"""The possible-duplicates queue: list, compare side by side, merge, unmerge, not the same person."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casebridge.lib.types import AuthenticatedRequest
from casebridge.matching import selectors, services
from casebridge.matching.engine import PersonRecord
from casebridge.matching.forms import MergeForm
from casebridge.matching.models import DuplicateCandidate, PersonMerge
from casebridge.organisations.models import Partnership
from casebridge.people import services as people_services
from casebridge.people.access import visible_people


def current_partnership(request: AuthenticatedRequest) -> Partnership | None:
    membership = getattr(request, "membership", None)
    return membership.partnership if membership else None


def _reviewer_partnership(request: AuthenticatedRequest) -> Partnership:
    partnership = current_partnership(request)
    if partnership is None or not selectors.may_review_duplicates(request.user, partnership):
        raise PermissionDenied
    return partnership


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


@login_required
def queue(request: AuthenticatedRequest) -> HttpResponse:
    partnership = _reviewer_partnership(request)
    candidates = list(selectors.candidates_visible_to(user=request.user, partnership=partnership)[:200])
    merges = list(selectors.merges_visible_to(user=request.user, partnership=partnership)[:20])
    context = {"candidates": candidates, "merges": merges, "shows_personal_data": True}
    return render(request, "matching/queue.html", context)


@login_required
@transaction.atomic
def compare(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    candidate = _candidate(request, public_id)
    form = MergeForm(candidate, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        survivor, merged, values = form.merge_arguments()
        try:
            with transaction.atomic():
                merge = services.person_merge(actor=request.user, survivor=survivor, merged=merged, values=values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The two records are now one. You can undo this merge below."))
            return redirect("matching:merge_detail", public_id=merge.public_id)
    if request.method != "POST":
        for person in (candidate.person_a, candidate.person_b):
            people_services.person_viewed(actor=request.user, person=person)
    context = {
        "candidate": candidate,
        "form": form,
        "sides": selectors.comparison(candidate=candidate),
        "shows_personal_data": True,
    }
    return render(request, "matching/compare.html", context)


@login_required
@require_POST
@transaction.atomic
def not_same(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    candidate = _candidate(request, public_id)
    services.not_same_person_record(actor=request.user, candidate=candidate)
    messages.success(request, _("Recorded as two different people. This pair will not be suggested again."))
    return redirect("matching:queue")


@login_required
def merge_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    merge = _merge(request, public_id)
    return render(request, "matching/merge_detail.html", {"merge": merge, "shows_personal_data": True})


@login_required
@require_POST
@transaction.atomic
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


def possible_matches_step(
    request: AuthenticatedRequest, *, partnership: Partnership, data: dict[str, object]
) -> HttpResponse | None:
    """ "Is this one of these people?": shown before a new person is created, unless already answered.

    Returns the page when existing profiles may be this person, or None to go ahead and create.
    """
    if request.POST.get("confirmed_new"):
        return None
    candidate = PersonRecord(
        id="",
        first_name=str(data.get("first_name") or ""),
        last_name=str(data.get("last_name") or ""),
        date_of_birth=data.get("date_of_birth") or None,  # type: ignore[arg-type]
        gender=str(data.get("gender") or ""),
    )
    matches = selectors.person_matches_for(user=request.user, partnership=partnership, candidate=candidate)
    if not matches:
        return None
    posted = [(name, value) for name, value in request.POST.items() if name != "csrfmiddlewaretoken"]
    context = {"matches": matches, "posted": posted, "role": request.POST.get("role", ""), "shows_personal_data": True}
    return render(request, "matching/possible_matches.html", context)
