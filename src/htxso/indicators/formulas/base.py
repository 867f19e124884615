"""What a formula is and the registry of formulas.

A formula computes one indicator for a period and a province (``None`` = the whole
country, or the framework's scope) from the platform's own data, reading the source app
only through its selectors.  It returns a :class:`Result`: the value (``None`` = no data,
never 0), the numerator and denominator when it is a share or an average, a note saying
why there is no value, and the disaggregation cells it was asked for (``by``), keyed
``"sex=female"``, ``"age_band=15-34"``, ``"province=19"``…  A cell counting fewer than
:data:`SMALL_CELL` people is suppressed (value ``None``, note "suppressed"), like the
training figures.

A formula registered with ``wards=True`` can also count one ward or commune: the
computation passes the ward's code in ``params[WARD_PARAM]`` (a reserved key nobody
can set in an indicator's parameters; read it with :func:`ward_of`).  Any other formula
asked for a ward answers "not available for a ward" (:data:`NOTE_NOT_FOR_WARD`), never
the province's number.

Modules register their formulas with :func:`formula`::

    @formula("registry.cooperatives", _("Cooperatives"), unit=Unit.COUNT, source="registry")
    def cooperatives(*, period, province, params, by=()):
        ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _

from htxso.core.actors import SystemActor

from ..periods import Period

__all__ = [
    "FORMULAS",
    "NOTE_DIVISION_BY_ZERO",
    "NOTE_NOT_FOR_WARD",
    "NOTE_NOT_STARTED",
    "NOTE_NO_DATA",
    "NOTE_SUPPRESSED",
    "SMALL_CELL",
    "SYSTEM",
    "WARD_PARAM",
    "Formula",
    "Result",
    "average",
    "cell_key",
    "choices",
    "count",
    "formula",
    "get",
    "share",
    "suppress_small",
    "ward_of",
]

#: Who formulas read the source apps as: trusted code that reaches every row (who may
#: see the result is the framework's policy, not the formula's).
SYSTEM = SystemActor("indicators", _("Indicator computation"))

#: Cells counting fewer people than this are suppressed (as the training figures do).
SMALL_CELL = 5

NOTE_NO_DATA = "no_data"
NOTE_NOT_STARTED = "not_started"
NOTE_DIVISION_BY_ZERO = "division_by_zero"
NOTE_SUPPRESSED = "suppressed"
NOTE_UNKNOWN_FORMULA = "unknown_formula"
NOTE_NOT_FOR_WARD = "not_for_ward"

#: The reserved parameter carrying the ward a computation is restricted to.
WARD_PARAM = "_ward"

#: How each note reads on a page.
NOTES: dict[str, Any] = {
    NOTE_NO_DATA: _("No data for this period."),
    NOTE_NOT_STARTED: _("The period has not started yet."),
    NOTE_DIVISION_BY_ZERO: _("No data: the denominator is zero."),
    NOTE_SUPPRESSED: _("Fewer than 5 people: not shown."),
    NOTE_UNKNOWN_FORMULA: _("The formula of this indicator does not exist."),
    NOTE_NOT_FOR_WARD: _("Not available for a ward: this figure is only counted per province."),
}


@dataclass
class Result:
    """A computed value.  ``value is None`` means no data (``note`` says why)."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    cells: dict[str, Result] = field(default_factory=dict)
    note: str = ""
    #: the same numerator over a wider denominator, shown beside (a share of graded
    #: organisations gives the share of all organisations here); never a cell
    beside: Result | None = None

    @property
    def has_data(self) -> bool:
        return self.value is not None

    @property
    def note_text(self) -> str:
        return str(NOTES.get(self.note, self.note)) if self.note else ""


class Compute(Protocol):
    def __call__(
        self,
        *,
        period: Period,
        province: Any,
        params: Mapping[str, Any],
        by: Sequence[str] = (),
    ) -> Result: ...


