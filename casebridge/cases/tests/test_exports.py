"""Case list and person search exports: only what the policy lets the user see, neutralised, audited."""

import csv
import io
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from casebridge.audit.models import Action, AuditEvent
from casebridge.cases.tests.base import PRIVATE_SUBJECT, SHARED_VICTIM, CasesTestCase
from casebridge.lib.spreadsheets import FORMULA_PREFIXES, spreadsheet_safe


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def xlsx_sheet(response: Any) -> Any:
    return load_workbook(io.BytesIO(response.content), read_only=True).active


class CaseExportTests(CasesTestCase):
    def export(self, scope: str, fmt: str = "csv", query: str = ""):
        return self.client.get(reverse("cases:export", args=[scope, fmt]) + query)

    def test_my_cases_as_csv_lists_the_cases_with_a_header(self):
        self.sign_in(self.asb_officer)
        response = self.export("mine")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment;" in response["Content-Disposition"]
        rows = csv_rows(response)
        assert rows[0][0] == "Reference"
        assert sorted(row[0] for row in rows[1:]) == sorted([self.case.reference, self.private_case.reference])

    def test_a_case_not_shared_with_the_user_never_appears(self):
        self.sign_in(self.support_worker)
        for scope in ("mine", "organisation", "shared"):
            with self.subTest(scope=scope):
                references = [row[0] for row in csv_rows(self.export(scope))[1:]]
                assert self.private_case.reference not in references
        assert [row[0] for row in csv_rows(self.export("shared"))[1:]] == [self.case.reference]

    def test_another_partnership_exports_nothing_of_surrey_heath(self):
        self.sign_in(self.other_partnership_user)
        for scope in ("mine", "organisation", "shared"):
            with self.subTest(scope=scope):
                assert csv_rows(self.export(scope))[1:] == []

    def test_the_page_filters_apply_to_the_export(self):
        self.sign_in(self.asb_officer)
        rows = csv_rows(self.export("organisation", query="?risk_level=high"))
        assert [row[0] for row in rows[1:]] == [self.case.reference]

    def test_an_unknown_scope_or_format_is_404(self):
        self.sign_in(self.asb_officer)
        assert self.export("everyone").status_code == 404
        assert self.export("mine", "pdf").status_code == 404

    def test_one_audit_event_records_the_list_filters_and_row_count(self):
        self.sign_in(self.asb_officer)
        before = AuditEvent.objects.filter(action=Action.EXPORTED).count()
        csv_rows(self.export("organisation", query="?risk_level=high&sort=reference"))
        events = AuditEvent.objects.filter(action=Action.EXPORTED).order_by("-id")
        assert events.count() == before + 1
        event = events[0]
        assert event.actor_id == self.asb_officer.pk
        assert event.data["list"] == "organisation"
        assert event.data["format"] == "csv"
        assert event.data["filters"]["risk_level"] == "high"
        assert event.data["filters"]["sort"] == "reference"
        assert event.data["rows"] == 1

    def test_every_formula_character_is_neutralised_in_csv_and_xlsx(self):
        for prefix in FORMULA_PREFIXES:
            self.new_case(summary=f'{prefix}HYPERLINK("http://evil.example")')
        self.sign_in(self.asb_officer)
        summaries = {row[6] for row in csv_rows(self.export("mine"))[1:]}
        sheet = xlsx_sheet(self.export("mine", "xlsx"))
        cells = [row[6] for row in sheet.iter_rows(min_row=2)]
        for prefix in FORMULA_PREFIXES:
            with self.subTest(prefix=repr(prefix)):
                expected = f'\'{prefix}HYPERLINK("http://evil.example")'
                assert expected in summaries
                # XML reads a carriage return back as a line feed; the apostrophe still leads.
                assert expected.replace("\r", "\n") in {cell.value for cell in cells}
        assert all(cell.data_type == "s" for cell in cells if cell.value)

    def test_xlsx_opens_with_openpyxl_and_stores_every_cell_as_text(self):
        self.sign_in(self.asb_officer)
        response = self.export("mine", "xlsx")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = xlsx_sheet(response)
        rows = list(sheet.iter_rows())
        assert rows[0][0].value == "Reference"
        assert {row[0].value for row in rows[1:]} == {self.case.reference, self.private_case.reference}
        assert all(cell.data_type == "s" for row in rows for cell in row if cell.value is not None)

    def test_the_query_count_does_not_grow_with_the_number_of_cases(self):
        self.sign_in(self.asb_officer)
        counts = []
        for _round in range(2):
            for fmt in ("csv", "xlsx"):
                with CaptureQueriesContext(connection) as queries:
                    response = self.export("mine", fmt)
                    if fmt == "csv":
                        csv_rows(response)
                counts.append(len(queries))
            for _n in range(5):
                self.new_case(risk_level="medium")
        assert counts[:2] == counts[2:]

    def test_the_list_page_links_to_both_downloads_with_its_filters(self):
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("cases:organisation") + "?risk_level=high")
        self.assertContains(response, reverse("cases:export", args=["organisation", "csv"]) + "?risk_level=high")
        self.assertContains(response, reverse("cases:export", args=["organisation", "xlsx"]) + "?risk_level=high")


