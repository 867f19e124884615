"""Pure rules of classification (xếp loại): points, totals, grades, "not graded".

No database here: the functions take a scheme's ``criteria`` and ``thresholds`` JSON
(see :class:`~htxso.registry.models.ClassificationScheme`) and plain values, so they can
be tested with hand-computed cases.

``thresholds`` holds the lower bounds of the grades and the scheme's special rules::

    {"good": 80, "fair": 65, "average": 50,
     "min_months_operating": 12, "max_months_suspended": 3,
     "sanction_grade": "weak"}          # only in schemes where a sanction means weak
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from htxso.core.errors import ServiceError

GOOD, FAIR, AVERAGE, WEAK, NOT_GRADED = "good", "fair", "average", "weak", "not_graded"

#: Reasons an organisation is not graded (stored in ``ClassificationScore.not_graded_reason``).
REASON_TOO_YOUNG = "operating_less_than_12_months"
REASON_SUSPENDED = "suspended_more_than_3_months"
REASON_LABELS = {
    REASON_TOO_YOUNG: _("Operating for less than 12 months at the end of the year."),
    REASON_SUSPENDED: _("Suspended for more than 3 months in the year."),
}

DEFAULT_MIN_MONTHS_OPERATING = 12
DEFAULT_MAX_MONTHS_SUSPENDED = 3


class RuleError(ServiceError):
    """Bad input to a rule (kind INVALID): a stable ``code``, a message for people and,
    when one input is at fault, its ``field`` (a criterion code, or a form input)."""

    def __init__(
        self,
        code: str,
        message: str | Promise,
        params: dict[str, object] | None = None,
        field: str | None = None,
    ) -> None:
        text = message % params if params else message
        super().__init__(code, text, fields={field: [ServiceError(code, text)]} if field else None)
        self.field = field


@dataclass(frozen=True)
class Result:
    total: int
    grade: str
    reason: str = ""


def max_total(criteria: Sequence[Mapping]) -> int:
    return sum(int(c["max_points"]) for c in criteria)


def clean_points(criteria: Sequence[Mapping], points: Mapping[str, object]) -> dict[str, int]:
    """Check one number per criterion: whole, 0 ≤ points ≤ the criterion's maximum.

    Missing criteria count as 0; unknown codes are refused.
    """
    by_code = {c["code"]: c for c in criteria}
    unknown = sorted(set(points) - set(by_code))
    if unknown:
        raise RuleError(
            "unknown_criterion",
            _("Unknown criterion: %(code)s."),
            {"code": ", ".join(unknown)},
        )
    cleaned: dict[str, int] = {}
    for code, criterion in by_code.items():
        raw = points.get(code, 0)
        if raw in (None, ""):
            raw = 0
        if isinstance(raw, bool):
            raise RuleError("points_not_whole", _("Points must be whole numbers."), field=code)
        try:
            value = int(raw) if not isinstance(raw, float) or raw.is_integer() else None
        except (TypeError, ValueError):
            value = None
        if value is None:
            raise RuleError("points_not_whole", _("Points must be whole numbers."), field=code)
        if value < 0:
            raise RuleError("points_negative", _("Points cannot be negative."), field=code)
        maximum = int(criterion["max_points"])
        if value > maximum:
            raise RuleError(
                "points_above_max",
                _("At most %(max)s points for criterion %(code)s."),
                {"max": maximum, "code": code},
                field=code,
            )
        cleaned[code] = value
    return cleaned


def total_points(criteria: Sequence[Mapping], points: Mapping[str, object]) -> int:
    return sum(clean_points(criteria, points).values())


def grade_for(total: int, thresholds: Mapping[str, object]) -> str:
    """Grade of a total: Tốt ≥ good, Khá ≥ fair, Trung bình ≥ average, else Yếu."""
    if total < 0:
        raise RuleError("points_negative", _("Points cannot be negative."))
    for grade in (GOOD, FAIR, AVERAGE):
        if total >= int(thresholds[grade]):
            return grade
    return WEAK


def not_graded_reason(
    *,
    year: int,
    established_on: dt.date | None,
    months_suspended: int = 0,
    thresholds: Mapping[str, object] | None = None,
) -> str:
    """Why the organisation cannot be graded for ``year`` ("" when it can).

    * operating fewer than ``min_months_operating`` (12) full months on 31 December:
      established after 1 January of the year (established on 1 January → 12 months);
    * suspended more than ``max_months_suspended`` (3) months in the year.
    An unknown establishment date does not block grading.
    """
    thresholds = thresholds or {}
    if months_suspended < 0 or months_suspended > 12:
        raise RuleError("months_suspended_range", _("Months suspended must be between 0 and 12."))
    min_months = int(thresholds.get("min_months_operating", DEFAULT_MIN_MONTHS_OPERATING))
    max_suspended = int(thresholds.get("max_months_suspended", DEFAULT_MAX_MONTHS_SUSPENDED))
    if established_on is not None:
        year_end = dt.date(year, 12, 31)
        months = (year_end.year - established_on.year) * 12 + (
            year_end.month - established_on.month
        )
        # a month counts once the same day-of-month +1 is reached (1 Jan → 31 Dec = 12)
        if established_on.day > 1:
            months -= 1
        months += 1
        if months < min_months:
            return REASON_TOO_YOUNG
    if months_suspended > max_suspended:
        return REASON_SUSPENDED
    return ""


def classify(
    *,
    criteria: Sequence[Mapping],
    thresholds: Mapping[str, object],
    points: Mapping[str, object],
    year: int,
    established_on: dt.date | None = None,
    months_suspended: int = 0,
    had_sanction: bool = False,
) -> Result:
    """Total and grade of one self-score.

    Order: points are checked; "not graded" wins; then a scheme whose thresholds carry
    ``sanction_grade`` gives that grade when there was an administrative sanction;
    otherwise the thresholds decide.
    """
    total = total_points(criteria, points)
    reason = not_graded_reason(
        year=year,
        established_on=established_on,
        months_suspended=months_suspended,
        thresholds=thresholds,
    )
    if reason:
        return Result(total=total, grade=NOT_GRADED, reason=reason)
    sanction_grade = thresholds.get("sanction_grade")
    if had_sanction and sanction_grade:
        return Result(total=total, grade=str(sanction_grade))
    return Result(total=total, grade=grade_for(total, thresholds))


def group_totals(criteria: Sequence[Mapping], points: Mapping[str, int]) -> list[dict]:
    """Per group: label, points and maximum, in the order of the criteria."""
    groups: dict[str, dict] = {}
    for c in criteria:
        g = groups.setdefault(
            c["group"],
            {
                "code": c["group"],
                "label_vi": c.get("group_label_vi", c["group"]),
                "label_en": c.get("group_label_en", c["group"]),
                "points": 0,
                "max_points": 0,
            },
        )
        g["points"] += int(points.get(c["code"], 0) or 0)
        g["max_points"] += int(c["max_points"])
    return list(groups.values())
