"""Assessment: scores, peer medians, province map of 34,000 coops × 60 questions × 2 rounds vs SQL.

Inside a transaction rolled back at the end, a questionnaire of 60 questions (6 EU DMA
and 5 cooperative dimensions, each question also counted in one of 6 DBI pillars) and
34,000 cooperatives (1,700 with ``--quick``; ``BENCH_ASSESSMENT_COOPS=N`` for a size of
its own) are added, each with two submitted rounds (T0, T1): 4,080,000 answers and their
dimension scores, loaded with PostgreSQL's ``COPY`` (``executemany`` on SQLite), then
the tables are analysed.  A national cohort (the EU project) holds 10 % of them; their
T1 gained about 6 points more than the others'.

Measured, interleaved, each against hand-written SQL doing the same work in the same run:

* **scores** — ``services_survey.write_scores`` (the survey part's code: read the
  questionnaire and the answers, compute, replace the dimension scores) for a sample of
  rounds vs one aggregate ``SELECT … GROUP BY dimension`` over the answers (with the DBI
  pillars' ``also_counts_for``) + the same DELETE and INSERT;
* **peer medians** — ``selectors_survey.peer_medians`` (same sector and province, latest
  submitted round, ≥ 5 peers) for a sample of rounds vs one SQL statement
  (``percentile_cont`` on PostgreSQL; the scores read by SQL and the median taken in
  Python on SQLite, which has no percentile);
* **province map** — ``selectors_impact.province_map`` for the largest province (by ward
  and sector) and for the nation (by province and sector) vs SQL computing the same
  counts and medians (``DISTINCT ON`` / a window for the latest round).

Limits: the same numbers on both sides; for every figure, median time ≤ ``MAX_RATIO`` ×
the raw SQL's median (the verdict belongs to the full size: at the quick size the ORM's
fixed cost weighs more); query counts reported.  The national difference-in-differences
(``selectors_impact.cohort_impact``: one read of both rounds of every cooperative,
matching without replacement, the interval) ≤ ``MAX_DID_SECONDS``.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .harness import Context, Result, format_table

NAME = "assessment_national"
COOPS, QUICK_COOPS = 34_000, 1_700
QUESTIONS = 60
SAMPLE, QUICK_SAMPLE = 60, 20
REPEAT, QUICK_REPEAT = 5, 3
MAX_RATIO = 2.0
MAX_DID_SECONDS = 5.0
COHORT_SHARE = 0.10
EU = [("strategy", "Chiến lược"), ("readiness", "Sẵn sàng số"), ("human", "Con người"),
      ("data", "Dữ liệu"), ("automation", "Tự động hoá"), ("green", "Xanh")]  # fmt: skip
COOP = [("members", "Dịch vụ thành viên"), ("governance", "Quản trị điện tử"),
        ("valuechain", "Chuỗi giá trị"), ("ecommerce", "Thương mại điện tử"),
        ("memberdata", "Dữ liệu thành viên")]  # fmt: skip
DBI = [("dbi-customer", "Trải nghiệm khách hàng"), ("dbi-strategy", "Chiến lược"),
       ("dbi-infra", "Hạ tầng"), ("dbi-ops", "Vận hành"), ("dbi-culture", "Văn hoá"),
       ("dbi-data", "Dữ liệu")]  # fmt: skip
OPTIONS = [("none", 0), ("start", 33), ("partly", 67), ("full", 100)]
BANDS = [(0, 0), (1, 10), (2, 30), (3, 50), (4, 70), (5, 90)]
SECTORS = ["agriculture"] * 6 + ["fishery", "industry", "trade", "tourism", "forestry"]
CENT = Decimal("0.01")


class _Rollback(Exception):
    pass


def _q2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def _level(score: Decimal) -> int:
    level = 0
    for lv, low in BANDS:
        if score >= low:
            level = lv
    return level


# ---------------------------------------------------------------------- data


def _questionnaire():
    from htxso.assessment.models import Dimension, LevelBand, Option, Question, Questionnaire

    qn = Questionnaire.objects.create(
        code="bench-dx", version=1, title="Bộ câu hỏi đo (bench)", status="published"
    )
    for level, low in BANDS:
        LevelBand.objects.create(questionnaire=qn, level=level, min_score=low, name=f"Mức {level}")
    dims = {}
    for i, (key, name) in enumerate(EU + COOP):
        fam = "eu_dma" if i < len(EU) else "coop"
        dims[key] = Dimension.objects.create(
            questionnaire=qn, key=key, family=fam, name=name, order=i
        )
    dbi = [
        Dimension.objects.create(questionnaire=qn, key=k, family="dbi", name=n, order=20 + i)
        for i, (k, n) in enumerate(DBI)
    ]
    keys = list(dims)
    questions = []
    for i in range(QUESTIONS):
        q = Question.objects.create(
            questionnaire=qn,
            dimension=dims[keys[i % len(keys)]],
            qid=f"bench_q{i:02d}",
            text=f"Câu hỏi đo {i}",
            kind="single",
            order=i,
        )
        q.also_counts_for.add(dbi[i % len(dbi)])
        Option.objects.bulk_create(
            Option(question=q, value=v, label=v, score=s, order=j)
            for j, (v, s) in enumerate(OPTIONS)
        )
        questions.append(q)
    # question id -> (dimension ids it counts in)
    counts_in = {q.pk: (q.dimension_id, dbi[i % len(dbi)].pk) for i, q in enumerate(questions)}
    counted = {d.pk for d in dims.values()}
    all_dims = [d.pk for d in dims.values()] + [d.pk for d in dbi]
    return qn, questions, counts_in, counted, all_dims


def _setup(coops: int, rng: random.Random, ctx: Context) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from htxso.accounts.models import User
    from htxso.assessment.models import (
        Answer,
        Assessment,
        Cohort,
        CohortMember,
        DimensionScore,
    )
    from htxso.geo.models import Ward
    from htxso.registry.models import Organisation

    from .registry_support import insert_rows, next_id, reset_sequences

    now = timezone.now()
    user = User.objects.get(username="vca.admin")
    qn, questions, counts_in, counted, all_dims = _questionnaire()
    wards: dict[str, list[str]] = {}
    for code, province in Ward.objects.values_list("code", "province_id"):
        wards.setdefault(province, []).append(code)
    provinces = sorted(wards)
    weights = [len(wards[p]) for p in provinces]
    o0 = next_id(Organisation)
    orgs = []
    for i in range(coops):
        province = rng.choices(provinces, weights=weights)[0]
        sector = rng.choice(SECTORS)
        orgs.append(
            (o0 + i, "cooperative", f"HTX đo {i}", f"98{i:08d}-77", province,
             rng.choice(wards[province]), "", "", "active", sector, "", "bench assessment",
             "", "", "", False, f"htx do {i}", now, now)
        )  # fmt: skip
    insert_rows(
        Organisation,
        ["id", "kind", "name", "tax_code", "province", "ward", "address", "legacy_address",
         "status", "sector", "main_products", "description", "phone", "email", "website",
         "high_tech", "search_text", "created_at", "updated_at"],
        orgs,
    )  # fmt: skip
    members = set(rng.sample([o[0] for o in orgs], int(coops * COHORT_SHARE)))
    a_cols = ["id", "organisation", "province", "questionnaire", "round", "status",
              "started_by", "submitted_by", "submitted_at", "overall_score", "level",
              "created_at", "updated_at"]  # fmt: skip
    ans_cols = ["assessment", "question", "choices", "note", "score", "updated_by", "updated_at"]
    ds_cols = ["assessment", "dimension", "score", "level", "answered", "total"]
    members_of = {d: [q for q, dims in counts_in.items() if d in dims] for d in all_dims}
    a_id = next_id(Assessment)
    choice_json = {s: f'["{v}"]' for v, s in OPTIONS}
    option_scores = [s for _v, s in OPTIONS]
    q_ids = [q.pk for q in questions]
    batch_a, batch_ans, batch_ds = [], [], []
    n_answers = 0

    def flush() -> None:
        insert_rows(Assessment, a_cols, batch_a)
        insert_rows(Answer, ans_cols, batch_ans)
        insert_rows(DimensionScore, ds_cols, batch_ds)
        batch_a.clear()
        batch_ans.clear()
        batch_ds.clear()

    for org in orgs:
        theta0 = min(95.0, max(3.0, rng.gauss(38, 16)))
        gain = rng.gauss(4, 5) + (6 if org[0] in members else 0)
        for rnd, theta in ((0, theta0), (1, min(98.0, max(2.0, theta0 + gain)))):
            scores = {}
            for q in q_ids:
                target = theta + rng.gauss(0, 18)
                s = min(option_scores, key=lambda o, t=target: abs(o - t))
                scores[q] = s
                batch_ans.append((a_id, q, choice_json[s], "", s, user.pk, now))
            by_dim = {}
            for d in all_dims:
                ids = members_of[d]
                value = _q2(Decimal(sum(scores[i] for i in ids)) / len(ids))
                by_dim[d] = value
                batch_ds.append((a_id, d, value, _level(value), len(ids), len(ids)))
            used = [by_dim[d] for d in all_dims if d in counted]
            overall = _q2(sum(used, Decimal(0)) / len(used))
            batch_a.append(
                (a_id, org[0], org[4], qn.pk, rnd, "submitted", user.pk, user.pk, now,
                 overall, _level(overall), now, now)
            )  # fmt: skip
            a_id += 1
            n_answers += len(q_ids)
        if len(batch_a) >= 4000:
            flush()
    flush()
    cohort = Cohort.objects.create(code="bench-eu", name="Dự án EU (bench)", created_by=user)
    insert_rows(
        CohortMember,
        ["cohort", "organisation", "added_by", "added_at"],
        [(cohort.pk, m, user.pk, now) for m in sorted(members)],
    )
    reset_sequences([Organisation, Assessment, Answer, DimensionScore, CohortMember])
    with connection.cursor() as cursor:
        for model in (Organisation, Assessment, Answer, DimensionScore, CohortMember):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    first_a = a_id - 2 * coops
    return {
        "questionnaire": qn,
        "cohort": cohort,
        "user": user,
        "answers": n_answers,
        "assessments": list(range(first_a, a_id)),
        "members_of": members_of,
        "counted": counted,
    }


# ---------------------------------------------------------------------- raw SQL


def _raw_scores(cursor, assessment_id: int, qn_id: int) -> dict[int, Decimal]:
    """Dimension id -> score of one round, by SQL: the weighted mean of the answers of
    the questions each dimension owns or that also count for it (unanswered: 0)."""
    cursor.execute(
        """
        SELECT m.dimension_id,
               SUM(q.weight * COALESCE(a.score, 0)) * 1.0 / SUM(q.weight)
        FROM (
            SELECT id AS question_id, dimension_id FROM assessment_question
            WHERE questionnaire_id = %s
            UNION ALL
            SELECT t.question_id, t.dimension_id FROM assessment_question_also_counts_for t
            JOIN assessment_question q2 ON q2.id = t.question_id
            WHERE q2.questionnaire_id = %s
        ) m
        JOIN assessment_question q ON q.id = m.question_id
        LEFT JOIN assessment_answer a ON a.question_id = m.question_id AND a.assessment_id = %s
        GROUP BY m.dimension_id
        """,
        [qn_id, qn_id, assessment_id],
    )
    return {d: _q2(Decimal(str(v))) for d, v in cursor.fetchall()}


def _raw_write_scores(cursor, assessment_id: int, qn_id: int) -> dict[int, Decimal]:
    scores = _raw_scores(cursor, assessment_id, qn_id)
    cursor.execute(
        "DELETE FROM assessment_dimensionscore WHERE assessment_id = %s", [assessment_id]
    )
    cursor.executemany(
        "INSERT INTO assessment_dimensionscore"
        " (assessment_id, dimension_id, score, level, answered, total)"
        " VALUES (%s, %s, %s, %s, 0, 0)",
        [(assessment_id, d, s, _level(s)) for d, s in scores.items()],
    )
    return scores


LATEST_PG = """
    SELECT DISTINCT ON (a.organisation_id) a.id, a.organisation_id, o.ward_id, o.sector,
           a.province_id, a.overall_score, a.level
    FROM assessment_assessment a JOIN registry_organisation o ON o.id = a.organisation_id
    WHERE a.status = 'submitted' AND a.overall_score IS NOT NULL {where}
    ORDER BY a.organisation_id, a.round DESC
