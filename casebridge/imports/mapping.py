"""Column mapping (which column of the file is which template field) and value mapping.

``suggest_columns`` proposes a field for each header from its normalised name and known
synonyms ("Surname", "Last name" and "LAST_NAME" all give ``last_name``). The person may
then change any of it; the result is stored on the job as ``column_mapping``.

Value mapping turns what a file says ("Y", "Closed - resolved", "Anti-social behaviour
victim") into what Casebridge stores. Built-in spellings are understood without mapping
(see ``BUILTIN_VALUES`` and ``BOOL_VALUES``); anything else found by ``distinct_values``
is mapped by the person and stored on the job as ``value_mapping``.
"""

import re
from collections import Counter
from functools import lru_cache
from typing import Any

from casebridge.imports.reading import Table
from casebridge.imports.templates import PERSON_GROUP, ImportTemplate

_NON_ALNUM = re.compile(r"[^a-z0-9]+")

SYNONYMS: dict[str, tuple[str, ...]] = {
    "legacy_id": ("id", "person id", "client id", "old id", "reference", "ref", "person ref", "record id", "urn"),
    "first_name": ("forename", "forenames", "given name", "first", "firstname", "christian name"),
    "last_name": ("surname", "family name", "last", "lastname"),
    "aliases": ("alias", "aka", "also known as", "other names", "known as"),
    "date_of_birth": ("dob", "birth date", "date of birth", "birthdate", "born"),
    "gender": ("sex",),
    "address_line_1": ("address", "address 1", "street", "address line1", "house", "street address"),
    "address_line_2": ("address 2", "address line2", "locality"),
    "town": ("city", "town city", "post town"),
    "postcode": ("post code", "postal code", "zip", "zip code"),
    "phone": ("telephone", "tel", "mobile", "phone number", "contact number"),
    "email": ("email address", "e mail", "mail"),
    "pnc_id": ("pnc", "pnc number", "pnc no", "pnc ref"),
    "nhs_number": ("nhs", "nhs no"),
    "ni_number": ("ni", "nino", "national insurance", "national insurance number", "ni no"),
    "legacy_ref": ("case id", "case ref", "case reference", "case number", "reference", "ref", "old reference"),
    "case_type": ("type", "case category", "category of case"),
    "status": ("case status", "state"),
    "opened_on": ("opened", "date opened", "open date", "start date", "created", "date created"),
    "closed_on": ("closed", "date closed", "close date", "end date"),
    "closure_reason": ("reason closed", "close reason", "closing reason", "outcome"),
    "lead_organisation": ("lead agency", "agency", "organisation", "lead org", "owner organisation"),
    "lead_officer_email": ("officer", "officer email", "lead officer", "case officer", "owner", "caseworker"),
    "risk_level": ("risk", "risk rating", "risk band"),
    "summary": ("description", "details", "notes", "case summary"),
    "case_legacy_ref": ("case", "case id", "case ref", "case reference", "case number"),
    "occurred_at": ("date", "incident date", "date of incident", "occurred", "date time", "when"),
    "reported_on": ("reported", "date reported", "report date"),
    "category": ("incident type", "type", "incident category"),
    "location": ("place", "address", "where"),
    "description": ("details", "notes", "what happened", "incident description"),
    "hate_flag": ("hate", "hate crime", "hate incident", "is hate"),
    "police_reference": ("police ref", "crime number", "crime reference", "cad", "police number"),
}

BOOL_VALUES: dict[str, bool] = {
    **dict.fromkeys(("y", "yes", "true", "t", "1", "x", "on", "ticked"), True),
    **dict.fromkeys(("n", "no", "false", "f", "0", "off", "none", ""), False),
}

