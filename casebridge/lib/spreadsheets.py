"""Rows for spreadsheets: formula cells neutralised, CSV streamed, XLSX written row by row."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_PREFIXES)


def spreadsheet_safe(value: Any) -> str:
    """The cell as text, quoted with a leading apostrophe when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return f"'{text}" if looks_like_formula(text) else text


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[Any] | None, rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The lines of a CSV file, every cell neutralised.

    With ``header`` None the lines continue a file already started: no byte order mark, no header.
    """
    writer = csv.writer(_Echo())
    if header is not None:
        # The byte order mark makes Excel read the file as UTF-8 (names with accents stay intact).
        yield "\ufeff" + writer.writerow([spreadsheet_safe(cell) for cell in header])
    for row in rows:
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """A whole CSV file as text, for exports that are audited or stored before they are sent."""
    return "".join(csv_lines(header, rows))


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """A CSV download written as the rows are read, so a long list never sits in memory."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A one-sheet workbook in openpyxl's write-only mode; every cell is stored as text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([_xlsx_text(cell) for cell in header])
    for row in rows:
        sheet.append([_xlsx_text(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(
    filename: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheet_title, header, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_text(value: Any) -> str:
    # Control characters other than tab and line breaks are not allowed in the XML of a workbook.
    return ILLEGAL_CHARACTERS_RE.sub("", spreadsheet_safe(value))
