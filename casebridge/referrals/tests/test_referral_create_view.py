from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casebridge.cases.tests.base import PDF
from casebridge.referrals.models import Referral
from casebridge.referrals.tests.base import ReferralsTestCase, referral_fields


def post_data(**overrides: str) -> dict[str, object]:
    """The create form's post: a referral of the underpass to the JAG, with room for two people."""
    fields = referral_fields(
        purpose="jag",
        subject_kind="location",
        reason="Drug dealing at the underpass.",
        evidence="",
        risk_level="standard",
        tried_already="",
        consent="not_sought",
        lawful_basis="",
        consent_not_sought_reason="A place, not a person.",
    )
    data: dict[str, object] = {
        **fields,
        "subject-TOTAL_FORMS": "3",
        "subject-INITIAL_FORMS": "0",
        "subject-MIN_NUM_FORMS": "0",
        "subject-MAX_NUM_FORMS": "6",
        "subject-0-kind": "location",
        "subject-0-address": "Underpass, Park Street",
        "subject-0-postcode": "gu153hd",
        "subject-1-kind": "person",
        "subject-2-kind": "person",
    }
    data.update(overrides)
    return data


class ReferralCreateViewTests(ReferralsTestCase):
    def test_a_practitioner_refers_a_place_with_a_document(self):
        self.sign_in(self.asb_officer)
        data = post_data()
        data["files"] = SimpleUploadedFile("map.pdf", PDF)
        response = self.client.post(reverse("referrals:create"), data)
        referral = Referral.objects.get(referred_by=self.asb_officer)
        self.assertRedirects(response, reverse("referrals:detail", args=[referral.public_id]))
        subject = referral.subjects.get()
        assert (subject.kind, subject.postcode) == ("location", "GU15 3HD")
        assert referral.documents.count() == 1

    def test_consent_not_given_without_a_basis_shows_the_error_and_keeps_the_answers(self):
        self.sign_in(self.asb_officer)
        response = self.client.post(reverse("referrals:create"), post_data(consent="not_given"))
        self.assertContains(response, "Select the lawful basis you are relying on")
        self.assertContains(response, "govuk-error-summary")
        self.assertContains(response, "Drug dealing at the underpass.")
        assert not Referral.objects.filter(referred_by=self.asb_officer).exists()

    def test_a_referral_with_no_subject_is_refused(self):
        self.sign_in(self.asb_officer)
        response = self.client.post(
            reverse("referrals:create"),
            post_data(**{"subject-0-kind": "person", "subject-0-address": "", "subject-0-postcode": ""}),
        )
        self.assertContains(response, "Enter at least one person or place")

    def test_a_file_of_the_wrong_type_is_refused_with_a_clear_message(self):
        self.sign_in(self.asb_officer)
        data = post_data()
        data["files"] = SimpleUploadedFile("evil.pdf", b"<script>alert(1)</script>")
        response = self.client.post(reverse("referrals:create"), data)
        self.assertContains(response, "must be a PDF, an image")
        assert not Referral.objects.filter(referred_by=self.asb_officer).exists()

    def test_script_in_text_is_stored_as_text_and_shown_escaped(self):
        self.sign_in(self.asb_officer)
        self.client.post(reverse("referrals:create"), post_data(reason="<script>alert('x')</script>"))
        referral = Referral.objects.get(referred_by=self.asb_officer)
        assert referral.reason == "<script>alert('x')</script>"
        response = self.client.get(reverse("referrals:detail", args=[referral.public_id]))
        self.assertNotContains(response, "<script>alert")
        self.assertContains(response, "&lt;script&gt;alert")

    def test_a_referral_document_does_not_keep_its_own_extension(self):
        self.sign_in(self.asb_officer)
        data = post_data()
        data["files"] = SimpleUploadedFile("poly.html", PDF + b"<html><script>alert(1)</script></html>", "text/html")
        self.client.post(reverse("referrals:create"), data)
        document = Referral.objects.get(referred_by=self.asb_officer).documents.get()
        assert (document.content_type, document.original_name) == ("application/pdf", "poly.pdf")
        download = self.client.get(reverse("referrals:document", args=[document.public_id]))
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"] == 'attachment; filename="poly.pdf"'
        assert download["X-Content-Type-Options"] == "nosniff"