@dataclass(frozen=True)
class Formula:
    """A named formula: ``compute(*, period, province, params, by=()) -> Result``."""

    key: str
    label: Any
    unit: str
    compute: Compute
    #: the app whose selectors it reads ("registry", "training", "market"…)
    source: str = ""
    #: what it counts and how, shown on the indicator page
    description: Any = ""
    #: what the denominator is (shares and averages), shown beside the value
    denominator: Any = ""
    #: the disaggregations it can give
    disaggregations: tuple[str, ...] = ()
    #: parameters it accepts, with their meaning (shown on the staff form)
    params: Mapping[str, Any] = field(default_factory=dict)
    #: counts from the framework's start (0 then), not a stock read on a day
    cumulative: bool = False
    #: can be restricted to one ward or commune (``params[WARD_PARAM]``)
    wards: bool = False


#: The registry: key → formula.  Filled when ``indicators.formulas`` is imported.
FORMULAS: dict[str, Formula] = {}


def formula(
    key: str,
    label: Any,
    *,
    unit: str,
    source: str,
    description: Any = "",
    denominator: Any = "",
    disaggregations: Iterable[str] = (),
    params: Mapping[str, Any] | None = None,
    cumulative: bool = False,
    wards: bool = False,
) -> Callable[[Compute], Compute]:
    """Register the decorated function as formula ``key``."""

    def register(fn: Compute) -> Compute:
        if key in FORMULAS:
            raise ValueError(f"formula {key!r} is registered twice")
        FORMULAS[key] = Formula(
            key=key,
            label=label,
            unit=unit,
            compute=fn,
            source=source,
            description=description,
            denominator=denominator,
            disaggregations=tuple(disaggregations),
            params=dict(params or {}),
            cumulative=cumulative,
            wards=wards,
        )
        return fn

    return register


def get(key: str) -> Formula | None:
    return FORMULAS.get(key)


def choices() -> list[tuple[str, str]]:
    """(key, label) of every formula, for a form's select."""
    return [(f.key, f"{f.label} ({f.key})") for f in sorted(FORMULAS.values(), key=lambda f: f.key)]


# --- helpers for formulas -----------------------------------------------------------------
def ward_of(params: Mapping[str, Any]) -> str | None:
    """The code of the ward the computation is restricted to, or ``None``."""
    return str(params.get(WARD_PARAM) or "") or None


def cell_key(**parts: Any) -> str:
    """``cell_key(sex="female")`` → ``"sex=female"`` (keys in the given order)."""
    return "|".join(f"{k}={v}" for k, v in parts.items())


def _dec(n: Any) -> Decimal:
    return n if isinstance(n, Decimal) else Decimal(n)


def count(n: int | Decimal | None, *, note: str = NOTE_NO_DATA) -> Result:
    """A count; ``None`` = no data."""
    if n is None:
        return Result(None, note=note)
    return Result(_dec(n), numerator=_dec(n))


def share(numerator: int | Decimal | None, denominator: int | Decimal | None) -> Result:
    """A percentage ``100 × numerator / denominator`` (two decimals); no data when the
    denominator is zero or missing."""
    if numerator is None or denominator is None:
        return Result(None, note=NOTE_NO_DATA)
    num, den = _dec(numerator), _dec(denominator)
    if not den:
        return Result(None, numerator=num, denominator=den, note=NOTE_DIVISION_BY_ZERO)
    value = (num * 100 / den).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Result(value, numerator=num, denominator=den)


def average(total: int | Decimal | None, n: int | Decimal | None) -> Result:
    """``total / n`` rounded to a unit (VND); no data when ``n`` is zero or missing."""
    if total is None or n is None:
        return Result(None, note=NOTE_NO_DATA)
    num, den = _dec(total), _dec(n)
    if not den:
        return Result(None, numerator=num, denominator=den, note=NOTE_DIVISION_BY_ZERO)
    return Result(
        (num / den).quantize(Decimal("1"), rounding=ROUND_HALF_UP), numerator=num, denominator=den
    )


def suppress_small(cells: dict[str, Result], *, people: bool = True) -> dict[str, Result]:
    """Suppress the cells of fewer than :data:`SMALL_CELL` people (counts of people
    only; a share is suppressed when its denominator is small)."""
    if not people:
        return cells
    out: dict[str, Result] = {}
    for key, res in cells.items():
        base = res.denominator if res.denominator is not None else res.value
        if base is not None and 0 < base < SMALL_CELL:
            out[key] = Result(None, note=NOTE_SUPPRESSED)
        else:
            out[key] = res
    return out