"""
LATEST_SQLITE = """
    SELECT id, organisation_id, ward_id, sector, province_id, overall_score, level FROM (
      SELECT a.id, a.organisation_id, o.ward_id, o.sector, a.province_id, a.overall_score,
             a.level, ROW_NUMBER() OVER (PARTITION BY a.organisation_id
                                         ORDER BY a.round DESC) AS rn
      FROM assessment_assessment a JOIN registry_organisation o ON o.id = a.organisation_id
      WHERE a.status = 'submitted' AND a.overall_score IS NOT NULL {where}
    ) t WHERE rn = 1
"""


def _raw_map(cursor, vendor: str, province: str | None) -> dict[str, dict[str, tuple]]:
    """{"place"|"sector": {key: (count, median score, lower-median level)}}."""
    where = "AND a.province_id = %s" if province else ""
    params = [province] if province else []
    place = "ward_id" if province else "province_id"
    out: dict[str, dict[str, tuple]] = {}
    if vendor == "postgresql":
        latest = LATEST_PG.format(where=where)
        for name, col in (("place", place), ("sector", "sector")):
            cursor.execute(
                f"SELECT COALESCE({col}, ''), COUNT(*),"
                " percentile_cont(0.5) WITHIN GROUP (ORDER BY overall_score),"
                " percentile_disc(0.5) WITHIN GROUP (ORDER BY level)"
                f" FROM ({latest}) l GROUP BY 1",
                params,
            )
            out[name] = {k: (n, round(float(m), 2), lv) for k, n, m, lv in cursor.fetchall()}
        return out
    cursor.execute(LATEST_SQLITE.format(where=where), params)
    groups: dict[str, dict[str, list]] = {"place": {}, "sector": {}}
    for _id, _org, ward, sector, prov, score, level in cursor.fetchall():
        key_place = (ward if province else prov) or ""
        groups["place"].setdefault(key_place, []).append((float(score), level))
        groups["sector"].setdefault(sector or "", []).append((float(score), level))
    for name, by_key in groups.items():
        out[name] = {}
        for k, rows in by_key.items():
            levels = sorted(lv for _s, lv in rows)
            out[name][k] = (
                len(rows),
                round(statistics.median(s for s, _l in rows), 2),
                levels[(len(levels) - 1) // 2],
            )
    return out


PEERS_PG = """
    WITH me AS (
        SELECT a.province_id, a.organisation_id, o.sector, qn.code
        FROM assessment_assessment a
        JOIN registry_organisation o ON o.id = a.organisation_id
        JOIN assessment_questionnaire qn ON qn.id = a.questionnaire_id
        WHERE a.id = %s
    ), latest AS (
        SELECT DISTINCT ON (a.organisation_id) a.id, a.organisation_id, a.province_id,
               a.questionnaire_id
        FROM assessment_assessment a JOIN registry_organisation o ON o.id = a.organisation_id
        JOIN me ON o.sector = me.sector
        WHERE a.status = 'submitted' AND a.organisation_id IN (
            SELECT b.organisation_id FROM assessment_assessment b, me m2
            WHERE b.province_id = m2.province_id)
        ORDER BY a.organisation_id, a.round DESC
    )
    SELECT d.key, COUNT(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY ds.score)
    FROM latest l JOIN me ON l.province_id = me.province_id
    JOIN assessment_questionnaire qn ON qn.id = l.questionnaire_id AND qn.code = me.code
    JOIN assessment_dimensionscore ds ON ds.assessment_id = l.id
    JOIN assessment_dimension d ON d.id = ds.dimension_id
    WHERE l.organisation_id <> me.organisation_id
    GROUP BY d.key
