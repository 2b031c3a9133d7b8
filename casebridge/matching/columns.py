"""Many pairs at once: the prepared people as numpy columns, blocking and comparison by array.

Deduplicating a whole partnership compares hundreds of thousands of pairs. Doing that one pair
at a time in Python costs microseconds of interpreter work per field, so here every field is
held once per person as an integer code (0 when missing) and the comparison levels of all
pairs are computed column by column. String similarity runs in rapidfuzz's C code
(``process.cpdist``), once per distinct pair of names rather than per pair of people.

The results are exactly those of ``compare.levels`` (a test compares the two on every pair of
a generated population); the rare cases the arrays do not cover — people with aliases, and
given name and surname possibly exchanged — are handed to ``compare`` itself.
"""

import math
from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from casebridge.matching import blocking
from casebridge.matching import normalise as n
from casebridge.matching.compare import (
    DOB,
    EMAIL,
    FIELDS,
    FIRST,
    GENDER,
    HIGH_SIMILARITY,
    IDENTIFIERS,
    LAST,
    LOCATION,
    LOW_SIMILARITY,
    MISSING,
    PHONE,
    Name,
    Prepared,
    _name_levels,
    name_levels,
)

if TYPE_CHECKING:
    from casebridge.matching.fellegi_sunter import Model

SMALLEST_PROBABILITY = 1e-6
IntArray = npt.NDArray[np.int64]
Levels = npt.NDArray[np.int8]


class _Interner:
    """Gives each distinct value a small integer; the empty value is always 0."""

    def __init__(self) -> None:
        self.codes: dict[Hashable, int] = {"": 0, None: 0}
        self.values: list[Hashable] = [""]

    def code(self, value: Hashable) -> int:
        found = self.codes.get(value)
        if found is None:
            found = self.codes[value] = len(self.values)
            self.values.append(value)
        return found

    def column(self, values: Iterable[Hashable]) -> IntArray:
        codes, known = self.codes, self.values
        result: list[int] = []
        append = result.append
        for value in values:
            found = codes.get(value)
            if found is None:
                found = codes[value] = len(known)
                known.append(value)
            append(found)
        return np.array(result, dtype=np.int64)


def _padded(rows: Sequence[Sequence[int]]) -> IntArray:
    width = max((len(row) for row in rows), default=0) or 1
    table = np.zeros((len(rows), width), dtype=np.int64)
    for index, row in enumerate(rows):
        table[index, : len(row)] = row
    return table


class _NameTable:
    """Distinct primary names (first, last) with their parts as codes, row 0 meaning no name."""

    def __init__(self, names: list[Name], strings: _Interner) -> None:
        self.names = names
        code = strings.code
        self.first = np.array([0, *(code(name.first) for name in names)], dtype=np.int64)
        self.last = np.array([0, *(code(name.last) for name in names)], dtype=np.int64)
        self.first_phonetic = np.array([0, *(code("~" + name.first_phonetic) for name in names)], dtype=np.int64)
        self.last_phonetic = np.array([0, *(code("~" + name.last_phonetic) for name in names)], dtype=np.int64)
        self.canonical = _padded([[], *([code(c) for c in sorted(name.first_canonical)] for name in names)])
        self.parts = _padded([[], *([code(part) for part in name.last_parts] for name in names)])
        self.part_count = np.array([0, *(len(name.last_parts) for name in names)], dtype=np.int64)
        self.first_text = ["", *(name.first for name in names)]
        # Code of the first letter, 0 for a missing name (straight comparison already covers it then).
        self.first_initial = np.array([0, *(ord(name.first[0]) if name.first else 0 for name in names)])
        self.last_initial = np.array([0, *(ord(name.last[0]) if name.last else 0 for name in names)])
        self.last_text = ["", *(name.last for name in names)]


