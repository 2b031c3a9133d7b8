"""The import_spreadsheet management command."""

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from casebridge.imports.models import ImportJob
from casebridge.imports.tests.helpers import ImportTestCase, ann_smith, people_csv, person_row
from casebridge.people.models import Person


class CommandTests(ImportTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)
        self.path = Path(self.folder.name) / "people.csv"
        self.path.write_bytes(people_csv(ann_smith(), person_row("L2", "", "Jones")))

    def run_command(self, *args: str) -> str:
        out = StringIO()
        call_command("import_spreadsheet", *args, stdout=out)
        return out.getvalue()

    def test_dry_run_prints_the_report_and_writes_nothing(self) -> None:
        output = self.run_command(str(self.path), "--template", "people", "--partnership", "SH", "--dry-run")
        assert "Dry run: nothing was written." in output
        assert "To create: 1" in output
        assert "Error: Row 3, first_name: First name is missing." in output
        assert Person.objects.count() == 0

    def test_import_as_a_named_user_with_a_mapping_file(self) -> None:
        self.path.write_bytes(b"Ref,Given,Family\nL1,Ann,Smith\n")
        mapping = Path(self.folder.name) / "mapping.json"
        mapping.write_text(json.dumps({"columns": {"Ref": "legacy_id", "Given": "first_name", "Family": "last_name"}}))
        output = self.run_command(
            str(self.path),
            "--template=people",
            "--partnership=SH",
            f"--mapping={mapping}",
            f"--user={self.administrator.email}",
        )
        assert "Import finished." in output
        assert "Created: 1" in output
        assert Person.objects.get().import_job == ImportJob.objects.get()
        assert ImportJob.objects.get().created_by == self.administrator

    def test_a_bad_file_is_a_plain_error(self) -> None:
        self.path.write_bytes(b"legacy_id,first_name,last_name\n")
        with self.assertRaisesMessage(CommandError, "The file has a heading row but no rows of data."):
            self.run_command(str(self.path), "--template", "people", "--partnership", "SH")

    def test_someone_who_may_not_import(self) -> None:
        with self.assertRaisesMessage(CommandError, "may not import into SH"):
            self.run_command(
                str(self.path), "--template", "people", "--partnership", "SH", "--user", self.asb_officer.email
            )

    def test_the_user_is_found_by_a_dotless_i_spelling_of_their_email(self) -> None:
        output = self.run_command(
            str(self.path), "--template=people", "--partnership=SH", "--user=ada.lovell@counc\u0131l.example"
        )
        assert "Import finished." in output
        assert ImportJob.objects.get().created_by == self.administrator
