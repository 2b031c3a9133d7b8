"""Importing people: created once, matched not duplicated, suspicious values kept with warnings."""

import datetime as dt

from casebridge.imports.tests.helpers import ImportTestCase, ann_smith, people_csv, person_row
from casebridge.matching.models import DuplicateCandidate
from casebridge.people.models import Location, Person, PersonAddress, PersonAlias, PersonIdentifier


class PeopleImportTests(ImportTestCase):
    def test_a_row_creates_a_profile_with_aliases_identifiers_and_address(self) -> None:
        data = people_csv(
            ann_smith(
                aliases="Annie Smyth; Ann Jones",
                gender="F",
                address_line_1="12 High Street",
                town="Camberley",
                postcode="gu15 3hd",
                phone="07700 900123",
                email="ann@example.org",
                pnc_id="98/123456X",
                nhs_number="943 476 5919",
                ni_number="AB 12 34 56 C",
            )
        )
        report = self.imported("people", data)
        assert report.counts["create"] == 1
        assert report.problems == []
        person = Person.objects.get(legacy_id="L1")
        assert (person.first_name, person.last_name, person.date_of_birth) == ("Ann", "Smith", dt.date(1980, 2, 1))
        assert person.gender == "female"
        assert person.last_name_key == "SM0"
        assert person.last_name_folded == "smith"  # the name search reads this column
        assert sorted(PersonAlias.objects.values_list("last_name_folded", flat=True)) == ["jones", "smyth"]
        assert person.import_job_id == report.job.pk
        assert person.created_by_organisation_id == self.administrator.organisation_id
        assert sorted(PersonAlias.objects.values_list("first_name", "last_name")) == [
            ("Ann", "Jones"),
            ("Annie", "Smyth"),
        ]
        assert sorted(PersonIdentifier.objects.values_list("kind", "value")) == [
            ("nhs", "9434765919"),
            ("ni", "AB123456C"),
            ("pnc", "98/123456X"),
        ]
        address = PersonAddress.objects.get(person=person).location
        assert (address.address_line_1, address.town, address.postcode) == ("12 High Street", "Camberley", "GU15 3HD")

    def test_rows_missing_required_fields_are_rejected(self) -> None:
        data = people_csv(person_row("L1", "", "Smith"), person_row("", "Bob", "Jones"))
        report = self.imported("people", data)
        assert report.counts["error"] == 2
        assert [(p.row, p.column, p.reason) for p in report.errors] == [
            (2, "first_name", "First name is missing."),
            (3, "legacy_id", "Legacy id is missing."),
        ]
        assert Person.objects.count() == 0

    def test_suspicious_values_are_kept_as_written_and_flagged(self) -> None:
        data = people_csv(
            person_row("L1", "Ann", "Smith", "01/01/2099", address_line_1="1 Road", postcode="XX9", pnc_id="12345")
        )
        report = self.imported("people", data)
        assert report.counts["create"] == 1
        assert report.counts["warning"] == 3
        assert {p.column for p in report.warnings} == {"date_of_birth", "postcode", "pnc_id"}
        person = Person.objects.get(legacy_id="L1")
        assert person.date_of_birth == dt.date(2099, 1, 1)
        assert Location.objects.get().postcode == "XX9"
        assert PersonIdentifier.objects.get().value == "12345"

    def test_the_same_person_on_many_rows_is_one_profile(self) -> None:
        data = people_csv(
            ann_smith(pnc_id="98/123456X"),
            ann_smith(),
            person_row("L2", "Annie", "Smith", "", pnc_id="98/123456X"),
            person_row("L3", "ann", "SMITH", "1980-02-01"),
        )
        report = self.imported("people", data)
        assert Person.objects.count() == 1
        assert report.counts["create"] == 1
        assert report.counts["skip"] == 3
        assert [p.row for p in report.warnings] == [3, 4, 5]
        assert "same PNC, NHS or National Insurance number" in report.warnings[1].reason
        assert "same name and date of birth" in report.warnings[2].reason

    def test_a_row_matching_an_existing_profile_by_identifier_is_linked(self) -> None:
        existing = Person.objects.create(
            partnership=self.surrey_heath,
            first_name="Ann",
            last_name="Smith",
            created_by_organisation=self.council,
        )
        PersonIdentifier.objects.create(
            partnership=self.surrey_heath,
            person=existing,
            kind="nhs",
            value="9434765919",
            source_organisation=self.council,
        )
        report = self.imported("people", people_csv(person_row("L9", "Ann", "Smith", nhs_number="9434765919")))
        assert Person.objects.count() == 1
        assert report.counts["update"] == 1
        assert report.counts["people_matched"] == 1
        existing.refresh_from_db()
        assert existing.legacy_id == "L9"

    def test_a_row_matching_by_name_and_date_of_birth_is_linked(self) -> None:
        existing = Person.objects.create(
            partnership=self.surrey_heath,
            first_name="Ann",
            last_name="O'Brien",
            date_of_birth=dt.date(1980, 2, 1),
            created_by_organisation=self.council,
        )
        report = self.imported(
            "people", people_csv(person_row("L9", "ann", "OBrien", "01/02/1980", phone="07700900123"))
        )
        assert Person.objects.count() == 1
        existing.refresh_from_db()
        assert existing.phone == "07700900123"
        assert report.counts["people_matched"] == 1

    def test_people_of_another_partnership_are_never_matched(self) -> None:
        Person.objects.create(
            partnership=self.runnymede,
            first_name="Ann",
            last_name="Smith",
            date_of_birth=dt.date(1980, 2, 1),
            legacy_id="L1",
            created_by_organisation=self.other_council,
        )
        self.imported("people", people_csv(ann_smith()))
        assert Person.objects.filter(partnership=self.surrey_heath).count() == 1
        assert Person.objects.count() == 2