def _any_shared(left: IntArray, right: IntArray) -> npt.NDArray[np.bool_]:
    """Row by row, whether two padded code tables share a non-zero code."""
    shared = np.zeros(len(left), dtype=bool)
    for i in range(left.shape[1]):
        column = left[:, i]
        for j in range(right.shape[1]):
            shared |= (column == right[:, j]) & (column != 0)
    return shared


def _similarity(texts: list[str], left: IntArray, right: IntArray) -> npt.NDArray[np.float64]:
    if not len(left):
        return np.zeros(0)
    queries = [texts[i] for i in left]
    choices = [texts[i] for i in right]
    return np.asarray(process.cpdist(queries, choices, scorer=JaroWinkler.similarity, workers=1), dtype=np.float64)


def _graded(
    *,
    missing: npt.NDArray[np.bool_],
    exact: npt.NDArray[np.bool_],
    second: npt.NDArray[np.bool_],
    phonetic: npt.NDArray[np.bool_],
    texts: list[str],
    left: IntArray,
    right: IntArray,
) -> Levels:
    """exact 0, ``second`` 1, similar 2, phonetic 3, less similar 4, else 5 (MISSING when absent)."""
    result = np.full(len(left), 5, dtype=np.int8)
    open_rows = np.flatnonzero(~(missing | exact | second))
    similarity = _similarity(texts, left[open_rows], right[open_rows])
    graded = np.where(
        similarity >= HIGH_SIMILARITY,
        2,
        np.where(phonetic[open_rows], 3, np.where(similarity >= LOW_SIMILARITY, 4, 5)),
    )
    result[open_rows] = graded
    result[second & ~exact] = 1
    result[exact] = 0
    result[missing] = MISSING
    return result


def _straight_name_levels(table: _NameTable, a: IntArray, b: IntArray) -> Levels:
    """``compare_first`` and ``compare_last`` of pairs of name rows, as an (n, 2) array."""
    first_a, first_b = table.first[a], table.first[b]
    last_a, last_b = table.last[a], table.last[b]
    first = _graded(
        missing=(first_a == 0) | (first_b == 0),
        exact=first_a == first_b,
        second=_any_shared(table.canonical[a], table.canonical[b]),
        phonetic=table.first_phonetic[a] == table.first_phonetic[b],
        texts=table.first_text,
        left=a,
        right=b,
    )
    compound = (table.part_count[a] + table.part_count[b] > 2) & _any_shared(table.parts[a], table.parts[b])
    last = _graded(
        missing=(last_a == 0) | (last_b == 0),
        exact=last_a == last_b,
        second=compound,
        phonetic=table.last_phonetic[a] == table.last_phonetic[b],
        texts=table.last_text,
        left=a,
        right=b,
    )
    return np.stack([first, last], axis=1)