"""
PEERS_SQLITE = """
    WITH me AS (
        SELECT a.province_id, a.organisation_id, o.sector, qn.code
        FROM assessment_assessment a
        JOIN registry_organisation o ON o.id = a.organisation_id
        JOIN assessment_questionnaire qn ON qn.id = a.questionnaire_id
        WHERE a.id = %s
    ), latest AS (
        SELECT id, organisation_id, province_id, questionnaire_id FROM (
            SELECT a.id, a.organisation_id, a.province_id, a.questionnaire_id,
                   ROW_NUMBER() OVER (PARTITION BY a.organisation_id ORDER BY a.round DESC) rn
            FROM assessment_assessment a JOIN registry_organisation o
              ON o.id = a.organisation_id
            JOIN me ON o.sector = me.sector
            WHERE a.status = 'submitted' AND a.organisation_id IN (
                SELECT b.organisation_id FROM assessment_assessment b, me m2
                WHERE b.province_id = m2.province_id)
        ) t WHERE rn = 1
    )
    SELECT d.key, ds.score
    FROM latest l JOIN me ON l.province_id = me.province_id
    JOIN assessment_questionnaire qn ON qn.id = l.questionnaire_id AND qn.code = me.code
    JOIN assessment_dimensionscore ds ON ds.assessment_id = l.id
    JOIN assessment_dimension d ON d.id = ds.dimension_id
    WHERE l.organisation_id <> me.organisation_id