class PersonSearchExportTests(CasesTestCase):
    def export(self, fmt: str, query: str):
        return self.client.get(reverse("people:search_export", args=[fmt]) + query)

    def test_people_the_user_may_open_are_exported(self):
        self.sign_in(self.support_worker)
        rows = csv_rows(self.export("csv", "?q=Whitlock"))
        assert rows[0][:3] == ["First name", "Last name", "Date of birth"]
        assert rows[1][:3] == ["Dana", "Whitlock", "1980-05-17"]

    def test_people_search_only_names_are_left_out(self):
        """Search may say a record exists; the export carries none of those records."""
        self.sign_in(self.police_officer)
        search = self.client.get(reverse("people:search") + "?q=Whitlock")
        self.assertContains(search, SHARED_VICTIM)
        rows = csv_rows(self.export("csv", "?q=Whitlock"))
        assert rows[1:] == []
        self.sign_in(self.support_worker)
        body = b"".join(self.export("csv", "?q=Pemberton").streaming_content).decode()
        assert PRIVATE_SUBJECT not in body
        assert "Pemberton" not in body

    def test_xlsx_export_has_the_same_rows(self):
        self.sign_in(self.asb_officer)
        sheet = xlsx_sheet(self.export("xlsx", "?q=Whitlock"))
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert rows[1][:2] == ["Dana", "Whitlock"]

    def test_an_export_is_audited_with_the_terms_and_row_count(self):
        self.sign_in(self.asb_officer)
        csv_rows(self.export("csv", "?q=Whitlock"))
        event = AuditEvent.objects.filter(action=Action.EXPORTED).latest("id")
        assert event.object_type == "person_search"
        assert event.data["filters"]["terms"] == "Whitlock"
        assert event.data["rows"] == 1

    def test_an_empty_search_goes_back_to_the_search_page_and_exports_nothing(self):
        self.sign_in(self.asb_officer)
        before = AuditEvent.objects.filter(action=Action.EXPORTED).count()
        response = self.export("csv", "?q=")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("people:search"))
        assert AuditEvent.objects.filter(action=Action.EXPORTED).count() == before

    def test_a_name_with_a_formula_character_is_neutralised(self):
        self.victim.first_name = "=cmd"
        self.victim.save(update_fields=["first_name"])
        self.sign_in(self.asb_officer)
        rows = csv_rows(self.export("csv", "?q=Whitlock"))
        assert rows[1][0] == spreadsheet_safe("=cmd") == "'=cmd"

    def test_search_results_link_to_the_downloads(self):
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("people:search") + "?q=Whitlock")
        self.assertContains(response, reverse("people:search_export", args=["csv"]) + "?q=Whitlock")
