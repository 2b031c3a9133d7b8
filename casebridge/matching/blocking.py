"""Blocking: which pairs of people are worth comparing at all.

Each person gets a handful of keys; two people are compared only when they share a key (or,
for dates of birth, when one's date is the other's with day and month exchanged). A key
is a short prefixed string:

- ``n:`` metaphone of a surname (or of each part of a compound surname) and the first two
  letters of each canonical given name, so "Jon Smyth" and "Jonathan Smith" share ``n:SM0|jo``;
- ``u:`` the two name metaphones in sorted order, so swapped first and last names collide;
- ``b:`` the date of birth (transposed dates are probed, not stored);
- ``p:`` the full postcode; ``i:`` a PNC, NHS or NI number; ``e:`` email; ``t:`` phone.
"""

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from functools import lru_cache

from casebridge.matching import normalise as n
from casebridge.matching.compare import Name, Prepared

NAME = "n:"
NAME_PAIR = "u:"
BIRTH = "b:"
IDENTIFIER = "i:"


@lru_cache(maxsize=100_000)
def name_keys(name: Name) -> tuple[str, ...]:
    if not (name.first and name.last):
        return ()
    keys: set[str] = set()
    starts = {canonical[:2] for canonical in name.first_canonical}
    parts = name.last_parts if len(name.last_parts) > 1 else ()
    for surname in (name.last, *parts):
        phonetic = n.phonetic_key(surname)
        for start in starts:
            keys.add(f"{NAME}{phonetic}|{start}")
    keys.add(NAME_PAIR + "|".join(sorted((name.first_phonetic, name.last_phonetic))))
    return tuple(keys)


def block_keys(person: Prepared) -> set[str]:
    keys: set[str] = set()
    for name in person.names:
        keys.update(name_keys(name))
    if person.dob is not None:
        keys.add(BIRTH + person.dob.isoformat())
    if person.sector:
        keys.add("p:" + person.postcode)
    for label, value in (("pnc", person.pnc), ("nhs", person.nhs), ("ni", person.ni)):
        if value:
            keys.add(f"i:{label}:{value}")
    if person.email:
        keys.add("e:" + person.email)
    if len(person.phone) >= 10:
        keys.add("t:" + person.phone)
    return keys


def transposed_birth_key(key: str) -> str | None:
    """The ``b:`` key for the same date with day and month exchanged, if that is a different date."""
    if not key.startswith(BIRTH):
        return None
    transposed = n.transposed_date(dt.date.fromisoformat(key[len(BIRTH) :]))
    return None if transposed is None else BIRTH + transposed.isoformat()


def build_blocks(people: list[Prepared]) -> dict[str, list[int]]:
    blocks: dict[str, list[int]] = {}
    for position, person in enumerate(people):
        for key in block_keys(person):
            blocks.setdefault(key, []).append(position)
    return blocks


def candidate_pairs(blocks: dict[str, list[int]], *, max_block: int) -> Iterator[tuple[int, int]]:
    """Every pair of positions sharing a block (or a transposed birth date), each once.

    Blocks larger than ``max_block`` are skipped: a key shared by that many people says too
    little to be worth the quadratic cost, and such people are still paired by their other keys.
    """
    seen: set[int] = set()
    size = max((max(members) for members in blocks.values()), default=0) + 1
    for key, members in blocks.items():
        if len(members) <= max_block:
            for index, left in enumerate(members):
                for right in members[index + 1 :]:
                    code = left * size + right
                    if code not in seen:
                        seen.add(code)
                        yield left, right
        partner_key = transposed_birth_key(key)
        if partner_key is None or partner_key < key:
            continue
        partners = blocks.get(partner_key)
        if not partners or len(members) * len(partners) > max_block * max_block:
            continue
        for left in members:
            for right in partners:
                low, high = (left, right) if left < right else (right, left)
                code = low * size + high
                if code not in seen:
                    seen.add(code)
                    yield low, high


def pairs_within(blocks: dict[str, list[int]], prefix: str, *, max_block: int) -> Iterator[tuple[int, int]]:
    """Pairs sharing a key with the given prefix only (used to train the model rule by rule)."""
    seen: set[tuple[int, int]] = set()
    for key, members in blocks.items():
        if not key.startswith(prefix) or len(members) > max_block:
            continue
        for index, left in enumerate(members):
            for right in members[index + 1 :]:
                if (left, right) not in seen:
                    seen.add((left, right))
                    yield left, right


def sample_pairs(
    blocks: dict[str, list[int]], prefix: str, *, max_block: int, count: int, rng: random.Random
) -> tuple[list[tuple[int, int]], int]:
    """Up to ``count`` pairs drawn uniformly, with replacement, from blocks with a prefix; and the total."""
    chosen = [members for key, members in blocks.items() if key.startswith(prefix) and 2 <= len(members) <= max_block]
    sizes = [len(members) * (len(members) - 1) // 2 for members in chosen]
    total = sum(sizes)
    if total <= count:
        return [(a, b) for members in chosen for a, b in itertools.combinations(members, 2)], total
    picks = rng.choices(chosen, cum_weights=list(itertools.accumulate(sizes)), k=count)
    pairs = []
    for members in picks:
        a, b = rng.sample(members, 2)
        pairs.append((a, b) if a < b else (b, a))
    return pairs, total
