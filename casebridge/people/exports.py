"""Search results as CSV or XLSX: only the people the user may open, audited."""

from typing import Any

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.audit.models import Action
from casebridge.audit.services import audit_record
from casebridge.cases.policy import does_casework_in
from casebridge.lib.spreadsheets import csv_response, xlsx_response
from casebridge.people import selectors
from casebridge.people.forms import SearchForm

FORMATS = ("csv", "xlsx")
HEADER = ["First name", "Last name", "Date of birth", "Approximate age", "Gender", "Held by"]


def search_export(request: AuthenticatedRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None or fmt not in FORMATS or not does_casework_in(request.user, membership.partnership_id):
        raise Http404
    partnership = membership.partnership
    form = SearchForm(request.GET)
    if not form.is_valid():
        # Never export more than was asked for: show the search and its problem instead.
        return redirect(f"{reverse('people:search')}?{request.GET.urlencode()}")
    data = form.cleaned_data
    results = selectors.search(
        user=request.user, partnership=partnership, text=data["q"], date_of_birth=data["date_of_birth"]
    )
    # Rule 4 lets search name records the user cannot open; an export carries only those they can.
    rows: list[list[Any]] = [
        [
            item.person.first_name,
            item.person.last_name,
            item.person.date_of_birth.isoformat() if item.person.date_of_birth else "",
            item.person.approximate_age if item.person.approximate_age is not None else "",
            item.person.get_gender_display(),
            ", ".join(item.holders),
        ]
        for item in results.people
        if item.visible
    ]
    audit_record(
        actor=request.user,
        action=Action.EXPORTED,
        partnership_id=partnership.pk,
        object_type="person_search",
        data={
            "format": fmt,
            "filters": {
                "terms": data["q"],
                "date_of_birth": data["date_of_birth"].isoformat() if data["date_of_birth"] else None,
            },
            "rows": len(rows),
        },
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    filename = f"people-{partnership.code}-{stamp}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, HEADER, rows)
    return xlsx_response(filename, "People", HEADER, rows)
