"""The possible-duplicates queue: list, compare side by side, merge, unmerge, not the same person.

A coordinator merges (or unmerges) directly only where they may manage every case either
person is in; otherwise the same form proposes it to those cases' lead organisations, whose
coordinators and managers agree or decline on the proposal's page.
"""

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
from casebridge.matching.forms import DecisionForm, MergeForm, ProposalReasonForm
from casebridge.matching.models import DuplicateCandidate, MergeProposal, PersonMerge
from casebridge.organisations.models import Organisation, Partnership
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


def _organisation_names(pks: set[int]) -> list[str]:
    return sorted(Organisation.objects.filter(pk__in=pks).values_list("name", flat=True))


def compare(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    candidate = _candidate(request, public_id)
    to_agree = selectors.organisations_to_agree(
        user=request.user, partnership=candidate.partnership, person_ids=[candidate.person_a_id, candidate.person_b_id]
    )
    form = MergeForm(candidate, request.POST if request.method == "POST" else None, needs_agreement=bool(to_agree))
    if request.method != "POST":
        for person in (candidate.person_a, candidate.person_b):
            people_services.person_viewed(actor=request.user, person=person)

    def save(data: dict[str, Any]) -> PersonMerge | MergeProposal:
        survivor, merged, values = form.merge_arguments()
        if to_agree:
            return services.merge_propose(
                actor=request.user,
                survivor=survivor,
                merged=merged,
                choices=form.merge_choices(),
                reason=data["reason"],
            )
        return services.person_merge(actor=request.user, survivor=survivor, merged=merged, values=values)

    def done(result: PersonMerge | MergeProposal) -> str:
        if isinstance(result, MergeProposal):
            return _("The merge is proposed. It happens when every organisation asked has agreed.")
        return _("The two records are now one. You can undo this merge below.")

    return form_view(
        request,
        form,
        save=save,
        success_message=done,
        redirect_to=lambda result: reverse(
            "matching:proposal" if isinstance(result, MergeProposal) else "matching:merge_detail",
            args=[result.public_id],
        ),
        template="matching/compare.html",
        context={
            "candidate": candidate,
            "sides": selectors.comparison(user=request.user, candidate=candidate),
            "to_agree": _organisation_names(to_agree),
            "shows_personal_data": True,
        },
    )


@require_POST
def not_same(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    candidate = _candidate(request, public_id)
    services.not_same_person_record(actor=request.user, candidate=candidate)
    messages.success(request, _("Recorded as two different people. This pair will not be suggested again."))
    return redirect("matching:queue")


def _unmerge_needs(request: AuthenticatedRequest, merge: PersonMerge) -> set[int]:
    return selectors.organisations_to_agree(
        user=request.user, partnership=merge.partnership, person_ids=[merge.survivor_id]
    )


def merge_detail(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    merge = _merge(request, public_id)
    to_agree = _unmerge_needs(request, merge) if merge.unmerged_at is None else set()
    context = {
        "merge": merge,
        "to_agree": _organisation_names(to_agree),
        "form": ProposalReasonForm(),
        "shows_personal_data": True,
    }
    return render(request, "matching/merge_detail.html", context)


@require_POST
def unmerge(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    merge = _merge(request, public_id)
    if merge.unmerged_at is None and _unmerge_needs(request, merge):
        form = ProposalReasonForm(request.POST)
        if not form.is_valid():
            context = {
                "merge": merge,
                "to_agree": _organisation_names(_unmerge_needs(request, merge)),
                "form": form,
                "shows_personal_data": True,
            }
            return render(request, "matching/merge_detail.html", context)
        try:
            with transaction.atomic():
                proposal = services.unmerge_propose(actor=request.user, merge=merge, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("matching:merge_detail", public_id=merge.public_id)
        messages.success(request, _("Undoing the merge is proposed. It happens when every organisation asked agrees."))
        return redirect("matching:proposal", public_id=proposal.public_id)
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


# -- proposals: list, page, decision ---------------------------------------------------------


def _decider_partnership(request: AuthenticatedRequest) -> Partnership:
    membership = request.membership
    if membership is None or not selectors.may_decide_proposals(request.user, membership.partnership):
        raise PermissionDenied
    return membership.partnership


def proposals(request: AuthenticatedRequest) -> HttpResponse:
    """Proposals awaiting the user's organisation that they may decide, and those they made."""
    partnership = _decider_partnership(request)
    awaiting = selectors.proposals_awaiting(user=request.user, partnership=partnership)
    made = (
        list(selectors.proposals_made_by(user=request.user, partnership=partnership)[:50])
        if selectors.may_review_duplicates(request.user, partnership)
        else []
    )
    context = {"awaiting": awaiting, "made": made}
    return render(request, "matching/proposals.html", context)


def proposal(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """A proposal's page: the two people as far as the reader may see them, and their organisation's decision."""
    partnership = _decider_partnership(request)
    found = selectors.proposal_for(user=request.user, partnership=partnership, public_id=public_id)
    if found is None:
        raise Http404
    decision = selectors.pending_decision_for(user=request.user, proposal=found)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if decision is None:
            raise PermissionDenied
        if form.is_valid():
            agree = form.cleaned_data["decision"] == "agree"
            try:
                with transaction.atomic():
                    services.merge_proposal_decide(actor=request.user, proposal=found, agree=agree)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Your organisation's decision is recorded."))
            return redirect("matching:proposal", public_id=found.public_id)
    context = {
        "proposal": found,
        "sides": selectors.proposal_sides(user=request.user, proposal=found),
        "decisions": list(found.decisions.select_related("organisation", "decided_by")),
        "decision": decision,
        "form": form,
        "shows_personal_data": True,
    }
    return render(request, "matching/proposal.html", context)