"""


def _raw_peer_medians(cursor, vendor: str, a_id: int) -> dict[str, Decimal] | None:
    """Peers: the latest submitted round of every other organisation of the same sector
    and province on the same questionnaire code; None under 5 peers."""
    if vendor == "postgresql":
        cursor.execute(PEERS_PG, [a_id])
        rows = [(k, n, Decimal(str(m))) for k, n, m in cursor.fetchall()]
    else:
        cursor.execute(PEERS_SQLITE, [a_id])
        by_key: dict[str, list[Decimal]] = {}
        for k, s in cursor.fetchall():
            by_key.setdefault(k, []).append(Decimal(str(s)))
        rows = [(k, len(v), Decimal(str(statistics.median(v)))) for k, v in by_key.items()]
    if not rows or max(n for _k, n, _m in rows) < 5:
        return None
    return {k: m.quantize(CENT) for k, n, m in rows if n >= 5}


# ---------------------------------------------------------------------- measuring


def _close(a: Any, b: Any, tol: float = 0.011) -> bool:
    """The same numbers, medians within a cent (float interpolation on one side)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], tol) for k in a)
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(_close(x, y, tol) for x, y in zip(a, b, strict=True))
    if a is None or b is None:
        return a is b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return abs(float(a) - float(b)) <= tol


