"""Rule 7: a person's details beyond their core identity are seen only by those who may see what
they were recorded under, or when the recording organisation shared them with everyone."""

import importlib
from typing import Any

from django.apps import apps
from django.urls import reverse

from casebridge.cases import services as case_services
from casebridge.cases.models import Case, CaseParty
from casebridge.cases.tests.base import CasesTestCase
from casebridge.matching.engine import PersonRecord
from casebridge.matching.selectors import person_matches_for
from casebridge.people import services
from casebridge.people.models import Person, PersonAddress, PersonIdentifier, WarningMarker

PNC = "12/345678Z"
POSTCODE = "GU16 7HF"
STREET = "1 Station Approach"
ALIAS = "Marsh"
PHONE = "07700 900123"


class PersonDetailsTestCase(CasesTestCase):
    """Dana (the victim on the council's case, shared with the charity) is also party to a police
    case; the police record her PNC, an address, an alias, a warning and a phone under it."""

    police_case: Case

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        police = cls.police_officer
        cls.police_case = case_services.case_create(
            actor=police, partnership=cls.surrey_heath, case_type=cls.asb_perpetrator, risk_level="high"
        )
        CaseParty.objects.create(
            partnership=cls.surrey_heath, case=cls.police_case, person=cls.victim, role="perpetrator"
        )

    def record_under_police_case(self, *, shared: bool = False) -> None:
        police, dana, case = self.police_officer, self.victim, self.police_case
        provenance: dict[str, Any] = {"source_case": case, "shared_with_everyone": shared}
        services.person_identifier_add(actor=police, person=dana, kind="pnc", value=PNC, **provenance)
        location = services.location_create(
            actor=police, partnership=self.surrey_heath, address_line_1=STREET, postcode=POSTCODE
        )
        services.person_address_add(actor=police, person=dana, location=location, **provenance)
        services.person_alias_add(actor=police, person=dana, first_name="Dee", last_name=ALIAS, **provenance)
        services.person_warning_add(actor=police, person=dana, kind="weapons", detail="Carries a blade", **provenance)
        dana.refresh_from_db()
        services.person_update(actor=police, person=dana, version=dana.version, values={"phone": PHONE}, **provenance)

    def page(self, user, url: str) -> str:
        self.sign_in(user)
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        return body.decode()


