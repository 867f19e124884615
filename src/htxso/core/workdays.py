"""Working days of Vietnam, for deadlines counted in working days: pure functions, no
database (moved here from ``support/calendar.py`` so every app can count working days).

A day is a working day unless it is a Saturday or Sunday, a public holiday of the
``holidays`` package (``holidays.VN``: New Year, Tết, Hùng Kings, 30/4, 1/5, 2/9 …), or
a day off the government decided for that year (a compensatory day, ``days_off``) —
and a Saturday the government made a working day to make up for a bridge day
(``working_days``) is one.  The two sets are data kept by the support centre
(``support.models.CalendarDay``, edited in the admin).  ``core`` cannot read another app's
table, so the app that keeps them registers, from its ``AppConfig.ready()``, a function
answering the current :class:`WorkingCalendar` (:func:`register_calendar_source`); any app
asks :func:`current` — without such an app it is :data:`PLAIN` (weekends and holidays).

Counting convention (the helpdesks' one): the day a request arrives is day 0;
:func:`add_working_days` (d, n) is the n-th working day *after* d, and
:func:`working_days_between` (a, b) counts the working days in ``(a, b]`` — so
``working_days_between(d, add_working_days(d, n)) == n``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import holidays

#: No deadline is further than this many working days (a guard against a loop on bad data).
MAX_DAYS = 3660


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def public_holiday_name(day: dt.date) -> str:
    return str(holidays.country_holidays("VN", years=day.year).get(day) or "")


@dataclass(frozen=True)
class WorkingCalendar:
    """Weekends + ``holidays.VN`` + the government's changes of the year."""

    #: compensatory days off decided by the government (e.g. a bridge Monday)
    days_off: frozenset[dt.date] = field(default_factory=frozenset)
    #: Saturdays (or Sundays) made working days to make up for a bridge day
    working_days: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def of(
        cls, days_off: Iterable[dt.date] = (), working_days: Iterable[dt.date] = ()
    ) -> WorkingCalendar:
        return cls(frozenset(days_off), frozenset(working_days))

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.working_days:
            return True
        if day in self.days_off:
            return False
        if day.weekday() >= 5:
            return False
        return day not in _public_holidays(day.year)


#: The calendar without government changes (tests, and code that has no database).
PLAIN = WorkingCalendar()


def is_working_day(day: dt.date, calendar: WorkingCalendar = PLAIN) -> bool:
    return calendar.is_working_day(day)


def add_working_days(start: dt.date, days: int, calendar: WorkingCalendar = PLAIN) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself when ``days`` is 0,
    whether or not it is a working day)."""
    if days < 0:
        raise ValueError("add_working_days: days must be >= 0")
    if days > MAX_DAYS:
        raise ValueError(f"add_working_days: at most {MAX_DAYS} days")
    day = start
    left = days
    while left:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            left -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, calendar: WorkingCalendar = PLAIN) -> int:
    """The working days in ``(start, end]``; 0 when ``end <= start``."""
    if end <= start:
        return 0
    if (end - start).days > MAX_DAYS * 2:
        raise ValueError("working_days_between: the period is too long")
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


# ------------------------------------------------------------------ the editable days off

CalendarSource = Callable[[], WorkingCalendar]

_source: CalendarSource | None = None


def register_calendar_source(source: CalendarSource) -> None:
    """Publish ``source() -> WorkingCalendar`` (the government's days off and made-up
    working days from the database); called once from the keeping app's ``ready()``,
    registering again replaces it."""
    global _source
    _source = source


def current() -> WorkingCalendar:
    """The working calendar with the government's changes, or :data:`PLAIN` when no app
    keeps them."""
    return _source() if _source is not None else PLAIN
