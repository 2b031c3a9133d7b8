"""Field comparison levels for a pair of people.

Each field is compared into a small number of ordered levels, most to least agreeing. The
level index is what the Fellegi-Sunter model in ``model.py`` weighs; ``MISSING`` means one
side has no value and the field is left out of the score.
"""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler
from rapidfuzz.fuzz import token_sort_ratio

from casebridge.matching import normalise as n

MISSING = -1

FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "date_of_birth",
    "location",
    "gender",
    "email",
    "phone",
    "identifiers",
)
FIRST, LAST, DOB, LOCATION, GENDER, EMAIL, PHONE, IDENTIFIERS = range(len(FIELDS))

LEVELS: tuple[tuple[str, ...], ...] = (
    ("exact", "nickname", "jaro_winkler_0.92", "phonetic", "jaro_winkler_0.85", "disagree"),
    ("exact", "part_of_compound", "jaro_winkler_0.92", "phonetic", "jaro_winkler_0.85", "disagree"),
    ("exact", "day_month_transposed", "one_part_differs", "disagree"),
    ("same_address", "same_postcode", "same_sector", "same_district", "disagree"),
    ("agree", "disagree"),
    ("agree", "disagree"),
    ("agree", "disagree"),
    ("shared", "conflict"),
)

HIGH_SIMILARITY = 0.92
LOW_SIMILARITY = 0.85


@dataclass(slots=True, eq=False)
class Name:
    """One way of writing a person's name, normalised for comparison."""

    first: str
    last: str
    first_canonical: frozenset[str]
    first_phonetic: str
    last_parts: tuple[str, ...]
    last_phonetic: str


@lru_cache(maxsize=200_000)
def name_of(first_name: str, last_name: str) -> Name:
    """The normalised name, shared between records that write it the same way: never mutate it."""
    return Name(
        first=n.name_key(first_name),
        last=n.name_key(last_name),
        first_canonical=n.canonical_given_names(first_name),
        first_phonetic=n.phonetic_key(first_name),
        last_parts=n.name_parts(last_name),
        last_phonetic=n.phonetic_key(last_name),
    )


@dataclass(slots=True, eq=False)
class Prepared:
    """A person's fields normalised once, so each pair comparison is cheap."""

    id: str
    names: tuple[Name, ...]
    dob: dt.date | None
    gender: str
    postcode: str
    sector: str
    district: str
    address: str
    house_number: str
    email: str
    phone: str
    pnc: str
    nhs: str
    ni: str
    has_identifier: bool = False

    def __post_init__(self) -> None:
        self.has_identifier = bool(self.pnc or self.nhs or self.ni)


def _spelling_level(a: str, b: str) -> int:
    """Levels 2 to 5 of a name comparison: how close two different spellings are."""
    similarity = JaroWinkler.similarity(a, b)
    if similarity >= HIGH_SIMILARITY:
        return 2
    if n.phonetic_key(a) == n.phonetic_key(b):
        return 3
    if similarity >= LOW_SIMILARITY:
        return 4
    return 5


def compare_first(a: str, b: str, a_canonical: frozenset[str], b_canonical: frozenset[str]) -> int:
    if not a or not b:
        return MISSING
    if a == b:
        return 0
    if not a_canonical.isdisjoint(b_canonical):
        return 1
    return _spelling_level(a, b)


def compare_last(a: str, b: str, a_parts: tuple[str, ...], b_parts: tuple[str, ...]) -> int:
    if not a or not b:
        return MISSING
    if a == b:
        return 0
    if len(a_parts) + len(b_parts) > 2 and not set(a_parts).isdisjoint(b_parts):
        return 1
    return _spelling_level(a, b)


@lru_cache(maxsize=1_000_000)
def _name_levels(a: Name, b: Name) -> tuple[int, int]:
    # Cached: common names meet each other again and again in a large set of people.
    straight = (
        compare_first(a.first, b.first, a.first_canonical, b.first_canonical),
        compare_last(a.last, b.last, a.last_parts, b.last_parts),
    )
    if straight[0] <= 1 or straight[1] <= 1:
        return straight
    if not (a.first and a.last and b.first and b.last) or (a.first[0] != b.last[0] and a.last[0] != b.first[0]):
        return straight
    # Given name and surname exchanged on one side; both directions keep the result symmetric.
    a_swapped = (
        compare_first(a.last, b.first, n.canonical_given_names(a.last), b.first_canonical),
        compare_last(a.first, b.last, (a.first,), b.last_parts),
    )
    b_swapped = (
        compare_first(a.first, b.last, a.first_canonical, n.canonical_given_names(b.last)),
        compare_last(a.last, b.first, a.last_parts, (b.first,)),
    )
    return min((straight, a_swapped, b_swapped), key=_name_rank)


def _name_rank(levels: tuple[int, int]) -> tuple[int, int, int]:
    first, last = levels
    # Missing counts as the weakest agreement so a swap never wins by hiding a field.
    first_rank = 6 if first == MISSING else first
    last_rank = 6 if last == MISSING else last
    return first_rank + last_rank, first_rank, last_rank


def name_levels(a: Prepared, b: Prepared) -> tuple[int, int]:
    """The best agreement between any of a's names and any of b's (aliases included)."""
    if len(a.names) == 1 and len(b.names) == 1:
        return _name_levels(a.names[0], b.names[0])
    return min((_name_levels(x, y) for x in a.names for y in b.names), key=_name_rank)


def compare_dob(a: dt.date | None, b: dt.date | None) -> int:
    if a is None or b is None:
        return MISSING
    if a == b:
        return 0
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return 1
    differing = (a.year != b.year) + (a.month != b.month) + (a.day != b.day)
    return 2 if differing == 1 else 3


def same_address(a: Prepared, b: Prepared) -> bool:
    if not a.address or not b.address:
        return True
    if a.address == b.address:
        return True
    return a.house_number == b.house_number and token_sort_ratio(a.address, b.address) >= 85


def compare_location(a: Prepared, b: Prepared) -> int:
    if not a.postcode or not b.postcode:
        return MISSING
    if a.postcode == b.postcode:
        return 0 if same_address(a, b) else 1
    if a.sector and a.sector == b.sector:
        return 2
    if a.district and a.district == b.district:
        return 3
    return 4


def compare_identifiers(a: Prepared, b: Prepared) -> int:
    if not (a.has_identifier and b.has_identifier):
        return MISSING
    both = False
    for left, right in ((a.pnc, b.pnc), (a.nhs, b.nhs), (a.ni, b.ni)):
        if left and right:
            if left == right:
                return 0
            both = True
    return 1 if both else MISSING


def shares_identifier(a: Prepared, b: Prepared) -> bool:
    return compare_identifiers(a, b) == 0


def levels(a: Prepared, b: Prepared) -> tuple[int, ...]:
    """The comparison level of every field in FIELDS, in order."""
    if len(a.names) == 1 and len(b.names) == 1:
        first, last = _name_levels(a.names[0], b.names[0])
    else:
        first, last = name_levels(a, b)
    a_dob, b_dob = a.dob, b.dob
    return (
        first,
        last,
        MISSING if a_dob is None or b_dob is None else 0 if a_dob == b_dob else compare_dob(a_dob, b_dob),
        compare_location(a, b),
        MISSING if not a.gender or not b.gender else 0 if a.gender == b.gender else 1,
        MISSING if not a.email or not b.email else 0 if a.email == b.email else 1,
        MISSING if not a.phone or not b.phone else 0 if a.phone == b.phone else 1,
        compare_identifiers(a, b) if a.has_identifier and b.has_identifier else MISSING,
    )
