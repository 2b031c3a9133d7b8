"""A Fellegi-Sunter model for people, with its parameters estimated from the data itself.

For every field comparison level ``l`` the model holds ``m_l``, the probability of seeing that
level when the two records are the same person, and ``u_l``, the probability when they are two
different people. Fields are taken as conditionally independent, so a pair's match weight in
bits is ``log2(prior / (1 - prior)) + sum(log2(m_l / u_l))`` over the fields both records
have, and its match probability is ``1 / (1 + 2 ** -weight)``. ``prior`` is the probability
that two records drawn at random are the same person.

Estimation (``estimate``), deterministic for a given seed:

- ``u`` from random pairs: almost every random pair is two different people, so the share of
  random pairs at each level estimates ``u``. Exact-agreement levels of high-cardinality fields
  (names, date of birth, email, phone) are computed exactly as the sum of squared value
  frequencies rather than sampled, because a sample of a few thousand pairs rarely sees them.
- ``m`` from pairs that share a PNC, NHS or NI number when there are at least ``MIN_ANCHORS``
  of them: they are all but certainly the same person, and sharing an identifier says nothing
  about typos in the other fields, so the share of them at each level estimates ``m``.
  Otherwise ``m`` comes from expectation-maximisation with ``u`` held fixed, in two sessions
  as in splink: once over pairs that share a date of birth (the date is then left out, since
  every pair agrees on it by construction) and once over pairs whose names sound alike (the
  names are left out); each session estimates the fields it does not condition on, and fields
  estimated twice average. Both use a Dirichlet prior centred on ``DEFAULT_M`` worth
  ``PRIOR_STRENGTH`` pairs, so a level never seen in a small set keeps a small probability.
- ``prior`` from the date-of-birth session: EM finds the share ``lambda`` of matches among
  pairs sharing a date of birth (with ``m`` fixed when it came from identifiers), so those
  matches number ``lambda * pairs``; dividing by the share of matches that agree on a present
  date of birth (``m`` of the exact level) and by the chance both dates are present gives all
  matches, and dividing by the number of possible pairs gives the prior.
- Relatives: people who share a surname often share an address and a landline, so given an
  exact surname the u of "same postcode" and "same phone" are counted directly from the data
  (pairs sharing surname and postcode over pairs sharing the surname, less expected matches)
  instead of assuming independence.
- Term frequency: agreement on a rare surname or given name is stronger evidence than on a
  common one, so an exact name agreement uses the value's own frequency as its ``u``.
"""

import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from casebridge.matching import blocking
from casebridge.matching import columns as columns_module
from casebridge.matching.columns import Columns
from casebridge.matching.compare import (
    DOB,
    EMAIL,
    FIELDS,
    FIRST,
    IDENTIFIERS,
    LAST,
    LEVELS,
    LOCATION,
    MISSING,
    PHONE,
    Prepared,
)

Table = tuple[tuple[float, ...], ...]

# Reasonable starting values (and the model used when there is no data to learn from).
DEFAULT_M: Table = (
    (0.80, 0.07, 0.05, 0.02, 0.01, 0.05),
    (0.85, 0.03, 0.06, 0.02, 0.01, 0.03),
    (0.88, 0.04, 0.05, 0.03),
    (0.55, 0.05, 0.05, 0.05, 0.30),
    (0.98, 0.02),
    (0.70, 0.30),
    (0.60, 0.40),
    (0.95, 0.05),
)
DEFAULT_U: Table = (
    (0.01, 0.003, 0.005, 0.01, 0.01, 0.962),
    (0.004, 0.0005, 0.002, 0.005, 0.01, 0.9785),
    (0.00005, 0.00003, 0.002, 0.99792),
    (0.0001, 0.0003, 0.001, 0.01, 0.9886),
    (0.5, 0.5),
    (0.0001, 0.9999),
    (0.0001, 0.9999),
    (0.000001, 0.999999),
)
DEFAULT_PRIOR = 1e-5

