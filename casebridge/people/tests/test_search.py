import datetime

from django.urls import reverse

from casebridge.audit.models import Action, AuditEvent
from casebridge.cases.tests.base import CasesTestCase
from casebridge.people import services
from casebridge.people.selectors import PersonResult, search


class SearchTests(CasesTestCase):
    def names(self, user, text, **kwargs) -> dict[str, PersonResult]:
        results = search(user=user, partnership=self.surrey_heath, text=text, **kwargs)
        return {r.person.full_name: r for r in results.people}

    def test_a_misspelt_surname_is_found_by_sound_and_similarity(self):
        for typo in ("Dana Witlock", "Whitlok", "dana whitlock", "Whitlocke"):
            with self.subTest(typo=typo):
                assert "Dana Whitlock" in self.names(self.asb_officer, typo)

    def test_an_alias_is_found(self):
        services.person_alias_add(actor=self.asb_officer, person=self.victim, first_name="Dee", last_name="Marsh")
        assert "Dana Whitlock" in self.names(self.asb_officer, "Dee Marsh")

    def test_an_alias_narrowed_by_date_of_birth_is_found_only_with_the_right_date(self):
        services.person_alias_add(actor=self.asb_officer, person=self.victim, first_name="Dee", last_name="Marsh")
        assert "Dana Whitlock" in self.names(self.asb_officer, "Marsh", date_of_birth=datetime.date(1980, 5, 17))
        assert self.names(self.asb_officer, "Marsh", date_of_birth=datetime.date(1990, 1, 1)) == {}

    def test_a_different_name_is_not_found(self):
        assert self.names(self.asb_officer, "Zachary Quinton") == {}

    def test_date_of_birth_narrows_and_finds(self):
        assert "Dana Whitlock" in self.names(self.asb_officer, "", date_of_birth=datetime.date(1980, 5, 17))
        assert self.names(self.asb_officer, "Whitlock", date_of_birth=datetime.date(1990, 1, 1)) == {}

    def test_an_identifier_finds_its_person(self):
        services.person_identifier_add(actor=self.asb_officer, person=self.victim, kind="pnc", value="98/123456X")
        assert "Dana Whitlock" in self.names(self.asb_officer, "98/123456x")

    def test_a_postcode_finds_the_people_who_lived_there(self):
        location = services.location_create(
            actor=self.asb_officer, partnership=self.surrey_heath, address_line_1="1 High Street", postcode="GU15 3HD"
        )
        services.person_address_add(actor=self.asb_officer, person=self.victim, location=location)
        assert "Dana Whitlock" in self.names(self.asb_officer, "gu153hd")

    def test_a_case_reference_is_found_and_marked_hidden_for_those_who_cannot_see_it(self):
        results = search(user=self.police_officer, partnership=self.surrey_heath, text=self.case.reference.lower())
        assert [r.case for r in results.cases] == [self.case]
        assert results.cases[0].visible is False

    def test_a_hidden_person_shows_only_existence_and_who_holds_them(self):
        result = self.names(self.police_officer, "Whitlock")["Dana Whitlock"]
        assert result.visible is False
        assert result.holders == ["Surrey Heath Council"]
        assert self.names(self.support_worker, "Whitlock")["Dana Whitlock"].visible is True

    def test_another_partnership_finds_nothing_of_this_one(self):
        results = search(user=self.other_partnership_user, partnership=self.runnymede, text="Whitlock")
        assert results.people == []


class SearchPageTests(CasesTestCase):
    def test_results_link_only_to_records_the_user_may_see_and_offer_request_access(self):
        self.sign_in(self.police_officer)
        response = self.client.get(reverse("people:search"), {"q": "Whitlock"})
        self.assertContains(response, "Dana Whitlock")
        self.assertNotContains(response, f'href="{reverse("people:detail", args=[self.victim.public_id])}"')
        self.assertContains(response, reverse("sharing:request_access_person", args=[self.victim.public_id]))
        self.sign_in(self.support_worker)
        response = self.client.get(reverse("people:search"), {"q": "Whitlock"})
        self.assertContains(response, f'href="{reverse("people:detail", args=[self.victim.public_id])}"')

    def test_a_search_is_audited_with_its_terms(self):
        self.sign_in(self.police_officer)
        self.client.get(reverse("people:search"), {"q": "Whitlok"})
        event = AuditEvent.objects.get(action=Action.SEARCHED, actor=self.police_officer)
        assert event.data["terms"] == "Whitlok"
        assert event.data["results"] == 1

    def test_an_empty_search_asks_for_something_to_search_for(self):
        self.sign_in(self.police_officer)
        response = self.client.get(reverse("people:search"), {"q": ""})
        self.assertContains(response, "Enter a name, reference, identifier, postcode or date of birth")
