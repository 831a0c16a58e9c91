"""Calendar periods: months added to a date, and how many months a period holds.

Agreements run for months ("19 months", "3 + 1 + 1 years"); amounts are stated for a period.
These rules sit apart from money.py so that dates and money each have one home.
"""

import calendar
from datetime import date, timedelta
from decimal import Decimal


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day where it has no such day."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_after_months(start: date, months: int) -> date:
    """The last day of a term of ``months`` starting on ``start``: 1 April 2020 + 24 = 31 March 2022."""
    return add_months(start, months) - timedelta(days=1)


def months_in_period(start: date, end: date) -> Decimal:
    """Calendar months from ``start`` to ``end``, both days included.

    1 September 2023 to 31 March 2025 is 19 months exactly. A part month counts by its days:
    1 to 15 April is 15/30 of the month that starts on 1 April.
    """
    if end < start:
        raise ValueError("A period cannot end before it starts")
    after = end + timedelta(days=1)
    whole = (after.year - start.year) * 12 + after.month - start.month
    while whole > 0 and add_months(start, whole) > after:
        whole -= 1
    anchor = add_months(start, whole)
    rest = (after - anchor).days
    if rest == 0:
        return Decimal(whole)
    span = (add_months(start, whole + 1) - anchor).days
    return Decimal(whole) + Decimal(rest) / Decimal(span)
