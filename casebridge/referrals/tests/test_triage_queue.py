from django.urls import reverse

from casebridge.referrals import services
from casebridge.referrals.tests.base import ReferralsTestCase


class TriageQueueTests(ReferralsTestCase):
    def test_urgent_referrals_come_first(self):
        self.sign_in(self.coordinator)
        response = self.client.get(reverse("referrals:queue"))
        page = list(response.context["page"].object_list)
        assert page == [self.charity_referral, self.referral]

    def test_filters_narrow_the_queue(self):
        self.sign_in(self.coordinator)
        response = self.client.get(reverse("referrals:queue"), {"purpose": "charmm"})
        assert list(response.context["page"].object_list) == [self.referral]

    def test_decided_referrals_leave_the_default_view(self):
        services.referral_decline(
            actor=self.coordinator, referral=self.referral, version=self.referral.version, reason="No."
        )
        self.sign_in(self.coordinator)
        response = self.client.get(reverse("referrals:queue"))
        assert list(response.context["page"].object_list) == [self.charity_referral]

    def test_the_number_of_queries_does_not_grow_with_the_queue(self):
        self.sign_in(self.coordinator)
        self.client.get(reverse("referrals:queue"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("referrals:queue"))
        for _ in range(10):
            self.refer()
        response = self.get_in_queries(len(few.captured_queries), reverse("referrals:queue"))
        assert len(response.context["page"].object_list) == 12

    def test_a_practitioner_has_no_queue(self):
        self.sign_in(self.asb_officer)
        assert self.client.get(reverse("referrals:queue")).status_code == 404
