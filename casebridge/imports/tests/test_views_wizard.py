"""The import wizard from the start page to the check: upload, sheet, columns, values."""

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from casebridge.accounts.models import User
from casebridge.audit.models import AuditEvent
from casebridge.imports.models import ImportJob, JobStatus, SavedMapping
from casebridge.imports.templates import TEMPLATES
from casebridge.imports.tests.wizard_base import PEOPLE_COLUMNS, PEOPLE_CSV, WizardTestCase, xlsx_file
from casebridge.organisations.models import Role
from tests.personas import make_user


class StartPageTests(WizardTestCase):
    def test_the_start_page_describes_each_template_and_links_its_blank_files(self):
        self.sign_in(self.administrator)
        response = self.client.get(reverse("imports:start"))
        assert response.status_code == 200
        for template in TEMPLATES.values():
            self.assertContains(response, str(template.description))
            self.assertContains(response, reverse("imports:blank_template", args=[template.name, "csv"]))
            self.assertContains(response, reverse("imports:blank_template", args=[template.name, "xlsx"]))
            self.assertContains(response, reverse("imports:upload", args=[template.name]))

    def test_past_imports_are_listed_with_who_and_a_link(self):
        self.sign_in(self.administrator)
        job = self.uploaded_job()
        response = self.client.get(reverse("imports:start"))
        self.assertContains(response, self.step_url("report", job))
        self.assertContains(response, "people.csv")
        self.assertContains(response, str(self.administrator))

    def test_another_partnerships_imports_are_not_listed(self):
        self.sign_in(self.administrator)
        self.uploaded_job(name="surrey-heath-people.csv")
        runnymede_admin = self.make_runnymede_administrator()
        self.sign_in(runnymede_admin)
        response = self.client.get(reverse("imports:start"))
        self.assertNotContains(response, "surrey-heath-people.csv")

    def test_the_start_page_query_count_does_not_grow_with_past_imports(self):
        self.sign_in(self.administrator)
        self.uploaded_job()
        with self.assertNumQueries(self.start_page_queries()):
            self.client.get(reverse("imports:start"))
        for _n in range(3):
            self.uploaded_job()
        with self.assertNumQueries(self.start_page_queries()):
            self.client.get(reverse("imports:start"))

    def start_page_queries(self) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("imports:start"))
        return len(queries)

    def test_blank_templates_download_as_csv_and_xlsx_with_every_column(self):
        self.sign_in(self.administrator)
        for name, template in TEMPLATES.items():
            with self.subTest(template=name):
                response = self.client.get(reverse("imports:blank_template", args=[name, "csv"]))
                assert response.status_code == 200
                assert response.content.decode("utf-8-sig").strip() == ",".join(template.field_names)
                response = self.client.get(reverse("imports:blank_template", args=[name, "xlsx"]))
                sheet = load_workbook(io.BytesIO(response.content)).active
                assert sheet is not None
                assert [cell.value for cell in sheet[1]] == template.field_names  # type: ignore[index]

    def test_an_unknown_template_or_format_is_404(self):
        self.sign_in(self.administrator)
        assert self.client.get(reverse("imports:blank_template", args=["vehicles", "csv"])).status_code == 404
        assert self.client.get(reverse("imports:blank_template", args=["people", "pdf"])).status_code == 404
        assert self.client.get(reverse("imports:upload", args=["vehicles"])).status_code == 404

    def make_runnymede_administrator(self) -> User:
        return make_user("admin@runnymede.example", self.other_council, roles={self.runnymede: Role.ADMINISTRATOR})


