"""An administrator's upload of a small people file, shared by the wizard's view tests."""

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from casebridge.cases.tests.base import ConfiguredPersonasTestCase
from casebridge.imports.models import ImportJob

PEOPLE_CSV = (
    "Person ID,Forename,Surname,DOB,Sex\n"
    "OLD-1,Ann,Archer,01/02/1980,F\n"
    "OLD-2,Bob,Baker,1975-03-04,Male\n"
    "OLD-3,,Carter,12/06/1990,Unknown gender\n"
)
# The column mapping the page suggests for PEOPLE_CSV, as the form posts it.
PEOPLE_COLUMNS = {
    "column_0": "legacy_id",
    "column_1": "first_name",
    "column_2": "last_name",
    "column_3": "date_of_birth",
    "column_4": "gender",
}


def xlsx_file(sheets: dict[str, list[list[str]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class WizardTestCase(ConfiguredPersonasTestCase):
    def step_url(self, name: str, job: ImportJob) -> str:
        return reverse(f"imports:{name}", args=[job.public_id])

    def assert_sends_on(self, response: Any, step: str, job: ImportJob) -> None:
        """The wizard answered by sending the user to ``step`` of ``job``."""
        assert response["Location"] == self.step_url(step, job)

    def upload(self, content: bytes = PEOPLE_CSV.encode(), name: str = "people.csv", template: str = "people"):
        return self.client.post(reverse("imports:upload", args=[template]), {"file": SimpleUploadedFile(name, content)})

    def uploaded_job(self, **kwargs: object) -> ImportJob:
        response = self.upload(**kwargs)  # type: ignore[arg-type]
        assert response.status_code == 302, response.content
        return ImportJob.objects.latest("created_at")

    def mapped_job(self) -> ImportJob:
        job = self.uploaded_job()
        response = self.client.post(self.step_url("columns", job), PEOPLE_COLUMNS)
        assert response.status_code == 302, response.content
        response = self.client.post(self.step_url("values", job), {"date_order": "dmy"})
        assert response.status_code == 302, response.content
        job.refresh_from_db()
        return job

    def checked_job(self) -> ImportJob:
        job = self.mapped_job()
        self.client.post(self.step_url("check", job))
        job.refresh_from_db()
        return job

    def imported_job(self) -> ImportJob:
        job = self.checked_job()
        # The import is queued when the request's transaction commits (tests run tasks at once).
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.step_url("run", job))
        job.refresh_from_db()
        return job
