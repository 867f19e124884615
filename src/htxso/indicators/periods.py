"""Reporting periods, coded like DHIS2: ``2025S1`` (January–June), ``2025S2``
(July–December), ``2025`` (the year; a target year such as ``2030`` or ``2045`` is the
same).  ``parse(code)`` raises ``ValueError`` with a message for anything else."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "Period",
    "current",
    "half_years",
    "parse",
    "years",
]

MIN_YEAR = 2000
MAX_YEAR = 2100

_CODE = re.compile(r"^(\d{4})(S([12]))?$")


@dataclass(frozen=True)
class Period:
    """A reporting period: ``code`` as stored, first and last day, a label.  Sorted by
    their last day (``sorted(periods, key=Period.sort_key)``)."""

    code: str
    start: date
    end: date
    label: str

    def sort_key(self) -> tuple[date, date]:
        return (self.end, self.start)

    @property
    def dhis2(self) -> str:
        """The DHIS2 period code (the same as ours: ``2025S1``, ``2025``)."""
        return self.code

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def is_year(self) -> bool:
        return len(self.code) == 4

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label


def parse(code: object) -> Period:
    """The period of ``code`` (``2025S1``, ``2025S2``, ``2025``); ``ValueError`` otherwise."""
    text = str(code or "").strip().upper()
    match = _CODE.match(text)
    if not match:
        raise ValueError(
            _(
                "“%(code)s” is not a period: write a year (2025) or a half-year "
                "(2025S1 for January–June, 2025S2 for July–December)."
            )
            % {"code": str(code or "")[:20]}
        )
    year = int(match.group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(
            _("The year of a period must be between %(min)s and %(max)s.")
            % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    half = match.group(3)
    if half == "1":
        return Period(
            code=text,
            start=date(year, 1, 1),
            end=date(year, 6, 30),
            label=_("first half of %(year)s") % {"year": year},
        )
    if half == "2":
        return Period(
            code=text,
            start=date(year, 7, 1),
            end=date(year, 12, 31),
            label=_("second half of %(year)s") % {"year": year},
        )
    return Period(code=text, start=date(year, 1, 1), end=date(year, 12, 31), label=str(year))


def is_valid(code: object) -> bool:
    try:
        parse(code)
    except ValueError:
        return False
    return True


def current(day: date, *, half: bool = True) -> Period:
    """The half-year (or year) that contains ``day``."""
    if not half:
        return parse(str(day.year))
    return parse(f"{day.year}S{1 if day.month <= 6 else 2}")


def half_years(first: int, last: int) -> list[Period]:
    """Every half-year of the years ``first``..``last``."""
    return [parse(f"{y}S{h}") for y in range(first, last + 1) for h in (1, 2)]


def years(first: int, last: int) -> list[Period]:
    return [parse(str(y)) for y in range(first, last + 1)]
