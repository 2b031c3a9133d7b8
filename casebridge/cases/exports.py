"""Case lists as CSV or XLSX: the rows the list page shows, through the access policy, audited."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.utils import timezone

from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.audit.models import Action
from casebridge.audit.services import audit_record
from casebridge.cases import selectors
from casebridge.cases.forms import CaseFilterForm
from casebridge.cases.models import Case
from casebridge.lib.spreadsheets import csv_response, xlsx_response
from casebridge.organisations.models import Partnership

FORMATS = ("csv", "xlsx")
HEADER = [
    "Reference",
    "Case type",
    "Status",
    "Risk level",
    "Lead organisation",
    "Lead officer",
    "Summary",
    "Opened",
    "Updated",
    "Closed",
    "Closure reason",
]


def case_filters(query: QueryDict, partnership: Partnership) -> tuple[CaseFilterForm, selectors.CaseFilters]:
    """The list page's filter form and the filters it gives (invalid values are ignored, as on the page)."""
    form = CaseFilterForm(query or None, partnership=partnership)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.CaseFilters(
        status=data.get("status", ""),
        risk_level=data.get("risk_level", ""),
        case_type=data["case_type"].pk if data.get("case_type") else None,
        sort=query.get("sort", "updated"),
    )
    return form, filters


# The columns of an export row: nothing else is fetched.
EXPORT_FIELDS = (
    "reference",
    "status",
    "risk_level",
    "summary",
    "closure_reason",
    "created_at",
    "updated_at",
    "closed_at",
    "case_type__name",
    "lead_organisation__name",
    "lead_officer__first_name",
    "lead_officer__last_name",
    "lead_officer__email",
)


def case_rows(cases: QuerySet[Case]) -> Iterator[list[Any]]:
    """One query however many cases: every column is joined in."""
    related = cases.select_related("case_type", "lead_organisation", "lead_officer").only(*EXPORT_FIELDS)
    for case in related.iterator(chunk_size=1000):
        yield [
            case.reference,
            case.case_type.name,
            case.get_status_display(),
            case.get_risk_level_display(),
            case.lead_organisation.name,
            str(case.lead_officer) if case.lead_officer else "",
            case.summary,
            timezone.localtime(case.created_at).date().isoformat(),
            timezone.localtime(case.updated_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(case.closed_at).date().isoformat() if case.closed_at else "",
            case.get_closure_reason_display() if case.closure_reason else "",
        ]


def case_list_export(request: AuthenticatedRequest, scope: str, fmt: str) -> HttpResponse | StreamingHttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None or scope not in selectors.SCOPES or fmt not in FORMATS:
        raise Http404
    partnership = membership.partnership
    _form, filters = case_filters(request.GET, partnership)
    cases = selectors.case_list_visible_to(user=request.user, partnership=partnership, scope=scope, filters=filters)
    audit_record(
        actor=request.user,
        action=Action.EXPORTED,
        partnership_id=partnership.pk,
        object_type="case_list",
        object_label=scope,
        data={
            "list": scope,
            "format": fmt,
            "filters": {
                "status": filters.status,
                "risk_level": filters.risk_level,
                "case_type": filters.case_type,
                "sort": filters.sort,
            },
            "rows": cases.count(),
        },
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    filename = f"cases-{scope}-{partnership.code}-{stamp}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, HEADER, case_rows(cases))
    return xlsx_response(filename, "Cases", HEADER, case_rows(cases))
