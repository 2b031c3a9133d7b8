"""A small seeded population with known duplicates, for tests that need data to learn from."""

import datetime as dt
import random
from dataclasses import replace

from casebridge.matching.engine import PersonRecord

FIRST = ["Oliver", "Amelia", "Jack", "Isla", "Harry", "Ava", "George", "Emily", "Noah", "Mia", "Robert", "Katherine"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Hartley", "Evans", "Wilson", "Blackwood", "Patel", "Okafor", "Moss"]
NICKNAMES = {"Robert": "Bob", "Katherine": "Kate", "Harry": "Hal", "Oliver": "Ollie"}


def population(size: int = 400, *, seed: int = 3) -> tuple[list[PersonRecord], set[tuple[str, str]]]:
    """``size`` originals plus a duplicate of every fourth one; returns (records, true pairs)."""
    rng = random.Random(seed)
    records: list[PersonRecord] = []
    pairs: set[tuple[str, str]] = set()
    for number in range(size):
        original = PersonRecord(
            id=f"p{number}",
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            date_of_birth=dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20_000)),
            gender=rng.choice(["Male", "Female"]),
            postcode=f"GU{rng.randint(10, 30)} {rng.randint(1, 9)}{rng.choice('ABDEF')}{rng.choice('HJLNP')}",
            nhs=str(rng.randrange(10**9, 10**10)) if rng.random() < 0.5 else "",
        )
        records.append(original)
        if number % 4 == 0:
            duplicate = replace(
                original,
                id=f"d{number}",
                first_name=NICKNAMES.get(original.first_name, original.first_name.upper()),
                postcode=original.postcode.lower().replace(" ", ""),
                nhs=original.nhs if rng.random() < 0.5 else "",
            )
            records.append(duplicate)
            pairs.add((original.id, duplicate.id))
    return records, pairs