# Spellings understood without any mapping, per template field (keys normalised with ``norm``).
BUILTIN_VALUES: dict[str, dict[str, str]] = {
    "status": {
        "open": "open",
        "live": "open",
        "active": "open",
        "new": "open",
        "under review": "under_review",
        "review": "under_review",
        "in review": "under_review",
        "closed": "closed",
        "close": "closed",
        "complete": "closed",
        "completed": "closed",
        "finished": "closed",
    },
    "risk_level": {
        "standard": "standard",
        "low": "standard",
        "s": "standard",
        "l": "standard",
        "medium": "medium",
        "med": "medium",
        "m": "medium",
        "high": "high",
        "h": "high",
        "very high": "high",
    },
    "gender": {
        "f": "female",
        "female": "female",
        "woman": "female",
        "girl": "female",
        "m": "male",
        "male": "male",
        "man": "male",
        "boy": "male",
        "other": "other",
        "non binary": "other",
        "nonbinary": "other",
        "u": "unknown",
        "unknown": "unknown",
        "not known": "unknown",
        "not stated": "unknown",
        "prefer not to say": "unknown",
    },
    "role": {
        "victim": "victim",
        "v": "victim",
        "perpetrator": "perpetrator",
        "alleged perpetrator": "perpetrator",
        "perp": "perpetrator",
        "p": "perpetrator",
        "suspect": "perpetrator",
        "offender": "perpetrator",
        "witness": "witness",
        "w": "witness",
        "complainant": "complainant",
        "c": "complainant",
        "reporter": "complainant",
        "family member": "family_member",
        "family": "family_member",
        "associate": "associate",
        "professional": "professional",
    },
    "closure_reason": {
        "resolved": "resolved",
        "no further action": "no_further_action",
        "nfa": "no_further_action",
        "transferred": "transferred",
        "disengaged": "disengaged",
        "moved away": "disengaged",
        "duplicate": "duplicate",
        "opened in error": "duplicate",
    },
}


@lru_cache(maxsize=50_000)
def norm(text: str) -> str:
    """Lower case, punctuation and underscores as single spaces: "LAST_NAME" gives "last name"."""
    return " ".join(_NON_ALNUM.split(text.casefold())).strip()


def suggest_columns(template: ImportTemplate, headers: list[str]) -> dict[str, str | None]:
    """{header: template field or None}: exact names first, then synonyms; each field used once."""
    by_name: dict[str, str] = {}
    for field in template.fields:
        by_name[norm(field.name)] = field.name
        by_name[norm(str(field.label))] = field.name
    synonyms: dict[str, str] = {}
    for field_name, words in SYNONYMS.items():
        if template.get(field_name) is not None:
            for word in words:
                synonyms.setdefault(norm(word), field_name)
    suggested: dict[str, str | None] = {}
    used: set[str] = set()
    # Exact matches first, so that a synonym never takes a field a later column names exactly.
    for header in headers:
        key = norm(header)
        numbered = PERSON_GROUP.match(key.replace(" ", "_")) if template.name == "cases" else None
        exact = by_name.get(key) or (numbered.group(0) if numbered else None)
        if exact and exact not in used:
            suggested[header] = exact
            used.add(exact)
    for header in headers:
        if header in suggested:
            continue
        candidate = synonyms.get(norm(header))
        if candidate and candidate not in used:
            suggested[header] = candidate
            used.add(candidate)
        else:
            suggested[header] = None
    return {header: suggested[header] for header in headers}


def distinct_values(table: Table, column: str, limit: int = 50) -> list[tuple[str, int]]:
    """The commonest values of a column and how many rows have each, most frequent first."""
    position = table.headers.index(column)
    counts: Counter[str] = Counter(row[position] for row in table.rows if row[position] is not None)  # type: ignore[misc]
    return counts.most_common(limit)


def fields_needing_values(template: ImportTemplate, columns: dict[str, str | None]) -> list[str]:
    """Mapped fields whose values may need mapping: choices, yes/no, and the partnership's lookups."""
    kinds = {"choice", "bool", "case_type", "organisation", "category"}
    found = []
    for header, field_name in columns.items():
        field = template.get(field_name) if field_name else None
        if field is not None and field.kind in kinds:
            found.append(header)
    return found


def mapped_value(field_name: str, value: str, value_mapping: dict[str, Any]) -> str:
    """The value after the person's mapping for the field (numbered person roles share "role")."""
    base = _base_field(field_name)
    chosen = value_mapping.get(field_name) or value_mapping.get(base) or {}
    if value in chosen:
        return str(chosen[value])
    return value


def builtin_value(field_name: str, value: str) -> str | None:
    return BUILTIN_VALUES.get(_base_field(field_name), {}).get(norm(value))


@lru_cache(maxsize=1_000)
def _base_field(field_name: str) -> str:
    match = PERSON_GROUP.match(field_name)
    return match.group(2) if match else field_name
