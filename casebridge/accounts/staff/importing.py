"""Reading a user onboarding CSV and reporting on it; the import itself is ``users_import``."""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from casebridge.lib.spreadsheets import csv_text

COLUMNS = ("email", "first_name", "last_name", "organisation", "team", "partnership", "role")
REQUIRED_COLUMNS = ("email", "first_name", "last_name", "organisation", "role")
MAX_BYTES = 2 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read: not a CSV, too large, or missing columns."""


@dataclass(frozen=True)
class ImportRow:
    number: int  # the row number a spreadsheet would show: the header is row 1
    values: dict[str, str]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    teams_created: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    created_user_ids: list[int] = field(default_factory=list)

    @property
    def rows_with_errors(self) -> int:
        return len({error.row for error in self.errors})

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "teams_created": self.teams_created,
            "dry_run": self.dry_run,
            "errors": [[e.row, e.column, e.value, e.reason] for e in self.errors],
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> "ImportReport":
        errors = data.get("errors") or []
        assert isinstance(errors, list)
        return cls(
            total=int(str(data.get("total", 0))),
            created=int(str(data.get("created", 0))),
            updated=int(str(data.get("updated", 0))),
            unchanged=int(str(data.get("unchanged", 0))),
            teams_created=int(str(data.get("teams_created", 0))),
            dry_run=bool(data.get("dry_run")),
            errors=[RowError(int(r), str(c), str(v), str(why)) for r, c, v, why in errors],
        )


def rows_from_csv(data: bytes) -> list[ImportRow]:
    """Parses the file into rows keyed by column name; raises ImportFileError with a plain reason."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The selected file must be smaller than 2 MB."))
    if b"\x00" in data:
        raise ImportFileError(_("The selected file must be a CSV file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(_("The selected file must be a CSV file saved as UTF-8.")) from error
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = [(reader.line_num, record) for record in reader]
    except csv.Error as error:
        raise ImportFileError(
            _("The file could not be read as CSV near line %(line)s: %(reason)s")
            % {"line": reader.line_num, "reason": error}
        ) from error
    if not records:
        raise ImportFileError(_("The selected file is empty."))
    header = [name.strip().lower() for name in records[0][1]]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportFileError(
            _("The file is missing the columns: %(columns)s. The first row must name the columns.")
            % {"columns": ", ".join(missing)}
        )
    rows = []
    for index, (_line, record) in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            raise ImportFileError(_("Row %(row)s has more cells than the header has columns.") % {"row": index})
        values = {name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header)}
        rows.append(ImportRow(number=index, values={k: v for k, v in values.items() if k in COLUMNS}))
    return rows


def errors_csv(report: ImportReport) -> str:
    rows = ([error.row, error.column, error.value, error.reason] for error in report.errors)
    return csv_text(["row", "column", "value", "reason"], rows)
