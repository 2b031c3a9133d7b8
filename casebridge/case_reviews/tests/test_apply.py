"""The public application for an ASB Case Review, question by question."""

import datetime
from typing import Any

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from casebridge.audit.models import AuditEvent
from casebridge.case_reviews.models import CaseReview, Channel
from casebridge.case_reviews.tests.base import ReviewsTestCase

TODAY = timezone.localdate()


def date_parts(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def a_complaint(days_ago: int, to: str = "Surrey Police") -> dict[str, str]:
    occurred = TODAY - datetime.timedelta(days=days_ago)
    return {
        **date_parts("occurred", occurred),
        **date_parts("reported", occurred + datetime.timedelta(days=1)),
        "reported_to": to,
        "description": "Stones thrown at the window.",
    }


class ApplyTests(ReviewsTestCase):
    def post(self, name: str, data: dict[str, Any]) -> Any:
        return self.client.post(reverse(f"case_reviews:{name}"), data)

    def answer_up_to_the_problem(self, summary: str = "Noise.") -> Any:
        """The victim applies from Surrey Heath and describes the problem; the page's answer."""
        self.post("apply_who", {"applicant_role": "victim"})
        self.post("apply_where", {"postcode": "GU15 3HD"})
        return self.post("apply_problem", {"summary": summary})

    def apply(self, *, who: str = "victim", postcode: str = "GU15 3HD", contact: dict[str, str] | None = None) -> Any:
        assert self.post("apply_who", {"applicant_role": who}).status_code == 302
        if who == "on_behalf":
            consent = {"victim_name": "Ann Other", "relationship": "Daughter", "consent_given": "on"}
            assert self.post("apply_consent", consent).status_code == 302
        assert self.post("apply_where", {"postcode": postcode}).status_code == 302
        assert self.post("apply_problem", {"summary": "Noise and threats from the flat above."}).status_code == 302
        for days in (90, 40, 5):
            assert self.post("apply_complaint", a_complaint(days)).status_code == 302
        assert self.post("apply_complaints", {"more": "no"}).status_code == 302
        details = contact or {"applicant_name": "Ann Other", "applicant_email": "ann@example.com"}
        assert self.post("apply_contact", details).status_code == 302
        return self.post("apply_check", {})

    def test_a_victim_applies_and_gets_a_reference_by_email(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.apply()
        self.assertRedirects(response, reverse("case_reviews:apply_confirmation"))
        review = CaseReview.objects.get(channel=Channel.ONLINE)
        assert review.partnership == self.surrey_heath
        assert review.complaints.count() == 3
        assert review.acknowledged_on == TODAY  # the email is the acknowledgement
        assert mail.outbox[-1].to == ["ann@example.com"]
        assert review.reference in mail.outbox[-1].body
        self.assertContains(self.client.get(reverse("case_reviews:apply_confirmation")), review.reference)
        event = AuditEvent.objects.get(object_id=str(review.public_id))
        assert event.actor_id is None
        assert event.actor_label == "Online ASB Case Review application"

    def test_someone_applies_for_the_victim_with_their_consent(self):
        self.apply(who="on_behalf", contact={"applicant_name": "Bo Other", "applicant_phone": "01276 707100"})
        review = CaseReview.objects.get(channel=Channel.ONLINE)
        assert (review.applicant_role, review.victim_name, review.consent_given) == ("on_behalf", "Ann Other", True)
        assert review.acknowledged_on is None

    def test_applying_for_someone_needs_their_consent(self):
        self.post("apply_who", {"applicant_role": "on_behalf"})
        response = self.post("apply_consent", {"victim_name": "Ann Other", "relationship": "Daughter"})
        self.assertContains(response, "Confirm that the victim has agreed to you applying for them.")
        self.assertContains(response, 'value="Ann Other"')

    def test_an_error_keeps_what_was_typed_and_once_fixed_the_application_goes_on(self):
        self.answer_up_to_the_problem()
        bad = {**a_complaint(10), "reported_day": "31", "reported_month": "2"}
        response = self.post("apply_complaint", bad)
        self.assertContains(response, "The date must be a real date, like 27 3 2026.")
        self.assertContains(response, 'value="Surrey Police"')
        self.assertContains(response, "Stones thrown at the window.")
        self.assertRedirects(self.post("apply_complaint", a_complaint(10)), reverse("case_reviews:apply_complaints"))

    def test_reported_before_it_happened_is_refused(self):
        occurred = TODAY - datetime.timedelta(days=5)
        data = {**a_complaint(5), **date_parts("reported", occurred - datetime.timedelta(days=1))}
        self.answer_up_to_the_problem()
        self.assertContains(self.post("apply_complaint", data), "must be on or after the date of the incident")

    def test_a_postcode_outside_every_partnership_gets_a_clear_answer(self):
        self.post("apply_who", {"applicant_role": "victim"})
        response = self.post("apply_where", {"postcode": "SW1A 1AA"})
        self.assertContains(response, "We cannot take applications for SW1A 1AA online.")
        self.assertContains(self.post("apply_where", {"postcode": "not a postcode"}), "Enter a real UK postcode")

    def test_each_application_goes_to_its_own_partnership_only(self):
        self.apply(postcode="KT16 9AA")
        review = CaseReview.objects.get(channel=Channel.ONLINE)
        assert review.partnership == self.runnymede
        self.sign_in(self.coordinator)
        self.assertNotContains(self.client.get(reverse("case_reviews:list") + "?state="), review.reference)
        assert self.client.get(reverse("case_reviews:detail", args=[review.public_id])).status_code == 404

    def test_oversized_answers_are_refused_with_a_message(self):
        response = self.answer_up_to_the_problem("x" * 2001)
        self.assertContains(response, "The description must be 2000 characters or fewer.")
        self.assertContains(response, "There is a problem")
        self.post("apply_problem", {"summary": "Noise."})
        response = self.post("apply_complaint", {**a_complaint(3), "reported_to": "y" * 201})
        self.assertContains(response, "This must be 200 characters or fewer.")

    def test_script_tags_are_shown_as_text(self):
        script = "<script>alert('x')</script>"
        self.answer_up_to_the_problem(script)
        for days in (90, 40, 5):
            self.post("apply_complaint", {**a_complaint(days), "reported_to": script})
        self.post("apply_complaints", {"more": "no"})
        self.post("apply_contact", {"applicant_name": script, "applicant_email": "ann@example.com"})
        page = self.client.get(reverse("case_reviews:apply_check")).content.decode()
        assert script not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
        self.post("apply_check", {})
        review = CaseReview.objects.get(channel=Channel.ONLINE)
        self.sign_in(self.coordinator)
        page = self.client.get(reverse("case_reviews:detail", args=[review.public_id])).content.decode()
        assert script not in page
        assert "&lt;script&gt;" in page

    def test_the_honeypot_turns_a_robot_away(self):
        response = self.post("apply_who", {"applicant_role": "victim", "website": "http://spam.example"})
        assert response.status_code == 400
        assert "case_review_application" not in self.client.session

    @override_settings(PUBLIC_CASE_REVIEWS_PER_HOUR=2)
    def test_a_flood_from_one_address_is_held_back_and_nothing_typed_is_lost(self):
        self.apply()
        self.apply()
        response = self.apply()
        assert response.status_code == 429
        self.assertContains(response, "Nothing you entered has been lost", status_code=429)
        assert CaseReview.objects.filter(channel=Channel.ONLINE).count() == 2
        assert self.client.session["case_review_application"]["problem"]

    def test_pages_cannot_be_skipped(self):
        self.assertRedirects(self.client.get(reverse("case_reviews:apply_check")), reverse("case_reviews:apply_who"))
        self.post("apply_who", {"applicant_role": "on_behalf"})
        self.assertRedirects(
            self.client.get(reverse("case_reviews:apply_where")), reverse("case_reviews:apply_consent")
        )

    def test_a_complaint_can_be_removed(self):
        self.answer_up_to_the_problem()
        self.post("apply_complaint", a_complaint(5, to="First"))
        self.post("apply_complaint", a_complaint(6, to="Second"))
        self.post("apply_complaints", {"remove": "0"})
        page = self.client.get(reverse("case_reviews:apply_complaints"))
        self.assertNotContains(page, "First")
        self.assertContains(page, "Second")

    def test_a_way_to_hear_back_is_needed(self):
        self.answer_up_to_the_problem()
        self.post("apply_complaint", a_complaint(5))
        self.post("apply_complaints", {"more": "no"})
        response = self.post("apply_contact", {"applicant_name": "Ann"})
        self.assertContains(response, "so that we can tell you our decision")
