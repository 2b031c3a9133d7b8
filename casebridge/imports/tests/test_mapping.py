"""Column mapping suggestions, distinct values, value mapping and date formats."""

import datetime as dt

from django.test import SimpleTestCase

from casebridge.imports.mapping import distinct_values, suggest_columns
from casebridge.imports.models import DateOrder
from casebridge.imports.reading import read_table
from casebridge.imports.templates import TEMPLATES
from casebridge.imports.validation import Cleaner, Lookups, parse_date, parse_datetime


class SuggestColumnsTests(SimpleTestCase):
    def test_surname_spellings_all_give_last_name(self) -> None:
        for header in ("Surname", "Last name", "LAST_NAME", "last-name", "Family Name"):
            with self.subTest(header):
                assert suggest_columns(TEMPLATES["people"], ["ID", header]) == {"ID": "legacy_id", header: "last_name"}

    def test_common_headings_of_a_people_export(self) -> None:
        headers = ["Client ID", "Forename", "Surname", "DOB", "Sex", "Post Code", "PNC No", "NINO", "Notes"]
        assert suggest_columns(TEMPLATES["people"], headers) == {
            "Client ID": "legacy_id",
            "Forename": "first_name",
            "Surname": "last_name",
            "DOB": "date_of_birth",
            "Sex": "gender",
            "Post Code": "postcode",
            "PNC No": "pnc_id",
            "NINO": "ni_number",
            "Notes": None,
        }

    def test_an_exact_name_wins_over_a_synonym_and_each_field_is_used_once(self) -> None:
        suggested = suggest_columns(TEMPLATES["people"], ["Address", "address_line_1", "Street"])
        assert suggested == {"Address": None, "address_line_1": "address_line_1", "Street": None}

    def test_numbered_person_columns_of_the_cases_template(self) -> None:
        suggested = suggest_columns(TEMPLATES["cases"], ["Case Ref", "Person 4 Legacy ID", "PERSON_4_ROLE"])
        assert suggested == {
            "Case Ref": "legacy_ref",
            "Person 4 Legacy ID": "person_4_legacy_id",
            "PERSON_4_ROLE": "person_4_role",
        }


class DistinctValuesTests(SimpleTestCase):
    def test_most_frequent_first_with_counts(self) -> None:
        table = read_table(b"ref,status\n1,Open\n2,Live\n3,Open\n4,\n5,Closed\n6,Open\n", "a.csv")
        assert distinct_values(table, "status", limit=2) == [("Open", 3), ("Live", 1)]


def cleaner(template: str, columns: dict[str, str], values: dict[str, dict[str, str]] | None = None) -> Cleaner:
    lookups = Lookups(
        case_types={"asb victim": 1, "asb perpetrator": 2},
        organisations={"surrey heath council": 10},
        officers={"alex@council.example": 5},
        categories={"noise": 7},
    )
    return Cleaner(
        template=TEMPLATES[template],
        column_mapping=dict(columns),
        value_mapping=values or {},
        date_order=DateOrder.DAY_FIRST,
        lookups=lookups,
        headers=list(columns),
    )


class ValueMappingTests(SimpleTestCase):
    def test_yes_no_spellings(self) -> None:
        check = cleaner("incidents", {"Hate": "hate_flag"})
        for text, expected in [("Y", True), ("yes", True), ("TRUE", True), ("1", True), ("N", False), ("no", False)]:
            with self.subTest(text):
                assert check.clean(2, [text]).values == {"hate_flag": expected}
        problem = check.clean(2, ["maybe"]).problems[0]
        assert problem.reason == "Hate incident must be yes or no."
        assert problem.severity == "error"

    def test_builtin_spellings_of_statuses_and_risk_levels(self) -> None:
        check = cleaner("cases", {"Status": "status", "Risk": "risk_level"})
        assert check.clean(2, ["Live", "Low"]).values == {"status": "open", "risk_level": "standard"}
        assert check.clean(2, ["Under Review", "H"]).values == {"status": "under_review", "risk_level": "high"}

    def test_a_mapped_value_is_used_before_anything_else(self) -> None:
        check = cleaner(
            "cases",
            {"Status": "status", "Risk": "risk_level", "Type": "case_type"},
            {
                "status": {"Pending": "under_review"},
                "risk_level": {"Amber": "medium"},
                "case_type": {"V": "ASB victim"},
            },
        )
        row = check.clean(2, ["Pending", "Amber", "V"])
        assert row.values == {"status": "under_review", "risk_level": "medium", "case_type": 1}
        assert not row.problems

    def test_an_unknown_status_or_case_type_rejects_the_row(self) -> None:
        check = cleaner("cases", {"Status": "status", "Type": "case_type"})
        row = check.clean(2, ["Dormant", "Graffiti"])
        assert row.rejected
        assert [p.reason for p in row.problems] == [
            "Status must be one of: Open, Under review, Closed.",
            "There is no case type called “Graffiti” in this partnership. Map it to one of the case types, "
            "or ask an administrator to add it.",
        ]

    def test_roles_of_numbered_people_share_the_role_mapping(self) -> None:
        check = cleaner("cases", {"P5 role": "person_5_role"}, {"role": {"Subject": "perpetrator"}})
        assert check.clean(2, ["Subject"]).values == {"person_5_role": "perpetrator"}
        assert check.clean(2, ["V"]).values == {"person_5_role": "victim"}


class DateTests(SimpleTestCase):
    def test_day_first_is_the_default(self) -> None:
        assert parse_date("03/02/2024") == dt.date(2024, 2, 3)
        assert parse_date("3-2-24") == dt.date(2024, 2, 3)
        assert parse_date("03.02.2024") == dt.date(2024, 2, 3)

    def test_month_first_and_year_first_when_configured(self) -> None:
        assert parse_date("03/02/2024", DateOrder.MONTH_FIRST) == dt.date(2024, 3, 2)
        assert parse_date("2024/02/03", DateOrder.DAY_FIRST) == dt.date(2024, 2, 3)

    def test_iso_month_names_and_excel_serial_numbers(self) -> None:
        assert parse_date("2024-02-03") == dt.date(2024, 2, 3)
        assert parse_date("2024-02-03 14:30:00") == dt.date(2024, 2, 3)
        assert parse_date("3 Feb 2024") == dt.date(2024, 2, 3)
        assert parse_date("February 3rd, 2024") == dt.date(2024, 2, 3)
        assert parse_date("45325") == dt.date(2024, 2, 3)

    def test_impossible_dates_are_not_dates(self) -> None:
        for text in ("31/02/2023", "13/13/2020", "yesterday", "1/2"):
            with self.subTest(text):
                assert parse_date(text) is None

    def test_date_and_time_in_uk_time(self) -> None:
        moment = parse_datetime("01/07/2024 14:30", DateOrder.DAY_FIRST)
        assert moment is not None
        assert moment.isoformat() == "2024-07-01T14:30:00+01:00"
        assert parse_datetime("01/07/2024 2:30 pm", DateOrder.DAY_FIRST) == moment

    def test_impossible_date_of_birth_is_kept_with_a_warning(self) -> None:
        check = cleaner("people", {"DOB": "date_of_birth", "Postcode": "postcode"})
        row = check.clean(2, ["01/01/2090", "abc123"])
        assert row.values == {"date_of_birth": dt.date(2090, 1, 1), "postcode": "ABC 123"}
        assert [(p.severity, p.reason) for p in row.problems] == [
            ("warning", "The date of birth is impossible; it was kept as written."),
            ("warning", "The postcode does not look like a UK postcode; it was kept as written."),
        ]
        assert not row.rejected
