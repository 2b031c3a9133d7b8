import csv
import io

from django.test import SimpleTestCase

from casebridge.lib.spreadsheets import FORMULA_PREFIXES, csv_lines, csv_text


class CsvTests(SimpleTestCase):
    def test_every_cell_a_spreadsheet_would_run_is_quoted(self):
        values = [f"{prefix}SUM(A1)" for prefix in FORMULA_PREFIXES]
        text = csv_text(["value"], [[value] for value in values])
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
        assert rows == [["value"], *[["'" + value] for value in values]]

    def test_a_file_starts_with_a_byte_order_mark_so_excel_reads_utf_8(self):
        assert csv_text(["name"], [["Zoë"]]).startswith("\ufeffname\r\n")

    def test_lines_that_continue_a_file_have_no_header_or_byte_order_mark(self):
        assert list(csv_lines(None, [["=1", 2]])) == ["'=1,2\r\n"]