RANDOM_PAIRS = 15_000
TRAINING_PAIRS = 15_000
TRAINING_MAX_BLOCK = 1_000
EM_ITERATIONS = 25
MIN_ANCHORS = 50
PRIOR_STRENGTH = 20.0
SMALLEST_PROBABILITY = columns_module.SMALLEST_PROBABILITY


@dataclass(frozen=True)
class Model:
    m: Table = DEFAULT_M
    u: Table = DEFAULT_U
    prior: float = DEFAULT_PRIOR
    first_name_frequency: Mapping[str, float] = field(default_factory=dict)
    last_name_frequency: Mapping[str, float] = field(default_factory=dict)
    # u of "same postcode" and of "same phone" among different people who share a surname.
    household_u: tuple[float, float] = (0.0, 0.0)
    weights: Table = field(init=False, repr=False, compare=False)
    padded_weights: Table = field(init=False, repr=False, compare=False)
    household_adjustment: tuple[float, float, float] = field(init=False, repr=False, compare=False)
    prior_weight: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        weights = tuple(
            tuple(math.log2(m / u) for m, u in zip(ms, us, strict=True)) for ms, us in zip(self.m, self.u, strict=True)
        )
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "padded_weights", tuple((*row, 0.0) for row in weights))
        object.__setattr__(self, "prior_weight", math.log2(self.prior / (1 - self.prior)))
        object.__setattr__(self, "household_adjustment", self._household_adjustment())

    def _household_adjustment(self) -> tuple[float, float, float]:
        """Corrections to the location (same address, same postcode) and phone weights given a shared surname."""
        location_u, phone_u = self.household_u
        same_postcode = self.u[LOCATION][0] + self.u[LOCATION][1]
        location = math.log2(same_postcode / location_u) if location_u > same_postcode else 0.0
        phone = math.log2(self.u[PHONE][0] / phone_u) if phone_u > self.u[PHONE][0] else 0.0
        return location, location, phone

    def weight_of(self, pattern: Sequence[int], *, first: str = "", last: str = "") -> float:
        """Match weight in bits of a comparison pattern; ``first``/``last`` are exactly agreed names."""
        # Each row of the padded table ends with 0.0, which MISSING (-1) picks out.
        w = self.padded_weights
        total: float = (
            self.prior_weight
            + w[0][pattern[0]]
            + w[1][pattern[1]]
            + w[2][pattern[2]]
            + w[3][pattern[3]]
            + w[4][pattern[4]]
            + w[5][pattern[5]]
            + w[6][pattern[6]]
            + w[7][pattern[7]]
        )
        if first and pattern[FIRST] == 0:
            total += self._frequency_adjustment(FIRST, self.first_name_frequency.get(first))
        if pattern[LAST] == 0:
            if last:
                total += self._frequency_adjustment(LAST, self.last_name_frequency.get(last))
            # Relatives share a surname, an address and a landline: that agreement is weaker evidence.
            if pattern[LOCATION] in (0, 1):
                total += self.household_adjustment[pattern[LOCATION]]
            if pattern[PHONE] == 0:
                total += self.household_adjustment[2]
        return total

    def _frequency_adjustment(self, index: int, frequency: float | None) -> float:
        if frequency is None:
            return 0.0
        return math.log2(self.u[index][0] / max(frequency, SMALLEST_PROBABILITY))


def probability_of(weight: float) -> float:
    if weight > 60:
        return 1.0
    if weight < -60:
        return 0.0
    return 1.0 / (1.0 + math.pow(2.0, -weight))


def _normalise(counts: Sequence[float]) -> tuple[float, ...]:
    clipped = [max(count, SMALLEST_PROBABILITY) for count in counts]
    total = sum(clipped)
    return tuple(value / total for value in clipped)


