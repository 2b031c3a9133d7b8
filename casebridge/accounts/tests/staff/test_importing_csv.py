from django.test import SimpleTestCase

from casebridge.accounts.staff.importing import (
    ImportFileError,
    ImportReport,
    RowError,
    errors_csv,
    rows_from_csv,
)


class ReadingCsvTests(SimpleTestCase):
    def test_rows_are_numbered_as_a_spreadsheet_shows_them(self):
        data = b"\xef\xbb\xbfEmail,First_Name,last_name,organisation,role\n\na@b.example,A,B,Org,analyst\n"
        rows = rows_from_csv(data)
        assert [(r.number, r.values["email"], r.values["first_name"]) for r in rows] == [(3, "a@b.example", "A")]

    def test_binary_or_non_utf8_files_are_refused(self):
        for data in [b"PK\x03\x04\x00\x00binary", "email\nJosé".encode("latin-1")]:
            with self.subTest(data=data), self.assertRaisesMessage(ImportFileError, "must be a CSV file"):
                rows_from_csv(data)

    def test_missing_columns_are_named(self):
        with self.assertRaisesMessage(ImportFileError, "missing the columns: organisation, role"):
            rows_from_csv(b"email,first_name,last_name\n")

    def test_malformed_quoting_is_refused_with_the_line(self):
        data = b'email,first_name,last_name,organisation,role\n"a@b.example,A\n'
        with self.assertRaisesMessage(ImportFileError, "could not be read as CSV"):
            rows_from_csv(data)

    def test_too_many_cells_is_refused(self):
        with self.assertRaisesMessage(ImportFileError, "Row 2 has more cells"):
            rows_from_csv(b"email,first_name,last_name,organisation,role\na,b,c,d,e,f\n")

    def test_empty_and_oversized_files_are_refused(self):
        with self.assertRaisesMessage(ImportFileError, "empty"):
            rows_from_csv(b"")
        with self.assertRaisesMessage(ImportFileError, "smaller than 2 MB"):
            rows_from_csv(b"x" * (2 * 1024 * 1024 + 1))

    def test_error_download_neutralises_formula_values(self):
        report = ImportReport(errors=[RowError(2, "first_name", '=HYPERLINK("http://x")', "formula")])
        assert "'=HYPERLINK" in errors_csv(report)
