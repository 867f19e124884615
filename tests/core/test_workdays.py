"""core.workdays: the working-day calendar every app counts with, and the hook through
which the support centre's editable days off (support.CalendarDay) reach it."""

from __future__ import annotations

import datetime as dt

import pytest

from htxso.core import workdays

D = dt.date


def test_plain_without_a_source(monkeypatch):
    monkeypatch.setattr(workdays, "_source", None)
    assert workdays.current() is workdays.PLAIN


def test_a_registered_source_is_used(monkeypatch):
    cal = workdays.WorkingCalendar.of(days_off=[D(2026, 12, 7)])
    monkeypatch.setattr(workdays, "_source", None)
    workdays.register_calendar_source(lambda: cal)
    assert workdays.current() is cal
    assert not workdays.current().is_working_day(D(2026, 12, 7))
    assert workdays.add_working_days(D(2026, 12, 4), 1, workdays.current()) == D(2026, 12, 8)


@pytest.mark.django_db
def test_support_fills_the_hook_with_its_calendar_days():
    from htxso.support.models import CalendarDay, DayKind

    monday, saturday = D(2026, 12, 7), D(2026, 12, 12)
    assert workdays.current().is_working_day(monday)
    CalendarDay.objects.create(day=monday, kind=DayKind.DAY_OFF, name="bridge")
    CalendarDay.objects.create(day=saturday, kind=DayKind.WORKING, name="make-up")
    cal = workdays.current()
    assert not cal.is_working_day(monday)
    assert cal.is_working_day(saturday)
    # Friday 4/12 + 1 working day skips the weekend and the bridge Monday
    assert workdays.add_working_days(D(2026, 12, 4), 1, cal) == D(2026, 12, 8)
