"""Vietnamese working days: Monday to Friday, but for the public holidays.

The holidays come from the ``holidays`` package (Tết, Giỗ Tổ Hùng Vương, 30/4, 1/5, 2/9, New
Year's Day, and the days off the government gives in exchange, such as 2 May 2025). A Saturday
made a working day in that exchange is not counted: a deadline counted here is never earlier
than the official one, at worst one day later.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def public_holidays(year: int) -> frozenset[date]:
    """Vietnam's days off of ``year``."""
    return frozenset(holidays.country_holidays('VN', years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(day: date, days: int) -> date:
    """The date ``days`` working days after ``day``."""
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day
