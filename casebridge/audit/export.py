"""Audit events as CSV, safe to open in a spreadsheet."""

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from casebridge.audit.models import AuditEvent
from casebridge.lib.spreadsheets import csv_text

HEADER = [
    "Time",
    "Actor",
    "Organisation",
    "Action",
    "Action code",
    "Object type",
    "Object",
    "Object label",
    "Changes",
    "Details",
    "IP address",
    "Browser",
    "Flagged",
    "Chain",
    "Sequence",
]


def changes_text(event: AuditEvent) -> str:
    return "; ".join(f"{c['field']}: {_plain(c['from'])} → {_plain(c['to'])}" for c in event.changes)


def events_csv(events: Iterable[AuditEvent]) -> tuple[str, int]:
    """The CSV text and the number of events in it."""
    count = 0

    def rows() -> Iterator[list[Any]]:
        nonlocal count
        for event in events:
            count += 1
            yield event_row(event)

    text = csv_text(HEADER, rows())
    return text, count


def event_row(event: AuditEvent) -> list[Any]:
    details = {key: value for key, value in event.data.items() if key != "changes"}
    return [
        timezone.localtime(event.occurred_at).isoformat(timespec="seconds"),
        event.actor_label,
        event.organisation.name if event.organisation else "",
        event.get_action_display(),
        event.action,
        event.object_type,
        event.object_id,
        event.object_label,
        changes_text(event),
        json.dumps(details, ensure_ascii=False, sort_keys=True) if details else "",
        event.ip or "",
        event.user_agent,
        "yes" if event.flagged else "no",
        event.chain,
        event.seq,
    ]


def _plain(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)
