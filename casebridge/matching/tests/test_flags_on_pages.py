"""Repeat flags on the case lists, in person search and on the location page: correct, existence only, no N+1."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casebridge.cases import services as case_services
from casebridge.cases.models import Restriction
from casebridge.matching.tests.base import DuplicatesTestCase
from casebridge.people import services as people_services
from casebridge.people.models import Location


class FlagsOnPagesTestCase(DuplicatesTestCase):
    place: Location

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.place = people_services.location_create(
            actor=cls.asb_officer, partnership=cls.surrey_heath, kind="place", place_name="Park Street car park"
        )

    def incidents(self, count: int, *, case=None, location=None, restriction: str = Restriction.NONE) -> None:
        for number in range(count):
            moment = timezone.now() - datetime.timedelta(days=10 + number * 5)
            self.incident_on(moment, case=case, location=location, restriction=restriction)


class CaseListFlagsTests(FlagsOnPagesTestCase):
    def test_every_case_list_tags_a_case_with_a_repeat_victim_and_a_hotspot(self):
        self.incidents(3, location=self.place)
        for user, name in (
            (self.asb_officer, "cases:mine"),
            (self.asb_officer, "cases:organisation"),
            (self.support_worker, "cases:shared"),
        ):
            with self.subTest(name):
                self.sign_in(user)
                response = self.client.get(reverse(name))
                self.assertContains(response, self.case.reference)
                self.assertContains(response, "Repeat victim")
                self.assertContains(response, "Hotspot")

    def test_a_case_without_repeats_has_no_tags(self):
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("cases:mine"))
        self.assertContains(response, self.case.reference)
        self.assertNotContains(response, "Repeat victim")
        self.assertNotContains(response, "Hotspot")

    def test_a_perpetrator_in_two_cases_tags_both(self):
        case_services.case_party_add(
            actor=self.asb_officer, case=self.private_case, person=self.jon, role="perpetrator"
        )
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("cases:mine"))
        assert response.content.decode().count("Repeat perpetrator") == 2

    def test_flags_cost_the_same_queries_for_one_row_or_many(self):
        self.incidents(3, location=self.place)
        self.sign_in(self.asb_officer)
        self.client.get(reverse("cases:organisation"))
        with self.assertNumQueries(19) as small:
            self.client.get(reverse("cases:organisation"))
        for _ in range(12):
            extra = self.new_case(risk_level="high")
            case_services.case_party_add(actor=self.asb_officer, case=extra, person=self.neighbour, role="victim")
            self.incidents(1, case=extra, location=self.place)
        response = self.get_in_queries(len(small.captured_queries), reverse("cases:organisation"))
        assert response.content.decode().count("Hotspot") == 13


class SearchFlagsTests(FlagsOnPagesTestCase):
    def test_a_person_the_user_may_see_shows_their_flags(self):
        self.incidents(3)
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("people:search"), {"q": "Whitlock"})
        self.assertContains(response, "Dana Whitlock")
        self.assertContains(response, "Repeat victim")

    def test_a_person_the_user_may_not_see_shows_existence_only(self):
        self.incidents(3)
        self.sign_in(self.police_officer)
        response = self.client.get(reverse("people:search"), {"q": "Whitlock"})
        self.assertContains(response, "Dana Whitlock")
        self.assertContains(response, "Surrey Heath Council")
        self.assertNotContains(response, "Repeat victim")
        self.assertNotContains(response, f'href="{reverse("people:detail", args=[self.victim.public_id])}"')

    def test_search_flags_cost_the_same_queries_for_few_or_many_people(self):
        self.sign_in(self.asb_officer)
        self.client.get(reverse("people:search"), {"q": "Smith"})
        with self.assertNumQueries(24) as small:
            self.client.get(reverse("people:search"), {"q": "Smith"})
        for number in range(6):
            self.new_person(f"Sam{number}", "Smith", case=self.case)
        response = self.get_in_queries(len(small.captured_queries), reverse("people:search"), {"q": "Smith"})
        self.assertContains(response, "Sam5 Smith")


class LocationPageTests(FlagsOnPagesTestCase):
    def url(self, location: Location | None = None) -> str:
        return reverse("people:location", args=[(location or self.place).public_id])

    def test_the_page_shows_the_place_its_cases_incidents_and_hotspot_flag(self):
        self.incidents(3, location=self.place)
        self.sign_in(self.asb_officer)
        response = self.client.get(self.url())
        self.assertContains(response, "Park Street car park")
        self.assertContains(response, self.case.reference)
        self.assertContains(response, "Hotspot")
        assert len(response.context["incidents"]) == 3

    def test_a_quiet_place_is_not_a_hotspot(self):
        self.incidents(2, location=self.place)
        self.sign_in(self.asb_officer)
        self.assertNotContains(self.client.get(self.url()), "Hotspot")

    def test_a_partner_sees_only_the_cases_and_incidents_shared_with_them(self):
        self.incidents(2, location=self.place)
        self.incidents(1, case=self.private_case, location=self.place)
        self.incidents(1, location=self.place, restriction=Restriction.LEAD_ORGANISATION)
        self.sign_in(self.support_worker)
        response = self.client.get(self.url())
        self.assertContains(response, self.case.reference)
        self.assertNotContains(response, self.private_case.reference)
        assert len(response.context["incidents"]) == 2
        # Four incidents here make it a hotspot: the flag shows, the hidden incidents do not.
        self.assertContains(response, "Hotspot")

    def test_a_place_tied_only_to_cases_the_user_cannot_see_answers_404(self):
        self.incidents(3, case=self.private_case, location=self.place)
        for user in (self.police_officer, self.support_worker, self.other_partnership_user):
            with self.subTest(user.email):
                self.sign_in(user)
                assert self.client.get(self.url()).status_code == 404

    def test_the_address_of_a_person_links_to_the_location_page(self):
        self.sign_in(self.asb_officer)
        home = self.jon.addresses.get().location
        response = self.client.get(reverse("people:detail", args=[self.jon.public_id]))
        self.assertContains(response, self.url(home))
        response = self.client.get(self.url(home))
        self.assertContains(response, "Jon Smyth")
        self.assertContains(response, "Jonathan Smith")

    def test_viewing_a_location_is_audited(self):
        from casebridge.audit.models import AuditEvent

        self.sign_in(self.asb_officer)
        self.client.get(self.url())
        assert AuditEvent.objects.filter(
            action="viewed", object_type="location", object_id=str(self.place.public_id)
        ).exists()

    def test_the_page_costs_the_same_queries_for_few_or_many_cases(self):
        self.incidents(1, location=self.place)
        self.sign_in(self.asb_officer)
        self.client.get(self.url())
        with self.assertNumQueries(27) as small:
            self.client.get(self.url())
        for _ in range(8):
            extra = self.new_case(risk_level="high")
            case_services.case_party_add(actor=self.asb_officer, case=extra, person=self.neighbour, role="victim")
            self.incidents(1, case=extra, location=self.place)
        response = self.get_in_queries(len(small.captured_queries), self.url())
        assert len(response.context["cases"]) == 9
