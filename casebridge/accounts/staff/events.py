"""Audit events about a user, written to every partnership's chain the user has a role in.

An administrative event (a role given, changed or removed, deactivation, a new name or team,
a two-factor reset, an unlock, an invitation) concerns every partnership the person works in,
so each partnership's auditor sees what was done to its people, whoever did it.
"""

from collections.abc import Iterable
from typing import Any

from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import PendingEvent, audit_record_batch
from casebridge.organisations.models import Membership, Partnership


def user_partnership_ids(user: User) -> set[int]:
    """The partnerships the user has a role in now, read afresh."""
    return set(Membership.objects.filter(user=user).values_list("partnership_id", flat=True))


def user_events(
    action: Action,
    *,
    actor: User | None,
    user: User,
    partnership_ids: Iterable[int],
    acting_in: Partnership | None = None,
    data: dict[str, Any] | None = None,
    actor_label: str = "",
) -> list[PendingEvent]:
    """One event per chain; an account with no role anywhere is recorded in the system chain."""
    details = dict(data or {})
    if acting_in is not None:
        details["acting_partnership"] = acting_in.code
    chains: list[int | None] = [*sorted(set(partnership_ids))] or [None]
    return [
        PendingEvent(action, actor=actor, partnership_id=chain, obj=user, data=details, actor_label=actor_label)
        for chain in chains
    ]


def user_event_record(
    action: Action,
    *,
    actor: User,
    user: User,
    acting_in: Partnership | None = None,
    data: dict[str, Any] | None = None,
    also_in: Iterable[int] = (),
) -> None:
    """Records the event in the chain of every partnership the user is in (and ``also_in``), in this transaction."""
    partnership_ids = user_partnership_ids(user) | set(also_in)
    audit_record_batch(
        user_events(action, actor=actor, user=user, partnership_ids=partnership_ids, acting_in=acting_in, data=data)
    )
