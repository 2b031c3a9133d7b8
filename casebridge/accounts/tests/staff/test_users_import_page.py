from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casebridge.accounts.models import User
from casebridge.organisations.tests.base import UserAdminTestCase

CSV = (
    b"email,first_name,last_name,organisation,team,partnership,role\n"
    b"nia.grant@council.example,Nia,Grant,Surrey Heath Council,,,practitioner\n"
    b'bad@council.example,"=HYPERLINK(""http://x.example"")",Y,Surrey Heath Council,,,practitioner\n'
    b"rita@runnymede.example,Rita,Jones,Runnymede Council,,,practitioner\n"
)


class UsersImportPageTests(UserAdminTestCase):
    def upload(self, content: bytes, name: str = "users.csv", **data: Any) -> Any:
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                reverse("organisations:users_import"),
                {"file": SimpleUploadedFile(name, content, content_type="text/csv"), **data},
                follow=True,
            )

    def test_upload_imports_into_the_administrators_partnership_and_shows_the_report(self):
        self.sign_in(self.administrator)
        response = self.upload(CSV)
        report = response.context["report"]
        assert (report.created, report.updated, report.unchanged, report.rows_with_errors) == (1, 0, 0, 2)
        assert User.objects.get(email="nia.grant@council.example").role_in(self.surrey_heath) == "practitioner"
        self.assertContains(response, "Runnymede Council does not take part in Surrey Heath.")
        self.assertContains(response, "=HYPERLINK(&quot;http://x.example&quot;)")
        assert len(mail.outbox) == 1

    def test_errors_download_as_csv_with_formulas_neutralised(self):
        self.sign_in(self.administrator)
        response = self.upload(CSV)
        download = self.client.get(reverse("organisations:users_import_errors", args=[response.context["report_id"]]))
        assert download["Content-Type"].startswith("text/csv")
        body = download.content.decode("utf-8-sig")
        assert body.splitlines()[0] == "row,column,value,reason"
        assert '3,first_name,"\'=HYPERLINK(""http://x.example"")"' in body
        assert "4,organisation,Runnymede Council" in body

    def test_another_administrator_cannot_read_the_report(self):
        self.sign_in(self.administrator)
        report_id = self.upload(CSV).context["report_id"]
        self.client.logout()
        self.sign_in(self.other_administrator)
        url = reverse("organisations:users_import_report", args=[report_id])
        assert self.client.get(url).status_code == 404

    def test_a_file_that_is_not_csv_gets_a_clear_error(self):
        self.sign_in(self.administrator)
        response = self.upload(b"%PDF-1.7", name="users.pdf")
        self.assertContains(response, "The selected file must be a CSV file.")
        response = self.upload(b"PK\x03\x04\x00\x00", name="users.csv")
        self.assertContains(response, "The selected file must be a CSV file.")

    def test_a_malformed_csv_gets_a_clear_error(self):
        self.sign_in(self.administrator)
        response = self.upload(b"name,age\nx,1\n")
        self.assertContains(response, "The file is missing the columns: email, first_name, last_name, organisation")

    def test_files_over_2_mb_are_refused(self):
        self.sign_in(self.administrator)
        response = self.upload(b"email\n" + b"a" * (2 * 1024 * 1024))
        self.assertContains(response, "The selected file must be smaller than 2 MB.")

    def test_dry_run_saves_nothing(self):
        self.sign_in(self.administrator)
        response = self.upload(CSV, dry_run="on")
        self.assertContains(response, "nothing was saved")
        assert not User.objects.filter(email="nia.grant@council.example").exists()

    def test_a_long_s_spelling_of_an_existing_address_updates_that_user(self):
        self.sign_in(self.administrator)
        csv = "email,first_name,last_name,organisation,team,partnership,role\n"
        csv += "alex.morgan@council.example,Alex,Morgan-Hale,Surrey Heath Council,,,practitioner\n"
        csv += "\u017fam.taylor@charity.example,Sam,Taylor,Safer Lives,,,analyst\n"
        response = self.upload(csv.encode())
        report = response.context["report"]
        assert (report.created, report.updated, report.rows_with_errors) == (0, 2, 0)
        assert User.objects.get(pk=self.support_worker.pk).role_in(self.surrey_heath) == "analyst"
        assert User.objects.get(pk=self.asb_officer.pk).last_name == "Morgan-Hale"
