"""Reads on cases, always through the access policy."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from casebridge.accounts.models import User
from casebridge.audit.models import AuditEvent
from casebridge.cases.models import Case, CaseLink, CaseParty, Document, Incident, Note, RiskLevel, Share, Status
from casebridge.cases.pagination import CappedPaginator, MergedKeys, MergedKeysPaginator
from casebridge.cases.policy import Act, led_cases, shared_case_grants, shared_cases, visible_cases, visible_entries
from casebridge.organisations.models import Partnership

SCOPES = ("mine", "organisation", "shared")
SORTS: dict[str, str] = {
    "updated": "-updated_at",
    "-updated": "updated_at",
    "reference": "reference",
    "-reference": "-reference",
    "risk": "risk_level",
    "-risk": "-risk_level",
    "status": "status",
    "-status": "-status",
}


@dataclass
class CaseRow:
    """A row of a case list page, read as plain values: no model objects are built for it.

    The two ``get_…_display`` methods mirror the model's, so the shared tags render either.
    """

    pk: int
    reference: str
    case_type: str
    status: str
    risk_level: str
    lead_organisation: str
    lead_officer: str
    updated_at: datetime.datetime
    repeat_flags: Any = None

    def get_status_display(self) -> str:
        return str(Status(self.status).label)

    def get_risk_level_display(self) -> str:
        return str(RiskLevel(self.risk_level).label)


ROW_VALUES = (
    "pk",
    "reference",
    "case_type__name",
    "status",
    "risk_level",
    "lead_organisation__name",
    "lead_officer__first_name",
    "lead_officer__last_name",
    "lead_officer__email",
    "updated_at",
)


def page_rows(cases: QuerySet[Case]) -> list[CaseRow]:
    """The rows of one page of a case list (a queryset already narrowed to the page)."""
    rows = []
    for pk, reference, case_type, status, risk, organisation, first, last, email, updated in cases.values_list(
        *ROW_VALUES
    ):
        # As User.__str__: the full name, else the email address; no officer (no email), no text.
        officer = (f"{first} {last}".strip() or email) if email is not None else ""
        rows.append(CaseRow(pk, reference, case_type, status, risk, organisation, officer, updated))
    return rows


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    risk_level: str = ""
    case_type: int | None = None
    sort: str = "updated"


def reads_in_index_order(*, scope: str, filters: CaseFilters) -> bool:
    """Whether the database can stop after a page: the organisation's cases by update time come
    in order from an index, and the user's own are a short list found by their lead officer. The
    shared list is found through the user's grants: newest first it has its own paginator
    (``case_list_paginator``); in any other order, its cases must all be sorted."""
    return scope != "shared" and filters.sort in ("updated", "-updated")


def case_list_paginator(
    *, user: User, partnership: Partnership, scope: str, filters: CaseFilters, per_page: int
) -> CappedPaginator:
    """The pages of one of the three lists, each read the cheapest way its order allows."""
    cases = case_list_visible_to(user=user, partnership=partnership, scope=scope, filters=filters)
    if scope == "shared" and filters.sort == "updated":
        # Each grant carries its case's update time: the grants are read newest first and merged.
        # (Oldest first, ties still go to the later id, an order no index gives: those are sorted.)
        keys = MergedKeys(shared_grants_filtered(user, partnership, filters))
        return MergedKeysPaginator(cases, per_page, keys=keys)
    return CappedPaginator(cases, per_page, index_ordered=reads_in_index_order(scope=scope, filters=filters))


def shared_grants_filtered(user: User, partnership: Partnership, filters: CaseFilters) -> list[QuerySet[Any]]:
    """``shared_case_grants`` narrowed as ``case_list_visible_to`` narrows the cases."""
    narrowed: dict[str, Any] = {}
    if filters.status:
        narrowed["case__status"] = filters.status
    if filters.risk_level:
        narrowed["case__risk_level"] = filters.risk_level
    if filters.case_type:
        narrowed["case__case_type_id"] = filters.case_type
    return [part.filter(**narrowed) for part in shared_case_grants(user, partnership, Act.VIEW)]


def case_list_visible_to(*, user: User, partnership: Partnership, scope: str, filters: CaseFilters) -> QuerySet[Case]:
    """One of the three list pages: my cases, my organisation's, shared with me."""
    if scope == "mine":
        cases = visible_cases(user, partnership, Act.VIEW).filter(lead_officer=user)
    elif scope == "organisation":
        cases = led_cases(user, partnership)
    else:
        cases = shared_cases(user, partnership, Act.VIEW)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.risk_level:
        cases = cases.filter(risk_level=filters.risk_level)
    if filters.case_type:
        cases = cases.filter(case_type_id=filters.case_type)
    order = SORTS.get(filters.sort, "-updated_at")
    # The page reads its rows as values (``page_rows``); an export selects what it needs.
    return cases.order_by(order, "-id")


@dataclass(frozen=True)
class TimelineItem:
    kind: str
    when: datetime.datetime
    entry: Any


def case_timeline(*, user: User, case: Case) -> list[TimelineItem]:
    """Notes, incidents and documents the user may see, newest first (three queries)."""
    notes = visible_entries(user, case, Note.objects.select_related("created_by"))
    incidents = visible_entries(user, case, Incident.objects.select_related("created_by", "category", "location"))
    documents = visible_entries(user, case, Document.objects.select_related("created_by"))
    items = [TimelineItem("note", n.created_at, n) for n in notes]
    items += [TimelineItem("incident", i.occurred_at, i) for i in incidents]
    items += [TimelineItem("document", d.created_at, d) for d in documents]
    return sorted(items, key=lambda item: item.when, reverse=True)


def case_parties(*, case: Case) -> QuerySet[CaseParty]:
    """A case's parties; their details are the people app's to add (``people.selectors.case_parties_visible``)."""
    return CaseParty.objects.filter(case=case).select_related("person").order_by("role", "person__last_name")


def case_linked_visible(*, user: User, case: Case) -> QuerySet[Case]:
    """Linked cases the user may see; the rest are not even named."""
    linked = CaseLink.objects.filter(case=case).values("other_id")
    return visible_cases(user, case.partnership, Act.VIEW).filter(pk__in=linked).select_related("case_type")


def case_shares(*, case: Case) -> QuerySet[Share]:
    return Share.objects.filter(case=case).select_related("organisation", "team", "user", "granted_by", "revoked_by")


def case_access_log(*, case: Case) -> QuerySet[AuditEvent]:
    """Who viewed, changed, shared or downloaded anything on this case."""
    return AuditEvent.objects.filter(
        Q(object_type="case", object_id=str(case.public_id))
        | Q(object_type__in=["note", "incident", "document"], data__case=case.reference),
        partnership_id=case.partnership_id,
    ).order_by("-id")
