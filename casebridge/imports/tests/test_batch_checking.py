"""The shortcuts that make a batch quick give exactly what the plain way gives.

A batch is checked a column at a time with a memo per column, the usual date format is read
directly, public ids are made from pooled random bytes, database timestamps are cached and
the file's rows are counted without being built. Each is compared here with the plain way.
"""

import datetime as dt
import uuid
import zoneinfo

from django.test import SimpleTestCase

from casebridge.imports.models import DateOrder
from casebridge.imports.public_ids import dashed, public_ids
from casebridge.imports.reading import read_table
from casebridge.imports.tests.test_mapping import cleaner
from casebridge.imports.tests.test_reading import xlsx
from casebridge.imports.validation import parse_date
from casebridge.imports.writing import db_stamp

LONDON = zoneinfo.ZoneInfo("Europe/London")


class ColumnAtATimeTests(SimpleTestCase):
    columns = {
        "Ref": "legacy_ref",
        "Type": "case_type",
        "Status": "status",
        "Risk": "risk_level",
        "Opened": "opened_on",
        "Closed": "closed_on",
        "P1 born": "person_1_date_of_birth",
        "P1 role": "person_1_role",
        "P2 born": "person_2_date_of_birth",
        "P2 role": "person_2_role",
    }
    rows: list[list[str | None]] = [
        ["C1", "ASB victim", "Open", "High", "01/01/2090", None, "01/01/2090", "victim", "31/02/2000", "Victim"],
        [None, "Graffiti", "High", "Open", "31/02/2000", "01/01/2090", "01/02/1980", "High", None, "witness"],
        ["C3", None, None, None, None, None, None, None, "01/01/2090", "perpetrator"],
        ["C4", "asb VICTIM", "Closed", "high", "2024-02-03", "03/02/2024", "1800-01-01", "witness", "", "x" * 300],
    ]

    def test_a_batch_gives_what_each_row_alone_gives(self) -> None:
        batch = cleaner("cases", self.columns).clean_batch(list(enumerate(self.rows, start=2)))
        for number, row in enumerate(self.rows, start=2):
            alone = cleaner("cases", self.columns).clean(number, row)
            with self.subTest(row=number):
                assert batch[number - 2].values == alone.values
                assert list(batch[number - 2].values) == list(alone.values)
                assert batch[number - 2].problems == alone.problems

    def test_the_same_text_means_what_its_own_column_says(self) -> None:
        """The memo is per column: one column's reading of a text never answers for another."""
        rows = self.rows[:2]
        first, second = cleaner("cases", self.columns).clean_batch(list(enumerate(rows, start=2)))
        # 01/01/2090 opens a case (no problem) but is an impossible date of birth (kept, with a warning).
        assert first.values["opened_on"] == first.values["person_1_date_of_birth"] == dt.date(2090, 1, 1)
        assert [(p.column, p.severity) for p in first.problems] == [
            ("P1 born", "warning"),
            ("P2 born", "warning"),
        ]
        # "High" is a risk level but not a status nor a role; "Open" is a status but not a risk level.
        assert first.values["risk_level"] == "high"
        assert "status" not in second.values
        assert "risk_level" not in second.values
        assert [(p.column, p.severity) for p in second.problems] == [
            ("Ref", "error"),
            ("Type", "error"),
            ("Status", "error"),
            ("Risk", "error"),
            ("Opened", "error"),
            ("P1 role", "error"),
        ]

    def test_problems_come_in_column_order_for_each_row(self) -> None:
        batch = cleaner("cases", self.columns).clean_batch(list(enumerate(self.rows, start=2)))
        headers = list(self.columns)
        for row in batch:
            positions = [headers.index(p.column) for p in row.problems]
            assert positions == sorted(positions)
        assert [p.column for p in batch[2].problems] == ["Type", "Opened", "P2 born"]
        assert batch[3].problems[-1].column == "P2 role"


