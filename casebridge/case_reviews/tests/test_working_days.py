import datetime

from casebridge.case_reviews.working_days import add_working_days, bank_holidays, easter_sunday

D = datetime.date


def test_easter_falls_on_the_known_dates():
    assert [easter_sunday(y) for y in (2024, 2025, 2026)] == [D(2024, 3, 31), D(2025, 4, 20), D(2026, 4, 5)]


def test_the_england_and_wales_bank_holidays_of_2026():
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


def test_christmas_at_a_weekend_moves_both_holidays_to_the_next_weekdays():
    assert {D(2027, 12, 27), D(2027, 12, 28)} <= bank_holidays(2027)


def test_one_off_holidays_are_included_and_moved_days_excluded():
    assert D(2023, 5, 8) in bank_holidays(2023)
    assert D(2020, 5, 8) in bank_holidays(2020)
    assert D(2020, 5, 4) not in bank_holidays(2020)


def test_working_days_skip_weekends_and_bank_holidays():
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)
    assert add_working_days(D(2026, 11, 27), 15) == D(2026, 12, 18)
