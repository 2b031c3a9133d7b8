"""The one case access policy: who may do what to which case, entry or document.

The six rules of docs/access-model.md, answered two ways that must always agree:
``can(user, action, obj)`` for one case or entry and ``visible_cases(user, partnership, action)``
(and ``visible_entries``) for querysets. Every page, search, download and export goes through
here, or through the rules built on it for people and places (``people.access``, which keeps the
same promise for ``can_person`` and ``visible_people``); anything not allowed answers 404.

1. The lead organisation's staff with a casework role in the case's partnership may do
   everything (MANAGE, and LEAD-only things such as the access log and access requests).
2. A live share (not revoked, not expired) to the user, their team or their organisation
   grants its level: view < contribute < manage.
3. Restricted notes, incidents and documents are further limited to the lead organisation
   or to named users (and their author).
4. Anyone with a casework role in the partnership may learn that a case exists (KNOW_EXISTS)
   and ask for access; search shows only name, date of birth and the organisations holding it.
5. A live break-glass grants VIEW for its time limit.
6. Entries and documents are visible exactly when their case is, minus restrictions.
"""

from enum import StrEnum
from typing import Any, TypeVar

from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.cases.models import (
    BreakGlass,
    Case,
    Document,
    Incident,
    Level,
    Note,
    Restriction,
    Share,
    TimelineEntry,
)
from casebridge.organisations.models import Partnership


class Act(StrEnum):
    KNOW_EXISTS = "know_exists"
    VIEW = "view"
    CONTRIBUTE = "contribute"
    MANAGE = "manage"
    LEAD = "lead"


LEVELS_GRANTING: dict[Act, frozenset[str]] = {
    Act.VIEW: frozenset({Level.VIEW, Level.CONTRIBUTE, Level.MANAGE}),
    Act.CONTRIBUTE: frozenset({Level.CONTRIBUTE, Level.MANAGE}),
    Act.MANAGE: frozenset({Level.MANAGE}),
    Act.LEAD: frozenset(),
}

EntryT = TypeVar("EntryT", Note, Incident, Document)
RecordT = TypeVar("RecordT", bound=Model)


def does_casework_in(user: User, partnership_id: int) -> bool:
    return holds(user, Capability.CASEWORK, partnership_id)


def _grantee_q(user: User) -> Q:
    q = Q(user_id=user.pk)
    if user.organisation_id:
        q |= Q(organisation_id=user.organisation_id)
    if user.team_id:
        q |= Q(team_id=user.team_id)
    return q