def estimate_u(people: Sequence[Prepared], rng: random.Random, columns: Columns) -> Table:
    counts = [[0.5] * len(field_levels) for field_levels in LEVELS]
    population = len(people)
    drawn = [
        (rng.randrange(population), rng.randrange(population)) for _ in range(RANDOM_PAIRS if population > 1 else 0)
    ]
    pairs = np.array([pair for pair in drawn if pair[0] != pair[1]], dtype=np.int64).reshape(-1, 2)
    found = columns.levels(pairs[:, 0], pairs[:, 1])
    for index, field_levels in enumerate(LEVELS):
        present = found[:, index][found[:, index] != MISSING]
        for level, count in enumerate(np.bincount(present, minlength=len(field_levels)).tolist()):
            counts[index][level] += count
    u = [list(_normalise(row)) for row in counts]
    exact = {
        FIRST: columns.coincidence(columns.first),
        LAST: columns.coincidence(columns.last),
        DOB: columns.coincidence(columns.dob + 1),
        EMAIL: columns.coincidence(columns.email),
        PHONE: columns.coincidence(columns.phone),
    }
    for index, share in exact.items():
        if share <= 0:
            continue
        rest = sum(u[index][1:])
        u[index] = [share, *((1 - share) * value / rest for value in u[index][1:])]
    return tuple(_normalise(row) for row in u)


def run_em(
    patterns: Mapping[tuple[int, ...], int],
    m: Table,
    u: Table,
    excluded: frozenset[int],
    *,
    fix_m: bool = False,
) -> tuple[Table, float]:
    """Expectation-maximisation of m and the match share within the pairs, u fixed (and m too if ``fix_m``)."""
    share = 0.1
    total = sum(patterns.values())
    if not total:
        return m, share
    rows = np.array(list(patterns), dtype=np.int64).reshape(-1, len(FIELDS))
    counts = np.array(list(patterns.values()), dtype=np.float64)
    used = [index for index in range(len(FIELDS)) if index not in excluded]
    present = {index: rows[:, index] != MISSING for index in used}
    u_of = [np.where(present[index], np.asarray(u[index])[rows[:, index]], 1.0) for index in used]
    current = [np.asarray(row, dtype=np.float64) for row in m]
    for _ in range(EM_ITERATIONS):
        p_match = np.full(len(rows), share)
        p_other = np.full(len(rows), 1 - share)
        for position, index in enumerate(used):
            p_match *= np.where(present[index], current[index][rows[:, index]], 1.0)
            p_other *= u_of[position]
        weighted = p_match / (p_match + p_other) * counts
        share = min(max(float(weighted.sum()) / total, SMALLEST_PROBABILITY), 1 - SMALLEST_PROBABILITY)
        if fix_m:
            continue
        for index in used:
            # A Dirichlet prior centred on the default m: a level never seen keeps a small probability.
            sums = PRIOR_STRENGTH * np.asarray(DEFAULT_M[index]) + np.bincount(
                rows[present[index], index], weights=weighted[present[index]], minlength=len(LEVELS[index])
            )
            current[index] = np.asarray(_normalise(sums.tolist()))
    estimated = tuple(tuple(row.tolist()) if index not in excluded else m[index] for index, row in enumerate(current))
    return estimated, share


def _patterns(columns: Columns, pairs: Iterable[tuple[int, int]]) -> Counter[tuple[int, ...]]:
    chosen = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
    found = columns.levels(chosen[:, 0], chosen[:, 1])
    if not len(found):
        return Counter()
    distinct, counts = np.unique(found, axis=0, return_counts=True)
    return Counter({tuple(row): count for row, count in zip(distinct.tolist(), counts.tolist(), strict=True)})


