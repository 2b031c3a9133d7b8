import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from casebridge.audit.models import Action, AuditEvent
from casebridge.cases import documents, services
from casebridge.cases.tests.base import PDF, CasesTestCase


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


class DocumentContentTests(CasesTestCase):
    def test_a_pdf_is_recognised_by_its_content(self):
        assert documents.check_upload(SimpleUploadedFile("anything.bin", PDF)) == "application/pdf"

    def test_a_word_document_is_recognised_by_its_parts(self):
        kind = documents.check_upload(SimpleUploadedFile("letter.docx", docx_bytes()))
        assert kind.endswith("wordprocessingml.document")

    def test_text_named_as_a_pdf_is_refused(self):
        with pytest.raises(ValidationError, match="must be a PDF"):
            documents.check_upload(SimpleUploadedFile("report.pdf", b"<script>alert(1)</script>"))

    def test_a_program_named_as_an_image_is_refused(self):
        with pytest.raises(ValidationError):
            documents.check_upload(SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 100))

    def test_a_plain_zip_is_not_taken_for_an_office_file(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("evil.sh", "rm -rf /")
        with pytest.raises(ValidationError):
            documents.check_upload(SimpleUploadedFile("sheet.xlsx", buffer.getvalue()))

    @override_settings(UPLOAD_MAX_BYTES=10)
    def test_a_file_over_the_size_limit_is_refused(self):
        with pytest.raises(ValidationError, match="smaller than"):
            documents.check_upload(SimpleUploadedFile("big.pdf", PDF))

    def test_an_upload_is_stored_under_media_root_with_a_random_name(self):
        document = services.document_upload(
            actor=self.asb_officer, case=self.case, file=SimpleUploadedFile("My letter.pdf", PDF), title="Letter"
        )
        path = documents.path_of(document.stored_name)
        assert path.read_bytes() == PDF
        assert Path(settings.MEDIA_ROOT) in path.parents
        assert "letter" not in document.stored_name.lower()
        assert len(document.stored_name) == 64


class DocumentViewTests(CasesTestCase):
    def test_upload_page_refuses_a_file_whose_content_is_not_allowed_with_a_clear_error(self):
        self.sign_in(self.asb_officer)
        response = self.client.post(
            reverse("cases:document_upload", args=[self.case.reference]),
            {"title": "Fake", "file": SimpleUploadedFile("fake.pdf", b"just text"), "restriction": ""},
        )
        assert response.status_code == 200
        self.assertContains(response, "must be a PDF, an image")

    def test_download_returns_the_file_as_an_attachment_and_is_audited(self):
        self.sign_in(self.support_worker)
        response = self.client.get(reverse("cases:document", args=[self.document.public_id]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Type"] == "application/pdf"
        assert AuditEvent.objects.filter(
            action=Action.DOWNLOADED, actor=self.support_worker, object_id=str(self.document.public_id)
        ).exists()

    def test_a_restricted_document_is_404_for_a_partner_the_case_is_shared_with(self):
        self.sign_in(self.support_worker)
        response = self.client.get(reverse("cases:document", args=[self.restricted_document.public_id]))
        assert response.status_code == 404


# A file that is a PDF to a PDF reader and a page to a browser.
POLYGLOT = PDF + b"<html><script>alert(document.domain)</script></html>\n"


class UploadExtensionTests(CasesTestCase):
    def test_an_upload_does_not_keep_its_own_extension(self):
        self.sign_in(self.asb_officer)
        response = self.client.post(
            reverse("cases:document_upload", args=[self.case.reference]),
            {"title": "Map", "file": SimpleUploadedFile("poly.html", POLYGLOT, "text/html"), "restriction": ""},
        )
        assert response.status_code == 302
        document = self.case.documents.get(title="Map")
        assert (document.content_type, document.original_name) == ("application/pdf", "poly.pdf")
        assert "." not in document.stored_name
        assert documents.path_of(document.stored_name).read_bytes() == POLYGLOT

        download = self.client.get(reverse("cases:document", args=[document.public_id]))
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"] == 'attachment; filename="poly.pdf"'
        assert download["X-Content-Type-Options"] == "nosniff"
        assert b"".join(download.streaming_content) == POLYGLOT  # type: ignore[attr-defined]

    def test_a_document_stored_with_its_own_extension_is_still_downloaded_with_one_its_content_allows(self):
        self.document.original_name = "report.html"
        self.document.save(update_fields=["original_name"])
        self.sign_in(self.asb_officer)
        download = self.client.get(reverse("cases:document", args=[self.document.public_id]))
        assert download["Content-Disposition"] == 'attachment; filename="report.pdf"'


def test_a_download_name_has_no_folders_or_control_characters_and_an_extension_its_content_allows():
    assert documents.file_name("..\\..\\run.exe", "image/png") == "run.png"
    assert documents.file_name("photo.JPEG", "image/jpeg") == "photo.jpeg"
    assert documents.file_name("minutes.xls", "application/vnd.ms-office") == "minutes.xls"
    assert documents.file_name("minutes.html", "application/vnd.ms-office") == "minutes"
    assert documents.file_name("evil\u202egnp.pdf", "application/pdf") == "evilgnp.pdf"
    assert documents.file_name("", "application/pdf") == "document.pdf"
