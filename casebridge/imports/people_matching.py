"""Recognising the same person across rows and against the profiles already held.

In order, a person described by a row is:

1. the person with the same legacy id (imported before, or earlier in this file);
2. the person holding the same PNC, NHS or National Insurance number;
3. the person with the same normalised first name, last name and date of birth;
4. with the matching engine (``casebridge.matching``), an existing person scored at least
   ``LINK_PROBABILITY`` (or "certain"): linked; an existing person scored "likely" or
   "possible" but below that: a new profile is created and the pair is queued for review
   in the duplicates queue;
5. otherwise a new profile.

Steps 1 to 3 also recognise people created earlier in the same import, so the same person
on many rows becomes one profile. Step 4 compares only with people held before this import.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from types import EllipsisType
from typing import Any

from casebridge.matching import normalise as n
from casebridge.matching.engine import Band, Index, PersonRecord
from casebridge.matching.selectors import person_records
from casebridge.organisations.models import Partnership
from casebridge.people.models import Person, PersonIdentifier

# Normalised first name, last name and ISO date of birth.
NameKey = tuple[str, str, str]
# A fuzzy match is linked without review only at or above this probability.
LINK_PROBABILITY = 0.99
IDENTIFIER_FIELDS = {"pnc": "pnc_id", "nhs": "nhs_number", "ni": "ni_number"}
# Runs a database read for a plan: at once, or in the thread that writes the import (``ahead``).
Reader = Callable[[Callable[[], Any]], Any]


def read_now(query: Callable[[], Any]) -> Any:
    return query()


@dataclass(eq=False, slots=True)
class PersonRef:
    """A person the import knows: held before (``pk`` set) or to be created (``pk`` set when written)."""

    pk: int | None = None
    public_id: str = ""
    legacy_id: str = ""
    created_here: bool = False
    first_row: int = 0
    identifiers: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class Resolution:
    ref: PersonRef | None
    how: str  # "legacy_id", "identifier", "name_and_date_of_birth", "fuzzy", or "" when not found
    review: list[tuple[int, float, str]] = field(default_factory=list)  # (existing pk, probability, band)


def name_dob_key(first_name: str, last_name: str, date_of_birth: dt.date | None) -> NameKey | None:
    if date_of_birth is None or not first_name or not last_name:
        return None
    return (n.name_key(first_name), n.name_key(last_name), date_of_birth.isoformat())


class PeopleMatcher:
    """The partnership's people held in memory by legacy id, identifier and name with date of birth."""

    def __init__(self, *, partnership: Partnership, job_id: int) -> None:
        self.partnership = partnership
        self.job_id = job_id
        self.by_legacy: dict[str, PersonRef] = {}
        self.by_identifier: dict[tuple[str, str], PersonRef] = {}
        self.by_name_dob: dict[NameKey, PersonRef] = {}
        self.by_pk: dict[int, PersonRef] = {}
        self._index: Index | None = None
        self._index_built = False
        self.read: Reader = read_now
        rows = Person.objects.filter(partnership=partnership).values_list(
            "pk", "public_id", "legacy_id", "first_name", "last_name", "date_of_birth", "import_job_id"
        )
        for pk, public_id, legacy_id, first, last, dob, import_job_id in rows.iterator(chunk_size=5000):
            ref = PersonRef(pk=pk, public_id=str(public_id), legacy_id=legacy_id, created_here=import_job_id == job_id)
            self.by_pk[pk] = ref
            if legacy_id:
                self.by_legacy.setdefault(legacy_id, ref)
            key = name_dob_key(first, last, dob)
            if key:
                self.by_name_dob.setdefault(key, ref)
        identifiers = PersonIdentifier.objects.filter(partnership=partnership).values_list("person_id", "kind", "value")
        for person_id, kind, value in identifiers.iterator(chunk_size=5000):
            ref = self.by_pk[person_id]
            ref.identifiers.add((kind, value))
            self.by_identifier[(kind, n.normalise_identifier(value))] = ref

    def resolve(
        self,
        *,
        legacy_id: str,
        first_name: str,
        last_name: str,
        date_of_birth: dt.date | None,
        identifiers: dict[str, str],
        record: PersonRecord | None,
        key: NameKey | EllipsisType | None = ...,
    ) -> Resolution:
        """The person a row describes, and how they were found; ``key`` is ``name_dob_key`` of the
        names and date of birth when the caller has it already."""
        if legacy_id and legacy_id in self.by_legacy:
            return Resolution(self.by_legacy[legacy_id], "legacy_id")
        for kind, value in identifiers.items():
            found = self.by_identifier.get((kind, n.normalise_identifier(value)))
            if found is not None:
                return Resolution(found, "identifier")
        if key is ...:
            key = name_dob_key(first_name, last_name, date_of_birth)
        if key and key in self.by_name_dob:
            return Resolution(self.by_name_dob[key], "name_and_date_of_birth")
        if record is None:
            return Resolution(None, "")
        index = self._fuzzy_index()
        if index is None:
            return Resolution(None, "")
        review: list[tuple[int, float, str]] = []
        for match in index.matches_for(record, limit=3):
            existing = self.by_pk.get(int(match.right_id))
            if existing is None:
                continue
            if match.band == Band.CERTAIN or match.probability >= LINK_PROBABILITY:
                return Resolution(existing, "fuzzy")
            if match.band is not None:
                review.append((int(match.right_id), match.probability, str(match.band)))
        return Resolution(None, "", review)

    def fuzzy_available(self) -> bool:
        """Whether there are people held before this import to compare with (builds the index once)."""
        return (self._index if self._index_built else self._fuzzy_index()) is not None

    def remember(
        self,
        ref: PersonRef,
        *,
        first_name: str,
        last_name: str,
        date_of_birth: dt.date | None,
        key: NameKey | EllipsisType | None = ...,
    ) -> None:
        """Make a person (new, or newly given a legacy id or identifier) findable by later rows."""
        if ref.legacy_id:
            self.by_legacy.setdefault(ref.legacy_id, ref)
        for kind, value in ref.identifiers:
            self.by_identifier.setdefault((kind, n.normalise_identifier(value)), ref)
        if key is ...:
            key = name_dob_key(first_name, last_name, date_of_birth)
        if key:
            self.by_name_dob.setdefault(key, ref)

    def alias_legacy_id(self, legacy_id: str, ref: PersonRef) -> None:
        if legacy_id:
            self.by_legacy.setdefault(legacy_id, ref)

    def _fuzzy_index(self) -> Index | None:
        """The engine's index of the people held before this import, built on first use."""
        if not self._index_built:
            self._index_built = True
            held = [
                record
                for record in self.read(lambda: person_records(partnership=self.partnership))
                if not self.by_pk.get(int(record.id), PersonRef(created_here=True)).created_here
            ]
            if len(held) >= 2:
                self._index = Index(held)
        return self._index
