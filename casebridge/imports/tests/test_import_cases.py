"""Importing cases with their people, and re-importing the same or a corrected file."""

import datetime as dt

from casebridge.cases.models import Case, CaseParty, CaseReferenceCounter
from casebridge.imports.tests.helpers import (
    ImportTestCase,
    ann_smith,
    case_row,
    cases_csv,
    party,
    people_csv,
    person_row,
)
from casebridge.people.models import Person


class CasesImportTests(ImportTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.imported("people", people_csv(ann_smith()))

    def test_a_case_with_people_by_legacy_id_and_by_name_and_date_of_birth(self) -> None:
        data = cases_csv(
            case_row(
                "C1",
                lead_officer_email=self.asb_officer.email.upper(),
                **party(1, "Victim", legacy_id="L1"),
                **party(2, "Perp", first="Bob", last="Jones", dob="05/06/1990"),
            ),
            case_row("C2", **party(1, "witness", first="ann", last="smith", dob="1980-02-01")),
        )
        report = self.imported("cases", data)
        assert report.counts["create"] == 2
        assert report.counts["people_created"] == 1
        assert report.counts["people_matched"] == 1
        case = Case.objects.get(legacy_ref="C1")
        assert case.reference == "SH-2024-000001"
        assert case.case_type.name == "ASB victim"
        assert (case.status, case.risk_level) == ("open", "medium")
        assert case.lead_organisation == self.council
        assert case.lead_officer == self.asb_officer
        assert case.created_by == self.administrator
        assert case.created_at.date() == dt.date(2024, 2, 3)
        assert sorted(case.parties.values_list("person__legacy_id", "person__first_name", "role")) == [
            ("", "Bob", "perpetrator"),
            ("L1", "Ann", "victim"),
        ]
        ann = Person.objects.get(legacy_id="L1")
        assert CaseParty.objects.get(case__legacy_ref="C2").person == ann
        assert CaseReferenceCounter.objects.get(partnership=self.surrey_heath, year=2024).last_number == 2

    def test_a_closed_case_needs_a_reason_and_takes_its_closing_date(self) -> None:
        data = cases_csv(
            case_row("C1", status="Closed", closed_on="10/03/2024", closure_reason="NFA"),
            case_row("C2", status="Closed"),
        )
        report = self.imported("cases", data)
        case = Case.objects.get(legacy_ref="C1")
        assert (case.status, case.closure_reason) == ("closed", "no_further_action")
        assert case.closed_at is not None
        assert case.closed_at.date() == dt.date(2024, 3, 10)
        assert [(p.row, p.reason) for p in report.errors] == [(3, "A closed case needs a closure reason.")]
        assert not Case.objects.filter(legacy_ref="C2").exists()

    def test_people_problems_reject_the_whole_row(self) -> None:
        data = cases_csv(
            case_row("C1", person_1_legacy_id="NOPE", person_1_role="victim"),
            case_row("C2", person_1_legacy_id="L1"),
            case_row("C3", person_1_legacy_id="L1", person_1_role="victim", person_2_role="witness"),
            case_row("C4", person_1_first_name="Bob", person_1_last_name="Jones", person_1_role="witness"),
        )
        report = self.imported("cases", data)
        assert report.counts["error"] == 4
        assert [(p.row, p.column) for p in report.errors] == [
            (2, "person_1_legacy_id"),
            (3, "person_1_role"),
            (4, "person_2_legacy_id"),
            (5, "person_1_legacy_id"),
        ]
        assert "No person has the legacy id NOPE" in report.errors[0].reason
        assert Case.objects.count() == 0

    def test_unknown_organisation_is_an_error_and_unknown_officer_a_warning(self) -> None:
        data = cases_csv(
            case_row("C1", lead_organisation="Nowhere Council"), case_row("C2", lead_officer_email="gone@old.example")
        )
        report = self.imported("cases", data)
        assert [p.column for p in report.errors] == ["lead_organisation"]
        assert [p.column for p in report.warnings] == ["lead_officer_email"]
        assert Case.objects.get().lead_officer is None

    def test_a_dotless_i_spelling_of_an_officers_email_finds_that_officer(self) -> None:
        self.imported("cases", cases_csv(case_row("C1", lead_officer_email="col\u0131n.baker@council.example")))
        assert Case.objects.get().lead_officer == self.colleague

    def test_a_legacy_reference_twice_in_one_file(self) -> None:
        report = self.imported("cases", cases_csv(case_row("C1"), case_row("C1")))
        assert report.counts == report.counts | {"create": 1, "error": 1}
        assert "appears more than once" in report.errors[0].reason


class IdempotentTests(ImportTestCase):
    def test_re_running_the_same_file_changes_nothing_and_duplicates_nothing(self) -> None:
        people = people_csv(ann_smith(pnc_id="98/123456X"))
        cases = cases_csv(
            case_row(
                "C1",
                **party(1, "victim", legacy_id="L1"),
                **party(2, "witness", first="Bob", last="Jones", dob="05/06/1990"),
            )
        )
        self.imported("people", people)
        self.imported("cases", cases)
        first = (Person.objects.count(), Case.objects.count(), CaseParty.objects.count())
        again_people = self.imported("people", people)
        again_cases = self.imported("cases", cases)
        assert (Person.objects.count(), Case.objects.count(), CaseParty.objects.count()) == first == (2, 1, 2)
        assert again_people.counts["skip"] == 1
        assert again_cases.counts["skip"] == 1
        assert again_cases.counts["create"] == again_cases.counts["update"] == 0

    def test_a_corrected_file_updates_by_legacy_reference(self) -> None:
        self.imported("people", people_csv(ann_smith()))
        self.imported("cases", cases_csv(case_row("C1", person_1_legacy_id="L1", person_1_role="victim")))
        case = Case.objects.get()
        corrected = cases_csv(
            case_row(
                "C1",
                risk_level="High",
                status="Closed",
                closed_on="01/05/2024",
                closure_reason="Resolved",
                **party(1, "victim", legacy_id="L1"),
                **party(2, "complainant", legacy_id="L1"),
            )
        )
        report = self.imported("cases", corrected)
        assert report.counts["update"] == 1
        case.refresh_from_db()
        assert (case.risk_level, case.status, case.closure_reason) == ("high", "closed", "resolved")
        assert case.version == 2
        assert Case.objects.count() == 1
        assert sorted(case.parties.values_list("role", flat=True)) == ["complainant", "victim"]
        fixed_people = self.imported("people", people_csv(person_row("L1", "Anne", "Smith", "01/02/1980")))
        assert fixed_people.counts["update"] == 1
        person = Person.objects.get()
        assert (person.first_name, person.first_name_key, person.version) == ("Anne", "AN", 2)
