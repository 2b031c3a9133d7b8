"""Triage shows only the places the coordinator may open; others by their postcode alone."""

from django.urls import reverse

from casebridge.cases import services as case_services
from casebridge.people import services as people_services
from casebridge.people.models import Location
from casebridge.referrals import services
from casebridge.referrals.models import Referral
from casebridge.referrals.tests.base import ReferralsTestCase, referral_fields


class TriagePlacesTests(ReferralsTestCase):
    police_place: Location
    place_referral: Referral

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.police_place = people_services.location_create(
            actor=cls.police_officer,
            partnership=cls.surrey_heath,
            address_line_1="Flat 3, 12 Mill Lane",
            address_line_2="Safe house annexe",
            town="Frimley",
            postcode="GU16 7AB",
        )
        case_services.case_location_add(actor=cls.police_officer, case=cls.police_case, location=cls.police_place)
        cls.place_referral = services.referral_create(
            actor=cls.support_worker,
            partnership=cls.surrey_heath,
            subjects=[services.SubjectData(kind="location", address="Flat 3, 12 Mill Lane", postcode="gu16 7ab")],
            **referral_fields(
                subject_kind="location", consent="not_sought", lawful_basis="", consent_not_sought_reason="A place."
            ),
        )

    def test_triage_does_not_show_the_full_address_of_a_place_the_coordinator_may_not_open(self):
        self.sign_in(self.coordinator)
        response = self.client.get(reverse("referrals:detail", args=[self.place_referral.public_id]))
        assert response.status_code == 200
        self.assertContains(response, "A place at GU16 7AB you may not open")
        self.assertNotContains(response, "Safe house annexe")
        self.assertNotContains(response, "Frimley")
        self.assertNotContains(response, str(self.police_place.public_id))

    def test_triage_links_a_place_the_coordinator_may_open(self):
        own_place = people_services.location_create(
            actor=self.asb_officer, partnership=self.surrey_heath, address_line_1="14 Mill Lane", postcode="GU16 7AB"
        )
        self.sign_in(self.coordinator)
        response = self.client.get(reverse("referrals:detail", args=[self.place_referral.public_id]))
        self.assertContains(response, reverse("people:location", args=[own_place.public_id]))

    def test_accepting_a_referral_does_not_open_a_place_the_coordinator_may_not_see(self):
        self.sign_in(self.coordinator)
        response = self.client.post(
            reverse("referrals:accept", args=[self.place_referral.public_id]),
            {"version": self.place_referral.version, "case_type": self.victim_type.pk, "risk_level": "medium"},
        )
        assert response.status_code == 302
        self.place_referral.refresh_from_db()
        case = self.place_referral.case
        assert case is not None
        linked = case.case_locations.get().location
        assert linked != self.police_place
        assert self.client.get(reverse("people:location", args=[self.police_place.public_id])).status_code == 404
