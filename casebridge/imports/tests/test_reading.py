"""Reading files, and refusing the bad ones with a specific message and nothing changed."""

import io
import zipfile

from django.test import SimpleTestCase
from openpyxl import Workbook

from casebridge.imports import reading
from casebridge.imports.models import ImportJob
from casebridge.imports.reading import SpreadsheetError, read_table
from casebridge.imports.services import create_job
from casebridge.imports.storage import imports_root
from casebridge.imports.tests.helpers import ImportTestCase
from casebridge.people.models import Person

SHEET_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>legacy_id</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>first_name</t></is></c><c r="C1" t="inlineStr"><is><t>last_name</t></is></c></row>'
    '<row r="2"><c r="A2"><f>40+2</f><v>42</v></c>'
    '<c r="B2" t="str"><f>UPPER("ann")</f><v>ANN</v></c><c r="C2" t="inlineStr"><is><t>Smith</t></is></c></row>'
    "</sheetData></worksheet>"
)


def xlsx_with_formulas() -> bytes:
    """A workbook whose cells hold formulas with the values Excel cached when saving."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="people" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": SHEET_XML,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def xlsx(rows: list[list[object]], *, sheets: tuple[str, ...] = ("Sheet1",)) -> bytes:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = sheets[0]
    for row in rows:
        first.append(row)
    for name in sheets[1:]:
        sheet = workbook.create_sheet(name)
        sheet.append(["other"])
        sheet.append(["value"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    return out.getvalue()


class ReadingTests(SimpleTestCase):
    def test_utf8_csv(self) -> None:
        table = read_table("legacy_id,first_name\nL1,Zoë\n".encode(), "a.csv")
        assert table.headers == ["legacy_id", "first_name"]
        assert list(table.rows) == [["L1", "Zoë"]]
        assert table.encoding == "utf-8"

    def test_utf8_with_byte_order_mark(self) -> None:
        table = read_table("\ufefflegacy_id,first_name\nL1,Zoë\n".encode(), "a.csv")
        assert table.headers == ["legacy_id", "first_name"]
        assert table.encoding == "utf-8-sig"

    def test_windows_1252(self) -> None:
        table = read_table("legacy_id,first_name\nL1,Zoë Fernández\n".encode("cp1252"), "a.csv")
        assert list(table.rows) == [["L1", "Zoë Fernández"]]
        assert table.encoding == "cp1252"

    def test_semicolon_separated_csv(self) -> None:
        table = read_table(b"legacy_id;first_name\nL1;Ann\n", "a.csv")
        assert list(table.rows) == [["L1", "Ann"]]

    def test_blank_rows_are_skipped_but_numbers_kept(self) -> None:
        table = read_table(b"legacy_id,first_name\nL1,Ann\n,\nL2,Bob\n", "a.csv")
        assert list(table.rows_with_numbers()) == [(2, ["L1", "Ann"]), (4, ["L2", "Bob"])]

    def test_xlsx_values_become_text(self) -> None:
        import datetime as dt

        table = read_table(xlsx([["legacy_id", "date_of_birth", "n"], ["L1", dt.datetime(1980, 2, 1), 12.0]]))
        assert table.kind == "excel"
        assert list(table.rows) == [["L1", "1980-02-01", "12"]]

    def test_named_sheet(self) -> None:
        data = xlsx([["legacy_id"], ["L1"]], sheets=("People", "Notes"))
        assert read_table(data).sheet_names == ["People", "Notes"]
        assert read_table(data, sheet="Notes").headers == ["other"]
        with self.assertRaisesMessage(SpreadsheetError, "The workbook has no sheet called “Cases”."):
            read_table(data, sheet="Cases")

    def test_formulas_give_their_cached_values_and_are_never_evaluated(self) -> None:
        table = read_table(xlsx_with_formulas(), "f.xlsx")
        assert list(table.rows) == [["42", "ANN", "Smith"]]


class BadFileTests(ImportTestCase):
    """Each bad file is refused with its own message, and nothing is stored or imported."""

    def assert_refused(self, data: bytes, message: str, file_name: str = "file.csv") -> None:
        with self.assertRaisesMessage(SpreadsheetError, message):
            create_job(
                actor=self.administrator,
                partnership=self.surrey_heath,
                template="people",
                data=data,
                file_name=file_name,
            )
        assert ImportJob.objects.count() == 0
        assert Person.objects.count() == 0
        assert not imports_root().exists() or not any(imports_root().iterdir())

    def test_not_a_spreadsheet(self) -> None:
        self.assert_refused(b"%PDF-1.7\n...", "The file is not a spreadsheet.", "report.pdf")
        self.assert_refused(b"\x00\x01\x02binary\x00", "The file is not a spreadsheet.", "data.bin")

    def test_a_zip_that_is_not_a_workbook(self) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("hello.txt", "hello")
        self.assert_refused(out.getvalue(), "The file is not a spreadsheet.", "people.xlsx")

    def test_wrong_encoding(self) -> None:
        self.assert_refused("legacy_id\nL1\n".encode("utf-16"), "The file is saved as UTF-16 text.")
        # 0x81 is not a character in UTF-8 or in Windows-1252.
        self.assert_refused(b"legacy_id,first_name\nL1,Ann\x81\n", "in an encoding that cannot be read")

    def test_empty_file(self) -> None:
        self.assert_refused(b"", "The file is empty.")
        self.assert_refused(b"\r\n  \n", "The file is empty.")
        self.assert_refused(b",,,\n", "The file is empty.")

    def test_header_only_file(self) -> None:
        self.assert_refused(b"legacy_id,first_name,last_name\r\n", "The file has a heading row but no rows of data.")
        self.assert_refused(
            b"legacy_id,first_name,last_name\r\n,,\r\n", "The file has a heading row but no rows of data."
        )
        self.assert_refused(
            xlsx([["legacy_id", "first_name"]]), "The file has a heading row but no rows of data.", "p.xlsx"
        )

    def test_duplicate_header_names(self) -> None:
        self.assert_refused(
            b"legacy_id,Surname,surname \nL1,Smith,Smith\n",
            "Two or more columns have the same heading: “surname” (columns B and C).",
        )

    def test_column_without_a_heading(self) -> None:
        self.assert_refused(b"legacy_id,,last_name\nL1,x,Smith\n", "Column B has no heading.")

    def test_workbook_that_expands_enormously(self) -> None:
        self.assert_refused(zip_bomb(), "The workbook is compressed far more than a normal spreadsheet", "bomb.xlsx")

    def test_workbook_over_the_expanded_size_limit(self) -> None:
        limit = reading.MAX_EXPANDED_BYTES
        reading.MAX_EXPANDED_BYTES = 1000
        try:
            self.assert_refused(xlsx([["legacy_id"], ["L1"]]), "The workbook would expand to", "big.xlsx")
        finally:
            reading.MAX_EXPANDED_BYTES = limit

    def test_file_over_the_size_limit(self) -> None:
        limit = reading.MAX_FILE_BYTES
        reading.MAX_FILE_BYTES = 10
        try:
            self.assert_refused(b"legacy_id,first_name\nL1,Ann\n", "The file must be smaller than")
        finally:
            reading.MAX_FILE_BYTES = limit
