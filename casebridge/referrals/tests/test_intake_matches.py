from django.urls import reverse

from casebridge.referrals import services
from casebridge.referrals.selectors import intake_matches
from casebridge.referrals.tests.base import ReferralsTestCase, referral_fields


class IntakeMatchesTests(ReferralsTestCase):
    def test_a_misspelt_name_still_finds_the_existing_person_and_their_open_case(self):
        referral = services.referral_create(
            actor=self.asb_officer,
            partnership=self.surrey_heath,
            subjects=[services.SubjectData(first_name="Dana", last_name="Whitlok")],
            **referral_fields(),
        )
        matches = intake_matches(user=self.coordinator, referral=referral)
        assert [r.person for r in matches.people] == [self.victim]
        assert [(r.case, r.visible) for r in matches.cases] == [(self.case, True)]

    def test_a_case_the_coordinator_cannot_see_is_shown_existence_only(self):
        matches = intake_matches(user=self.coordinator, referral=self.charity_referral)
        assert [(r.case, r.visible) for r in matches.cases] == [(self.police_case, False)]
        self.sign_in(self.coordinator)
        response = self.client.get(reverse("referrals:detail", args=[self.charity_referral.public_id]))
        self.assertContains(response, "An open case held by Surrey Police")
        self.assertNotContains(response, self.police_case.reference)

    def test_places_match_by_postcode(self):
        from casebridge.people import services as people_services

        place = people_services.location_create(
            actor=self.asb_officer, partnership=self.surrey_heath, address_line_1="1 Park Street", postcode="GU15 3HD"
        )
        referral = services.referral_create(
            actor=self.asb_officer,
            partnership=self.surrey_heath,
            subjects=[services.SubjectData(kind="location", address="Park Street", postcode="gu15 3hd")],
            **referral_fields(),
        )
        assert intake_matches(user=self.coordinator, referral=referral).locations == [place]
