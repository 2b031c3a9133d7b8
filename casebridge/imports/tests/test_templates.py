"""The three templates and their blank downloads."""

import csv
import io

from django.test import SimpleTestCase
from openpyxl import load_workbook

from casebridge.imports.templates import TEMPLATES
from casebridge.imports.tests.helpers import CASE_FIELDS, INCIDENT_HEADERS, PEOPLE_HEADERS

ISSUE_FIELDS = {"people": PEOPLE_HEADERS, "cases": CASE_FIELDS, "incidents": INCIDENT_HEADERS}


class TemplateTests(SimpleTestCase):
    def test_each_template_has_the_fields_of_the_issue_in_order(self) -> None:
        for name, fields in ISSUE_FIELDS.items():
            with self.subTest(name):
                assert TEMPLATES[name].field_names[: len(fields)] == fields
                assert TEMPLATES[name].description

    def test_cases_template_has_numbered_person_columns(self) -> None:
        names = TEMPLATES["cases"].field_names
        assert names[10:15] == [
            "person_1_legacy_id",
            "person_1_first_name",
            "person_1_last_name",
            "person_1_date_of_birth",
            "person_1_role",
        ]
        assert "person_3_role" in names

    def test_person_columns_beyond_the_blank_template_are_fields_too(self) -> None:
        field = TEMPLATES["cases"].get("person_7_role")
        assert field is not None
        assert field.kind == "choice"
        assert TEMPLATES["people"].get("person_7_role") is None

    def test_required_fields(self) -> None:
        assert TEMPLATES["people"].required_fields == ["legacy_id", "first_name", "last_name"]
        assert TEMPLATES["cases"].required_fields == ["legacy_ref", "case_type", "opened_on", "lead_organisation"]
        assert TEMPLATES["incidents"].required_fields == [
            "legacy_ref",
            "case_legacy_ref",
            "occurred_at",
            "category",
            "description",
        ]

    def test_blank_csv_is_the_header_row_with_a_byte_order_mark(self) -> None:
        for name, template in TEMPLATES.items():
            with self.subTest(name):
                data = template.blank_csv()
                assert data.startswith(b"\xef\xbb\xbf")
                rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
                assert rows == [template.field_names]

    def test_blank_xlsx_is_the_header_row_in_a_sheet_named_after_the_template(self) -> None:
        for name, template in TEMPLATES.items():
            with self.subTest(name):
                workbook = load_workbook(io.BytesIO(template.blank_xlsx()), read_only=True)
                assert workbook.sheetnames == [name]
                rows = [list(row) for row in workbook[name].iter_rows(values_only=True)]
                assert rows == [template.field_names]
