"""The person matching engine: proposes pairs of records that may be the same person.

It never merges anything; it only proposes, with a score and a band:

- ``certain``: the two records share a PNC, NHS or National Insurance number;
- ``likely``: match probability at least ``LIKELY_PROBABILITY``;
- ``possible``: match probability at least ``POSSIBLE_PROBABILITY``;
- anything lower is not proposed.

Records are normalised once (``normalise.py``), paired by blocking (``blocking.py``) so that
only plausible pairs are compared, compared field by field into levels (``compare.py``) and
scored by a Fellegi-Sunter model whose parameters are estimated from the records themselves
(``model.py``, where the method is described).

``find_candidate_pairs(records)`` deduplicates a set; ``Index(records)`` is built once over
existing people and answers ``index.matches_for(record)`` for one new person quickly.
"""

import datetime as dt
import enum
import heapq
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from casebridge.matching import blocking
from casebridge.matching import normalise as n
from casebridge.matching.columns import Columns
from casebridge.matching.compare import FIELDS, IDENTIFIERS, LEVELS, MISSING, Name, Prepared, levels, name_of
from casebridge.matching.fellegi_sunter import Model, estimate, probability_of

LIKELY_PROBABILITY = 0.9
POSSIBLE_PROBABILITY = 0.5
POSSIBLE_WEIGHT = math.log2(POSSIBLE_PROBABILITY / (1 - POSSIBLE_PROBABILITY))
# Blocks shared by more people than this are skipped when deduplicating a whole set.
DEDUPLICATE_MAX_BLOCK = 400
# A single new person is compared with at most this many people per key.
QUERY_MAX_BLOCK = 5_000
# The model of a large index is estimated from a random sample of this many people.
ESTIMATION_SAMPLE = 100_000


@dataclass(frozen=True, slots=True)
class PersonRecord:
    id: str
    first_name: str = ""
    last_name: str = ""
    aliases: tuple[str, ...] = ()
    date_of_birth: dt.date | None = None
    gender: str = ""
    postcode: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    pnc: str = ""
    nhs: str = ""
    ni: str = ""


class Band(enum.StrEnum):
    CERTAIN = "certain"
    LIKELY = "likely"
    POSSIBLE = "possible"


@dataclass(frozen=True, slots=True)
class Match:
    left_id: str
    right_id: str
    weight: float
    probability: float
    band: Band | None
    levels: tuple[tuple[str, str], ...]

    def level_of(self, field: str) -> str:
        return dict(self.levels).get(field, "missing")


def prepare(record: PersonRecord) -> Prepared:
    names: tuple[Name, ...] = (name_of(record.first_name, record.last_name),)
    if record.aliases:
        names = (*names, *_alias_names(record.aliases))
    postcode, sector, district, address, house_number = _place(record.postcode, record.address)
    gender = _gender(record.gender) if record.gender else ""
    return Prepared(
        id=record.id,
        names=names,
        dob=record.date_of_birth,
        gender=gender,
        postcode=postcode,
        sector=sector,
        district=district,
        address=address,
        house_number=house_number,
        email=n.normalise_email(record.email) if record.email else "",
        phone=n.normalise_phone(record.phone) if record.phone else "",
        pnc=n.normalise_identifier(record.pnc) if record.pnc else "",
        nhs=n.normalise_identifier(record.nhs) if record.nhs else "",
        ni=n.normalise_identifier(record.ni) if record.ni else "",
    )


def _alias_names(aliases: tuple[str, ...]) -> list[Name]:
    names = []
    for alias in aliases:
        parts = alias.split()
        if len(parts) >= 2:
            names.append(name_of(parts[0], " ".join(parts[1:])))
    return names


@lru_cache(maxsize=200_000)
def _place(postcode_text: str, address_text: str) -> tuple[str, str, str, str, str]:
    """(postcode, sector, district, address, house number), normalised once per distinct address."""
    postcode = n.normalise_postcode(postcode_text) if postcode_text else ""
    address = n.normalise_address(address_text) if address_text else ""
    first_token = address.split(" ", 1)[0] if address else ""
    return (
        postcode,
        n.postcode_sector(postcode),
        n.postcode_district(postcode),
        address,
        first_token if first_token[:1].isdigit() else "",
    )


@lru_cache(maxsize=100)
def _gender(text: str) -> str:
    gender = n.fold(text)[:1]
    return gender if gender in ("m", "f") else ""


