"""Working days: holiday sets holding datetimes, time zones on dates and datetimes, the
type checks and negative spans with holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from routing.workdays import add_working_days, is_working_day, working_days_between

WIB = timezone(timedelta(hours=7))
HOLIDAY = date(2026, 8, 17)  # a Monday


def test_a_holiday_set_of_datetimes_counts_their_days() -> None:
    # A set (not converted by default) whose members are datetimes: still read as days.
    holidays = {datetime(2026, 8, 17, 0, 0)}
    assert not is_working_day(HOLIDAY, holidays)
    assert not is_working_day(datetime(2026, 8, 17, 15, 0), frozenset(holidays))
    assert add_working_days(datetime(2026, 8, 14, 9, 0), 1, holidays) == datetime(
        2026, 8, 18, 9, 0)
    assert working_days_between(date(2026, 8, 14), date(2026, 8, 19), holidays) == 2


def test_an_aware_moment_without_a_zone_is_read_as_given() -> None:
    # Saturday 02:00 WIB is Friday in UTC; without ``tz`` the moment's own day counts.
    saturday_wib = datetime(2026, 8, 15, 2, 0, tzinfo=WIB)
    assert not is_working_day(saturday_wib)
    assert is_working_day(saturday_wib, tz=UTC)


def test_a_naive_moment_is_local_already_whatever_the_zone() -> None:
    # Friday 23:00, naive: taken as WIB local time, not converted from anywhere.
    friday_late = datetime(2026, 8, 14, 23, 0)
    assert is_working_day(friday_late, tz=WIB)
    assert add_working_days(friday_late, 1, tz=WIB) == datetime(2026, 8, 17, 23, 0)
    assert working_days_between(friday_late, datetime(2026, 8, 17, 1, 0), tz=WIB) == 1


def test_plain_dates_ignore_the_zone() -> None:
    assert is_working_day(date(2026, 8, 14), tz=WIB)
    assert not is_working_day(date(2026, 8, 15), tz=WIB)
    assert working_days_between(date(2026, 8, 14), date(2026, 8, 18), tz=WIB) == 2
    assert working_days_between(date(2026, 8, 18), date(2026, 8, 14), tz=WIB) == -2


def test_a_backward_span_skips_the_same_holidays() -> None:
    assert working_days_between(date(2026, 8, 19), date(2026, 8, 14), [HOLIDAY]) == -2
    assert working_days_between(date(2026, 8, 14), date(2026, 8, 19), [HOLIDAY]) == 2


@pytest.mark.parametrize(("days", "name"), [(True, "bool"), ("3", "str"), (1.5, "float")])
def test_day_counts_must_be_ints(days: object, name: str) -> None:
    with pytest.raises(TypeError) as err:
        add_working_days(datetime(2026, 8, 14, 9, 0), days)  # type: ignore[arg-type]
    assert str(err.value) == f"days must be an int, got {name}"
