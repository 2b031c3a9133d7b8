"""Shared set-up for the migration tests: a partnership ready to import into, and files to import."""

import csv
import io
import tempfile
from typing import Any

from django.test import override_settings

from casebridge.cases.services import partnership_seed_configuration
from casebridge.imports import services
from casebridge.imports.models import ImportJob
from tests.personas import PersonasTestCase

PEOPLE_HEADERS = [
    "legacy_id",
    "first_name",
    "last_name",
    "aliases",
    "date_of_birth",
    "gender",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "phone",
    "email",
    "pnc_id",
    "nhs_number",
    "ni_number",
]
CASE_FIELDS = [
    "legacy_ref",
    "case_type",
    "status",
    "opened_on",
    "closed_on",
    "closure_reason",
    "lead_organisation",
    "lead_officer_email",
    "risk_level",
    "summary",
]
CASES_HEADERS = [
    *CASE_FIELDS,
    "person_1_legacy_id",
    "person_1_first_name",
    "person_1_last_name",
    "person_1_date_of_birth",
    "person_1_role",
    "person_2_legacy_id",
    "person_2_first_name",
    "person_2_last_name",
    "person_2_date_of_birth",
    "person_2_role",
]

INCIDENT_HEADERS = [
    "legacy_ref",
    "case_legacy_ref",
    "occurred_at",
    "reported_on",
    "category",
    "location",
    "postcode",
    "description",
    "hate_flag",
    "police_reference",
]


def csv_bytes(headers: list[str], rows: list[dict[str, str]], *, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({header: row.get(header, "") for header in headers})
    return out.getvalue().encode(encoding)


def people_csv(*rows: dict[str, str], encoding: str = "utf-8") -> bytes:
    return csv_bytes(PEOPLE_HEADERS, list(rows), encoding=encoding)


def cases_csv(*rows: dict[str, str], encoding: str = "utf-8") -> bytes:
    return csv_bytes(CASES_HEADERS, list(rows), encoding=encoding)


def incidents_csv(*rows: dict[str, str], encoding: str = "utf-8") -> bytes:
    return csv_bytes(INCIDENT_HEADERS, list(rows), encoding=encoding)


def person_row(legacy_id: str, first: str, last: str, dob: str = "", **extra: str) -> dict[str, str]:
    return {"legacy_id": legacy_id, "first_name": first, "last_name": last, "date_of_birth": dob, **extra}


def ann_smith(**extra: str) -> dict[str, str]:
    """Ann Smith, legacy ID L1, born 1 February 1980: the person most import tests start from."""
    return person_row("L1", "Ann", "Smith", "01/02/1980", **extra)


def case_row(legacy_ref: str, **extra: str) -> dict[str, str]:
    return {
        "legacy_ref": legacy_ref,
        "case_type": "ASB victim",
        "status": "Open",
        "opened_on": "03/02/2024",
        "lead_organisation": "Surrey Heath Council",
        "risk_level": "Medium",
        "summary": f"Case {legacy_ref}",
        **extra,
    }


def party(
    number: int, role: str = "", *, legacy_id: str = "", first: str = "", last: str = "", dob: str = ""
) -> dict[str, str]:
    """The person_<number>_ columns of a case row; empty ones are left out, as the file leaves them blank."""
    values = {"legacy_id": legacy_id, "first_name": first, "last_name": last, "date_of_birth": dob, "role": role}
    return {f"person_{number}_{column}": value for column, value in values.items() if value}


class ImportTestCase(PersonasTestCase):
    """Personas, with Surrey Heath's case types and categories, and uploads kept in a temporary folder."""

    media: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        partnership_seed_configuration(partnership=cls.surrey_heath)

    def setUp(self) -> None:
        super().setUp()
        self.media = tempfile.TemporaryDirectory()
        self.settings_override = override_settings(MEDIA_ROOT=self.media.name)
        self.settings_override.enable()

    def tearDown(self) -> None:
        self.settings_override.disable()
        self.media.cleanup()
        super().tearDown()

    def job(self, template: str, data: bytes, file_name: str = "file.csv", **options: Any) -> ImportJob:
        return services.create_job(
            actor=self.administrator,
            partnership=self.surrey_heath,
            template=template,
            data=data,
            file_name=file_name,
            **options,
        )

    def imported(self, template: str, data: bytes, **options: Any) -> services.Report:
        return services.run_import(self.job(template, data, **options))