class PersonPageTests(PersonDetailsTestCase):
    def test_a_council_officer_on_a_shared_case_does_not_see_the_address_recorded_under_a_police_case(self):
        self.record_under_police_case()
        text = self.page(self.asb_officer, reverse("people:detail", args=[self.victim.public_id]))
        assert "Dana Whitlock" in text
        for hidden in (STREET, PNC, ALIAS, "Carries a blade", PHONE):
            assert hidden not in text, hidden

    def test_a_support_worker_on_a_shared_case_does_not_see_the_police_details_either(self):
        self.record_under_police_case()
        text = self.page(self.support_worker, reverse("people:detail", args=[self.victim.public_id]))
        for hidden in (STREET, PNC, ALIAS, "Carries a blade", PHONE):
            assert hidden not in text, hidden

    def test_the_police_see_what_they_recorded_under_their_case(self):
        self.record_under_police_case()
        text = self.page(self.police_officer, reverse("people:detail", args=[self.victim.public_id]))
        for shown in (STREET, PNC, ALIAS, "Carries a blade", PHONE):
            assert shown in text, shown

    def test_a_detail_marked_share_with_everyone_shows(self):
        self.record_under_police_case(shared=True)
        text = self.page(self.asb_officer, reverse("people:detail", args=[self.victim.public_id]))
        for shown in (STREET, PNC, ALIAS, "Carries a blade", PHONE):
            assert shown in text, shown

    def test_a_share_of_the_source_case_shows_its_details_and_revoking_it_hides_them_again(self):
        from casebridge.sharing import services as sharing_services

        self.record_under_police_case()
        share = sharing_services.share_grant(
            actor=self.police_officer, case=self.police_case, organisation=self.council, level="view", reason="MARAC"
        )
        assert PNC in self.page(self.asb_officer, reverse("people:detail", args=[self.victim.public_id]))
        sharing_services.share_revoke(actor=self.police_officer, share=share)
        assert PNC not in self.page(self.asb_officer, reverse("people:detail", args=[self.victim.public_id]))

    def test_a_detail_recorded_with_no_case_shows_only_to_the_recording_organisation(self):
        services.person_identifier_add(actor=self.asb_officer, person=self.victim, kind="pnc", value=PNC)
        assert PNC in self.page(self.colleague, reverse("people:detail", args=[self.victim.public_id]))
        assert PNC not in self.page(self.support_worker, reverse("people:detail", args=[self.victim.public_id]))

    def test_the_case_party_panel_does_not_show_a_warning_recorded_under_a_police_case(self):
        self.record_under_police_case()
        text = self.page(self.asb_officer, reverse("cases:parties", args=[self.case.reference]))
        assert "Dana Whitlock" in text
        assert "Weapons" not in text

    def test_the_case_party_panel_shows_a_warning_shared_with_everyone(self):
        self.record_under_police_case(shared=True)
        assert "Weapons" in self.page(self.asb_officer, reverse("cases:parties", args=[self.case.reference]))

    def test_the_edit_form_neither_shows_nor_overwrites_a_phone_recorded_under_a_police_case(self):
        self.record_under_police_case()
        url = reverse("people:edit", args=[self.victim.public_id])
        text = self.page(self.asb_officer, url)
        assert PHONE not in text
        self.victim.refresh_from_db()
        response = self.client.post(
            url,
            {
                "version": self.victim.version,
                "first_name": "Dana",
                "last_name": "Whitlock",
                "gender": "female",
                "email": "dana@example.com",
            },
        )
        assert response.status_code == 302
        self.victim.refresh_from_db()
        assert self.victim.phone == PHONE
        assert self.victim.phone_source_case_id == self.police_case.pk
        assert self.victim.email_source_organisation_id == self.council.pk
        assert self.victim.email_source_case_id is None

    def test_the_location_page_does_not_tie_a_person_to_an_address_recorded_under_a_police_case(self):
        self.record_under_police_case()
        location = PersonAddress.objects.get(person=self.victim).location
        self.sign_in(self.asb_officer)
        assert self.client.get(reverse("people:location", args=[location.public_id])).status_code == 404
        assert "Dana Whitlock" in self.page(self.police_officer, reverse("people:location", args=[location.public_id]))


class RecordingTests(PersonDetailsTestCase):
    def test_adding_an_identifier_records_the_case_chosen_and_the_recording_organisation(self):
        self.sign_in(self.police_officer)
        url = reverse("people:identifier_add", args=[self.victim.public_id])
        form_page = self.client.get(url).content.decode()
        assert self.police_case.reference in form_page
        assert "Share with everyone working with this person" in form_page
        # The council's case is not one the police may record under.
        assert self.case.reference not in form_page
        response = self.client.post(url, {"kind": "pnc", "value": PNC, "source_case": self.police_case.reference})
        assert response.status_code == 302
        identifier = PersonIdentifier.objects.get(person=self.victim)
        assert identifier.source_case == self.police_case
        assert identifier.source_organisation == self.police
        assert identifier.shared_with_everyone is False

    def test_a_detail_cannot_be_recorded_under_a_case_the_user_does_not_work_on(self):
        self.sign_in(self.police_officer)
        url = reverse("people:warning_add", args=[self.victim.public_id])
        response = self.client.post(url, {"kind": "dogs", "source_case": self.case.reference})
        assert response.status_code == 200  # the choice is refused on the form
        assert not WarningMarker.objects.filter(person=self.victim).exists()

    def test_adding_an_address_shared_with_everyone_shows_it_to_the_council(self):
        self.sign_in(self.police_officer)
        url = reverse("people:address_add", args=[self.victim.public_id])
        response = self.client.post(
            url,
            {
                "kind": "address",
                "address_line_1": STREET,
                "postcode": POSTCODE,
                "source_case": self.police_case.reference,
                "shared_with_everyone": "on",
            },
        )
        assert response.status_code == 302
        assert STREET in self.page(self.asb_officer, reverse("people:detail", args=[self.victim.public_id]))

    def test_details_recorded_before_provenance_take_the_earliest_cases_lead_and_no_case(self):
        migration = importlib.import_module("casebridge.people.migrations.0002_details_provenance")
        services.person_identifier_add(
            actor=self.police_officer, person=self.victim, kind="pnc", value=PNC, source_case=self.police_case
        )
        Person.objects.filter(pk=self.victim.pk).update(phone=PHONE)
        migration._earliest_lead(apps, None)
        identifier = PersonIdentifier.objects.get(person=self.victim)
        # The council's case came first: the council recorded it, under no case.
        assert identifier.source_organisation == self.council
        assert Person.objects.get(pk=self.victim.pk).phone_source_organisation == self.council
        PersonIdentifier.objects.filter(pk=identifier.pk).update(source_case=None)
        assert PNC in self.page(self.asb_officer, reverse("people:detail", args=[self.victim.public_id]))
        assert PNC not in self.page(self.support_worker, reverse("people:detail", args=[self.victim.public_id]))


