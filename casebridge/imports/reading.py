"""Reading a spreadsheet (CSV or Excel) into a header row and rows of text, refusing bad files.

The type is decided by the content, never by the file name. Excel workbooks are read with
python-calamine, which returns the value a formula had when the file was last saved (never
evaluating it); before opening one, the sizes in its zip directory are checked so that a
small file that would expand enormously is refused unread. CSV text is decoded as UTF-8
(with or without a byte order mark) or, failing that, Windows-1252 ("ANSI" in Excel).

Every refusal is a ``SpreadsheetError`` whose message says in plain words what is wrong.
"""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

# Largest file accepted, as uploaded.
MAX_FILE_BYTES = 50 * 1024 * 1024
# Largest total size of the parts of an Excel workbook once unzipped.
MAX_EXPANDED_BYTES = 500 * 1024 * 1024
# A part bigger than EXPANSION_CHECK_FROM may be at most this many times its compressed size.
MAX_EXPANSION_RATIO = 100
EXPANSION_CHECK_FROM = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
NOT_TEXT_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf", b"BZh")
FIRST_DATA_ROW = 2


class SpreadsheetError(Exception):
    """The file as a whole cannot be imported; ``message`` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """One sheet: its headers and its rows, each a list of text or None, as long as the headers.

    ``rows`` can be iterated more than once; ``rows_with_numbers()`` pairs each row with the
    number a spreadsheet shows for it (the header is row 1). Rows with no value are skipped.
    """

    kind: str  # "csv" or "excel"
    sheet_names: list[str]
    sheet: str
    headers: list[str]
    encoding: str = ""
    _source: Any = field(default=None, repr=False)

    @property
    def rows(self) -> Iterator[list[str | None]]:
        return (row for _number, row in self.rows_with_numbers())

    def rows_with_numbers(self) -> Iterator[tuple[int, list[str | None]]]:
        width = len(self.headers)
        raw = self._raw_rows()
        next(raw, None)  # the header row
        text_only = self.kind == "csv"
        for number, cells in enumerate(raw, start=FIRST_DATA_ROW):
            if text_only:
                row = [cell.strip() or None for cell in cells[:width]]
            else:
                row = [(cell.strip() or None) if type(cell) is str else _text(cell) for cell in cells[:width]]
            if len(row) < width:
                row.extend([None] * (width - len(row)))
            if row.count(None) < width:
                yield number, row

    def row_numbers(self) -> Iterator[int]:
        """The numbers of the rows ``rows_with_numbers`` gives, without building the rows."""
        width = len(self.headers)
        raw = self._raw_rows()
        next(raw, None)  # the header row
        text_only = self.kind == "csv"
        for number, cells in enumerate(raw, start=FIRST_DATA_ROW):
            if text_only:
                # Some cell has more than white space exactly when the joined cells do.
                if "".join(cells[:width]).strip():
                    yield number
            elif any(cell.strip() if type(cell) is str else _text(cell) is not None for cell in cells[:width]):
                yield number

    def count_rows(self) -> int:
        return sum(1 for _number in self.row_numbers())

    def _raw_rows(self) -> Iterator[list[Any]]:
        if self.kind == "csv":
            return _csv_rows(self._source)
        return iter(self._source.iter_rows())


def _csv_rows(text: str) -> Iterator[list[Any]]:
    return iter(csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text)))


def _dialect(text: str) -> type[csv.Dialect]:
    first_line = text.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t", "|")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter
    return Dialect


def _text(cell: Any) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, str):
        value = cell.strip()
        return value or None
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(" ", "minutes")
    if isinstance(cell, dt.date | dt.time):
        return cell.isoformat()
    return str(cell).strip() or None


def read_table(data: bytes | Path | str, file_name: str = "", sheet: str | None = None) -> Table:
    """The named sheet (or the first) of a CSV or Excel file; SpreadsheetError when it cannot be imported."""
    if isinstance(data, Path | str):
        path = Path(data)
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SpreadsheetError(_too_big())
        data = path.read_bytes()
        file_name = file_name or path.name
    if len(data) > MAX_FILE_BYTES:
        raise SpreadsheetError(_too_big())
    if not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    if data.startswith(ZIP_MAGIC):
        _check_expansion(data)
        return _excel(data, sheet)
    if data.startswith(OLE_MAGIC):
        return _excel(data, sheet)
    return _csv(data)


def _too_big() -> str:
    return _("The file must be smaller than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}


def _not_a_spreadsheet() -> str:
    return _("The file is not a spreadsheet. Upload a CSV file or an Excel workbook (.xlsx).")


def _check_expansion(data: bytes) -> None:
    """Refuse a workbook whose parts would expand beyond the limits, from the zip directory alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise SpreadsheetError(_not_a_spreadsheet()) from error
    total = 0
    for member in members:
        total += member.file_size
        expanding = member.file_size > EXPANSION_CHECK_FROM
        if expanding and member.file_size > MAX_EXPANSION_RATIO * max(member.compress_size, 1):
            raise SpreadsheetError(
                _(
                    "The workbook is compressed far more than a normal spreadsheet and would expand to "
                    "%(mb)s MB, so it was not opened. Save it again from Excel, or save it as CSV."
                )
                % {"mb": member.file_size // (1024 * 1024)}
            )
    if total > MAX_EXPANDED_BYTES:
        raise SpreadsheetError(
            _(
                "The workbook would expand to %(mb)s MB, more than the limit of %(limit)s MB. "
                "Split it into smaller files."
            )
            % {"mb": total // (1024 * 1024), "limit": MAX_EXPANDED_BYTES // (1024 * 1024)}
        )


def _excel(data: bytes, sheet: str | None) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as error:
        raise SpreadsheetError(
            _("The workbook is protected by a password. Remove the password and try again.")
        ) from error
    except (CalamineError, ValueError, OSError) as error:
        raise SpreadsheetError(_not_a_spreadsheet()) from error
    names = list(workbook.sheet_names)
    if not names:
        raise SpreadsheetError(_("The workbook has no sheets."))
    chosen = sheet or names[0]
    if chosen not in names:
        raise SpreadsheetError(_("The workbook has no sheet called “%(name)s”.") % {"name": chosen})
    try:
        content = workbook.get_sheet_by_name(chosen)
    except (CalamineError, ValueError) as error:
        raise SpreadsheetError(_("The sheet “%(name)s” could not be read.") % {"name": chosen}) from error
    return _checked(Table(kind="excel", sheet_names=names, sheet=chosen, headers=[], _source=content))


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpreadsheetError(
            _("The file is saved as UTF-16 text. Save it as “CSV UTF-8 (comma delimited)” and upload it again.")
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise SpreadsheetError(_encoding_problem(error.start)) from error
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise SpreadsheetError(_encoding_problem(error.start)) from error


def _encoding_problem(position: int) -> str:
    return _(
        "The file's text is in an encoding that cannot be read (unexpected byte at position %(at)s). "
        "Save it as “CSV UTF-8 (comma delimited)” and upload it again."
    ) % {"at": position}


def _csv(data: bytes) -> Table:
    head = data[:8192]
    if head.startswith(NOT_TEXT_MAGIC) or (b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        raise SpreadsheetError(_not_a_spreadsheet())
    text, encoding = _decode(data)
    if "\x00" in text:
        raise SpreadsheetError(_not_a_spreadsheet())
    return _checked(Table(kind="csv", sheet_names=[], sheet="", headers=[], encoding=encoding, _source=text))


def _checked(table: Table) -> Table:
    """Read the header row and make sure there is at least one row of data."""
    try:
        raw = table._raw_rows()
        header = next(raw, None)
    except csv.Error as error:
        raise SpreadsheetError(_not_a_spreadsheet()) from error
    headers = [_text(cell) or "" for cell in header or []]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise SpreadsheetError(_("The file is empty."))
    for position, name in enumerate(headers):
        if not name:
            raise SpreadsheetError(
                _("Column %(letter)s has no heading. Give every column a heading in the first row.")
                % {"letter": column_letter(position)}
            )
    seen: dict[str, int] = {}
    duplicates: list[str] = []
    for position, name in enumerate(headers):
        key = " ".join(name.casefold().split())
        if key in seen:
            duplicates.append(
                _("“%(name)s” (columns %(first)s and %(second)s)")
                % {"name": name, "first": column_letter(seen[key]), "second": column_letter(position)}
            )
        else:
            seen[key] = position
    if duplicates:
        raise SpreadsheetError(
            _("Two or more columns have the same heading: %(list)s. Give each column a different heading.")
            % {"list": ", ".join(duplicates)}
        )
    table.headers = headers
    try:
        has_data = next(table.rows_with_numbers(), None) is not None
    except csv.Error as error:
        raise SpreadsheetError(_not_a_spreadsheet()) from error
    if not has_data:
        raise SpreadsheetError(_("The file has a heading row but no rows of data."))
    return table


def column_letter(position: int) -> str:
    """The spreadsheet letter of a 0-based column position: 0 is A, 26 is AA."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