class Columns:
    """Prepared people as columns of codes, built once per run."""

    def __init__(self, people: Sequence[Prepared]) -> None:
        self.people = people
        strings = self._strings = _Interner()
        self._keys: tuple[IntArray, IntArray, IntArray] | None = None
        self._name_key_text = _Interner()
        names = _Interner()
        name_objects: dict[int, Name] = {}

        def name_code(name: Name) -> int:
            # Names are shared objects (``compare.name_of`` is memoised), so identity is a fine key.
            code = names.code(id(name))
            name_objects.setdefault(code, name)
            return code

        self.name = np.fromiter((name_code(p.names[0]) for p in people), dtype=np.int64, count=len(people))
        self.names = _NameTable([name_objects[code] for code in range(1, len(names.values))], strings)
        self.has_alias = np.fromiter((len(p.names) > 1 for p in people), dtype=bool, count=len(people))
        self.first = self.names.first[self.name]
        self.last = self.names.last[self.name]
        births = [p.dob for p in people]
        self.dob = np.fromiter((d.toordinal() if d else -1 for d in births), dtype=np.int64, count=len(people))
        self.year = np.fromiter((d.year if d else 0 for d in births), dtype=np.int64, count=len(people))
        self.month = np.fromiter((d.month if d else 0 for d in births), dtype=np.int64, count=len(people))
        self.day = np.fromiter((d.day if d else 0 for d in births), dtype=np.int64, count=len(people))
        self.transposed_dob = np.fromiter(
            ((t.toordinal() if (d and (t := n.transposed_date(d))) else -1) for d in births),
            dtype=np.int64,
            count=len(people),
        )
        places = _Interner()
        self.postcode = places.column(p.postcode for p in people)
        self.sector = places.column(p.sector for p in people)
        self.district = places.column(p.district for p in people)
        self.address = places.column(p.address for p in people)
        self.address_text: list[str] = [str(value) for value in places.values]
        self.house = places.column(p.house_number for p in people)
        contact = _Interner()
        self.gender = contact.column(p.gender for p in people)
        self.email = contact.column(p.email for p in people)
        self.phone = contact.column(p.phone for p in people)
        self.long_phone = np.fromiter((len(p.phone) >= 10 for p in people), dtype=bool, count=len(people))
        self.pnc = contact.column(p.pnc for p in people)
        self.nhs = contact.column(p.nhs for p in people)
        self.ni = contact.column(p.ni for p in people)

    def __len__(self) -> int:
        return len(self.people)

    def coincidence(self, column: IntArray) -> float:
        """Chance that two random people who both have a value share it: the sum of squared frequencies."""
        counts = np.bincount(column[column > 0])
        total = counts.sum()
        return float(((counts / total) ** 2).sum()) if total else 0.0

    def frequencies(self, names: IntArray) -> dict[str, float]:
        """The share of people (with a name) having each name, for a column of name codes."""
        counts = np.bincount(names[names > 0])
        total = counts.sum()
        texts = self._strings.values
        return {str(texts[code]): int(counts[code]) / total for code in np.flatnonzero(counts).tolist()}

    # Comparison ----------------------------------------------------------------------------

    def name_levels(self, left: IntArray, right: IntArray) -> Levels:
        pair_codes = self.name[left] * (len(self.names.names) + 1) + self.name[right]
        distinct, inverse = np.unique(pair_codes, return_inverse=True)
        a, b = np.divmod(distinct, len(self.names.names) + 1)
        straight = _straight_name_levels(self.names, a, b)
        # Given name and surname may be exchanged: compare.py decides those few name pairs itself.
        initial_first, initial_last = self.names.first_initial, self.names.last_initial
        maybe_swapped = np.flatnonzero(
            (straight[:, 0] > 1)
            & (straight[:, 1] > 1)
            & (
                (initial_first[a] == initial_last[b]) & (initial_first[a] != 0)
                | (initial_last[a] == initial_first[b]) & (initial_last[a] != 0)
            )
        )
        table = self.names.names
        for row, x, y in zip(maybe_swapped.tolist(), a[maybe_swapped].tolist(), b[maybe_swapped].tolist(), strict=True):
            straight[row] = _name_levels(table[x - 1], table[y - 1])
        result: Levels = straight[inverse.reshape(-1)]
        people = self.people
        for row in np.flatnonzero(self.has_alias[left] | self.has_alias[right]).tolist():
            result[row] = name_levels(people[left[row]], people[right[row]])
        return result

    def dob_levels(self, left: IntArray, right: IntArray) -> Levels:
        year_a, year_b = self.year[left], self.year[right]
        month_a, month_b = self.month[left], self.month[right]
        day_a, day_b = self.day[left], self.day[right]
        differing = (year_a != year_b).astype(np.int8) + (month_a != month_b) + (day_a != day_b)
        result = np.where(differing == 1, 2, 3).astype(np.int8)
        result[(year_a == year_b) & (day_a == month_b) & (month_a == day_b)] = 1
        result[self.dob[left] == self.dob[right]] = 0
        result[(self.dob[left] < 0) | (self.dob[right] < 0)] = MISSING
        return result

    def location_levels(self, left: IntArray, right: IntArray) -> Levels:
        postcode_a, postcode_b = self.postcode[left], self.postcode[right]
        sector_a, district_a = self.sector[left], self.district[left]
        result = np.full(len(left), 4, dtype=np.int8)
        result[(district_a != 0) & (district_a == self.district[right])] = 3
        result[(sector_a != 0) & (sector_a == self.sector[right])] = 2
        same_postcode = postcode_a == postcode_b
        address_a, address_b = self.address[left], self.address[right]
        same = (address_a == 0) | (address_b == 0) | (address_a == address_b)
        check = np.flatnonzero(same_postcode & ~same & (self.house[left] == self.house[right]))
        if len(check):
            texts = self.address_text
            ratio = process.cpdist(
                [texts[i] for i in address_a[check]],
                [texts[i] for i in address_b[check]],
                scorer=fuzz.token_sort_ratio,
                workers=1,
            )
            same[check] = np.asarray(ratio) >= 85
        result[same_postcode] = np.where(same[same_postcode], 0, 1)
        result[(postcode_a == 0) | (postcode_b == 0)] = MISSING
        return result

    def identifier_levels(self, left: IntArray, right: IntArray) -> Levels:
        shared = np.zeros(len(left), dtype=bool)
        both = np.zeros(len(left), dtype=bool)
        for column in (self.pnc, self.nhs, self.ni):
            a, b = column[left], column[right]
            present = (a != 0) & (b != 0)
            both |= present
            shared |= present & (a == b)
        return np.where(shared, 0, np.where(both, 1, MISSING)).astype(np.int8)

    @staticmethod
    def _agree(column: IntArray, left: IntArray, right: IntArray) -> Levels:
        a, b = column[left], column[right]
        return np.where((a == 0) | (b == 0), MISSING, np.where(a == b, 0, 1)).astype(np.int8)

    def levels(self, left: IntArray, right: IntArray) -> Levels:
        """The (n, len(FIELDS)) comparison levels of pairs (left[i], right[i]), as ``compare.levels``."""
        result = np.empty((len(left), len(FIELDS)), dtype=np.int8)
        if not len(left):
            return result
        result[:, [FIRST, LAST]] = self.name_levels(left, right)
        result[:, DOB] = self.dob_levels(left, right)
        result[:, LOCATION] = self.location_levels(left, right)
        result[:, GENDER] = self._agree(self.gender, left, right)
        result[:, EMAIL] = self._agree(self.email, left, right)
        result[:, PHONE] = self._agree(self.phone, left, right)
        result[:, IDENTIFIERS] = self.identifier_levels(left, right)
        return result

    # Blocking ------------------------------------------------------------------------------

    def _key_rows(self) -> tuple[IntArray, IntArray, IntArray]:
        """(key code, person, kind) for every blocking key of every person, as ``blocking.block_keys``."""
        if self._keys is not None:
            return self._keys
        keys = self._name_key_text = _Interner()
        people = np.arange(len(self), dtype=np.int64)
        by_name = [[keys.code(key) for key in blocking.name_keys(name)] for name in self.names.names]
        counts = np.array([0, *(len(codes) for codes in by_name)], dtype=np.int64)
        flat = np.array([code for codes in by_name for code in codes], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(counts)])[:-1] - counts[0]
        plain = np.flatnonzero(~self.has_alias)
        per_person = counts[self.name[plain]]
        owner_parts = [np.repeat(plain, per_person)]
        offsets = np.repeat(starts[self.name[plain]] - np.cumsum(per_person) + per_person, per_person)
        key_parts = [flat[offsets + np.arange(per_person.sum())]]
        for position in np.flatnonzero(self.has_alias).tolist():
            names = self.people[position].names
            codes = sorted({keys.code(key) for name in names for key in blocking.name_keys(name)})
            key_parts.append(np.array(codes, dtype=np.int64))
            owner_parts.append(np.full(len(codes), position, dtype=np.int64))
        name_key, owner = np.concatenate(key_parts), np.concatenate(owner_parts)
        offset = len(keys.values)
        parts_key, parts_owner, parts_kind = [name_key], [owner], [np.zeros(len(name_key), dtype=np.int64)]
        dob_codes = np.where(self.dob >= 0, self.dob + 1, 0)
        single = [
            (KIND_BIRTH, dob_codes, self.dob >= 0),
            (KIND_OTHER, self.postcode, self.sector != 0),
            (KIND_IDENTIFIER, self.pnc, self.pnc != 0),
            (KIND_IDENTIFIER + 1, self.nhs, self.nhs != 0),
            (KIND_IDENTIFIER + 2, self.ni, self.ni != 0),
            (KIND_OTHER + 1, self.email, self.email != 0),
            (KIND_OTHER + 2, self.phone, self.long_phone & (self.phone != 0)),
        ]
        for kind, column, present in single:
            chosen = np.flatnonzero(present)
            # Each kind has its own range of codes, so an email never meets a postcode.
            parts_key.append(offset + column[chosen] * KINDS + kind)
            parts_owner.append(people[chosen])
            parts_kind.append(np.full(len(chosen), kind, dtype=np.int64))
        self._keys = np.concatenate(parts_key), np.concatenate(parts_owner), np.concatenate(parts_kind)
        return self._keys

    def training_blocks(self) -> dict[str, list[int]]:
        """The name-pair, birth and identifier blocks, keyed with ``blocking``'s prefixes, for ``model.estimate``."""
        key, owner, kind = self._key_rows()
        texts = self._name_key_text.values
        name_pair = np.array([str(text).startswith(blocking.NAME_PAIR) for text in texts], dtype=bool)
        names = kind == KIND_NAME
        wanted = ~names
        wanted[names] = name_pair[key[names]]
        wanted &= ~np.isin(kind, (KIND_OTHER, KIND_OTHER + 1, KIND_OTHER + 2))
        key, owner, kind = key[wanted], owner[wanted], kind[wanted]
        order = np.lexsort((owner, key))
        key, owner, kind = key[order], owner[order], kind[order]
        prefix = {KIND_NAME: blocking.NAME_PAIR, KIND_BIRTH: blocking.BIRTH}
        blocks: dict[str, list[int]] = {}
        starts = np.concatenate([[0], np.flatnonzero(np.diff(key)) + 1])
        lengths = np.diff(np.concatenate([starts, [len(key)]]))
        members = owner.tolist()
        # Blocks of one person give no pair: leave them out.
        for start, length in zip(starts[lengths >= 2].tolist(), lengths[lengths >= 2].tolist(), strict=True):
            label = prefix.get(int(kind[start]), blocking.IDENTIFIER) + str(int(key[start]))
            blocks[label] = sorted(set(members[start : start + length]))
        return blocks

    def weights(self, model: "Model", left: IntArray, right: IntArray, levels: Levels) -> npt.NDArray[np.float64]:
        """``Model.weight_of`` of every pair, term frequencies and household corrections included."""
        table = np.zeros((len(FIELDS), max(len(row) for row in model.weights) + 1))
        for index, row in enumerate(model.weights):
            table[index, : len(row)] = row
        total = np.full(len(left), model.prior_weight)
        for index in range(len(FIELDS)):
            total += table[index, levels[:, index]]
        first_adjust, last_adjust = self._frequency_adjustments(model)
        first_a, last_a = self.first[left], self.last[left]
        first_agreed = (first_a != 0) & (first_a == self.first[right]) & (levels[:, FIRST] == 0)
        total[first_agreed] += first_adjust[first_a[first_agreed]]
        last_exact = levels[:, LAST] == 0
        last_agreed = last_exact & (last_a != 0) & (last_a == self.last[right])
        total[last_agreed] += last_adjust[last_a[last_agreed]]
        location_adjust, _same, phone_adjust = model.household_adjustment
        total[last_exact & ((levels[:, LOCATION] == 0) | (levels[:, LOCATION] == 1))] += location_adjust
        total[last_exact & (levels[:, PHONE] == 0)] += phone_adjust
        return total

    def _frequency_adjustments(self, model: "Model") -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        texts = self._strings.values
        result = []
        for index, frequencies in ((FIRST, model.first_name_frequency), (LAST, model.last_name_frequency)):
            column = np.zeros(len(texts))
            for code, text in enumerate(texts):
                frequency = frequencies.get(str(text)) if code else None
                if frequency is not None:
                    column[code] = math.log2(model.u[index][0] / max(frequency, SMALLEST_PROBABILITY))
            result.append(column)
        return result[0], result[1]

    def candidate_pairs(self, *, max_block: int) -> tuple[IntArray, IntArray]:
        """The pairs ``blocking.candidate_pairs`` yields, as two sorted arrays (left < right)."""
        key, owner, _kind = self._key_rows()
        pieces = [_pairs_in_groups(key, owner, size=len(self), max_block=max_block)]
        pieces.append(self._transposed_birth_pairs(max_block=max_block))
        codes = np.unique(np.concatenate(pieces))
        return np.divmod(codes, max(len(self), 1))

    def _transposed_birth_pairs(self, *, max_block: int) -> IntArray:
        order = np.argsort(self.dob, kind="stable")
        ordered = self.dob[order]
        seekers = np.flatnonzero(self.transposed_dob >= 0)
        target = self.transposed_dob[seekers]
        low = np.searchsorted(ordered, target, side="left")
        high = np.searchsorted(ordered, target, side="right")
        own = np.searchsorted(ordered, self.dob[seekers], side="right") - np.searchsorted(
            ordered, self.dob[seekers], side="left"
        )
        counts = high - low
        keep = (counts > 0) & (own * counts <= max_block * max_block)
        seekers, low, counts = seekers[keep], low[keep], counts[keep]
        if not len(seekers):
            return np.zeros(0, dtype=np.int64)
        starts = np.repeat(low - np.cumsum(counts) + counts, counts)
        partners = order[starts + np.arange(counts.sum())]
        mine = np.repeat(seekers, counts)
        return _codes(mine, partners, len(self))


