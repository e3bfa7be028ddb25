"""Working-day arithmetic for response-time targets (hari kerja).

A working day is Monday to Friday and not a public holiday or cuti bersama.
Which calendar day a moment falls on depends on the time zone: 02:00 WIB on
Saturday is still Friday in UTC. Pass ``tz`` (e.g. ``Catalog.tzinfo``) with
timezone-aware datetimes so days are counted in local time; naive datetimes
are taken as local already.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime, timedelta, tzinfo

_SATURDAY = 5


def _as_date(d: date) -> date:
    # datetime is a subclass of date but never equals one, so set lookups would miss.
    return d.date() if isinstance(d, datetime) else d


def _holiday_set(holidays: Iterable[date]) -> Collection[date]:
    if isinstance(holidays, (set, frozenset)) and not any(
        isinstance(h, datetime) for h in holidays
    ):
        return holidays
    return frozenset(_as_date(h) for h in holidays)


def _local(moment: datetime, tz: tzinfo | None) -> datetime:
    if tz is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(tz)


def is_working_day(d: date, holidays: Iterable[date] = (), *, tz: tzinfo | None = None) -> bool:
    """True if ``d`` (a date or datetime, read in ``tz`` if given) is a weekday, not a holiday."""
    day = _as_date(_local(d, tz) if isinstance(d, datetime) else d)
    return day.weekday() < _SATURDAY and day not in _holiday_set(holidays)


def _next_working_day(day: date, holidays: Collection[date]) -> date:
    while day.weekday() >= _SATURDAY or day in holidays:
        day += timedelta(days=1)
    return day


def add_working_days(
    start: datetime, days: int, holidays: Iterable[date] = (), *, tz: tzinfo | None = None
) -> datetime:
    """The moment ``days`` working days after ``start``, at the same local time of day.

    A start on a weekend or holiday counts from the next working day (at the
    start's time of day), so ``days=0`` moves such a start to that day and
    leaves a working-day start unchanged. With ``tz`` and an aware ``start``,
    days are counted in ``tz``; the result keeps ``start``'s time zone.
    Raises ValueError for negative days.
    """
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"days must be an int, got {type(days).__name__}")
    if days < 0:
        raise ValueError(f"days must be >= 0, got {days}")
    hols = _holiday_set(holidays)
    local = _local(start, tz)
    day = _next_working_day(local.date(), hols)
    for _ in range(days):
        day = _next_working_day(day + timedelta(days=1), hols)
    result = local + timedelta(days=(day - local.date()).days)
    return result if local is start else result.astimezone(start.tzinfo)


def working_days_between(
    a: date, b: date, holidays: Iterable[date] = (), *, tz: tzinfo | None = None
) -> int:
    """Working days from ``a`` to ``b``: those on or after a's date and before b's.

    The inverse of :func:`add_working_days`:
    ``working_days_between(s, add_working_days(s, n, h), h) == n`` (same ``tz``).
    Negative when ``b`` is before ``a``; time of day is ignored.
    """
    start = _as_date(_local(a, tz) if isinstance(a, datetime) else a)
    end = _as_date(_local(b, tz) if isinstance(b, datetime) else b)
    if end < start:
        return -working_days_between(end, start, holidays)
    hols = _holiday_set(holidays)
    total = 0
    day = start
    # Day by day: SLA spans are weeks, so simplicity beats a week-arithmetic shortcut.
    while day < end:
        if day.weekday() < _SATURDAY and day not in hols:
            total += 1
        day += timedelta(days=1)
    return total
