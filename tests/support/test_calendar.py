"""The working-day calendar of SLAs (core/workdays.py, moved from support/calendar.py):
pure functions, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from htxso.core.workdays import (
    PLAIN,
    WorkingCalendar,
    add_working_days,
    is_working_day,
    working_days_between,
)

D = dt.date


def test_weekend_and_ordinary_days():
    assert is_working_day(D(2026, 12, 7))  # Monday
    assert not is_working_day(D(2026, 12, 5))  # Saturday
    assert not is_working_day(D(2026, 12, 6))  # Sunday
    assert add_working_days(D(2026, 12, 4), 1) == D(2026, 12, 7)  # Friday → Monday
    assert add_working_days(D(2026, 12, 7), 0) == D(2026, 12, 7)


def test_tet_2027_is_skipped():
    # holidays.VN: Tết 2027 from Thursday 4/2 (29 Tết) to Wednesday 10/2
    for day in range(4, 11):
        assert not is_working_day(D(2027, 2, day)), day
    assert is_working_day(D(2027, 2, 3))
    assert is_working_day(D(2027, 2, 11))
    # a request on Wednesday 3/2 with 2 working days to answer: Thursday 11/2, Friday 12/2
    assert add_working_days(D(2027, 2, 3), 1) == D(2027, 2, 11)
    assert add_working_days(D(2027, 2, 3), 2) == D(2027, 2, 12)
    assert working_days_between(D(2027, 2, 3), D(2027, 2, 12)) == 2
    # sent on the eve of Tết: the clock only starts after it
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 11)


def test_30_april_and_1_may_2027_with_observed_monday():
    # 30/4/2027 is a Friday, 1/5 a Saturday, observed on Monday 3/5
    assert not is_working_day(D(2027, 4, 30))
    assert not is_working_day(D(2027, 5, 3))
    assert add_working_days(D(2027, 4, 29), 1) == D(2027, 5, 4)
    assert working_days_between(D(2027, 4, 29), D(2027, 5, 4)) == 1


def test_holiday_weekend_2026_with_compensatory_days():
    # 2/9/2026: 31/8 (Monday) is a day off of the package, 1/9 and 2/9 holidays;
    # Saturday 22/8 is worked to make up for it (the table's make-up day)
    cal = WorkingCalendar.of(working_days=[D(2026, 8, 22)])
    assert not is_working_day(D(2026, 8, 22))
    assert is_working_day(D(2026, 8, 22), cal)
    # Friday 28/8 + 1 working day = Thursday 3/9 (Sat, Sun, Mon, Tue, Wed off)
    assert add_working_days(D(2026, 8, 28), 1, cal) == D(2026, 9, 3)
    assert add_working_days(D(2026, 8, 21), 1, cal) == D(2026, 8, 22)
    assert add_working_days(D(2026, 8, 21), 1) == D(2026, 8, 24)


def test_government_day_off_from_the_table():
    friday = D(2026, 12, 11)
    cal = WorkingCalendar.of(days_off=[friday])
    assert is_working_day(friday) and not is_working_day(friday, cal)
    assert add_working_days(D(2026, 12, 10), 1, cal) == D(2026, 12, 14)


@pytest.mark.parametrize("start", [D(2026, 1, 1) + dt.timedelta(days=i * 17) for i in range(8)])
@pytest.mark.parametrize("n", [0, 1, 2, 5, 15, 20])
def test_between_inverts_add(start, n):
    assert working_days_between(start, add_working_days(start, n, PLAIN), PLAIN) == n


def test_bounds():
    assert working_days_between(D(2027, 1, 5), D(2027, 1, 1)) == 0
    with pytest.raises(ValueError):
        add_working_days(D(2027, 1, 1), -1)
    with pytest.raises(ValueError):
        add_working_days(D(2027, 1, 1), 10**9)