class UsualDateFormatTests(SimpleTestCase):
    """dd/mm/yyyy is read directly; the general way is what a trailing time sends it through."""

    samples = [
        "03/02/2024",
        "3/02/2024",
        "03-02-2024",
        "03.02.2024",
        "03/02-2024",
        "31/02/2023",
        "00/01/2024",
        "13/13/2020",
        "12/31/2020",
        "01/02/0099",
        "01/02/0100",
        "01/02/0000",
        "-1/02/2020",
        "+1/02/2020",
        "1 /02/2020",
        "٣٣/02/2020",
        "01/02/2_20",
        "ab/cd/efgh",
    ]

    def test_the_direct_reading_matches_the_general_one(self) -> None:
        for order in DateOrder.values:
            for text in self.samples:
                with self.subTest(order=order, text=text):
                    assert parse_date(text, order) == parse_date(text + " 0:00", order)

    def test_examples(self) -> None:
        assert parse_date("03/02/2024") == dt.date(2024, 2, 3)
        assert parse_date("03/02/2024", DateOrder.MONTH_FIRST) == dt.date(2024, 3, 2)
        assert parse_date("03/02/2024", DateOrder.YEAR_FIRST) is None
        assert parse_date("01/02/0099") == dt.date(1999, 2, 1)
        assert parse_date("-1/02/2020") == dt.date(2020, 2, 1)


class PublicIdTests(SimpleTestCase):
    def test_random_version_4_uuids_in_hex_and_with_dashes(self) -> None:
        made = public_ids()
        seen = set()
        for _ in range(3000):  # more than one pool of random bytes
            hex_id = next(made)
            value = uuid.UUID(hex_id)
            assert value.version == 4
            assert value.variant == uuid.RFC_4122
            assert value.hex == hex_id
            assert dashed(hex_id) == str(value)
            seen.add(hex_id)
        assert len(seen) == 3000


class StampTests(SimpleTestCase):
    def test_equal_instants_give_the_same_text_whatever_their_zone(self) -> None:
        summer = dt.datetime(2024, 7, 1, 14, 30, tzinfo=LONDON)
        assert db_stamp(summer, "sqlite") == "2024-07-01 13:30:00"
        assert db_stamp(summer.astimezone(dt.UTC), "sqlite") == "2024-07-01 13:30:00"
        assert db_stamp(summer, "postgresql") == "2024-07-01 13:30:00+00:00"

    def test_the_repeated_hour_of_a_clock_change_is_told_apart(self) -> None:
        first = dt.datetime(2024, 10, 27, 1, 30, tzinfo=LONDON)
        second = first.replace(fold=1)
        assert first == second  # equal (and hashed alike) in their own zone, yet an hour apart
        assert db_stamp(first, "sqlite") == "2024-10-27 00:30:00"
        assert db_stamp(second, "sqlite") == "2024-10-27 01:30:00"


class RowNumberTests(SimpleTestCase):
    def test_counting_gives_the_numbers_of_the_rows_read(self) -> None:
        text = 'a,b,c\n1,2,3\n,,\n  , \t,\n\n"x\ny",,\n,,z\n4,5\n'
        table = read_table(text.encode(), "a.csv")
        assert list(table.row_numbers()) == [number for number, _row in table.rows_with_numbers()]
        assert list(table.row_numbers()) == [2, 6, 7, 8]
        assert table.count_rows() == 4

    def test_counting_a_workbook_gives_the_numbers_of_the_rows_read(self) -> None:
        rows: list[list[object]] = [
            ["a", "b", "c"],
            [1, 2.5, "x"],
            [None, "  ", None],
            [None, None, dt.date(2024, 1, 2)],
            [],
            [False, None, None],
            ["", "", "\t"],
            [None, None, None, "beyond the headers"],
            [0, None, None],
        ]
        table = read_table(xlsx(rows), "a.xlsx")
        assert list(table.row_numbers()) == [number for number, _row in table.rows_with_numbers()]
        assert list(table.row_numbers()) == [2, 4, 6, 9]
