from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from casebridge.accounts.audit_trail import audit_events_export, audit_events_visible_to, may_view_audit
from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.audit.forms import AuditFilterForm

PAGE_SIZE = 50


def event_list(request: AuthenticatedRequest) -> HttpResponse:
    if not may_view_audit(membership=request.membership):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else None
    events = audit_events_visible_to(user=request.user, membership=request.membership, filters=filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "page_links": _page_links(page.number, page.paginator.num_pages),
            "shows_personal_data": True,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def event_export(request: AuthenticatedRequest) -> HttpResponse:
    membership = request.membership
    if membership is None or not may_view_audit(membership=membership):
        raise PermissionDenied
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        # Never export more than the person asked for: show the problem instead.
        return event_list(request)
    text = audit_events_export(actor=request.user, membership=membership, filters=form.filters())
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{membership.partnership.code}-{stamp}.csv"'
    return response


def _page_links(current: int, last: int) -> list[int | None]:
    """Page numbers around the current one, with None where pages are skipped."""
    wanted = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    links: list[int | None] = []
    for number in wanted:
        if links and number - (links[-1] or 0) > 1:
            links.append(None)
        links.append(number)
    return links
