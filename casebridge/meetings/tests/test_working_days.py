import datetime

from django.test import SimpleTestCase

from casebridge.meetings.workingdays import is_working_day, working_days_after, working_days_before

D = datetime.date


class WorkingDaysTests(SimpleTestCase):
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
