"""Sharing, access requests and break-glass pages."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.cases.models import BreakGlass, Case, CaseParty, Share
from casebridge.cases.policy import Act, can, does_casework_in, get_case_or_404
from casebridge.lib.pages import form_view, partnership_or_404
from casebridge.people.access import get_person_or_404
from casebridge.sharing import selectors, services
from casebridge.sharing.forms import BreakGlassForm, BreakGlassReviewForm, DecideForm, ReasonForm, ShareForm
from casebridge.sharing.models import BREAK_GLASS_HOURS, AccessRequest, Alert


def share_create(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = get_case_or_404(request.user, reference, Act.MANAGE, partnership_or_404(request))
    form = ShareForm(request.POST or None, partnership=case.partnership)
    return form_view(
        request,
        form,
        save=lambda data: services.share_grant(
            actor=request.user,
            case=case,
            level=data["level"],
            reason=data["reason"],
            organisation=data["organisation"],
            team=data["team"],
            user=data["user"],
            expires_at=data["expires_at"],
        ),
        success_message=_("Case shared."),
        redirect_to=reverse("cases:sharing", args=[case.reference]),
        template="cases/form.html",
        context={"title": _("Share this case"), "case": case, "shows_personal_data": True},
    )


@require_POST
def share_revoke(request: AuthenticatedRequest, reference: str, public_id: UUID) -> HttpResponse:
    case = get_case_or_404(request.user, reference, Act.MANAGE, partnership_or_404(request))
    share = Share.objects.filter(case=case, public_id=public_id).select_related("case").first()
    if share is None:
        raise Http404
    services.share_revoke(actor=request.user, share=share)
    messages.success(request, _("Access removed."))
    return redirect("cases:sharing", reference=case.reference)


def _known_case(request: AuthenticatedRequest, reference: str) -> Case:
    """A case the user may only know exists (rule 4): reference and lead organisation, nothing else."""
    return get_case_or_404(request.user, reference, Act.KNOW_EXISTS, partnership_or_404(request))


def access_request_create(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _known_case(request, reference)
    if can(request.user, Act.VIEW, case):
        return redirect("cases:summary", reference=case.reference)
    form = ReasonForm(request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: services.access_request_create(actor=request.user, case=case, reason=data["reason"]),
        success_message=_("Your request has been sent to %(org)s.") % {"org": case.lead_organisation},
        redirect_to="people:search",
        template="sharing/request_access.html",
        context={"known_case": case},
    )


def access_request_person(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """Ask for access to every case a person is party to that the user cannot see."""
    person = get_person_or_404(request.user, public_id, Act.KNOW_EXISTS, partnership_or_404(request))
    cases = [
        party.case
        for party in CaseParty.objects.filter(person=person).select_related("case", "case__lead_organisation")
        if not can(request.user, Act.VIEW, party.case)
    ]
    form = ReasonForm(request.POST or None)

    def save(data: dict[str, Any]) -> int:
        sent = 0
        for case in {c.pk: c for c in cases}.values():
            if not AccessRequest.objects.filter(case=case, requester=request.user, state="pending").exists():
                services.access_request_create(actor=request.user, case=case, reason=data["reason"])
                sent += 1
        return sent

    return form_view(
        request,
        form,
        save=save,
        success_message=lambda sent: _("Your request has been sent (%(n)s).") % {"n": sent},
        redirect_to="people:search",
        template="sharing/request_access.html",
        context={"known_person": person, "holders": sorted({str(c.lead_organisation) for c in cases})},
    )


def break_glass(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _known_case(request, reference)
    form = BreakGlassForm(request.POST or None)

    def granted(glass: BreakGlass) -> str:
        until = timezone.localtime(glass.expires_at)
        return _("Emergency access granted until %(time)s (%(hours)s hours). The lead organisation has been told.") % {
            "time": f"{until:%H:%M}",
            "hours": BREAK_GLASS_HOURS,
        }

    return form_view(
        request,
        form,
        save=lambda data: services.break_glass(actor=request.user, case=case, reason=data["reason"]),
        success_message=granted,
        redirect_to=reverse("cases:summary", args=[case.reference]),
        template="sharing/break_glass.html",
        context={"known_case": case},
    )


def inbox(request: AuthenticatedRequest) -> HttpResponse:
    """Access requests to decide and alerts for the user's organisation, as lead organisation."""
    partnership = partnership_or_404(request)
    if not does_casework_in(request.user, partnership.pk) or not request.user.organisation_id:
        raise Http404
    requests = AccessRequest.objects.filter(
        partnership=partnership, case__lead_organisation_id=request.user.organisation_id, state="pending"
    ).select_related("case", "requester", "requester__organisation")
    alerts = Alert.objects.filter(partnership=partnership, organisation_id=request.user.organisation_id).select_related(
        "case"
    )[:50]
    mine = AccessRequest.objects.filter(partnership=partnership, requester=request.user).select_related(
        "case", "case__lead_organisation"
    )[:50]
    return render(request, "sharing/inbox.html", {"requests": requests, "alerts": alerts, "mine": mine})


def access_request_decide(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    access_request = (
        AccessRequest.objects.filter(partnership=partnership_or_404(request), public_id=public_id)
        .select_related("case", "requester", "requester__organisation")
        .first()
    )
    if access_request is None or not can(request.user, Act.LEAD, access_request.case):
        raise Http404
    form = DecideForm(request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: services.access_request_decide(
            actor=request.user, request=access_request, approve=data["decision"] == "approve", note=data["note"]
        ),
        success_message=_("Decision recorded."),
        redirect_to="sharing:inbox",
        template="sharing/decide.html",
        context={"access_request": access_request, "shows_personal_data": True},
    )


def _reviewable(request: AuthenticatedRequest) -> QuerySet[BreakGlass]:
    membership = request.membership
    events = (
        selectors.break_glass_reviewable_by(user=request.user, partnership=membership.partnership)
        if membership
        else None
    )
    if events is None:
        raise PermissionDenied
    return events


def break_glass_list(request: AuthenticatedRequest) -> HttpResponse:
    """Flagged emergency accesses: those waiting for review first, then the last reviewed."""
    events = _reviewable(request)
    context = {
        "waiting": events.filter(reviewed_at__isnull=True).order_by("-started_at"),
        "reviewed": events.filter(reviewed_at__isnull=False).order_by("-reviewed_at")[:25],
    }
    return render(request, "sharing/break_glass_list.html", context)


def break_glass_review(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    glass = _reviewable(request).filter(public_id=public_id, reviewed_at__isnull=True).first()
    if glass is None:
        raise Http404
    form = BreakGlassReviewForm(request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: services.break_glass_review(actor=request.user, glass=glass, note=data["note"]),
        success_message=_("Emergency access marked as reviewed."),
        redirect_to="sharing:break_glass_list",
        template="sharing/break_glass_review.html",
        context={"glass": glass},
    )
