"""Filtering audit events; who may see which events is decided in accounts/audit_trail.py."""

import datetime
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from casebridge.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    email: str = ""
    action: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def as_data(self) -> dict[str, Any]:
        """The filters as recorded in the audit event of an export."""
        return {name: str(value) for name, value in asdict(self).items() if value}


def filter_events(events: QuerySet[AuditEvent], filters: AuditFilters) -> QuerySet[AuditEvent]:
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
