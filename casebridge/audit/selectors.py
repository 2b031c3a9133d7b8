"""Reading the audit trail: one rule decides who sees which events."""

import datetime
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.audit.models import SYSTEM_CHAIN, AuditEvent
from casebridge.organisations.models import Membership, Role

# Auditors see their whole partnership; managers see their own organisation's staff.
AUDIT_ROLES = frozenset({Role.AUDITOR.value, Role.MANAGER.value})


@dataclass(frozen=True)
class AuditFilters:
    email: str = ""
    action: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def as_data(self) -> dict[str, Any]:
        """The filters as recorded in the audit event of an export."""
        return {name: str(value) for name, value in asdict(self).items() if value}


def may_view_audit(*, membership: Membership | None) -> bool:
    return membership is not None and membership.role in AUDIT_ROLES


def audit_events_visible_to(
    *, user: User, membership: Membership | None, filters: AuditFilters | None = None
) -> QuerySet[AuditEvent]:
    """The events this user may see in their current partnership, newest first.

    An auditor sees every event of the partnership's chain, plus the system
    chain's events (sign-ins, account changes) of the partnership's members.
    An organisation manager sees the same events restricted to their own
    organisation's staff. Everyone else sees nothing.
    """
    if not may_view_audit(membership=membership) or membership is None:
        return AuditEvent.objects.none()
    partnership_id = membership.partnership_id
    members = Membership.objects.filter(partnership_id=partnership_id).values("user_id")
    scope = Q(chain=partnership_id) | Q(chain=SYSTEM_CHAIN, actor_id__in=members)
    if membership.role == Role.MANAGER:
        if user.organisation_id is None:
            return AuditEvent.objects.none()
        scope &= Q(organisation_id=user.organisation_id)
    events = AuditEvent.objects.filter(scope)
    if filters is not None:
        events = _filtered(events, filters)
    return events.select_related("organisation").order_by("-id")


def _filtered(events: QuerySet[AuditEvent], filters: AuditFilters) -> QuerySet[AuditEvent]:
    if filters.email:
        events = events.filter(actor_label__icontains=filters.email)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.date_from:
        events = events.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        events = events.filter(occurred_at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
    return events


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of the day in the service's time zone (UK time)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
