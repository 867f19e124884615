"""Progress toward a target, judged for the target's own date.

The trend runs from the baseline (the indicator's baseline value and period, else the
framework's start at 0 for counts of people or things, else the earliest computed value)
to the latest value; projected in a straight line to the target period's last day:

* **met** — the latest value already satisfies the target;
* **not met** — the target's date has passed and it is not satisfied;
* **on track** — the projection reaches the target by its date;
* **at risk** — the projection reaches at least :data:`AT_RISK_SHARE` of the way;
* **off track** — less than that (or the trend goes the wrong way);
* **no data** — no latest value, or no earlier point to draw a trend from.

A 2030 target is never "not met" in 2025: before its date it can only be on track, at
risk or off track.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .periods import Period

__all__ = [
    "AT_RISK_SHARE",
    "LABELS",
    "Point",
    "Progress",
    "judge",
    "satisfies",
]

MET = "met"
NOT_MET = "not_met"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NO_DATA = "no_data"
NO_TARGET = "no_target"

#: A projection reaching this share of the way from the baseline to the target is "at
#: risk" rather than "off track".
AT_RISK_SHARE = Decimal("0.8")

LABELS = {
    MET: _("Met"),
    NOT_MET: _("Not met"),
    ON_TRACK: _("On track"),
    AT_RISK: _("At risk"),
    OFF_TRACK: _("Off track"),
    NO_DATA: _("No data"),
    NO_TARGET: _("No target"),
}


@dataclass(frozen=True)
class Point:
    """A value on a day (a period's value, dated on its last day or today)."""

    day: dt.date
    value: Decimal


@dataclass(frozen=True)
class Progress:
    status: str
    #: the value projected to the target's date (``None`` when no trend)
    projected: Decimal | None = None

    @property
    def label(self) -> str:
        return str(LABELS[self.status])


def satisfies(value: Decimal, target: Decimal, comparison: str) -> bool:
    if comparison == ">":
        return value > target
    if comparison == "<=":
        return value <= target
    return value >= target


def judge(
    *,
    target_value: Decimal | None,
    target_period: Period,
    comparison: str,
    latest: Point | None,
    baseline: Point | None,
    today: dt.date,
) -> Progress:
    """The status of one target (see the module's docstring)."""
    if target_value is None:
        return Progress(NO_TARGET)
    if latest is None:
        return Progress(NO_DATA)
    if satisfies(latest.value, target_value, comparison):
        return Progress(MET, latest.value)
    if target_period.end < today and latest.day >= target_period.end:
        return Progress(NOT_MET, latest.value)
    if baseline is None or baseline.day >= latest.day:
        return Progress(NO_DATA)
    days = Decimal((latest.day - baseline.day).days)
    slope = (latest.value - baseline.value) / days
    ahead = Decimal(max(0, (target_period.end - latest.day).days))
    projected = (latest.value + slope * ahead).quantize(Decimal("0.01"))
    if satisfies(projected, target_value, comparison):
        return Progress(ON_TRACK, projected)
    way = target_value - baseline.value
    done = projected - baseline.value
    if comparison == "<=":
        way, done = -way, -done
    if way > 0 and done >= way * AT_RISK_SHARE:
        return Progress(AT_RISK, projected)
    return Progress(OFF_TRACK, projected)
