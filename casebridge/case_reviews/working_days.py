"""Working days for statutory timescales: weekends and England and Wales bank holidays skipped."""

import datetime
from functools import cache

# One-off changes by proclamation: days added, and regular days moved away.
EXTRA_HOLIDAYS = {
    datetime.date(2020, 5, 8),  # VE Day 75 (early May holiday moved)
    datetime.date(2022, 6, 2),  # Platinum Jubilee (spring holiday moved)
    datetime.date(2022, 6, 3),
    datetime.date(2022, 9, 19),  # State funeral of Queen Elizabeth II
    datetime.date(2023, 5, 8),  # Coronation of King Charles III
}
MOVED_AWAY = {datetime.date(2020, 5, 4), datetime.date(2022, 5, 30)}


def easter_sunday(year: int) -> datetime.date:
    """The anonymous Gregorian computus."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month = (h + leap - 7 * m + 114) // 31
    day = (h + leap - 7 * m + 114) % 31 + 1
    return datetime.date(year, month, day)


def _first_monday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month, 1)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    day = following - datetime.timedelta(days=1)
    return day - datetime.timedelta(days=day.weekday())


@cache
def bank_holidays(year: int) -> frozenset[datetime.date]:
    easter = easter_sunday(year)
    days = {
        easter - datetime.timedelta(days=2),
        easter + datetime.timedelta(days=1),
        _first_monday(year, 5),
        _last_monday(year, 5),
        _last_monday(year, 8),
    }
    # New Year's Day, Christmas Day and Boxing Day move to the next weekday(s) when they fall at a weekend.
    new_year = datetime.date(year, 1, 1)
    while new_year.weekday() >= 5:
        new_year += datetime.timedelta(days=1)
    days.add(new_year)
    christmas, boxing = datetime.date(year, 12, 25), datetime.date(year, 12, 26)
    for holiday in (christmas, boxing):
        while holiday.weekday() >= 5 or holiday in days:
            holiday += datetime.timedelta(days=1)
        days.add(holiday)
    days -= MOVED_AWAY
    days |= {d for d in EXTRA_HOLIDAYS if d.year == year}
    return frozenset(days)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (the day of receipt itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current