def estimate(people: Sequence[Prepared], *, seed: int = 0, columns: Columns | None = None) -> Model:
    """Estimate u, m and the prior from the people themselves (see the module docstring)."""
    rng = random.Random(seed)
    if len(people) < 50:
        return Model()
    columns = columns if columns is not None else Columns(people)
    u = estimate_u(people, rng, columns)
    blocks = columns.training_blocks()

    birth_pairs, birth_pair_count = blocking.sample_pairs(
        blocks, blocking.BIRTH, max_block=TRAINING_MAX_BLOCK, count=TRAINING_PAIRS, rng=rng
    )
    name_pairs, _ = blocking.sample_pairs(
        blocks, blocking.NAME_PAIR, max_block=TRAINING_MAX_BLOCK, count=TRAINING_PAIRS, rng=rng
    )
    anchored = list(blocking.pairs_within(blocks, blocking.IDENTIFIER, max_block=TRAINING_MAX_BLOCK))
    birth_patterns = _patterns(columns, birth_pairs)
    if len(anchored) >= MIN_ANCHORS:
        # m straight from identifier-sharing pairs; EM then only has the match share to find.
        m = _m_from_anchors(_patterns(columns, anchored), DEFAULT_M)
        m_from_ids, _ = run_em(_patterns(columns, name_pairs), m, u, frozenset({FIRST, LAST}))
        m = tuple(m_from_ids[index] if index == IDENTIFIERS else row for index, row in enumerate(m))
        _, birth_share = run_em(birth_patterns, m, u, frozenset({DOB}), fix_m=True)
    else:
        m_from_birth, birth_share = run_em(birth_patterns, DEFAULT_M, u, frozenset({DOB}))
        m_from_names, _ = run_em(_patterns(columns, name_pairs), DEFAULT_M, u, frozenset({FIRST, LAST}))
        m = tuple(
            row_birth if index in (FIRST, LAST) else row_name if index == DOB else _average(row_birth, row_name)
            for index, (row_birth, row_name) in enumerate(zip(m_from_birth, m_from_names, strict=True))
        )

    with_birth = sum(1 for p in people if p.dob is not None) / len(people)
    catch = m[DOB][0] * with_birth * with_birth
    all_pairs = len(people) * (len(people) - 1) / 2
    prior = DEFAULT_PRIOR
    if birth_pair_count and catch > 0:
        prior = min(max(birth_share * birth_pair_count / catch / all_pairs, 1e-12), 0.5)
    return Model(
        m=m,
        u=u,
        prior=prior,
        household_u=_household_u(columns, m, prior),
        first_name_frequency=columns.frequencies(columns.first),
        last_name_frequency=columns.frequencies(columns.last),
    )


def _pairs_sharing(first: npt.NDArray[np.int64], second: npt.NDArray[np.int64] | None = None) -> int:
    """Pairs of rows equal on the code column ``first`` (and on ``second`` when given)."""
    codes = first if second is None else first * (int(second.max(initial=0)) + 1) + second
    counts = np.unique(codes, return_counts=True)[1]
    return int((counts * (counts - 1) // 2).sum())


def _household_u(columns: Columns, m: Table, prior: float) -> tuple[float, float]:
    """u of a shared postcode, and of a shared phone, among different people with the same surname.

    Counted exactly over the data: pairs sharing surname and postcode over pairs sharing the
    surname, less the matching pairs expected among them (prior, m of the levels involved).
    """
    result = []
    for column, agree in ((columns.postcode, m[LOCATION][0] + m[LOCATION][1]), (columns.phone, m[PHONE][0])):
        present = (columns.last != 0) & (column != 0)
        count = int(present.sum())
        if count < 2:
            result.append(0.0)
            continue
        matches = prior * count * (count - 1) / 2 * m[LAST][0]
        same_surname = _pairs_sharing(columns.last[present]) - matches
        same_both = _pairs_sharing(columns.last[present], column[present]) - matches * agree
        result.append(min(max(same_both / same_surname, 0.0), 0.5) if same_surname > 0 else 0.0)
    return result[0], result[1]


def _m_from_anchors(patterns: Mapping[tuple[int, ...], int], fallback: Table) -> Table:
    """m as observed among pairs that share an identifier, which are all but certainly matches."""
    counts = [[PRIOR_STRENGTH * share for share in row] for row in fallback]
    for pattern, count in patterns.items():
        for index, level in enumerate(pattern):
            if level != MISSING and index != IDENTIFIERS:
                counts[index][level] += count
    return tuple(row if index == IDENTIFIERS else _normalise(counts[index]) for index, row in enumerate(fallback))


def _average(left: Sequence[float], right: Sequence[float]) -> tuple[float, ...]:
    return _normalise([(a + b) / 2 for a, b in zip(left, right, strict=True)])


__all__ = ["FIELDS", "Model", "estimate", "probability_of"]
