from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casebridge.audit.models import AuditEvent
from casebridge.cases.models import Document
from casebridge.cases.tests.base import PDF
from casebridge.interventions.models import Intervention, InterventionDocument
from casebridge.interventions.tests.base import InterventionsTestCase


class InterventionDocumentTests(InterventionsTestCase):
    def upload(
        self,
        intervention: Intervention,
        name: str = "abc-signed.pdf",
        content: bytes = PDF,
    ) -> Any:
        url = reverse("interventions:document_add", args=[intervention.public_id])
        return self.client.post(url, {"title": "Signed contract", "file": SimpleUploadedFile(name, content)})

    def test_a_document_uploaded_on_an_intervention_is_a_case_document_listed_on_the_intervention(self):
        abc = self.issue("abc", self.lee)
        self.sign_in(self.asb_officer)
        response = self.upload(abc)
        assert response.status_code == 302
        document = Document.objects.get(intervention_link__intervention=abc)
        assert (document.case, document.title) == (self.case, "Signed contract")
        assert document.content_type == "application/pdf"
        page = self.client.get(reverse("interventions:detail", args=[abc.public_id]))
        self.assertContains(page, reverse("cases:document", args=[document.public_id]))
        self.assertContains(page, "Signed contract")
        assert AuditEvent.objects.filter(action="changed", data__document_added=str(document.public_id)).exists()

    def test_the_document_downloads_through_the_case_download_view(self):
        abc = self.issue("abc", self.lee)
        self.sign_in(self.asb_officer)
        self.upload(abc)
        document = Document.objects.get(intervention_link__intervention=abc)
        response = self.client.get(reverse("cases:document", args=[document.public_id]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]

    def test_a_file_of_the_wrong_type_is_refused_with_a_clear_message(self):
        abc = self.issue("abc", self.lee)
        self.sign_in(self.asb_officer)
        response = self.upload(abc, name="contract.pdf", content=b"<script>alert(1)</script>")
        assert response.status_code == 200
        self.assertContains(response, "must be a PDF")
        assert not InterventionDocument.objects.exists()
        assert not Document.objects.filter(title="Signed contract").exists()

    def test_someone_who_cannot_see_the_case_gets_404_for_the_upload_and_the_document(self):
        abc = self.issue("abc", self.lee)
        self.sign_in(self.asb_officer)
        self.upload(abc)
        document = Document.objects.get(intervention_link__intervention=abc)
        self.client.logout()
        for persona in (self.police_officer, self.other_partnership_user):
            self.sign_in(persona)
            with self.subTest(persona=persona.email):
                assert self.upload(abc).status_code == 404
                assert self.client.get(reverse("cases:document", args=[document.public_id])).status_code == 404
                assert self.client.get(reverse("interventions:detail", args=[abc.public_id])).status_code == 404
            self.client.logout()
        assert InterventionDocument.objects.count() == 1