def _weight(model: Model, a: Prepared, b: Prepared) -> tuple[float, tuple[int, ...]]:
    pattern = levels(a, b)
    first = a.names[0].first if a.names[0].first == b.names[0].first else ""
    last = a.names[0].last if a.names[0].last == b.names[0].last else ""
    return model.weight_of(pattern, first=first, last=last), pattern


def band_for(weight: float, pattern: Sequence[int]) -> Band | None:
    if pattern[IDENTIFIERS] == 0:
        return Band.CERTAIN
    probability = probability_of(weight)
    if probability >= LIKELY_PROBABILITY:
        return Band.LIKELY
    if probability >= POSSIBLE_PROBABILITY:
        return Band.POSSIBLE
    return None


def _match(a: Prepared, b: Prepared, weight: float, pattern: Sequence[int], band: Band | None) -> Match:
    described = tuple(
        (name, LEVELS[index][level])
        for index, (name, level) in enumerate(zip(FIELDS, pattern, strict=True))
        if level != MISSING
    )
    return Match(a.id, b.id, weight, probability_of(weight), band, described)


def score(a: PersonRecord, b: PersonRecord, *, model: Model | None = None) -> Match:
    """Compare two records; ``band`` is None when they are not similar enough to propose."""
    left, right = prepare(a), prepare(b)
    weight, pattern = _weight(model or Model(), left, right)
    return _match(left, right, weight, pattern, band_for(weight, pattern))


def find_candidate_pairs(records: Sequence[PersonRecord], *, model: Model | None = None, seed: int = 0) -> list[Match]:
    """Every pair of records scored at least ``possible``, strongest first.

    The model is estimated from the records unless one is given. Pairs are blocked, compared
    and weighed column by column (``columns.py``), a chunk of pairs at a time.
    """
    people = [prepare(record) for record in records]
    table = Columns(people)
    model = model or estimate(people, seed=seed, columns=table)
    lefts, rights = table.candidate_pairs(max_block=DEDUPLICATE_MAX_BLOCK)
    found: list[Match] = []
    for start in range(0, len(lefts), CHUNK_PAIRS):
        left, right = lefts[start : start + CHUNK_PAIRS], rights[start : start + CHUNK_PAIRS]
        patterns = table.levels(left, right)
        weights = table.weights(model, left, right, patterns)
        kept = np.flatnonzero((weights >= POSSIBLE_WEIGHT) | (patterns[:, IDENTIFIERS] == 0))
        for a, b, weight, pattern in zip(
            left[kept].tolist(),
            right[kept].tolist(),
            weights[kept].tolist(),
            patterns[kept].tolist(),
            strict=True,
        ):
            levels_of = tuple(pattern)
            found.append(_match(people[a], people[b], weight, levels_of, band_for(weight, levels_of)))
    found.sort(key=lambda match: (-match.weight, match.left_id, match.right_id))
    return found


# Pairs compared at once: bounds the memory of a run (a few tens of bytes per pair and field).
CHUNK_PAIRS = 500_000


class Index:
    """Existing people held in memory by block key, to check one new person at a time."""

    def __init__(self, records: Sequence[PersonRecord], *, model: Model | None = None, seed: int = 0) -> None:
        self._people = [prepare(record) for record in records]
        if model is None:
            sample = self._people
            if len(sample) > ESTIMATION_SAMPLE:
                sample = random.Random(seed).sample(sample, ESTIMATION_SAMPLE)
            # The prior is a per-pair probability, so a random sample estimates it without bias.
            model = estimate(sample, seed=seed)
        self.model = model
        self._blocks = blocking.build_blocks(self._people)

    def __len__(self) -> int:
        return len(self._people)

    def matches_for(self, record: PersonRecord, limit: int = 10) -> list[Match]:
        """Existing people who may be this person, strongest first, at most ``limit``."""
        person = prepare(record)
        candidates: set[int] = set()
        for key in blocking.block_keys(person):
            for probe in (key, blocking.transposed_birth_key(key)):
                members = self._blocks.get(probe) if probe else None
                if members and len(members) <= QUERY_MAX_BLOCK:
                    candidates.update(members)
        scored: list[tuple[float, int, tuple[int, ...]]] = []
        for position in candidates:
            other = self._people[position]
            if other.id == person.id:
                continue
            weight, pattern = _weight(self.model, person, other)
            if band_for(weight, pattern) is not None:
                scored.append((weight, position, pattern))
        best = heapq.nlargest(limit, scored, key=lambda item: (item[0], -item[1]))
        return [
            _match(person, self._people[position], weight, pattern, band_for(weight, pattern))
            for weight, position, pattern in best
        ]