class UploadTests(WizardTestCase):
    def test_a_csv_goes_straight_to_the_column_mapping(self):
        self.sign_in(self.administrator)
        response = self.upload()
        job = ImportJob.objects.get()
        self.assert_sends_on(response, "columns", job)
        assert job.partnership == self.surrey_heath
        assert job.created_by == self.administrator
        assert job.template == "people"

    def test_a_bad_file_is_explained_in_the_error_summary_and_nothing_is_saved(self):
        self.sign_in(self.administrator)
        events = AuditEvent.objects.count()
        for name, content in (("empty.csv", b"   \n"), ("scan.pdf", b"%PDF-1.4 not a spreadsheet")):
            with self.subTest(file=name):
                response = self.upload(content=content, name=name)
                assert response.status_code == 400
                self.assertContains(response, "govuk-error-summary", status_code=400)
                self.assertContains(response, 'href="#id_file"', status_code=400)
        assert ImportJob.objects.count() == 0
        assert AuditEvent.objects.count() == events

    def test_no_file_asks_for_one(self):
        self.sign_in(self.administrator)
        response = self.client.post(reverse("imports:upload", args=["people"]), {})
        self.assertContains(response, "Select a CSV or Excel file.", status_code=400)

    def test_a_workbook_with_several_sheets_asks_which_one(self):
        self.sign_in(self.administrator)
        content = xlsx_file(
            {
                "Archive": [["Person ID", "Forename", "Surname"], ["OLD-1", "Ann", "Archer"]],
                "Clients": [["Person ID", "Forename", "Surname"], ["OLD-9", "Cara", "Dunn"]],
            }
        )
        response = self.upload(content=content, name="old-system.xlsx")
        job = ImportJob.objects.get()
        self.assert_sends_on(response, "sheet", job)
        page = self.client.get(response["Location"])
        self.assertContains(page, "Archive")
        self.assertContains(page, "Clients")
        response = self.client.post(self.step_url("sheet", job), {"sheet": "Clients"})
        self.assert_sends_on(response, "columns", job)
        job.refresh_from_db()
        assert job.sheet == "Clients"
        columns = self.client.get(self.step_url("columns", job))
        self.assertContains(columns, "Forename")

    def test_a_workbook_whose_first_sheet_is_a_cover_page_still_asks_which_sheet(self):
        self.sign_in(self.administrator)
        content = xlsx_file(
            {
                "About": [["Exported from the old client database"]],
                "Clients": [["Person ID", "Forename", "Surname"], ["OLD-9", "Cara", "Dunn"]],
            }
        )
        response = self.upload(content=content, name="old-system.xlsx")
        job = ImportJob.objects.get()
        self.assert_sends_on(response, "sheet", job)
        assert job.sheet == "Clients"
        # Choosing the cover page is explained, and changes nothing.
        refused = self.client.post(self.step_url("sheet", job), {"sheet": "About"})
        self.assertContains(refused, "no rows of data", status_code=400)
        job.refresh_from_db()
        assert job.sheet == "Clients"

    def test_a_workbook_with_no_sheet_to_import_is_refused_with_the_first_sheets_reason(self):
        self.sign_in(self.administrator)
        content = xlsx_file({"About": [["Notes only"]], "More": [["Still notes"]]})
        response = self.upload(content=content, name="notes.xlsx")
        self.assertContains(response, "no rows of data", status_code=400)
        assert ImportJob.objects.count() == 0

    def test_a_sheet_not_in_the_workbook_is_refused(self):
        self.sign_in(self.administrator)
        content = xlsx_file({"A": [["Person ID"], ["1"]], "B": [["Person ID"], ["2"]]})
        self.upload(content=content, name="two.xlsx")
        job = ImportJob.objects.get()
        response = self.client.post(self.step_url("sheet", job), {"sheet": "C"})
        self.assertContains(response, "govuk-error-summary", status_code=400)


class ColumnMappingTests(WizardTestCase):
    def test_columns_are_suggested_from_their_names(self):
        self.sign_in(self.administrator)
        job = self.uploaded_job()
        response = self.client.get(self.step_url("columns", job))
        form = response.context["form"]
        assert {name: form[name].value() for name in PEOPLE_COLUMNS} == PEOPLE_COLUMNS

    def test_the_chosen_columns_are_kept_on_the_job(self):
        self.sign_in(self.administrator)
        job = self.uploaded_job()
        response = self.client.post(self.step_url("columns", job), {**PEOPLE_COLUMNS, "column_4": ""})
        self.assert_sends_on(response, "values", job)
        job.refresh_from_db()
        assert job.column_mapping["Surname"] == "last_name"
        assert job.column_mapping.get("Sex", "") == ""

    def test_a_field_mapped_twice_is_refused(self):
        self.sign_in(self.administrator)
        job = self.uploaded_job()
        response = self.client.post(self.step_url("columns", job), {**PEOPLE_COLUMNS, "column_2": "first_name"})
        self.assertContains(response, "Map each field once.", status_code=400)

    def test_a_required_field_left_out_is_refused(self):
        self.sign_in(self.administrator)
        job = self.uploaded_job()
        response = self.client.post(self.step_url("columns", job), {**PEOPLE_COLUMNS, "column_0": ""})
        self.assertContains(response, "legacy_id", status_code=400)
        self.assertContains(response, "govuk-error-summary", status_code=400)

    def test_a_saved_mapping_is_reused_for_the_next_file(self):
        self.sign_in(self.administrator)
        job = self.uploaded_job()
        custom = {**PEOPLE_COLUMNS, "column_4": ""}
        self.client.post(self.step_url("columns", job), custom)
        response = self.client.post(self.step_url("values", job), {"date_order": "mdy", "save_as": "Old client system"})
        assert response.status_code == 302
        saved = SavedMapping.objects.get(name="Old client system")
        assert saved.partnership == self.surrey_heath
        assert saved.template == "people"
        assert saved.date_order == "mdy"

        second = self.uploaded_job(name="more-people.csv")
        url = reverse("imports:columns", args=[second.public_id])
        page = self.client.get(url)
        self.assertContains(page, "Old client system")
        loaded = self.client.get(url, {"mapping": str(saved.public_id)})
        assert loaded.context["form"]["column_4"].value() == ""
        assert loaded.context["form"]["column_2"].value() == "last_name"

    def test_a_mapping_name_already_used_is_refused(self):
        self.sign_in(self.administrator)
        job = self.uploaded_job()
        self.client.post(self.step_url("columns", job), PEOPLE_COLUMNS)
        self.client.post(self.step_url("values", job), {"date_order": "dmy", "save_as": "Same"})
        second = self.uploaded_job()
        self.client.post(reverse("imports:columns", args=[second.public_id]), PEOPLE_COLUMNS)
        response = self.client.post(
            reverse("imports:values", args=[second.public_id]), {"date_order": "dmy", "save_as": "Same"}
        )
        self.assertContains(response, "already exists", status_code=400)
        assert SavedMapping.objects.filter(name="Same").count() == 1


