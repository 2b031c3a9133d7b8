"""The pages follow the capability table: triage, reviews and merging are the coordinator's,
configuration the administrator's, and the navigation offers no more than that."""

from django.urls import reverse

from tests.personas import PersonasTestCase


class CapabilityPagesTests(PersonasTestCase):
    def status(self, persona: str, url_name: str) -> int:
        self.sign_in(getattr(self, persona))
        return self.client.get(reverse(url_name)).status_code

    def test_an_administrator_cannot_triage_referrals(self) -> None:
        assert self.status("administrator", "referrals:queue") == 404
        assert self.status("coordinator", "referrals:queue") == 200

    def test_an_administrator_cannot_run_asb_case_reviews(self) -> None:
        assert self.status("administrator", "case_reviews:alerts") == 404
        assert self.status("coordinator", "case_reviews:alerts") == 200

    def test_administrators_and_managers_cannot_review_duplicates(self) -> None:
        for persona in ("administrator", "council_manager", "police_manager"):
            with self.subTest(persona=persona):
                assert self.status(persona, "matching:queue") == 403
        assert self.status("coordinator", "matching:queue") == 200

    def test_only_administrators_configure_the_partnership(self) -> None:
        for url_name in ("cases:configuration", "imports:start"):
            for persona in ("coordinator", "council_manager", "asb_officer"):
                with self.subTest(url=url_name, persona=persona):
                    assert self.status(persona, url_name) == 403
            assert self.status("administrator", url_name) == 200

    def test_the_figures_are_for_analysts_coordinators_and_administrators(self) -> None:
        for persona in ("analyst", "coordinator", "administrator"):
            with self.subTest(persona=persona):
                assert self.status(persona, "case_reviews:figures") == 200
        for persona in ("asb_officer", "council_manager", "auditor"):
            with self.subTest(persona=persona):
                assert self.status(persona, "case_reviews:figures") == 404

    def test_the_navigation_offers_only_what_the_capabilities_allow(self) -> None:
        self.sign_in(self.coordinator)
        home = self.client.get(reverse("home")).content.decode()
        manage = self.client.get(reverse("manage")).content.decode()
        assert reverse("referrals:queue") in home
        assert reverse("matching:queue") in manage
        assert reverse("cases:configuration") not in manage

        self.sign_in(self.administrator)
        home = self.client.get(reverse("home")).content.decode()
        manage = self.client.get(reverse("manage")).content.decode()
        assert reverse("referrals:queue") not in home
        assert reverse("matching:queue") not in manage
        assert reverse("cases:configuration") in manage

        self.sign_in(self.asb_officer)
        assert self.client.get(reverse("manage")).status_code == 404
