"""The whole-partnership duplicate run shared by ``find_duplicates`` and the nightly task."""

from typing import TextIO

from casebridge.lib.spreadsheets import csv_lines
from casebridge.matching.engine import Match, find_candidate_pairs
from casebridge.matching.selectors import not_same_pairs, person_records
from casebridge.organisations.models import Partnership
from casebridge.people.models import Person

CSV_COLUMNS = ("person_a", "person_b", "score", "band")


def partnership_pairs(partnership: Partnership) -> list[Match]:
    """Every candidate pair among the partnership's people, minus pairs said to be different."""
    records = person_records(partnership=partnership)
    if len(records) < 2:
        return []
    matches = find_candidate_pairs(records)
    refused = not_same_pairs(partnership=partnership)
    if not refused:
        return matches
    public = {
        str(pk): str(public_id)
        for pk, public_id in Person.objects.filter(partnership=partnership).values_list("pk", "public_id")
    }
    return [match for match in matches if tuple(sorted((public[match.left_id], public[match.right_id]))) not in refused]


def write_csv(out: TextIO, partnership: Partnership, matches: list[Match], *, header: bool = True) -> None:
    """One row per pair; each person named by its legacy id when it has one, else its public id.

    Legacy ids come from imported spreadsheets, so every cell is neutralised like any export's.
    """
    label = person_labels(partnership)
    rows = ([label[match.left_id], label[match.right_id], f"{match.probability:.4f}", match.band] for match in matches)
    out.writelines(csv_lines(CSV_COLUMNS if header else None, rows))


def person_labels(partnership: Partnership) -> dict[str, str]:
    rows = Person.objects.filter(partnership=partnership).values_list("pk", "public_id", "legacy_id")
    return {str(pk): legacy_id or str(public_id) for pk, public_id, legacy_id in rows}
