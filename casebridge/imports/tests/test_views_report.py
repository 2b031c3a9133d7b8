"""The report, its CSV, the import with its progress page, and rollback."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from casebridge.audit.models import AuditEvent
from casebridge.imports.models import ImportJob, JobStatus
from casebridge.imports.tests.wizard_base import WizardTestCase
from casebridge.people.models import Person


class ReportTests(WizardTestCase):
    def test_the_report_lists_counts_and_every_problem_with_row_column_value_and_reason(self):
        self.sign_in(self.administrator)
        job = self.checked_job()
        response = self.client.get(self.step_url("report", job))
        assert response.status_code == 200
        assert response.context["counts"].get("create") == 2
        problems = list(response.context["problems"].object_list)
        assert problems, "the row without a first name is a problem"
        row4 = [p for p in problems if p.row == 4]
        assert row4
        assert row4[0].column
        self.assertContains(response, row4[0].reason)
        self.assertContains(response, self.step_url("run", job))

    def test_the_report_downloads_as_csv(self):
        self.sign_in(self.administrator)
        job = self.checked_job()
        response = self.client.get(self.step_url("report_csv", job))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert any("4" in row for row in rows[1:])

    def test_problems_are_paginated(self):
        self.sign_in(self.administrator)
        lines = ["Person ID,Forename,Surname"] + [f"X-{n},,Nobody" for n in range(60)]
        job = self.uploaded_job(content="\n".join(lines).encode())
        self.client.post(
            self.step_url("columns", job),
            {"column_0": "legacy_id", "column_1": "first_name", "column_2": "last_name"},
        )
        self.client.post(self.step_url("values", job), {"date_order": "dmy"})
        self.client.post(self.step_url("check", job))
        first = self.client.get(self.step_url("report", job))
        assert len(first.context["problems"].object_list) == 50
        second = self.client.get(self.step_url("report", job), {"page": 2})
        assert len(second.context["problems"].object_list) >= 10

    def test_the_report_query_count_does_not_grow_with_the_problems(self):
        self.sign_in(self.administrator)
        counts = []
        for size in (1, 40):
            lines = ["Person ID,Forename,Surname"] + [f"Q-{size}-{n},,Nobody" for n in range(size)]
            job = self.uploaded_job(content="\n".join(lines).encode())
            self.client.post(self.step_url("check", job))
            url = self.step_url("report", job)
            self.client.get(url)
            with CaptureQueriesContext(connection) as queries:
                self.client.get(url)
            counts.append(len(queries))
        assert counts[0] == counts[1]

    def test_a_job_of_another_partnership_is_404(self):
        self.sign_in(self.administrator)
        job = self.uploaded_job()
        ImportJob.objects.filter(pk=job.pk).update(partnership=self.runnymede)
        for name in ("report", "columns", "values", "check", "progress", "report_csv", "rollback"):
            with self.subTest(url=name):
                assert self.client.get(self.step_url(name, job)).status_code == 404


class ImportTests(WizardTestCase):
    def test_importing_creates_the_rows_without_errors_and_shows_the_finished_report(self):
        self.sign_in(self.administrator)
        job = self.checked_job()
        before = Person.objects.filter(partnership=self.surrey_heath).count()
        with self.captureOnCommitCallbacks(execute=True):
            self.assert_sends_on(self.client.post(self.step_url("run", job)), "progress", job)
        job.refresh_from_db()
        assert job.status == JobStatus.DONE
        assert Person.objects.filter(partnership=self.surrey_heath).count() == before + 2
        response = self.client.get(self.step_url("progress", job), follow=True)
        assert response.redirect_chain[-1][0] == self.step_url("report", job)
        self.assertContains(response, "Import finished")
        self.assertContains(response, self.step_url("rollback", job))

    def test_a_job_can_be_imported_only_once(self):
        self.sign_in(self.administrator)
        job = self.imported_job()
        before = Person.objects.count()
        self.assert_sends_on(self.client.post(self.step_url("run", job)), "report", job)
        assert Person.objects.count() == before

    def test_an_unchecked_job_cannot_be_imported(self):
        self.sign_in(self.administrator)
        job = self.mapped_job()
        self.client.post(self.step_url("run", job))
        job.refresh_from_db()
        assert job.status == JobStatus.UPLOADED

    def test_an_imported_job_can_no_longer_be_remapped(self):
        self.sign_in(self.administrator)
        job = self.imported_job()
        self.assert_sends_on(self.client.get(self.step_url("columns", job)), "report", job)


class ProgressTests(WizardTestCase):
    def running(self) -> ImportJob:
        job = self.checked_job()
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, rows_total=200, rows_done=50)
        job.refresh_from_db()
        return job

    def test_the_progress_page_shows_an_accessible_bar_that_polls(self):
        self.sign_in(self.administrator)
        job = self.running()
        response = self.client.get(self.step_url("progress", job))
        assert response.status_code == 200
        self.assertContains(response, '<progress id="import-progress"')
        self.assertContains(response, 'value="25"')
        self.assertContains(response, 'hx-trigger="every 1s"')
        self.assertContains(response, "50 of 200 rows")
        # Without JavaScript, a plain link checks again.
        self.assertContains(response, f'href="{self.step_url("progress", job)}"')

    def test_htmx_gets_the_bar_alone(self):
        self.sign_in(self.administrator)
        job = self.running()
        response = self.client.get(self.step_url("progress", job), headers={"HX-Request": "true"})
        self.assertContains(response, "<progress")
        self.assertNotContains(response, "<html")

    def test_when_the_job_ends_htmx_gets_a_full_bar_a_link_to_the_report_and_stops_polling(self):
        self.sign_in(self.administrator)
        job = self.checked_job()
        url = self.step_url("progress", job)
        response = self.client.get(url, headers={"HX-Request": "true"})
        assert response.status_code == 286
        self.assertContains(response, 'value="100"', status_code=286)
        self.assertContains(response, self.step_url("report", job), status_code=286)
        plain = self.client.get(url)
        self.assert_sends_on(plain, "report", job)

    def test_the_report_of_a_running_job_shows_the_progress(self):
        self.sign_in(self.administrator)
        job = self.running()
        self.assert_sends_on(self.client.get(self.step_url("report", job)), "progress", job)


class RollbackTests(WizardTestCase):
    def test_rollback_removes_what_the_import_created_and_is_audited(self):
        self.sign_in(self.administrator)
        job = self.imported_job()
        events = AuditEvent.objects.count()
        page = self.client.get(self.step_url("rollback", job))
        self.assertContains(page, "Roll back this import")
        self.assert_sends_on(self.client.post(self.step_url("rollback", job)), "report", job)
        job.refresh_from_db()
        assert job.status == JobStatus.ROLLED_BACK
        assert not Person.objects.filter(legacy_id__in=["OLD-1", "OLD-2"]).exists()
        assert AuditEvent.objects.count() > events

    def test_rollback_is_refused_with_the_reason_when_records_were_changed_since(self):
        from casebridge.people import services as people_services

        self.sign_in(self.administrator)
        job = self.imported_job()
        person = Person.objects.get(legacy_id="OLD-1")
        people_services.person_update(
            actor=self.asb_officer, person=person, version=person.version, values={"phone": "01276 000000"}
        )
        response = self.client.post(self.step_url("rollback", job))
        assert response.status_code == 409
        self.assertContains(response, "govuk-error-summary", status_code=409)
        assert response.context["refusal"]
        job.refresh_from_db()
        assert job.status == JobStatus.DONE
        assert Person.objects.filter(legacy_id="OLD-1").exists()

    def test_a_job_not_imported_has_nothing_to_roll_back(self):
        self.sign_in(self.administrator)
        job = self.checked_job()
        self.assert_sends_on(self.client.post(self.step_url("rollback", job)), "report", job)