def _live_q(now: Any) -> Q:
    return Q(revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def organisation_sees_case(organisation_id: int, case: Case) -> bool:
    """The organisation leads the case or holds a live organisation-wide share of it (rules 1 and 2)."""
    if organisation_id == case.lead_organisation_id:
        return True
    return Share.objects.filter(_live_q(timezone.now()), case=case, organisation_id=organisation_id).exists()


# -- "which objects may this user do X to?" ---------------------------------------------


def visible_cases(user: User, partnership: Partnership, action: Act = Act.VIEW) -> QuerySet[Case]:
    """Cases of one partnership the user may do ``action`` to, as a filter on one query."""
    cases = Case.objects.filter(partnership=partnership)
    if not does_casework_in(user, partnership.pk):
        return cases.none()
    if action == Act.KNOW_EXISTS:
        return cases
    if action == Act.LEAD:
        return led_cases(user, partnership)
    allowed = Q(lead_organisation_id=user.organisation_id) if user.organisation_id else Q(pk__in=[])
    allowed |= Q(pk__in=granted_case_ids(user, action))
    return cases.filter(allowed)


def led_cases(user: User, partnership: Partnership) -> QuerySet[Case]:
    """Cases the user's own organisation leads (rule 1): the "My organisation's cases" list.

    ``visible_cases`` narrowed to the lead organisation gives the same rows, but its OR with the
    shares hides from the database that one index range (partnership, lead organisation,
    updated) answers it, page by page, at any size.
    """
    if not user.organisation_id or not does_casework_in(user, partnership.pk):
        return Case.objects.none()
    return Case.objects.filter(partnership=partnership, lead_organisation_id=user.organisation_id)


def shared_cases(user: User, partnership: Partnership, action: Act = Act.VIEW) -> QuerySet[Case]:
    """``visible_cases`` minus the user's own organisation's: the "Shared with me" list.

    The same answer, written so that the database starts from the user's grants rather
    than from every case of the partnership.
    """
    cases = Case.objects.filter(partnership=partnership)
    if action == Act.KNOW_EXISTS:
        cases = visible_cases(user, partnership, action)
    elif action == Act.LEAD or not does_casework_in(user, partnership.pk):
        return cases.none()
    else:
        cases = cases.filter(pk__in=granted_case_ids(user, action))
    if user.organisation_id:
        cases = cases.exclude(lead_organisation_id=user.organisation_id)
    return cases


def shared_case_grants(user: User, partnership: Partnership, action: Act = Act.VIEW) -> list[QuerySet[Any]]:
    """``shared_cases`` as one query per kind of grant, each row a case's ``sort_key`` (its update
    time) and ``item`` (its id); ``action`` is VIEW, CONTRIBUTE or MANAGE.

    A share carries copies of its case's update time, lead organisation and partnership, so each
    query reads a grantee's live shares newest case first from the grantee's index alone. A case
    may come from more than one (shared with the user's organisation and with them): merged in
    order and de-duplicated (``pagination.MergedKeys``), they give "Shared with me" a page at a time.
    """
    if action in (Act.KNOW_EXISTS, Act.LEAD):
        raise ValueError(f"{action} is not granted by a share")
    if not does_casework_in(user, partnership.pk):
        return []
    now = timezone.now()
    live = Share.objects.filter(_live_q(now), level__in=LEVELS_GRANTING[action], partnership=partnership)
    grants = [live.filter(user_id=user.pk)]
    if user.organisation_id:
        grants.append(live.filter(organisation_id=user.organisation_id))
    if user.team_id:
        grants.append(live.filter(team_id=user.team_id))
    if user.organisation_id:
        grants = [grant.exclude(case_lead_organisation_id=user.organisation_id) for grant in grants]
    parts: list[QuerySet[Any]] = [
        grant.order_by().values(sort_key=F("case_updated_at"), item=F("case_id")) for grant in grants
    ]
    if action == Act.VIEW:
        # A user's live break-glasses are a handful: their cases are read for the rest.
        glasses = BreakGlass.objects.filter(user_id=user.pk, expires_at__gt=now, case__partnership=partnership)
        if user.organisation_id:
            glasses = glasses.exclude(case__lead_organisation_id=user.organisation_id)
        parts.append(glasses.order_by().values(sort_key=F("case__updated_at"), item=F("case_id")))
    return parts


def granted_case_ids(user: User, action: Act = Act.VIEW) -> QuerySet[Any]:
    """Ids of cases a live share (or, for VIEW, a live break-glass) lets the user do ``action`` to.

    One uncorrelated UNION of index lookups (one per kind of grantee): the database reads the
    user's few grants once, instead of testing every case of the partnership in turn.
    Callers check the partnership and the user's role (``visible_cases`` does).
    """
    now = timezone.now()
    live = Share.objects.filter(_live_q(now), level__in=LEVELS_GRANTING[action]).order_by().values("case_id")
    grants: list[QuerySet[Any]] = [live.filter(user_id=user.pk)]
    if user.organisation_id:
        grants.append(live.filter(organisation_id=user.organisation_id))
    if user.team_id:
        grants.append(live.filter(team_id=user.team_id))
    if action == Act.VIEW:
        grants.append(BreakGlass.objects.filter(user_id=user.pk, expires_at__gt=now).order_by().values("case_id"))
    first, *rest = grants
    return first.union(*rest)


def visible_cases_each(user: User, partnership: Partnership, action: Act = Act.VIEW) -> QuerySet[Case]:
    """``visible_cases`` written as a test of each case on its own, for correlated subqueries.

    The same rows, but the shares are looked up per case (by the case's index) instead of
    gathering every grant of the user's organisation first: the right shape when the outer query
    asks about a handful of cases (a person's cases, a page of search results).
    """
    cases = Case.objects.filter(partnership=partnership)
    if action in (Act.KNOW_EXISTS, Act.LEAD) or not does_casework_in(user, partnership.pk):
        return visible_cases(user, partnership, action)
    now = timezone.now()
    shares = Share.objects.filter(_live_q(now), _grantee_q(user), case_id=OuterRef("pk"))
    allowed = Q(Exists(shares.filter(level__in=LEVELS_GRANTING[action])))
    if user.organisation_id:
        allowed |= Q(lead_organisation_id=user.organisation_id)
    if action == Act.VIEW:
        allowed |= Q(Exists(BreakGlass.objects.filter(case_id=OuterRef("pk"), user_id=user.pk, expires_at__gt=now)))
    return cases.filter(allowed)


def visible_entries(user: User, case: Case, entries: QuerySet[EntryT]) -> QuerySet[EntryT]:
    """A case's entries the user may see; the caller has already checked the case itself."""
    model = entries.model
    named = model.restricted_to.through.objects.filter(
        **{f"{model._meta.model_name}_id": OuterRef("pk"), "user_id": user.pk}
    )
    allowed = Q(restriction=Restriction.NONE) | Q(created_by_id=user.pk)
    allowed |= Q(restriction=Restriction.NAMED_USERS) & Q(Exists(named))
    if user.organisation_id and user.organisation_id == case.lead_organisation_id:
        allowed |= Q(restriction=Restriction.LEAD_ORGANISATION)
    return entries.filter(case=case).filter(allowed)


def visible_incidents(user: User, partnership: Partnership) -> QuerySet[Incident]:
    """Incidents of every case the user can see, minus restricted ones: ``visible_entries`` across cases."""
    named = Incident.restricted_to.through.objects.filter(incident_id=OuterRef("pk"), user_id=user.pk)
    allowed = Q(restriction=Restriction.NONE) | Q(created_by_id=user.pk)
    allowed |= Q(restriction=Restriction.NAMED_USERS) & Q(Exists(named))
    if user.organisation_id:
        allowed |= Q(restriction=Restriction.LEAD_ORGANISATION) & Q(case__lead_organisation_id=user.organisation_id)
    return Incident.objects.filter(case__in=visible_cases(user, partnership, Act.VIEW)).filter(allowed)


# -- "may this user do X to this object?" --------------------------------------------------


def can(user: User, action: Act, obj: Case | TimelineEntry) -> bool:
    """May the user do ``action`` to this case or entry? (People: ``people.access.can_person``.)"""
    if isinstance(obj, Case):
        return _can_case(user, action, obj)
    if isinstance(obj, TimelineEntry):
        return _can_case(user, Act.VIEW if action == Act.VIEW else action, obj.case) and _entry_allows(user, obj)
    return False


def _can_case(user: User, action: Act, case: Case) -> bool:
    if not does_casework_in(user, case.partnership_id):
        return False
    if action == Act.KNOW_EXISTS:
        return True
    if user.organisation_id is not None and case.lead_organisation_id == user.organisation_id:
        return True
    if action == Act.LEAD:
        return False
    now = timezone.now()
    for share in Share.objects.filter(case_id=case.pk).filter(_grantee_q(user)):
        if share.is_live(now) and share.level in LEVELS_GRANTING[action]:
            return True
    return action == Act.VIEW and any(
        bg.expires_at > now for bg in BreakGlass.objects.filter(case_id=case.pk, user_id=user.pk)
    )


def _entry_allows(user: User, entry: TimelineEntry) -> bool:
    if entry.restriction == Restriction.NONE or entry.created_by_id == user.pk:
        return True
    if entry.restriction == Restriction.LEAD_ORGANISATION:
        return user.organisation_id is not None and user.organisation_id == entry.case.lead_organisation_id
    if entry.restriction == Restriction.NAMED_USERS:
        return entry.restricted_to.filter(pk=user.pk).exists()
    return False


# -- fetching through the policy -----------------------------------------------------------


def get_case_or_404(user: User, reference: str, action: Act, partnership: Partnership | None) -> Case:
    """The case with this reference in the user's current partnership, if they may do ``action``.

    "Not there", "not in this partnership" and "not yours" all answer the same 404.
    """
    if partnership is None:
        raise Http404
    case = (
        Case.objects.select_related("case_type", "lead_organisation", "lead_officer", "partnership")
        .filter(partnership=partnership, reference=reference.upper())
        .first()
    )
    if case is None or not can(user, action, case):
        raise Http404
    return case


def get_document_or_404(user: User, public_id: Any, partnership: Partnership | None) -> Document:
    if partnership is None:
        raise Http404
    document = Document.objects.select_related("case").filter(partnership=partnership, public_id=public_id).first()
    if document is None or not can(user, Act.VIEW, document):
        raise Http404
    return document


def get_case_record_or_404(
    user: User, records: QuerySet[RecordT], public_id: Any, partnership: Partnership | None
) -> RecordT:
    """A record on a case (an assessment, an intervention), visible exactly when its case is."""
    if partnership is None:
        raise Http404
    record = records.filter(partnership=partnership, public_id=public_id).first()
    if record is None or not can(user, Act.VIEW, record.case):  # type: ignore[attr-defined]
        raise Http404
    return record
