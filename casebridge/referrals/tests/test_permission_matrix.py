"""Every referrals URL against every persona: who may see, who gets 404."""

from django.urls import reverse

from casebridge.referrals.tests.base import ReferralsTestCase

OK, GONE = 200, 404


class ReferralPermissionMatrixTests(ReferralsTestCase):
    def urls(self) -> dict[str, str]:
        pid = self.referral.public_id
        return {
            "mine": reverse("referrals:mine"),
            "create": reverse("referrals:create"),
            "queue": reverse("referrals:queue"),
            "notifications": reverse("referrals:notifications"),
            "detail": reverse("referrals:detail", args=[pid]),
            "accept": reverse("referrals:accept", args=[pid]),
            "decline": reverse("referrals:decline", args=[pid]),
            "more_info": reverse("referrals:more_info", args=[pid]),
            "document": reverse("referrals:document", args=[self.referral.documents.get().public_id]),
        }

    def expectations(self) -> dict[str, dict[str, int]]:
        everything = dict.fromkeys(self.urls(), OK)
        nothing = dict.fromkeys(self.urls(), GONE)
        practitioner = {**nothing, "mine": OK, "create": OK, "notifications": OK}
        referrer = {**practitioner, "detail": OK, "document": OK}
        return {
            "coordinator": everything,
            "administrator": everything,
            "police_officer": referrer,
            "asb_officer": practitioner,
            "colleague": practitioner,
            "council_manager": practitioner,
            "police_manager": practitioner,
            "support_worker": practitioner,
            "analyst": {**nothing, "notifications": OK},
            "auditor": {**nothing, "notifications": OK},
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
