"""Sharing, access requests and break-glass pages."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casebridge.cases.models import BreakGlass, Case, CaseParty, Share
from casebridge.cases.policy import Act, can, does_casework_in, get_case_or_404
from casebridge.lib.types import AuthenticatedRequest
from casebridge.people.access import get_person_or_404
from casebridge.sharing import selectors, services
from casebridge.sharing.forms import BreakGlassForm, BreakGlassReviewForm, DecideForm, ReasonForm, ShareForm
from casebridge.sharing.models import BREAK_GLASS_HOURS, AccessRequest, Alert
from casebridge.web.cases.views import current_partnership, form_page


@login_required
@transaction.atomic
def share_create(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = get_case_or_404(request.user, reference, Act.MANAGE, current_partnership(request))
    form = ShareForm(request.POST or None, partnership=case.partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.share_grant(
                    actor=request.user,
                    case=case,
                    level=data["level"],
                    reason=data["reason"],
                    organisation=data["organisation"],
                    team=data["team"],
                    user=data["user"],
                    expires_at=data["expires_at"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case shared."))
            return redirect("cases:sharing", reference=case.reference)
    return form_page(request, title=_("Share this case"), form=form, case=case)


@login_required
@require_POST
@transaction.atomic
def share_revoke(request: AuthenticatedRequest, reference: str, public_id: UUID) -> HttpResponse:
    case = get_case_or_404(request.user, reference, Act.MANAGE, current_partnership(request))
    share = Share.objects.filter(case=case, public_id=public_id).select_related("case").first()
    if share is None:
        raise Http404
    services.share_revoke(actor=request.user, share=share)
    messages.success(request, _("Access removed."))
    return redirect("cases:sharing", reference=case.reference)


def _known_case(request: AuthenticatedRequest, reference: str) -> Case:
    """A case the user may only know exists (rule 4): reference and lead organisation, nothing else."""
    return get_case_or_404(request.user, reference, Act.KNOW_EXISTS, current_partnership(request))


@login_required
@transaction.atomic
def access_request_create(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _known_case(request, reference)
    if can(request.user, Act.VIEW, case):
        return redirect("cases:summary", reference=case.reference)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.access_request_create(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request has been sent to %(org)s.") % {"org": case.lead_organisation})
            return redirect("people:search")
    return render(request, "sharing/request_access.html", {"form": form, "known_case": case})


@login_required
@transaction.atomic
def access_request_person(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    """Ask for access to every case a person is party to that the user cannot see."""
    person = get_person_or_404(request.user, public_id, Act.KNOW_EXISTS, current_partnership(request))
    cases = [
        party.case
        for party in CaseParty.objects.filter(person=person).select_related("case", "case__lead_organisation")
        if not can(request.user, Act.VIEW, party.case)
    ]
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = 0
        for case in {c.pk: c for c in cases}.values():
            if not AccessRequest.objects.filter(case=case, requester=request.user, state="pending").exists():
                services.access_request_create(actor=request.user, case=case, reason=form.cleaned_data["reason"])
                sent += 1
        messages.success(request, _("Your request has been sent (%(n)s).") % {"n": sent})
        return redirect("people:search")
    holders = sorted({str(c.lead_organisation) for c in cases})
    return render(request, "sharing/request_access.html", {"form": form, "known_person": person, "holders": holders})


@login_required
@transaction.atomic
def break_glass(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _known_case(request, reference)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        glass = services.break_glass(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        until = timezone.localtime(glass.expires_at)
        messages.success(
            request,
            _("Emergency access granted until %(time)s (%(hours)s hours). The lead organisation has been told.")
            % {"time": f"{until:%H:%M}", "hours": BREAK_GLASS_HOURS},
        )
        return redirect("cases:summary", reference=case.reference)
    return render(request, "sharing/break_glass.html", {"form": form, "known_case": case})


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    """Access requests to decide and alerts for the user's organisation, as lead organisation."""
    partnership = current_partnership(request)
    if partnership is None or not does_casework_in(request.user, partnership.pk) or not request.user.organisation_id:
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


@login_required
@transaction.atomic
def access_request_decide(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    partnership = current_partnership(request)
    access_request = (
        AccessRequest.objects.filter(partnership=partnership, public_id=public_id)
        .select_related("case", "requester", "requester__organisation")
        .first()
    )
    if access_request is None or not can(request.user, Act.LEAD, access_request.case):
        raise Http404
    form = DecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.access_request_decide(
                    actor=request.user,
                    request=access_request,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("sharing:inbox")
    return render(
        request, "sharing/decide.html", {"form": form, "access_request": access_request, "shows_personal_data": True}
    )


def _reviewable(request: AuthenticatedRequest) -> QuerySet[BreakGlass]:
    partnership = current_partnership(request)
    events = selectors.break_glass_reviewable_by(user=request.user, partnership=partnership) if partnership else None
    if events is None:
        raise PermissionDenied
    return events


@login_required
def break_glass_list(request: AuthenticatedRequest) -> HttpResponse:
    """Flagged emergency accesses: those waiting for review first, then the last reviewed."""
    events = _reviewable(request)
    context = {
        "waiting": events.filter(reviewed_at__isnull=True).order_by("-started_at"),
        "reviewed": events.filter(reviewed_at__isnull=False).order_by("-reviewed_at")[:25],
    }
    return render(request, "sharing/break_glass_list.html", context)


@login_required
@transaction.atomic
def break_glass_review(request: AuthenticatedRequest, public_id: UUID) -> HttpResponse:
    glass = _reviewable(request).filter(public_id=public_id, reviewed_at__isnull=True).first()
    if glass is None:
        raise Http404
    form = BreakGlassReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.break_glass_review(actor=request.user, glass=glass, note=form.cleaned_data["note"])
        messages.success(request, _("Emergency access marked as reviewed."))
        return redirect("sharing:break_glass_list")
    return render(request, "sharing/break_glass_review.html", {"form": form, "glass": glass})
