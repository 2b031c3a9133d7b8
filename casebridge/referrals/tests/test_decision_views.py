from django.urls import reverse

from casebridge.notifications.models import Notification
from casebridge.referrals.models import Status
from casebridge.referrals.tests.base import ReferralsTestCase


class DecisionViewTests(ReferralsTestCase):
    def test_the_coordinator_accepts_into_a_new_case_linking_the_existing_person(self):
        self.sign_in(self.coordinator)
        subject = self.referral.subjects.get()
        response = self.client.post(
            reverse("referrals:accept", args=[self.referral.public_id]),
            {
                "version": self.referral.version,
                "case_type": self.victim_type.pk,
                "risk_level": "high",
                f"subject_{subject.pk}": str(self.victim.public_id),
            },
        )
        self.referral.refresh_from_db()
        case = self.referral.case
        assert case is not None
        self.assertRedirects(response, reverse("cases:summary", args=[case.reference]))
        assert case.parties.get().person == self.victim

    def test_accepting_without_a_case_or_type_explains_what_is_missing(self):
        self.sign_in(self.coordinator)
        response = self.client.post(
            reverse("referrals:accept", args=[self.referral.public_id]), {"version": self.referral.version}
        )
        self.assertContains(response, "Select the type of the new case, or choose an existing case.")

    def test_an_invisible_case_cannot_be_chosen_to_attach_to(self):
        self.sign_in(self.coordinator)
        response = self.client.post(
            reverse("referrals:accept", args=[self.referral.public_id]),
            {"version": self.referral.version, "existing_case": self.police_case.reference},
        )
        self.assertContains(response, "Choose a case from the list.")
        self.referral.refresh_from_db()
        assert self.referral.status == Status.SUBMITTED

    def test_the_coordinator_declines_and_the_referrer_sees_the_reason(self):
        self.sign_in(self.coordinator)
        self.client.post(
            reverse("referrals:decline", args=[self.referral.public_id]),
            {"version": self.referral.version, "reason": "Refer to the housing provider instead."},
        )
        self.sign_in(self.police_officer)
        response = self.client.get(reverse("referrals:detail", args=[self.referral.public_id]))
        self.assertContains(response, "Refer to the housing provider instead.")
        self.assertContains(response, "Declined")
        notifications = self.client.get(reverse("notifications:list"))
        self.assertContains(notifications, "Referral decision")
        self.assertContains(notifications, "Your referral was declined.")
        assert Notification.objects.filter(user=self.police_officer, kind="referral_decision").count() == 1

    def test_more_information_round_trip(self):
        self.sign_in(self.coordinator)
        self.client.post(
            reverse("referrals:more_info", args=[self.referral.public_id]),
            {"version": self.referral.version, "question": "Which dates?"},
        )
        self.referral.refresh_from_db()
        self.sign_in(self.police_officer)
        response = self.client.post(
            reverse("referrals:respond", args=[self.referral.public_id]),
            {"version": self.referral.version, "text": "The 1st and 3rd."},
        )
        self.assertRedirects(response, reverse("referrals:detail", args=[self.referral.public_id]))
        self.referral.refresh_from_db()
        assert self.referral.status == Status.SUBMITTED

    def test_a_decided_referral_sends_the_coordinator_back_to_it(self):
        self.sign_in(self.coordinator)
        url = reverse("referrals:decline", args=[self.referral.public_id])
        self.client.post(url, {"version": self.referral.version, "reason": "No."})
        self.assertRedirects(self.client.get(url), reverse("referrals:detail", args=[self.referral.public_id]))

    def test_the_referrer_downloads_their_document(self):
        self.sign_in(self.police_officer)
        document = self.referral.documents.get()
        response = self.client.get(reverse("referrals:document", args=[document.public_id]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