class ValueMappingTests(WizardTestCase):
    def test_the_values_found_are_listed_with_a_suggestion(self):
        self.sign_in(self.administrator)
        job = self.uploaded_job()
        self.client.post(self.step_url("columns", job), PEOPLE_COLUMNS)
        response = self.client.get(self.step_url("values", job))
        assert response.status_code == 200
        form = response.context["form"]
        rows = {raw: field.value() for group in form.grouped_fields() for raw, _count, field in group["rows"]}
        assert rows == {"F": "female", "Male": "male", "Unknown gender": ""}

    def test_the_chosen_values_and_date_order_are_kept_on_the_job(self):
        self.sign_in(self.administrator)
        job = self.uploaded_job()
        self.client.post(self.step_url("columns", job), PEOPLE_COLUMNS)
        page = self.client.get(self.step_url("values", job))
        keys = {raw: field.html_name for g in page.context["form"].grouped_fields() for raw, _c, field in g["rows"]}
        response = self.client.post(
            self.step_url("values", job),
            {keys["F"]: "female", keys["Male"]: "male", keys["Unknown gender"]: "unknown", "date_order": "dmy"},
        )
        self.assert_sends_on(response, "check", job)
        job.refresh_from_db()
        assert job.value_mapping["gender"]["Unknown gender"] == "unknown"
        assert job.date_order == "dmy"

    def test_a_value_not_allowed_is_refused(self):
        self.sign_in(self.administrator)
        job = self.uploaded_job()
        self.client.post(self.step_url("columns", job), PEOPLE_COLUMNS)
        page = self.client.get(self.step_url("values", job))
        key = next(field.html_name for g in page.context["form"].grouped_fields() for _r, _c, field in g["rows"])
        response = self.client.post(self.step_url("values", job), {key: "dragon", "date_order": "dmy"})
        assert response.status_code == 400

    def test_a_file_without_the_required_columns_is_sent_back_to_the_columns_by_the_check(self):
        self.sign_in(self.administrator)
        job = self.uploaded_job(content=b"Name,Notes\nAnn Archer,Moved away\n")
        response = self.client.post(self.step_url("check", job), follow=True)
        assert response.redirect_chain[-1][0] == self.step_url("columns", job)
        self.assertContains(response, "Choose a column for each required field")
        job.refresh_from_db()
        assert job.status == JobStatus.UPLOADED


class CheckTests(WizardTestCase):
    def test_the_check_page_summarises_the_mapping(self):
        self.sign_in(self.administrator)
        job = self.mapped_job()
        response = self.client.get(self.step_url("check", job))
        self.assertContains(response, "Surname")
        self.assertContains(response, "Check the file")

    def test_checking_runs_the_dry_run_and_shows_the_report(self):
        self.sign_in(self.administrator)
        job = self.mapped_job()
        response = self.client.post(self.step_url("check", job), follow=True)
        job.refresh_from_db()
        assert job.status == JobStatus.VALIDATED
        assert response.redirect_chain[-1][0] == self.step_url("report", job)
        self.assertContains(response, "Check report: nothing imported yet")
        assert PEOPLE_CSV  # the file's third row has no first name: one problem on row 4
        self.assertContains(response, '<td class="govuk-table__cell govuk-table__cell--numeric">4</td>', html=False)