class SearchTests(PersonDetailsTestCase):
    def search(self, user, q: str) -> str:
        return self.page(user, f"{reverse('people:search')}?q={q}")

    def test_search_by_pnc_does_not_reveal_a_person_through_a_hidden_identifier(self):
        self.record_under_police_case()
        assert "Dana Whitlock" not in self.search(self.asb_officer, PNC)
        assert "Dana Whitlock" not in self.search(self.support_worker, PNC)

    def test_search_by_postcode_does_not_reveal_a_person_through_a_hidden_address(self):
        self.record_under_police_case()
        assert "Dana Whitlock" not in self.search(self.asb_officer, POSTCODE)

    def test_search_by_alias_does_not_reveal_a_person_through_a_hidden_alias(self):
        self.record_under_police_case()
        assert "Dana Whitlock" not in self.search(self.asb_officer, f"Dee {ALIAS}")

    def test_search_by_pnc_postcode_or_alias_finds_a_person_through_a_visible_detail(self):
        self.record_under_police_case()
        for q in (PNC, POSTCODE, f"Dee {ALIAS}"):
            with self.subTest(q=q):
                assert "Dana Whitlock" in self.search(self.police_officer, q)

    def test_search_finds_a_person_through_a_detail_shared_with_everyone(self):
        self.record_under_police_case(shared=True)
        for q in (PNC, POSTCODE, f"Dee {ALIAS}"):
            with self.subTest(q=q):
                assert "Dana Whitlock" in self.search(self.asb_officer, q)

    def test_search_by_pnc_does_not_reveal_a_person_the_searcher_may_not_see_at_all(self):
        # Olive is on the council's private case only; the council records her PNC shared with everyone.
        services.person_identifier_add(
            actor=self.asb_officer, person=self.private_person, kind="pnc", value=PNC, shared_with_everyone=True
        )
        assert "Olive Pemberton" not in self.search(self.police_officer, PNC)
        assert "Olive Pemberton" in self.search(self.colleague, PNC)

    def test_the_search_export_respects_hidden_details(self):
        self.record_under_police_case()
        url = f"{reverse('people:search_export', args=['csv'])}?q={PNC}"
        assert "Whitlock" not in self.page(self.asb_officer, url)
        assert "Whitlock" in self.page(self.police_officer, url)

    def test_search_by_name_still_shows_existence_whatever_the_details(self):
        self.record_under_police_case()
        text = self.search(self.asb_officer, "Whitlock")
        assert "Dana Whitlock" in text
        assert PNC not in text
        assert STREET not in text


class TriageMatchTests(PersonDetailsTestCase):
    def test_referral_matching_does_not_find_a_person_through_a_hidden_identifier(self):
        self.record_under_police_case()
        candidate = PersonRecord(id="subject", first_name="", last_name="Unrelated", pnc=PNC)
        found = {
            m.name
            for m in person_matches_for(user=self.asb_officer, partnership=self.surrey_heath, candidate=candidate)
        }
        assert "Dana Whitlock" not in found

    def test_referral_matching_does_not_count_a_hidden_identifier_as_agreeing(self):
        self.record_under_police_case()
        candidate = PersonRecord(
            id="subject", first_name="Dana", last_name="Whitlock", date_of_birth=self.victim.date_of_birth, pnc=PNC
        )
        council = person_matches_for(user=self.asb_officer, partnership=self.surrey_heath, candidate=candidate)
        police = person_matches_for(user=self.police_officer, partnership=self.surrey_heath, candidate=candidate)
        assert not any("identifiers" in m.agreeing for m in council)
        assert any("identifiers" in m.agreeing for m in police)