def _time(fn, repeat: int) -> tuple[float, Any]:
    times, value = [], None
    for _i in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), value


def _queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as cq:
        fn()
    return len(cq.captured_queries)


def _map_numbers(board) -> dict[str, dict[str, tuple]]:
    place = board.by_ward if board.province else board.by_province
    return {
        "place": {c.key: (c.assessed, round(c.median_score, 2), c.median_level) for c in place},
        "sector": {
            c.key: (c.assessed, round(c.median_score, 2), c.median_level) for c in board.by_sector
        },
    }


def run(ctx: Context) -> Result:
    from django.db import connection, transaction

    from htxso.assessment import selectors_impact as impact
    from htxso.assessment import selectors_survey, services_survey
    from htxso.assessment.models import Assessment, DimensionScore
    from htxso.geo.models import Province

    env = os.environ.get("BENCH_ASSESSMENT_COOPS", "")
    coops = int(env) if env.isdigit() and int(env) > 0 else QUICK_COOPS if ctx.quick else COOPS
    sample = QUICK_SAMPLE if ctx.quick or env else SAMPLE
    repeat = QUICK_REPEAT if ctx.quick or env else REPEAT
    data: dict[str, Any] = {"cooperatives": coops, "questions": QUESTIONS, "rounds": 2}
    passed = False
    vendor = connection.vendor
    try:
        with transaction.atomic():
            started = time.perf_counter()
            rng = random.Random(15)
            made = _setup(coops, rng, ctx)
            data["answers"] = made["answers"]
            data["setup_seconds"] = round(time.perf_counter() - started, 1)
            ctx.print(f"set-up: {data['setup_seconds']} s ({vendor}), {made['answers']} answers")
            qn = made["questionnaire"]
            ids = rng.sample(made["assessments"], min(sample, len(made["assessments"])))
            rounds = list(
                Assessment.objects.filter(pk__in=ids).select_related(
                    "questionnaire", "organisation"
                )
            )
            rows, figures, same = [], {}, True
            with connection.cursor() as cursor:
                # scores: the app's write_scores vs SQL aggregate + the same writes
                ours_t, raw_t = [], []
                for a in rounds:
                    t0 = time.perf_counter()
                    services_survey.write_scores(a)
                    ours_t.append(time.perf_counter() - t0)
                    ours = dict(
                        DimensionScore.objects.filter(assessment=a).values_list(
                            "dimension_id", "score"
                        )
                    )
                    t0 = time.perf_counter()
                    raw = _raw_write_scores(cursor, a.pk, qn.pk)
                    raw_t.append(time.perf_counter() - t0)
                    if ours != raw:
                        same = False
                        if ctx.verbose:
                            ctx.print(f"scores differ for {a.pk}: {ours} vs {raw}")
                q_scores = _queries(lambda a=rounds[0]: services_survey.write_scores(a))
                figures["scores (one round)"] = (ours_t, raw_t, q_scores, len(rounds))
                # peer medians
                ours_t, raw_t = [], []
                for a in rounds:
                    t0 = time.perf_counter()
                    ours = selectors_survey.peer_medians(a)
                    ours_t.append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    raw = _raw_peer_medians(cursor, vendor, a.pk)
                    raw_t.append(time.perf_counter() - t0)
                    if not _close(ours, raw):
                        same = False
                        if ctx.verbose:
                            ctx.print(f"peer medians differ for {a.pk}: {ours} vs {raw}")
                q_peers = _queries(lambda a=rounds[0]: selectors_survey.peer_medians(a))
                figures["peer medians (one round)"] = (ours_t, raw_t, q_peers, len(rounds))
                # the province map: the largest province, and the nation
                biggest = (
                    Assessment.objects.filter(questionnaire=qn)
                    .values_list("province_id", flat=True)
                    .order_by()
                )
                counts: dict[str, int] = {}
                for p in biggest.iterator(chunk_size=10000):
                    counts[p] = counts.get(p, 0) + 1
                code = max(counts, key=lambda k: counts[k])
                province = Province.objects.get(pk=code)
                for label, prov in ((f"province map ({code})", province), ("national map", None)):
                    impact.province_map(prov)  # warm (ward names, sector labels)
                    ours_m, board = _time(lambda p=prov: impact.province_map(p), repeat)
                    raw_m, raw = _time(
                        lambda p=prov: _raw_map(cursor, vendor, p.code if p else None), repeat
                    )
                    if not _close(_map_numbers(board), raw):
                        same = False
                        if ctx.verbose:
                            ctx.print(f"{label} differs")
                    q_map = _queries(lambda p=prov: impact.province_map(p))
                    figures[label] = ([ours_m], [raw_m], q_map, board.assessed)
            for label, (ours_t, raw_t, queries, n) in figures.items():
                med, raw_med = statistics.median(ours_t), statistics.median(raw_t)
                ratio = med / raw_med if raw_med else float("inf")
                figures[label] = {
                    "ms": round(med * 1000, 2),
                    "raw_ms": round(raw_med * 1000, 2),
                    "ratio": round(ratio, 2),
                    "queries": queries,
                    "n": n,
                }
                f = figures[label]
                rows.append([label, n, f["ms"], f["raw_ms"], f["ratio"], queries])
            # the national difference-in-differences
            t0 = time.perf_counter()
            did = impact.cohort_impact(made["user"], made["cohort"])
            did_s = time.perf_counter() - t0
            q_did = _queries(lambda: impact.cohort_impact(made["user"], made["cohort"]))
            data["did"] = {
                "seconds": round(did_s, 2),
                "queries": q_did,
                "members": did.participants,
                "pairs": did.pairs,
                "estimate": did.estimate,
                "low": did.low,
                "high": did.high,
                "status": did.status,
                "limit_seconds": MAX_DID_SECONDS,
            }
            ctx.print(
                format_table(["figure", "n", "ours ms", "raw ms", "ratio", "queries"], rows)
                + f"\nnational DiD: {did.pairs} pairs of {did.participants} members,"
                f" {did.estimate} [{did.low}, {did.high}] in {did_s:.2f} s ({q_did} queries)"
            )
            worst = max(f["ratio"] for f in figures.values())
            data.update(
                figures=figures,
                same_numbers=same,
                worst_ratio=worst,
                ratio=worst,
                max_ratio=MAX_RATIO,
            )
            passed = same and worst <= MAX_RATIO and did_s <= MAX_DID_SECONDS
            raise _Rollback
    except _Rollback:
        pass
    return Result(NAME, passed, data)
