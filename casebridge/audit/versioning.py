"""Optimistic locking: an edit carries the version it was based on; a stale edit is refused.

The versions are read from and written to the audit trail, so the locking lives beside it.
"""

import datetime
from typing import Any, TypeVar

from django.db import models

from casebridge.audit.models import Action, AuditEvent
from casebridge.audit.services import audit_changed, changes_between
from casebridge.lib.versioning import StaleWriteError

VersionedT = TypeVar("VersionedT", bound=models.Model)


def plain(value: Any) -> Any:
    """A value as the audit trail and the stale-write message show it."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def changes_since(obj: models.Model, version: int) -> dict[str, dict[str, Any]]:
    """What changed on ``obj`` after ``version``, folded from its audit events."""
    events = AuditEvent.objects.filter(
        object_type=obj._meta.model_name, object_id=str(getattr(obj, "public_id", "")), action=Action.CHANGED
    ).order_by("id")
    folded: dict[str, dict[str, Any]] = {}
    for event in events:
        if int(event.data.get("version", 0)) <= version:
            continue
        for name, change in event.data.get("changes", {}).items():
            folded.setdefault(name, {"from": change.get("from")})["to"] = change.get("to")
    return folded


def versioned_update(
    *, actor: Any, obj: VersionedT, version: int, values: dict[str, Any], extra: dict[str, Any] | None = None
) -> VersionedT:
    """Apply ``values`` if ``obj`` is still at ``version``; audit field changes. Call inside a transaction."""
    model = type(obj)
    fresh = model._default_manager.select_for_update().get(pk=obj.pk)
    if fresh.version != version:  # type: ignore[attr-defined]
        raise StaleWriteError(changes_since(fresh, version), fresh.version)  # type: ignore[attr-defined]
    before = {name: plain(getattr(fresh, name)) for name in values}
    for name, value in values.items():
        setattr(fresh, name, value)
    after = {name: plain(value) for name, value in values.items()}
    diff = changes_between(before, after)
    fresh.version += 1  # type: ignore[attr-defined]
    update_fields = [*values, "version"]
    if any(f.name == "updated_at" for f in model._meta.fields):
        update_fields.append("updated_at")
    fresh.save(update_fields=update_fields)
    audit_changed(
        actor=actor,
        obj=fresh,
        data={"changes": diff, "version": fresh.version, **(extra or {})},  # type: ignore[attr-defined]
    )
    return fresh
