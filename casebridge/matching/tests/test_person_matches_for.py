import datetime

from django.urls import reverse

from casebridge.cases.models import CaseParty
from casebridge.matching.engine import Band, PersonRecord
from casebridge.matching.selectors import person_matches_for, person_records
from casebridge.matching.tests.base import DuplicatesTestCase
from casebridge.people.models import Person

JONATHAN = PersonRecord(id="", first_name="Jonathan", last_name="Smyth", date_of_birth=datetime.date(1990, 4, 3))


class PersonRecordsTests(DuplicatesTestCase):
    def test_people_become_records_with_aliases_identifiers_and_current_address(self):
        record = next(r for r in person_records(partnership=self.surrey_heath) if r.id == str(self.jon.pk))
        assert record.aliases == ("Johnny Smyth",)
        assert record.pnc == "12/345678Z"
        assert (record.postcode, record.address) == ("GU15 3HD", "1 High Street")
        assert record.phone == "07700 900123"

    def test_records_take_the_same_number_of_queries_for_any_number_of_people(self):
        with self.assertNumQueries(4):
            records = person_records(partnership=self.surrey_heath)
        assert len(records) == Person.objects.filter(partnership=self.surrey_heath).count()


class PersonMatchesForTests(DuplicatesTestCase):
    def test_a_transposed_date_and_a_spelling_variant_find_both_records(self):
        found = person_matches_for(user=self.asb_officer, partnership=self.surrey_heath, candidate=JONATHAN)
        assert {match.public_id for match in found} >= {str(self.jon.public_id), str(self.jonathan.public_id)}
        assert all(match.visible and match.person is not None for match in found)

    def test_a_shared_identifier_is_certain(self):
        candidate = PersonRecord(id="", first_name="J", last_name="Smythe", pnc="12/345678Z")
        found = person_matches_for(user=self.asb_officer, partnership=self.surrey_heath, candidate=candidate)
        assert found[0].public_id == str(self.jon.public_id)
        assert found[0].band == Band.CERTAIN

    def test_someone_who_may_not_see_the_person_learns_only_name_birth_date_and_holders(self):
        """Rule 4 of the access model: existence only."""
        found = person_matches_for(user=self.police_officer, partnership=self.surrey_heath, candidate=JONATHAN)
        assert found
        for match in found:
            assert not match.visible
            assert match.person is None
            assert match.agreeing == []
            assert match.holders == ["Surrey Heath Council"]

    def test_another_partnership_learns_nothing(self):
        found = person_matches_for(user=self.other_partnership_user, partnership=self.runnymede, candidate=JONATHAN)
        assert found == []


class PossibleMatchesStepTests(DuplicatesTestCase):
    def party_add(self, **extra: str):
        data = {
            "role": "witness",
            "first_name": "Jonathon",
            "last_name": "Smith",
            "gender": "unknown",
            "date_of_birth": "1990-03-04",
            **extra,
        }
        return self.client.post(reverse("cases:party_add", args=[self.case.reference]), data)

    def test_adding_a_party_shows_likely_existing_records_before_creating(self):
        self.sign_in(self.asb_officer)
        before = Person.objects.count()
        response = self.party_add()
        self.assertContains(response, "Is this one of these people?")
        self.assertContains(response, "Jonathan Smith")
        assert Person.objects.count() == before

    def test_a_user_who_may_not_see_a_match_is_offered_only_to_request_access(self):
        """The charity may add people to the shared case but not see the council's private subject."""
        Person.objects.filter(pk=self.private_person.pk).update(
            date_of_birth=datetime.date(1985, 6, 1), phone="07700 900999"
        )
        self.sign_in(self.support_worker)
        response = self.party_add(first_name="Olive", last_name="Pemberton", date_of_birth="1985-06-01")
        self.assertContains(response, "Olive Pemberton")
        self.assertContains(response, reverse("sharing:request_access_person", args=[self.private_person.public_id]))
        self.assertNotContains(response, 'Use this record<span class="govuk-visually-hidden"> Olive')
        self.assertNotContains(response, "07700 900999")

    def test_choosing_none_of_these_creates_the_new_person(self):
        self.sign_in(self.asb_officer)
        response = self.party_add(confirmed_new="1")
        assert response.status_code == 302
        assert Person.objects.filter(first_name="Jonathon").exists()

    def test_choosing_an_existing_record_adds_it_to_the_case(self):
        self.sign_in(self.asb_officer)
        url = reverse("cases:party_add", args=[self.case.reference])
        response = self.client.post(url, {"role": "complainant", "person": str(self.jonathan.public_id)})
        assert response.status_code == 302
        assert CaseParty.objects.filter(case=self.case, person=self.jonathan, role="complainant").exists()
