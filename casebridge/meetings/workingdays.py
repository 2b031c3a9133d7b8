"""Working days in England and Wales: weekends and bank holidays do not count."""

import datetime

# gov.uk/bank-holidays, England and Wales, including substitute days.
BANK_HOLIDAYS = frozenset(
    datetime.date(year, month, day)
    for year, days in {
        2026: ((1, 1), (4, 3), (4, 6), (5, 4), (5, 25), (8, 31), (12, 25), (12, 28)),
        2027: ((1, 1), (3, 26), (3, 29), (5, 3), (5, 31), (8, 30), (12, 27), (12, 28)),
        2028: ((1, 3), (4, 14), (4, 17), (5, 1), (5, 29), (8, 28), (12, 25), (12, 26)),
    }.items()
    for month, day in days
)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in BANK_HOLIDAYS


def working_days_before(day: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days before ``day`` (``day`` itself never counts)."""
    current = day
    remaining = count
    while remaining > 0:
        current -= datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_after(day: datetime.date, count: int) -> datetime.date:
    current = day
    remaining = count
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current
