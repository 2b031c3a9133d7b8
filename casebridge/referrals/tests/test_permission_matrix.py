"""Every referrals URL against every persona: who may see, who gets 404."""

from django.urls import reverse

from casebridge.referrals.models import Referral, Status
from casebridge.referrals.tests.base import ReferralsTestCase

OK, GONE = 200, 404


class ReferralPermissionMatrixTests(ReferralsTestCase):
    def urls(self) -> dict[str, str]:
        pid = self.referral.public_id
        return {
            "mine": reverse("referrals:mine"),
            "create": reverse("referrals:create"),
            "queue": reverse("referrals:queue"),
            "detail": reverse("referrals:detail", args=[pid]),
            "accept": reverse("referrals:accept", args=[pid]),
            "decline": reverse("referrals:decline", args=[pid]),
            "more_info": reverse("referrals:more_info", args=[pid]),
            "document": reverse("referrals:document", args=[self.referral.documents.get().public_id]),
        }

    def expectations(self) -> dict[str, dict[str, int]]:
        everything = dict.fromkeys(self.urls(), OK)
        nothing = dict.fromkeys(self.urls(), GONE)
        practitioner = {**nothing, "mine": OK, "create": OK}
        referrer = {**practitioner, "detail": OK, "document": OK}
        return {
            "coordinator": everything,
            "administrator": practitioner,
            "police_officer": referrer,
            "asb_officer": practitioner,
            "colleague": practitioner,
            "council_manager": practitioner,
            "police_manager": practitioner,
            "support_worker": practitioner,
            "analyst": nothing,
            "auditor": nothing,
            "other_partnership_user": practitioner,
        }

    def test_every_url_for_every_persona(self):
        urls = self.urls()
        for persona, expected in self.expectations().items():
            self.sign_in(getattr(self, persona))
            for name, url in urls.items():
                with self.subTest(persona=persona, url=name):
                    assert self.client.get(url).status_code == expected[name]

    def test_signed_out_visitors_are_sent_to_sign_in(self):
        for name, url in self.urls().items():
            with self.subTest(url=name):
                assert self.client.get(url).status_code == 302

    def test_only_the_referrer_may_answer_a_request_for_more_information(self):
        Referral.objects.filter(pk=self.referral.pk).update(status=Status.MORE_INFO)
        url = reverse("referrals:respond", args=[self.referral.public_id])
        assert self.client.get(url).status_code == 302
        for persona in self.expectations():
            self.sign_in(getattr(self, persona))
            with self.subTest(persona=persona):
                expected = OK if persona == "police_officer" else GONE
                assert self.client.get(url).status_code == expected

    def test_nobody_may_answer_when_no_information_was_asked_for(self):
        self.sign_in(self.police_officer)
        assert self.client.get(reverse("referrals:respond", args=[self.referral.public_id])).status_code == GONE
