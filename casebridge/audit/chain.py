"""The hash chain: how an event's hash is computed and how a chain is checked."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS_HASH = "0" * 64


def normalise_data(data: dict[str, Any] | None) -> dict[str, Any]:
    """The JSON the database will give back, so the hash survives a round trip."""
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder)) if data else {}


def event_hash(
    *,
    prev_hash: str,
    chain: int,
    seq: int,
    occurred_at: datetime,
    actor_id: int | None,
    organisation_id: int | None,
    partnership_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    object_label: str,
    data: dict[str, Any],
    ip: str | None,
    user_agent: str,
    flagged: bool,
) -> str:
    payload = json.dumps(
        [
            prev_hash,
            chain,
            seq,
            occurred_at.isoformat(timespec="microseconds"),
            actor_id,
            organisation_id,
            partnership_id,
            action,
            object_type,
            object_id,
            object_label,
            data,
            ip,
            user_agent,
            flagged,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def hash_of(event: Any) -> str:
    """The hash of an audit event (or any object with its fields) as written or as read back."""
    return event_hash(
        prev_hash=event.prev_hash,
        chain=event.chain,
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        organisation_id=event.organisation_id,
        partnership_id=event.partnership_id,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        object_label=event.object_label,
        data=event.data,
        ip=event.ip,
        user_agent=event.user_agent,
        flagged=event.flagged,
    )


@dataclass(frozen=True)
class ChainProblem:
    chain: int
    seq: int | None
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"event {self.event_id} (chain {self.chain}, seq {self.seq})"
        return f"{where}: {self.reason}" if self.event_id else f"chain {self.chain}: {self.reason}"


def find_problem(events: Iterable[Any], *, chain: int, head_seq: int, head_hash: str) -> ChainProblem | None:
    """The first place where a chain's events, read in seq order, stop adding up."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    for event in events:
        if event.seq != expected_seq:
            return ChainProblem(
                chain,
                event.seq,
                event.id,
                f"expected seq {expected_seq}: an event is missing or was inserted",
            )
        if event.prev_hash != prev_hash:
            return ChainProblem(chain, event.seq, event.id, "does not follow the event before it")
        recomputed = hash_of(event)
        if recomputed != event.hash:
            return ChainProblem(chain, event.seq, event.id, "its content was altered")
        prev_hash = event.hash
        expected_seq += 1
    if expected_seq - 1 != head_seq or prev_hash != head_hash:
        return ChainProblem(
            chain,
            None,
            None,
            f"ends at seq {expected_seq - 1} but the head records seq {head_seq}: events were removed from the end",
        )
    return None