KIND_NAME, KIND_BIRTH, KIND_IDENTIFIER, KIND_OTHER = 0, 1, 2, 5
KINDS = 8


def _codes(a: IntArray, b: IntArray, size: int) -> IntArray:
    low, high = np.minimum(a, b), np.maximum(a, b)
    return low * size + high


def _pairs_in_groups(key: IntArray, owner: IntArray, *, size: int, max_block: int) -> IntArray:
    """Every pair of owners sharing a key, for keys held by 2 to ``max_block`` owners, as pair codes."""
    order = np.lexsort((owner, key))
    key, owner = key[order], owner[order]
    # A person may hold the same key twice (an alias); keep one.
    distinct = np.ones(len(key), dtype=bool)
    distinct[1:] = (key[1:] != key[:-1]) | (owner[1:] != owner[:-1])
    key, owner = key[distinct], owner[distinct]
    boundaries = np.flatnonzero(np.diff(key)) + 1
    starts = np.concatenate([[0], boundaries])
    lengths = np.diff(np.concatenate([starts, [len(key)]]))
    chosen = (lengths >= 2) & (lengths <= max_block)
    pieces = [np.zeros(0, dtype=np.int64)]
    for length in np.unique(lengths[chosen]):
        group_starts = starts[chosen & (lengths == length)]
        members = owner[group_starts[:, None] + np.arange(length)]
        i, j = np.triu_indices(int(length), k=1)
        pieces.append((members[:, i] * size + members[:, j]).reshape(-1))
    return np.concatenate(pieces)
