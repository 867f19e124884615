"""The rule engine: one pure function per kind of computed criterion.

Every function takes the prefetched facts of one organisation (:class:`OrgFacts`, see
``facts.load_facts``), the criterion's parameters and the reference date, and returns an
:class:`Outcome` — a verdict, a stable ``code`` and the data used.  The sentence shown to
people ("Thanh niên dưới 35 tuổi: 12/25 = 48 % > 40 % ✔") is built by :func:`describe`
from the code and data, in the active language, so the same outcome reads in Vietnamese
and in English.  Missing data always gives ``no_data``, never ``pass``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from htxso.registry.models import YOUTH_AGE

PASS, FAIL, NO_DATA, PENDING = "pass", "fail", "no_data", "pending"

GRADE_ORDER = {"good": 3, "fair": 2, "average": 1, "weak": 0, "not_graded": -1}


@dataclass
class ReportFacts:
    workers_total: int | None = None
    workers_youth: int | None = None
    revenue: int | None = None
    profit: int | None = None
    in_value_chain: bool | None = None


@dataclass
class OrgFacts:
    """What the rules may read about one organisation (filled in a few batched queries)."""

    id: int
    kind: str = "cooperative"
    sector: str = ""
    province_id: str = ""
    status: str = "active"
    established_on: dt.date | None = None
    reports: dict[int, ReportFacts] = field(default_factory=dict)
    #: (birth date or None, started_on, ended_on or None) of every job
    workers: list[tuple[dt.date | None, dt.date, dt.date | None]] = field(default_factory=list)
    #: (year, grade) of reviewed or published classification scores
    grades: list[tuple[int, str]] = field(default_factory=list)
    #: (started_on, ended_on or None) of value-chain links
    links: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    #: (stars, certified_on, expires_on) of OCOP products
    ocop: list[tuple[int, dt.date, dt.date]] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    verdict: str
    code: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return describe(self.code, self.data)


def _active(start: dt.date, end: dt.date | None, on: dt.date) -> bool:
    return start <= on and (end is None or end > on)


def _age(birth: dt.date, on: dt.date) -> int:
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


# ------------------------------------------------------------------------- rules


def youth_share(facts: OrgFacts, params: dict, on: dt.date) -> Outcome:
    """Share of workers under 35 at ``on`` above ``threshold`` percent.

    The registry's workforce (birth dates) is used when every active worker has a birth
    date; otherwise the latest annual report of the year before ``on`` or earlier (not
    older than three years).  Reports are the submitted or accepted ones only
    (``facts.load_facts``): a draft counts nowhere."""
    threshold = float(params.get("threshold", 40))
    youth = total = None
    source: dict[str, Any] = {}
    active = [b for b, s, e in facts.workers if _active(s, e, on)]
    if active and all(b is not None for b in active):
        total = len(active)
        youth = sum(1 for b in active if _age(b, on) < YOUTH_AGE)
        source = {"source": "workers", "on": on.isoformat()}
    else:
        for year in range(on.year, on.year - 4, -1):
            report = facts.reports.get(year)
            if report and report.workers_total and report.workers_youth is not None:
                total, youth = report.workers_total, report.workers_youth
                source = {"source": "report", "year": year}
                break
    if total is None or youth is None:
        return Outcome(NO_DATA, "youth_no_data", {"year": on.year - 1})
    data = {"youth": youth, "total": total, "threshold": threshold, **source}
    data["share"] = round(youth * 100 / total, 1)
    return Outcome(PASS if youth * 100 > threshold * total else FAIL, "youth_share", data)


def finance(facts: OrgFacts, params: dict, on: dt.date) -> Outcome:
    """Revenue or profit of each of the last ``years`` annual reports positive
    (``mode=positive``) or strictly growing (``mode=growing``)."""
    name = params.get("field", "profit")
    years = max(1, int(params.get("years", 2)))
    last = int(params.get("last_year") or on.year - 1)
    wanted = list(range(last - years + 1, last + 1))
    missing = [y for y in wanted if getattr(facts.reports.get(y), name, None) is None]
    if missing:
        return Outcome(NO_DATA, "finance_missing", {"field": name, "years": missing})
    values = [getattr(facts.reports[y], name) for y in wanted]
    mode = params.get("mode", "positive")
    if mode == "growing":
        ok = all(b > a for a, b in itertools.pairwise(values)) and values[-1] > 0
    else:
        ok = all(v > 0 for v in values)
    data = {"field": name, "mode": mode, "values": dict(zip(map(str, wanted), values, strict=True))}
    return Outcome(PASS if ok else FAIL, "finance", data)


def grade(facts: OrgFacts, params: dict, on: dt.date) -> Outcome:
    """The latest reviewed classification (not older than two years) at least ``at_least``."""
    at_least = params.get("at_least", "fair")
    recent = [(y, g) for y, g in facts.grades if g and on.year - 2 <= y <= on.year]
    if not recent:
        return Outcome(NO_DATA, "grade_missing", {"since": on.year - 2})
    year, got = max(recent)
    ok = GRADE_ORDER.get(got, -1) >= GRADE_ORDER.get(at_least, 2)
    return Outcome(
        PASS if ok else FAIL, "grade", {"year": year, "grade": got, "at_least": at_least}
    )


def value_chain(facts: OrgFacts, params: dict, on: dt.date) -> Outcome:
    """At least ``min_links`` value-chain links active at ``on``."""
    need = max(1, int(params.get("min_links", 1)))
    active = sum(1 for s, e in facts.links if _active(s, e, on))
    if active >= need:
        return Outcome(PASS, "chain", {"active": active, "need": need})
    if not facts.links:
        declared = [
            (y, r.in_value_chain)
            for y, r in sorted(facts.reports.items(), reverse=True)
            if r.in_value_chain is not None
        ]
        if not declared:
            return Outcome(NO_DATA, "chain_no_data", {})
        year, said = declared[0]
        if said:
            return Outcome(NO_DATA, "chain_declared_only", {"year": year})
    return Outcome(FAIL, "chain", {"active": active, "need": need})


def ocop(facts: OrgFacts, params: dict, on: dt.date) -> Outcome:
    """An OCOP product of at least ``min_stars`` stars valid at ``on``."""
    need = int(params.get("min_stars", 3))
    valid = [s for s, c, e in facts.ocop if c <= on < e and s >= need]
    data = {"count": len(valid), "best": max(valid) if valid else None, "need": need}
    return Outcome(PASS if valid else FAIL, "ocop", data)


def sector(facts: OrgFacts, params: dict, on: dt.date) -> Outcome:
    wanted = list(params.get("sectors") or [])
    if not facts.sector:
        return Outcome(NO_DATA, "sector_missing", {})
    ok = facts.sector in wanted
    return Outcome(PASS if ok else FAIL, "sector", {"sector": facts.sector, "wanted": wanted})


def province(facts: OrgFacts, params: dict, on: dt.date) -> Outcome:
    wanted = list(params.get("provinces") or [])
    ok = facts.province_id in wanted
    return Outcome(
        PASS if ok else FAIL, "province", {"province": facts.province_id, "wanted": wanted}
    )


def org_kind(facts: OrgFacts, params: dict, on: dt.date) -> Outcome:
    wanted = list(params.get("kinds") or [])
    ok = facts.kind in wanted
    return Outcome(PASS if ok else FAIL, "org_kind", {"kind": facts.kind, "wanted": wanted})


def operating_months(facts: OrgFacts, params: dict, on: dt.date) -> Outcome:
    """Operating (status active) and established at least ``min_months`` before ``on``."""
    need = int(params.get("min_months", 12))
    if facts.status != "active":
        return Outcome(FAIL, "not_operating", {"status": facts.status})
    if facts.established_on is None:
        return Outcome(NO_DATA, "established_missing", {})
    start = facts.established_on
    months = (on.year - start.year) * 12 + on.month - start.month - (1 if on.day < start.day else 0)
    data = {"months": max(months, 0), "need": need, "since": start.isoformat()}
    return Outcome(PASS if months >= need else FAIL, "operating", data)


def declared(statement: str, officer_verdict: str | None) -> Outcome:
    """A criterion the applicant declares and the officer checks."""
    if officer_verdict in (PASS, FAIL):
        return Outcome(officer_verdict, "declared_checked", {"verdict": officer_verdict})
    if not (statement or "").strip():
        return Outcome(NO_DATA, "declared_missing", {})
    return Outcome(PENDING, "declared_pending", {})


RULES: dict[str, Callable[[OrgFacts, dict, dt.date], Outcome]] = {
    "youth_share": youth_share,
    "finance": finance,
    "grade": grade,
    "value_chain": value_chain,
    "ocop": ocop,
    "sector": sector,
    "province": province,
    "org_kind": org_kind,
    "operating_months": operating_months,
}


def evaluate(kind: str, facts: OrgFacts, params: dict, on: dt.date) -> Outcome:
    return RULES[kind](facts, params or {}, on)


def combine(verdicts) -> bool | None:
    """Eligible (True) when every verdict passes, not (False) when one fails, else None."""
    verdicts = list(verdicts)
    if any(v == FAIL for v in verdicts):
        return False
    if verdicts and all(v == PASS for v in verdicts):
        return True
    return None


def reference_date(params: dict, default: dt.date) -> dt.date:
    raw = (params or {}).get("as_of")
    if raw:
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            pass
    return default


# imported last: describe() needs Django's translation machinery only
from .text import describe  # noqa: E402
