"""Random public ids for imported records, made without building a ``uuid.UUID`` for each.

An import of 100,000 rows makes well over 100,000 public ids; ``uuid.uuid4()`` spends most
of its time in ``UUID.__init__``. These are the same version 4 UUIDs (16 random bytes from
``os.urandom`` with the version and variant bits set), as 32 hex digits, the form the
``UUIDField`` columns take, and with dashes, the form the audit shows.
"""

import os
from collections.abc import Iterator

_VERSION_MASK = ~(0xF000 << 64)
_VERSION_4 = 0x4000 << 64
_VARIANT_MASK = ~(0xC000 << 48)
_VARIANT_RFC_4122 = 0x8000 << 48
_KEEP = _VERSION_MASK & _VARIANT_MASK
_SET = _VERSION_4 | _VARIANT_RFC_4122
# Random bytes are read this many ids at a time: one system call instead of one per id.
POOL = 1024


def public_ids() -> Iterator[str]:
    """Random (version 4) UUIDs as 32 lower-case hex digits, as ``uuid.uuid4().hex`` gives, without end."""
    while True:
        pool = os.urandom(16 * POOL)
        for start in range(0, 16 * POOL, 16):
            number = int.from_bytes(pool[start : start + 16], "big")
            yield f"{(number & _KEEP) | _SET:032x}"


def dashed(hex_id: str) -> str:
    """32 hex digits in the usual 8-4-4-4-12 form, as ``str(uuid.UUID(hex_id))`` gives."""
    return f"{hex_id[:8]}-{hex_id[8:12]}-{hex_id[12:16]}-{hex_id[16:20]}-{hex_id[20:]}"
