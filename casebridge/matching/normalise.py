"""Normalisation of the fields a person is matched on.

Every function is pure and cheap; the hot ones are memoised because the same names and
postcodes recur many times in a large set of people.
"""

import datetime as dt
import re
import unicodedata
from functools import lru_cache

import jellyfish

from casebridge.matching.nicknames import NICKNAMES

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_NON_ALNUM_KEEP_HYPHEN = re.compile(r"[^a-z0-9\- ]+")
_NON_DIGIT = re.compile(r"[^0-9]+")
_NON_ALNUM_UPPER = re.compile(r"[^A-Z0-9]+")
# Outward code (A9, A99, A9A, AA9, AA99, AA9A) then inward code (9AA).
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case, strip accents and apostrophes, turn other punctuation into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    # O'Brien and D'Arcy are written with and without the apostrophe: join the parts.
    stripped = stripped.replace("'", "").replace("\u2019", "").replace("`", "")
    return " ".join(_NON_ALNUM_KEEP_HYPHEN.sub(" ", stripped).replace("-", " - ").split()).replace(" - ", "-")


@lru_cache(maxsize=200_000)
def name_key(text: str) -> str:
    """A name reduced to letters and digits only: "Smith-Jones" and "smith jones" are equal."""
    return _NON_ALNUM.sub("", fold(text))


@lru_cache(maxsize=200_000)
def name_parts(text: str) -> tuple[str, ...]:
    """The parts of a hyphenated, double-barrelled or multi-word name, each usable alone."""
    return tuple(part for part in _NON_ALNUM.split(fold(text)) if part)


@lru_cache(maxsize=50_000)
def canonical_given_names(text: str) -> frozenset[str]:
    """The canonical given names a written first name can stand for (itself included).

    "Bob" gives {"bob", "robert"}; "Jon" gives {"jon", "jonathan", "john"}. Only the first
    part of a compound first name is used ("Mary-Jane" is compared as "mary").
    """
    parts = name_parts(text)
    if not parts:
        return frozenset()
    first = parts[0]
    return frozenset((first, *NICKNAMES.get(first, ())))


def given_names_agree_as_nicknames(left: str, right: str) -> bool:
    """True when one name is a known short form of the other or both shorten the same name."""
    return not canonical_given_names(left).isdisjoint(canonical_given_names(right))


@lru_cache(maxsize=200_000)
def phonetic_key(text: str) -> str:
    """Metaphone of the folded name: "Smith" and "Smyth" share "SM0"."""
    key = name_key(text)
    return jellyfish.metaphone(key) if key else ""


@lru_cache(maxsize=200_000)
def nysiis_key(text: str) -> str:
    key = name_key(text)
    return jellyfish.nysiis(key) if key else ""


@lru_cache(maxsize=200_000)
def soundex_key(text: str) -> str:
    key = name_key(text)
    return jellyfish.soundex(key) if key else ""


def swapped(first_name: str, last_name: str) -> tuple[str, str]:
    """The same name with given name and surname exchanged, as often happens on forms."""
    return last_name, first_name


def transposed_date(value: dt.date) -> dt.date | None:
    """The date with day and month exchanged (4/3 read as 3/4), when that is a different valid date."""
    if value.day == value.month or value.day > 12:
        return None
    return value.replace(day=value.month, month=value.day)


def dates_transposed(left: dt.date, right: dt.date) -> bool:
    return left.year == right.year and left.day == right.month and left.month == right.day and left != right


@lru_cache(maxsize=200_000)
def normalise_postcode(text: str) -> str:
    """Upper case with one space before the inward code: " gu15  3hd" gives "GU15 3HD".

    Text that is not a UK postcode is returned compacted and upper-cased, so it can still be
    compared for equality.
    """
    compact = text.replace(" ", "").upper()
    if not (compact.isalnum() and compact.isascii()):
        compact = _NON_ALNUM_UPPER.sub("", compact)
    match = _POSTCODE.match(compact)
    if not match:
        return compact
    return f"{match.group(1)} {match.group(2)}"


def postcode_sector(postcode: str) -> str:
    """The outward code and first digit of the inward code ("GU15 3"), or "" when not a postcode."""
    outward, _, inward = postcode.partition(" ")
    return f"{outward} {inward[0]}" if inward else ""


def postcode_district(postcode: str) -> str:
    """The outward code ("GU15"), or "" when not a postcode."""
    outward, _, inward = postcode.partition(" ")
    return outward if inward else ""


def normalise_phone(text: str) -> str:
    """Digits only, with a UK +44 or 0044 prefix rewritten to the leading 0."""
    digits = text.replace(" ", "")
    if not digits.isdigit():
        digits = _NON_DIGIT.sub("", text)
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and len(digits) == 12:
        digits = "0" + digits[2:]
    return digits


def normalise_email(text: str) -> str:
    return text.strip().casefold()


def normalise_identifier(text: str) -> str:
    """PNC, NHS and NI numbers compared without spaces, slashes or case: "12/345678a" is "12345678A"."""
    compact = text.replace(" ", "").upper()
    return compact if compact.isalnum() and compact.isascii() else _NON_ALNUM_UPPER.sub("", compact)


@lru_cache(maxsize=200_000)
def normalise_address(text: str) -> str:
    return " ".join(_NON_ALNUM.split(fold(text))).strip()
