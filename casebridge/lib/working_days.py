"""Working days in England and Wales: weekends and bank holidays do not count.

The bank holidays come from the maintained ``holidays`` package (rules plus one-off days such as
jubilees and state funerals), so no hand list runs out; upgrade the pin when a new one-off day is
proclaimed. England's and Wales's lists are the same.
"""

import datetime
from functools import cache

import holidays


@cache
def bank_holidays(year: int) -> frozenset[datetime.date]:
    """The days off in ``year``, as gov.uk lists them: a holiday at a weekend counts by its substitute day."""
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(day for day in calendar if day.weekday() < 5)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def working_days_after(day: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days after ``day`` (``day`` itself never counts, as with a day of receipt)."""
    return _step(day, count, datetime.timedelta(days=1))


def working_days_before(day: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days before ``day`` (``day`` itself never counts)."""
    return _step(day, count, datetime.timedelta(days=-1))


def _step(day: datetime.date, count: int, step: datetime.timedelta) -> datetime.date:
    remaining = count
    while remaining > 0:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day