class FuzzyMatchingTests(ImportTestCase):
    """With people already held, the matching engine links very close matches and queues the rest."""

    def setUp(self) -> None:
        super().setUp()
        self.jonathan = self.held("Jonathan", "Smythe", dt.date(1980, 2, 1))
        self.held("Mary", "Jones", dt.date(1975, 5, 5))
        self.held("Peter", "Brown", dt.date(1990, 7, 9))

    def held(self, first: str, last: str, born: dt.date) -> Person:
        return Person.objects.create(
            partnership=self.surrey_heath,
            first_name=first,
            last_name=last,
            date_of_birth=born,
            created_by_organisation=self.council,
        )

    def test_a_very_close_match_is_linked(self) -> None:
        report = self.imported("people", people_csv(person_row("L1", "Jonathan", "Smyth", "01/02/1980")))
        assert report.counts["people_matched"] == 1
        assert Person.objects.count() == 3
        self.jonathan.refresh_from_db()
        assert self.jonathan.legacy_id == "L1"
        assert DuplicateCandidate.objects.count() == 0

    def test_a_possible_match_creates_a_profile_and_queues_the_pair_for_review(self) -> None:
        report = self.imported("people", people_csv(person_row("L1", "Jon", "Smith", "02/01/1980")))
        assert report.counts["create"] == 1
        assert report.counts["review_queued"] == 1
        new = Person.objects.get(legacy_id="L1")
        candidate = DuplicateCandidate.objects.get()
        assert {candidate.person_a_id, candidate.person_b_id} == {new.pk, self.jonathan.pk}
        assert candidate.band == "possible"
        assert candidate.status == "open"

    def test_someone_quite_different_is_simply_created(self) -> None:
        report = self.imported("people", people_csv(person_row("L1", "Zara", "Quinn", "02/01/2001")))
        assert report.counts["create"] == 1
        assert report.counts["review_queued"] == 0
        assert DuplicateCandidate.objects.count() == 0
