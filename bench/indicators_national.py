"""Indicators: a national framework, 34 provinces × 2 years, refreshed vs raw SQL aggregates.

On the national registry data set (``registry_generate``: 34,000 cooperatives, 70,000
groups, 1 M members by default, 6.1 M with ``BENCH_REGISTRY_SCALE=full``; 1,700 + 3,500
and 50,000 with ``--quick``), inside a transaction rolled back at the end, published
classification scores are added for 60 % of the generated cooperatives (2024 and 2025),
and a national framework is made with one indicator per registry formula (counts of
cooperatives, groups and unions by province and sector; members; the shares of graded
organisations good or fair, of organisations in value chains, of cooperatives operating
effectively; high technology; average revenue and income), each with every
disaggregation its formula gives.

Measured, interleaved (ABBA), ``ROUNDS`` times each: ``compute.refresh(framework,
periods=["2024", "2025"])`` (every formula, every province cell, the cache rows written
in one transaction) against hand-written SQL that computes the same aggregates — one
``GROUP BY province`` statement per indicator and year — with a cursor.

Then, in the same transaction, ``training_count``'s generator adds 200 courses, 200,000
people and 1,000,000 enrolments (2,000 / 10,000 with ``--quick``), and a second framework
with the training formulas (people trained; young people who completed a digital-skills
course), by sex and province, is refreshed against the same distinct counts by hand.

Limits (both parts): median refresh ≤ ``MAX_RATIO`` × the raw SQL's median; the refresh's reads do
not grow with the provinces (the national refresh issues no more SELECTs than the
refresh of one province; its INSERT batches grow with the rows written, and all its
queries are reported); the cached totals and province cells equal the raw SQL's.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import statistics
import time
from decimal import Decimal
from typing import Any

from .harness import Context, Result, format_table
from .registry_generate import MARK, ensure_generated

NAME = "indicators_national"
MAX_RATIO = 2.0
ROUNDS, QUICK_ROUNDS = 5, 3
PERIODS = ["2024", "2025"]
FRAMEWORK = "bench-national"
#: (indicator code, formula key): every registry formula.
INDICATORS = [
    ("cooperatives", "registry.cooperatives"),
    ("groups", "registry.groups"),
    ("unions", "registry.unions"),
    ("cooperative-members", "registry.cooperative_members"),
    ("group-members", "registry.group_members"),
    ("union-members", "registry.union_members"),
    ("share-good-or-fair", "registry.share_good_or_fair"),
    ("share-value-chain", "registry.share_value_chain"),
    ("share-effective", "registry.share_effective"),
    ("high-tech", "registry.high_tech"),
    ("revenue-per-cooperative", "registry.revenue_per_cooperative"),
    ("income-per-worker", "registry.income_per_worker"),
]
GRADES = ["good", "good", "fair", "fair", "fair", "average", "weak", ""]


class _Rollback(Exception):
    pass


# --- data --------------------------------------------------------------------------------


def _scores(rng: random.Random) -> int:
    """Published classification scores for 60 % of the generated cooperatives."""
    from htxso.registry.models import ClassificationScheme, ClassificationScore, Organisation

    from .registry_support import Adapt, insert_rows, next_id

    adapt = Adapt()
    scheme = ClassificationScheme.objects.order_by("id").first()
    if scheme is None:
        return 0
    coops = list(
        Organisation.objects.filter(description=MARK, kind="cooperative").values_list(
            "id", flat=True
        )
    )
    first = next_id(ClassificationScore)
    rows = []
    for year in (2024, 2025):
        for oid in coops:
            if rng.random() >= 0.6:
                continue
            grade = rng.choice(GRADES)
            rows.append(
                (
                    first + len(rows), oid, scheme.pk, year, "{}", rng.randint(20, 95), grade,
                    "" if grade else "Chưa đủ hồ sơ", False, "published", "", adapt.now,
                    adapt.now, adapt.now,
                )
            )  # fmt: skip
    insert_rows(
        ClassificationScore,
        [
            "id",
            "organisation",
            "scheme",
            "year",
            "points",
            "total",
            "grade",
            "not_graded_reason",
            "had_administrative_sanction",
            "status",
            "review_comment",
            "published_at",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    return len(rows)


def _framework() -> Any:
    from htxso.indicators import formulas
    from htxso.indicators.models import Framework, Indicator

    fw = Framework.objects.create(
        code=FRAMEWORK, name="Khung chỉ số toàn quốc (bench)", programme_label="bench"
    )
    for order, (code, key) in enumerate(INDICATORS):
        spec = formulas.get(key)
        if spec is None:
            raise RuntimeError(f"formula {key!r} is not registered")
        Indicator.objects.create(
            framework=fw,
            code=code,
            name=str(spec.label),
            unit=spec.unit,
            formula=key,
            disaggregations=list(spec.disaggregations),
            dhis2_code=f"HTX_{code.upper().replace('-', '_')}"[:50],
            order=order,
        )
    return fw


# --- the raw SQL -------------------------------------------------------------------------


def _sql() -> dict[str, str]:
    """One statement per formula family, ``GROUP BY`` province (and sector for counts)."""
    from django.db import connection

    from htxso.registry.models import (
        AnnualReport,
        ClassificationScore,
        Organisation,
        ValueChainLink,
    )

    qn = connection.ops.quote_name
    org = qn(Organisation._meta.db_table)
    rep = qn(AnnualReport._meta.db_table)
    score = qn(ClassificationScore._meta.db_table)
    link = qn(ValueChainLink._meta.db_table)
    operating = (
        "((o.status = 'active' AND o.dissolved_on IS NULL) OR "
        "(o.status IN ('active', 'dissolved') AND o.dissolved_on > %(as_of)s))"
    )
    counted = "r.status IN ('submitted', 'accepted') AND r.year = %(year)s"
    members = "COALESCE(r.members_official, 0) + COALESCE(r.members_associate, 0)"
    has_members = "(r.members_official IS NOT NULL OR r.members_associate IS NOT NULL)"
    return {
        "count": (
            f"SELECT o.province_id, o.sector, COUNT(*) FROM {org} o "
            f"WHERE o.kind = %(kind)s AND {operating} "
            "AND (o.established_on IS NULL OR o.established_on <= %(as_of)s) "
            "GROUP BY o.province_id, o.sector"
        ),
        "members": (
            f"SELECT o.province_id, SUM(CASE WHEN o.kind = %(kind)s THEN {members} END), "
            f"COUNT(*) FROM {rep} r JOIN {org} o ON o.id = r.organisation_id "
            f"WHERE {counted} AND {has_members} GROUP BY o.province_id"
        ),
        "reports": (
            "SELECT o.province_id, "
            "SUM(CASE WHEN o.kind = 'cooperative' AND r.operating_effectively = %(true)s "
            "THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN o.kind = 'cooperative' AND r.operating_effectively IS NOT NULL "
            "THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN o.kind = 'cooperative' THEN r.revenue END), "
            "SUM(CASE WHEN o.kind = 'cooperative' AND r.revenue IS NOT NULL THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN r.average_income_month IS NOT NULL AND r.workers_total > 0 "
            "THEN r.average_income_month * r.workers_total END), "
            "SUM(CASE WHEN r.average_income_month IS NOT NULL AND r.workers_total > 0 "
            "THEN r.workers_total END) "
            f"FROM {rep} r JOIN {org} o ON o.id = r.organisation_id "
            f"WHERE {counted} GROUP BY o.province_id"
        ),
        "operating": (
            "SELECT o.province_id, COUNT(*), "
            "SUM(CASE WHEN r.in_value_chain = %(true)s OR EXISTS ("
            f"SELECT 1 FROM {link} l WHERE l.organisation_id = o.id "
            "AND l.started_on <= %(last)s AND (l.ended_on IS NULL OR l.ended_on >= %(first)s)"
            ") THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN o.kind = 'cooperative' AND (o.high_tech = %(true)s "
            "OR r.uses_high_tech = %(true)s) THEN 1 ELSE 0 END), "
            "COUNT(r.id) "
            f"FROM {org} o LEFT JOIN {rep} r ON r.organisation_id = o.id "
            "AND r.year = %(year)s AND r.status IN ('submitted', 'accepted') "
            f"WHERE {operating} GROUP BY o.province_id"
        ),
        "grades": (
            "SELECT o.province_id, s.grade, COUNT(DISTINCT s.organisation_id) "
            f"FROM {score} s JOIN {org} o ON o.id = s.organisation_id "
            "WHERE s.year = %(year)s AND s.status = 'published' AND s.grade <> '' "
            "GROUP BY o.province_id, s.grade"
        ),
    }


#: Which statement each formula runs, and with which kind.
STATEMENT = {
    "registry.cooperatives": ("count", "cooperative"),
    "registry.groups": ("count", "group"),
    "registry.unions": ("count", "union"),
    "registry.cooperative_members": ("members", "cooperative"),
    "registry.group_members": ("members", "group"),
    "registry.union_members": ("members", "union"),
    "registry.share_good_or_fair": ("grades", ""),
    "registry.share_value_chain": ("operating", ""),
    "registry.share_effective": ("reports", ""),
    "registry.high_tech": ("operating", ""),
    "registry.revenue_per_cooperative": ("reports", ""),
    "registry.income_per_worker": ("reports", ""),
}


def _values(key: str, rows: list[tuple]) -> dict[str, Decimal | None]:
    """Cell → value from a statement's rows, with the formulas' arithmetic
    (``formulas.base.share`` / ``average``) so rounding is the same."""
    from htxso.indicators.formulas.base import average, share

    out: dict[str, Decimal | None] = {}
    kind = STATEMENT[key][0]
    per: dict[str, list[Any]] = {}
    if kind == "count":
        total = 0
        sectors: dict[str, int] = {}
        provinces: dict[str, int] = {}
        for province, sector, n in rows:
            total += n
            provinces[province] = provinces.get(province, 0) + n
            sectors[sector or "unknown"] = sectors.get(sector or "unknown", 0) + n
        out[""] = Decimal(total)
        out.update({f"province={p}": Decimal(n) for p, n in provinces.items()})
        out.update({f"sector={s}": Decimal(n) for s, n in sectors.items()})
        return out
    if kind == "grades":
        for province, grade, n in rows:
            per.setdefault(province, [0, 0])
            per[province][1] += n
            if grade in ("good", "fair"):
                per[province][0] += n

        def one(v: list[Any]) -> Decimal | None:
            return share(v[0], v[1]).value

    elif kind == "members":
        for province, members, reports in rows:
            per[province] = [int(members or 0), int(reports or 0)]

        def one(v: list[Any]) -> Decimal | None:
            return Decimal(v[0]) if v[1] else None

    elif kind == "reports":
        for province, *sums in rows:
            per[province] = [int(s or 0) for s in sums]
        index = {
            "registry.share_effective": (0, 1, share),
            "registry.revenue_per_cooperative": (2, 3, average),
            "registry.income_per_worker": (4, 5, average),
        }[key]

        def one(v: list[Any]) -> Decimal | None:
            return index[2](v[index[0]], v[index[1]]).value

    else:  # operating
        for province, operating, chain, high, reports in rows:
            per[province] = [int(operating), int(chain or 0), int(high or 0), int(reports or 0)]
        if key == "registry.share_value_chain":

            def one(v: list[Any]) -> Decimal | None:
                return share(v[1], v[0]).value

        else:

            def one(v: list[Any]) -> Decimal | None:
                return Decimal(v[2]) if (v[0] or v[3]) else None

    total = [sum(col) for col in zip(*per.values(), strict=True)] if per else None
    out[""] = one(total) if total else None
    out.update({f"province={p}": one(v) for p, v in per.items() if p})
    return out


def _raw(statements: dict[str, str], periods: list[Any]) -> dict[tuple[str, str], dict]:
    """Every indicator × year by hand: (formula key, period) → {cell: value}."""
    from django.db import connection
    from django.utils import timezone

    ops = connection.ops
    out = {}
    with connection.cursor() as cursor:
        for period in periods:
            as_of = min(period.end, timezone.localdate())
            params = {
                "as_of": ops.adapt_datefield_value(as_of),
                "first": ops.adapt_datefield_value(dt.date(period.year, 1, 1)),
                "last": ops.adapt_datefield_value(dt.date(period.year, 12, 31)),
                "year": period.year,
                "true": True,
            }
            for _code, key in INDICATORS:
                statement, kind = STATEMENT[key]
                cursor.execute(statements[statement], {**params, "kind": kind})
                out[(key, period.code)] = _values(key, cursor.fetchall())
    return out


# --- run ---------------------------------------------------------------------------------


def _memoised(refresh: Any, rounds: int) -> float:
    """Reported, no limit: the refresh when the statistics' figures
    (``formulas.registry.figures``, five queries) are read once per period and place
    instead of once per indicator — what a per-refresh memo in the formulas would give."""
    from htxso.indicators.formulas import registry

    original = registry.figures
    memo: dict[tuple, Any] = {}

    def figures(period: Any, province: Any, ward: Any = None) -> Any:
        key = (period.code, getattr(province, "pk", province), ward)
        if key not in memo:
            memo[key] = original(period, province, ward)
        return memo[key]

    registry.figures = figures
    try:
        times = []
        for _ in range(rounds):
            memo.clear()
            started = time.perf_counter()
            refresh()
            times.append(time.perf_counter() - started)
    finally:
        registry.figures = original
    return statistics.median(times)


def _reads(captured: list[dict]) -> int:
    """SELECT statements: the reads that must not grow with provinces (the cache rows
    are written with ``bulk_create`` in batches, which do grow with the rows)."""
    return sum(1 for q in captured if q["sql"].lstrip().upper().startswith("SELECT"))


def _measure(ctx: Context, generated: dict[str, Any]) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from htxso.core.actors import OPERATOR
    from htxso.geo.models import Province
    from htxso.indicators import compute
    from htxso.indicators.models import IndicatorValue
    from htxso.indicators.periods import parse

    rng = random.Random(20_251_207)
    scores = _scores(rng)
    fw = _framework()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    periods = [parse(p) for p in PERIODS]
    statements = _sql()

    def refresh() -> int:
        return compute.refresh(fw, periods=periods, actor=OPERATOR)

    def raw() -> dict:
        return _raw(statements, periods)

    written = refresh()  # the first fills Django's caches (content types of the audit)
    with CaptureQueriesContext(connection) as captured:
        refresh()
    queries = len(captured.captured_queries)
    reads = _reads(captured.captured_queries)
    one = Province.objects.get(pk="04")
    with CaptureQueriesContext(connection) as captured_one:
        compute.refresh(fw, periods=periods, provinces=[one], actor=OPERATOR)
    queries_one = len(captured_one.captured_queries)
    reads_one = _reads(captured_one.captured_queries)
    raw_values = raw()

    # the cache equals the raw SQL: every total and every province cell
    keys = {i.pk: i.formula for i in fw.indicators.all()}
    mismatches = []
    compared = 0
    provinces_seen: set[str] = set()
    for period in periods:
        cached = {
            (keys[v.indicator_id], v.cell): v.value
            for v in IndicatorValue.objects.filter(
                indicator__framework=fw, period=period.code, province__isnull=True
            )
        }
        for _code, key in INDICATORS:
            for cell, value in raw_values[(key, period.code)].items():
                if cell.startswith("sector=") and (key, cell) not in cached:
                    continue
                got = cached.get((key, cell), "missing")
                compared += 1
                if cell.startswith("province="):
                    provinces_seen.add(cell[9:])
                if got != value and not (
                    got is not None and value is not None and got == Decimal(value)
                ):
                    mismatches.append(f"{key} {period.code} {cell or 'total'}: {got} != {value}")

    rounds = QUICK_ROUNDS if ctx.quick else ROUNDS
    times: dict[str, list[float]] = {"refresh": [], "raw": []}
    gc.collect()
    for i in range(rounds):
        pair = [("refresh", refresh), ("raw", raw)]
        for name, fn in pair if i % 2 == 0 else reversed(pair):
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    median = statistics.median(times["refresh"])
    raw_median = statistics.median(times["raw"])
    ratio = round(median / raw_median, 3) if raw_median else 0.0
    memo_median = _memoised(refresh, rounds)
    memo_ratio = round(memo_median / raw_median, 3) if raw_median else 0.0
    raw_queries = len(INDICATORS) * len(periods)
    failures = []
    if ratio > MAX_RATIO:
        failures.append(f"ratio {ratio:.2f} > {MAX_RATIO}")
    if reads > reads_one:
        failures.append(f"national refresh reads {reads} queries > one province's {reads_one}")
    if mismatches:
        failures.append(f"{len(mismatches)} values differ from the raw SQL")
    ctx.print(
        f"{len(INDICATORS)} indicators × {len(periods)} years, scale {generated['scale']!r} "
        f"({generated['counts']['cooperatives']} cooperatives, "
        f"{generated['counts']['memberships']} memberships), {scores} scores added; "
        f"limits: refresh ≤ {MAX_RATIO}× raw SQL, queries not growing with provinces"
    )
    ctx.print(
        format_table(
            ["rows written", "provinces", "reads", "reads (1 province)", "all queries",
             "raw statements", "refresh ms", "raw ms", "ratio", "memo ms", "memo ratio",
             "values compared", "result"],
            [[
                written, len(provinces_seen), reads, reads_one, queries, raw_queries,
                round(median * 1000, 1), round(raw_median * 1000, 1), f"{ratio:.2f}",
                round(memo_median * 1000, 1), f"{memo_ratio:.2f}", compared,
                "pass" if not failures else "FAIL: " + "; ".join(failures),
            ]],
        )
    )  # fmt: skip
    for line in mismatches[:10]:
        ctx.print("  differs:", line)
    return {
        "scale": generated["scale"],
        "cooperatives": generated["counts"]["cooperatives"],
        "memberships": generated["counts"]["memberships"],
        "indicators": len(INDICATORS),
        "periods": PERIODS,
        "scores_added": scores,
        "rows_written": written,
        "provinces": len(provinces_seen),
        "queries": queries,
        "queries_one_province": queries_one,
        "reads": reads,
        "reads_one_province": reads_one,
        "raw_statements": raw_queries,
        "refresh_median_ms": round(median * 1000, 3),
        "raw_median_ms": round(raw_median * 1000, 3),
        "ratio": ratio,
        "limit_ratio": MAX_RATIO,
        "memoised_refresh_median_ms": round(memo_median * 1000, 3),
        "memoised_ratio": memo_ratio,
        "values_compared": compared,
        "same_numbers": not mismatches,
        "mismatches": mismatches[:50],
        "failures": failures,
    }


# --- training (1,000,000 enrolments) ----------------------------------------------------

#: The training part: one framework, the year the generated courses start in.
TRAINING_FRAMEWORK = "bench-training"
TRAINING_PERIOD = "2026"
#: (indicator code, formula key); disaggregated by sex and province (the raw SQL's cells).
TRAINING_INDICATORS = [
    ("trained", "training.people"),
    ("youth-digital", "training.youth_digital_completed"),
]
TRAINING_CELLS = ["sex", "province"]


def _training_sql() -> dict[str, list[str]]:
    """Per formula: the total, the sex cells and the province cells, by hand."""
    from django.db import connection

    from htxso.registry.models import Person
    from htxso.training.models import Course, Enrolment

    qn = connection.ops.quote_name
    e, c, p = (qn(m._meta.db_table) for m in (Enrolment, Course, Person))
    done = (
        f"FROM {e} e JOIN {c} c ON c.id = e.course_id WHERE e.status = 'completed' "
        "AND c.starts_on <= %(end)s"
    )
    youth = (
        f"SELECT e.person_id FROM {e} e JOIN {c} c ON c.id = e.course_id "
        "WHERE e.status <> 'withdrawn' AND c.kind = 'digital_skills' AND c.starts_on <= %(end)s "
        "GROUP BY e.person_id HAVING MAX(CASE WHEN e.status = 'completed' THEN 1 ELSE 0 END) = 1 "
        "AND MIN(e.age_at_start) < 35"
    )
    return {
        "training.people": [
            f"SELECT COUNT(DISTINCT e.person_id) {done}",
            f"SELECT p.sex, COUNT(*) FROM {p} p WHERE p.id IN (SELECT e.person_id {done}) "
            "GROUP BY p.sex",
            f"SELECT c.province_id, COUNT(DISTINCT e.person_id) {done} GROUP BY c.province_id",
        ],
        "training.youth_digital_completed": [
            f"SELECT COUNT(*) FROM ({youth}) t",
            f"SELECT p.sex, COUNT(*) FROM {p} p WHERE p.id IN ({youth}) GROUP BY p.sex",
            f"SELECT c.province_id, COUNT(DISTINCT e.person_id) {done} "
            f"AND c.kind = 'digital_skills' AND e.person_id IN ({youth}) GROUP BY c.province_id",
        ],
    }


def _training_raw(statements: dict[str, list[str]], period: Any) -> dict[str, dict]:
    from django.db import connection

    params = {"end": connection.ops.adapt_datefield_value(period.end)}
    out: dict[str, dict[str, Decimal | None]] = {}
    with connection.cursor() as cursor:
        for key, (total, by_sex, by_province) in statements.items():
            cells: dict[str, Decimal | None] = {}
            cursor.execute(total, params)
            cells[""] = Decimal(cursor.fetchone()[0])
            cursor.execute(by_sex, params)
            cells.update({f"sex={s or 'unknown'}": Decimal(n) for s, n in cursor.fetchall()})
            cursor.execute(by_province, params)
            cells.update(
                {f"province={pr or 'national'}": Decimal(n) for pr, n in cursor.fetchall()}
            )
            out[key] = cells
    return out


def _measure_training(ctx: Context) -> dict[str, Any]:
    """The training formulas over 1,000,000 enrolments (200,000 people; ``training_count``'s
    generator) against the same distinct counts by hand, in the same transaction."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from htxso.core.actors import OPERATOR
    from htxso.indicators import compute, formulas
    from htxso.indicators.models import Framework, Indicator, IndicatorValue
    from htxso.indicators.periods import parse

    from . import training_count

    people = training_count.QUICK_PEOPLE if ctx.quick else training_count.PEOPLE
    training_count._setup(people, random.Random(20_261_207))
    fw = Framework.objects.create(
        code=TRAINING_FRAMEWORK, name="Khung đào tạo (bench)", programme_label="bench"
    )
    for order, (code, key) in enumerate(TRAINING_INDICATORS):
        spec = formulas.get(key)
        if spec is None:
            raise RuntimeError(f"formula {key!r} is not registered")
        Indicator.objects.create(
            framework=fw, code=code, name=str(spec.label), unit=spec.unit, formula=key,
            disaggregations=TRAINING_CELLS, order=order,
        )  # fmt: skip
    period = parse(TRAINING_PERIOD)
    statements = _training_sql()

    def refresh() -> int:
        return compute.refresh(fw, periods=[period], actor=OPERATOR)

    refresh()
    with CaptureQueriesContext(connection) as captured:
        refresh()
    reads = _reads(captured.captured_queries)
    raw_values = _training_raw(statements, period)
    keys = {i.pk: i.formula for i in fw.indicators.all()}
    cached = {
        (keys[v.indicator_id], v.cell): v.value
        for v in IndicatorValue.objects.filter(
            indicator__framework=fw, period=period.code, province__isnull=True
        )
    }
    mismatches = [
        f"{key} {cell or 'total'}: {cached.get((key, cell), 'missing')} != {value}"
        for key, cells in raw_values.items()
        for cell, value in cells.items()
        if cached.get((key, cell), "missing") != value
    ]
    compared = sum(len(cells) for cells in raw_values.values())
    rounds = QUICK_ROUNDS if ctx.quick else ROUNDS
    times: dict[str, list[float]] = {"refresh": [], "raw": []}
    gc.collect()
    for i in range(rounds):
        pair = [("refresh", refresh), ("raw", lambda: _training_raw(statements, period))]
        for name, fn in pair if i % 2 == 0 else reversed(pair):
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    median = statistics.median(times["refresh"])
    raw_median = statistics.median(times["raw"])
    ratio = round(median / raw_median, 3) if raw_median else 0.0
    failures = []
    if ratio > MAX_RATIO:
        failures.append(f"training ratio {ratio:.2f} > {MAX_RATIO}")
    if mismatches:
        failures.append(f"{len(mismatches)} training values differ from the raw SQL")
    enrolments = people * training_count.PER_PERSON
    ctx.print(
        f"training: {len(TRAINING_INDICATORS)} indicators × {period.code}, {enrolments} "
        f"enrolments of {people} people; limit: refresh ≤ {MAX_RATIO}× raw SQL"
    )
    ctx.print(
        format_table(
            ["enrolments", "reads", "raw statements", "refresh ms", "raw ms", "ratio",
             "values compared", "result"],
            [[
                enrolments, reads, sum(len(v) for v in statements.values()),
                round(median * 1000, 1), round(raw_median * 1000, 1), f"{ratio:.2f}",
                compared, "pass" if not failures else "FAIL: " + "; ".join(failures),
            ]],
        )
    )  # fmt: skip
    for line in mismatches[:10]:
        ctx.print("  differs:", line)
    return {
        "enrolments": enrolments,
        "people": people,
        "reads": reads,
        "refresh_median_ms": round(median * 1000, 3),
        "raw_median_ms": round(raw_median * 1000, 3),
        "ratio": ratio,
        "values_compared": compared,
        "same_numbers": not mismatches,
        "mismatches": mismatches[:50],
        "failures": failures,
    }


def run(ctx: Context) -> Result:
    from django.db import transaction

    generated = ensure_generated(ctx)
    data: dict[str, Any] = {}
    try:
        with transaction.atomic():
            data = _measure(ctx, generated)
            data["training"] = _measure_training(ctx)
            data["failures"] = data["failures"] + data["training"]["failures"]
            raise _Rollback
    except _Rollback:
        pass
    return Result(NAME, not data.get("failures"), data)
