import datetime

from django.test import SimpleTestCase

from casebridge.lib.working_days import bank_holidays, is_working_day, working_days_after, working_days_before

D = datetime.date


class BankHolidayTests(SimpleTestCase):
    def test_the_england_and_wales_bank_holidays_of_2026(self):
        """The gov.uk list: Boxing Day on a Saturday counts as Monday 28 December."""
        assert sorted(bank_holidays(2026)) == [
            D(2026, 1, 1),
            D(2026, 4, 3),
            D(2026, 4, 6),
            D(2026, 5, 4),
            D(2026, 5, 25),
            D(2026, 8, 31),
            D(2026, 12, 25),
            D(2026, 12, 28),
        ]

    def test_good_friday_and_easter_monday_fall_on_the_known_dates(self):
        """Easter Sunday was 31 March 2024 and 20 April 2025, and is 5 April 2026."""
        for good_friday, easter_monday in [
            (D(2024, 3, 29), D(2024, 4, 1)),
            (D(2025, 4, 18), D(2025, 4, 21)),
            (D(2026, 4, 3), D(2026, 4, 6)),
        ]:
            with self.subTest(year=good_friday.year):
                assert {good_friday, easter_monday} <= bank_holidays(good_friday.year)

    def test_christmas_at_a_weekend_moves_both_holidays_to_the_next_weekdays(self):
        assert {D(2027, 12, 27), D(2027, 12, 28)} <= bank_holidays(2027)

    def test_one_off_holidays_are_included_and_moved_days_excluded(self):
        """VE Day 75 moved the early May holiday to Friday 8 May 2020; the coronation added 8 May 2023."""
        assert D(2023, 5, 8) in bank_holidays(2023)
        assert D(2020, 5, 8) in bank_holidays(2020)
        assert D(2020, 5, 4) not in bank_holidays(2020)

    def test_the_calendar_does_not_stop_at_a_hand_written_year(self):
        """Christmas Day 2035 is a Tuesday; a list that ended in 2028 would count it as a working day."""
        assert not is_working_day(D(2035, 12, 25))


class WorkingDayTests(SimpleTestCase):
    def test_weekends_are_not_working_days(self):
        """Saturday and Sunday never count."""
        assert not is_working_day(D(2026, 11, 28))
        assert not is_working_day(D(2026, 11, 29))
        assert is_working_day(D(2026, 11, 30))

    def test_bank_holidays_are_not_working_days(self):
        """Easter Monday 2027 and the substitute Boxing Day 2026 are holidays."""
        assert not is_working_day(D(2027, 3, 29))
        assert not is_working_day(D(2026, 12, 28))

    def test_a_monday_meeting_gets_friday_papers_and_thursday_deadline(self):
        assert working_days_before(D(2026, 6, 1), 1) == D(2026, 5, 29)
        assert working_days_before(D(2026, 6, 1), 2) == D(2026, 5, 28)

    def test_counting_back_skips_christmas_and_the_weekend(self):
        """A meeting on Tuesday 29 December 2026: papers on Thursday 24th, deadline Wednesday 23rd."""
        assert working_days_before(D(2026, 12, 29), 1) == D(2026, 12, 24)
        assert working_days_before(D(2026, 12, 29), 2) == D(2026, 12, 23)

    def test_counting_back_skips_easter(self):
        """A meeting on Tuesday 7 April 2026 skips Easter Monday and Good Friday."""
        assert working_days_before(D(2026, 4, 7), 1) == D(2026, 4, 2)

    def test_counting_forward_skips_new_year_substitute(self):
        assert working_days_after(D(2027, 12, 31), 1) == D(2028, 1, 4)

    def test_counting_forward_skips_weekends_and_bank_holidays(self):
        assert working_days_after(D(2026, 12, 24), 1) == D(2026, 12, 29)
        assert working_days_after(D(2026, 4, 2), 1) == D(2026, 4, 7)
        assert working_days_after(D(2026, 11, 27), 15) == D(2026, 12, 18)
