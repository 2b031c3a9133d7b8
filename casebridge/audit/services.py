"""Writing audit events: always inside the caller's transaction."""

import ipaddress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Required, TypedDict, Unpack

from django.db import connection, models, transaction
from django.utils import timezone

from casebridge.audit.chain import GENESIS_HASH, hash_of, normalise_data
from casebridge.audit.models import SYSTEM_CHAIN, Action, AuditChainHead, AuditEvent
from casebridge.lib import request_context

if TYPE_CHECKING:
    pass


@dataclass
class PendingEvent:
    """An event to append; ``actor`` is a user or None for the system."""

    action: Action
    actor: Any = None
    partnership_id: int | None = None
    obj: models.Model | None = None
    object_type: str = ""
    object_id: str = ""
    object_label: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    flagged: bool = False
    actor_label: str = ""


def audit_record(
    *,
    actor: Any,
    action: Action,
    partnership_id: int | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    data: dict[str, Any] | None = None,
    flagged: bool = False,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event; call it inside the transaction of the action it records."""
    return audit_record_batch(
        [
            PendingEvent(
                action=action,
                actor=actor,
                partnership_id=partnership_id,
                obj=obj,
                object_type=object_type,
                object_id=object_id,
                object_label=object_label,
                data=data or {},
                flagged=flagged,
                actor_label=actor_label,
            )
        ]
    )[0]


class RecordEventDetails(TypedDict, total=False):
    """What an event about a partnership's record may say besides the record itself."""

    actor: Required[Any]
    data: dict[str, Any] | None
    object_label: str
    actor_label: str
    flagged: bool


def audit_on_record(action: Action, *, obj: models.Model, **details: Unpack[RecordEventDetails]) -> AuditEvent:
    """Record ``action`` on a partnership's record: the event belongs to the record's own partnership."""
    return audit_record(action=action, partnership_id=obj.partnership_id, obj=obj, **details)  # type: ignore[attr-defined]


def audit_created(*, obj: models.Model, **details: Unpack[RecordEventDetails]) -> AuditEvent:
    return audit_on_record(Action.CREATED, obj=obj, **details)


def audit_changed(*, obj: models.Model, **details: Unpack[RecordEventDetails]) -> AuditEvent:
    return audit_on_record(Action.CHANGED, obj=obj, **details)


@transaction.atomic
def audit_record_batch(pending: list[PendingEvent]) -> list[AuditEvent]:
    """Append many events at once, locking each chain's head only once."""
    context = request_context.current()
    now = timezone.now()
    by_chain: dict[int, list[AuditEvent]] = {}
    for item in pending:
        event = _build(item, now=now, context=context)
        by_chain.setdefault(event.chain, []).append(event)

    created: list[AuditEvent] = []
    for chain in sorted(by_chain):
        head = _lock_head(chain)
        for event in by_chain[chain]:
            head.seq += 1
            event.seq = head.seq
            event.prev_hash = head.hash
            event.hash = hash_of(event)
            head.hash = event.hash
        _insert(by_chain[chain])
        created.extend(by_chain[chain])
        head.save(update_fields=["seq", "hash"])
    return created


_INSERT_FIELDS = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]


def _insert(events: list[AuditEvent]) -> None:
    """One executemany: bulk_create's per-value preparation dominated the cost of auditing."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in _INSERT_FIELDS)
    placeholders = ", ".join(["%s"] * len(_INSERT_FIELDS))
    prepared = {"data": AuditEvent._meta.get_field("data"), "occurred_at": AuditEvent._meta.get_field("occurred_at")}
    rows = [
        [
            prepared[f.name].get_db_prep_save(getattr(event, f.attname), connection)
            if f.name in prepared
            else getattr(event, f.attname)
            for f in _INSERT_FIELDS
        ]
        for event in events
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


def _lock_head(chain: int) -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is None:
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(chain=chain, seq=0, hash=GENESIS_HASH)], ignore_conflicts=True
        )
        head = AuditChainHead.objects.select_for_update().get(chain=chain)
    return head


def _build(item: PendingEvent, *, now: Any, context: request_context.RequestContext | None) -> AuditEvent:
    actor = item.actor if item.actor is not None and item.actor.pk else None
    object_type, object_id, object_label = item.object_type, item.object_id, item.object_label
    if item.obj is not None:
        object_type = object_type or item.obj._meta.model_name or ""
        object_id = object_id or str(
            getattr(item.obj, "public_id", None) or getattr(item.obj, "reference", None) or item.obj.pk
        )
        object_label = object_label or str(item.obj)
    return AuditEvent(
        chain=item.partnership_id or SYSTEM_CHAIN,
        occurred_at=now,
        actor=actor,
        actor_label=(item.actor_label or (actor.email if actor else ""))[:254],
        organisation_id=actor.organisation_id if actor else None,
        partnership_id=item.partnership_id,
        action=item.action,
        object_type=object_type[:40],
        object_id=object_id[:64],
        object_label=object_label[:200],
        data=normalise_data(item.data),
        ip=_normalised_ip(context.ip) if context else None,
        user_agent=context.user_agent if context else "",
        flagged=item.flagged,
    )


def _normalised_ip(ip: str | None) -> str | None:
    try:
        return ipaddress.ip_address(ip).compressed if ip else None
    except ValueError:
        return None


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field-level changes for an audit event: {field: {"from": old, "to": new}}."""
    return {name: {"from": before.get(name), "to": value} for name, value in after.items() if before.get(name) != value}
