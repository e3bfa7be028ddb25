from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routing.catalog import Catalog
from routing.workdays import add_working_days, is_working_day, working_days_between

WIB = timezone(timedelta(hours=7))
HOLIDAY = date(2026, 8, 17)  # a Monday


def test_weekends_and_holidays_are_not_working_days() -> None:
    assert is_working_day(date(2026, 8, 14))  # Friday
    assert not is_working_day(date(2026, 8, 15))  # Saturday
    assert not is_working_day(date(2026, 8, 16))  # Sunday
    assert is_working_day(HOLIDAY)
    assert not is_working_day(HOLIDAY, [HOLIDAY])
    # A datetime on a holiday is still a holiday (datetime != date in sets).
    assert not is_working_day(datetime(2026, 8, 17, 9, 0), {HOLIDAY})


def test_add_skips_weekend_and_keeps_time_of_day() -> None:
    friday = datetime(2026, 8, 7, 10, 30, tzinfo=WIB)
    assert add_working_days(friday, 1) == datetime(2026, 8, 10, 10, 30, tzinfo=WIB)
    assert add_working_days(friday, 0) == friday
    assert add_working_days(friday, 5) == datetime(2026, 8, 14, 10, 30, tzinfo=WIB)


def test_add_skips_holidays() -> None:
    friday = datetime(2026, 8, 14, 9, 0)
    assert add_working_days(friday, 1, [HOLIDAY]) == datetime(2026, 8, 18, 9, 0)


def test_start_on_weekend_or_holiday_counts_from_next_working_day() -> None:
    saturday = datetime(2026, 8, 8, 22, 0)
    assert add_working_days(saturday, 0) == datetime(2026, 8, 10, 22, 0)
    assert add_working_days(saturday, 1) == datetime(2026, 8, 11, 22, 0)
    on_holiday = datetime(2026, 8, 17, 8, 0)
    assert add_working_days(on_holiday, 1, [HOLIDAY]) == datetime(2026, 8, 19, 8, 0)


def test_bad_day_counts_are_refused() -> None:
    with pytest.raises(ValueError, match=">= 0"):
        add_working_days(datetime(2026, 1, 5), -1)
    with pytest.raises(TypeError):
        add_working_days(datetime(2026, 1, 5), 1.5)  # type: ignore[arg-type]


def test_lapor_deadlines_across_lebaran_2026(demo: Catalog) -> None:
    # 18-24 March 2026 are Nyepi, Idul Fitri and cuti bersama: one long closed week.
    received = datetime(2026, 3, 12, 14, 0, tzinfo=WIB)  # Thursday
    verified_by = add_working_days(received, 3, demo.holidays)
    assert verified_by == datetime(2026, 3, 17, 14, 0, tzinfo=WIB)
    follow_up_by = add_working_days(verified_by, 5, demo.holidays)
    assert follow_up_by == datetime(2026, 3, 31, 14, 0, tzinfo=WIB)
    assert working_days_between(received, follow_up_by, demo.holidays) == 8


def test_days_are_counted_in_local_time(demo: Catalog) -> None:
    # 18:00 UTC on Friday is 01:00 WIB on Saturday: the clock starts on Monday.
    friday_evening_utc = datetime(2026, 8, 7, 18, 0, tzinfo=UTC)
    assert demo.tzinfo.utcoffset(None) == timedelta(hours=7)
    starts = add_working_days(friday_evening_utc, 0, tz=demo.tzinfo)
    assert starts == datetime(2026, 8, 9, 18, 0, tzinfo=UTC)  # Monday 01:00 WIB
    assert starts.tzinfo is UTC
    due = add_working_days(friday_evening_utc, 1, tz=demo.tzinfo)
    assert due == datetime(2026, 8, 10, 18, 0, tzinfo=UTC)  # Tuesday 01:00 WIB
    # Without tz the same moment is still a Friday, so nothing moves.
    assert add_working_days(friday_evening_utc, 0) == friday_evening_utc
    assert not is_working_day(friday_evening_utc, tz=demo.tzinfo)
    assert is_working_day(friday_evening_utc)
    assert working_days_between(friday_evening_utc, due, tz=demo.tzinfo) == 1


def test_working_days_between() -> None:
    monday = date(2026, 8, 10)
    assert working_days_between(monday, monday) == 0
    assert working_days_between(monday, date(2026, 8, 17)) == 5
    assert working_days_between(monday, date(2026, 8, 18), {HOLIDAY}) == 5
    assert working_days_between(date(2026, 8, 17), monday) == -5
    # Time of day does not count; dates do.
    assert working_days_between(datetime(2026, 8, 10, 23, 0), datetime(2026, 8, 11, 1, 0)) == 1


@given(
    start=st.datetimes(min_value=datetime(2025, 12, 1), max_value=datetime(2027, 12, 1)),
    days=st.integers(min_value=0, max_value=70),
)
def test_between_inverts_add(start: datetime, days: int) -> None:
    holidays = {date(2026, 3, d) for d in range(18, 25)} | {HOLIDAY, date(2026, 12, 25)}
    end = add_working_days(start, days, holidays)
    assert end.time() == start.time()
    assert is_working_day(end, holidays)
    assert working_days_between(start, end, holidays) == days
    aware = start.replace(tzinfo=UTC)
    local_end = add_working_days(aware, days, holidays, tz=WIB)
    assert is_working_day(local_end, holidays, tz=WIB)
    assert working_days_between(aware, local_end, holidays, tz=WIB) == days
