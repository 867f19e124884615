"""Reads of the impact part: a cooperative's change between rounds, the province's
maturity map, models to replicate, cohorts and their difference-in-differences.

Every function takes the acting ``user`` (or is given rows the caller fetched through
the policy).  Aggregates (the map, the comparison group of a cohort) read other
cooperatives' scores but return only counts, medians and means, never another
cooperative's answers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import holds_at, reach_of
from htxso.geo.models import Province, Ward
from htxso.registry.models import Organisation, Sector

from . import stats_impact as st
from .models import Answer, Assessment, AssessmentStatus, Cohort, CohortMember, DimensionScore

#: The six socio-economic regions of Vietnam (the "province band" of the matching):
#: a participant is compared with cooperatives of the same sector in the same region.
REGIONS: dict[str, Any] = {
    "north_mountains": _("Northern midlands and mountains"),
    "red_river": _("Red River Delta"),
    "central_coast": _("North Central and Central Coast"),
    "highlands": _("Central Highlands"),
    "southeast": _("Southeast"),
    "mekong": _("Mekong Delta"),
}
#: Province code (34 provinces of the 2025 reform) → region.
PROVINCE_REGION: dict[str, str] = {
    **dict.fromkeys(["04", "08", "11", "12", "14", "15", "19", "20", "25"], "north_mountains"),
    **dict.fromkeys(["01", "22", "24", "31", "33", "37"], "red_river"),
    **dict.fromkeys(["38", "40", "42", "44", "46", "48", "51", "56"], "central_coast"),
    **dict.fromkeys(["52", "66", "68"], "highlands"),
    **dict.fromkeys(["75", "79", "80"], "southeast"),
    **dict.fromkeys(["82", "86", "91", "92", "96"], "mekong"),
}
#: "Models to replicate": at least this overall score in the latest round …
MODEL_MIN_SCORE = Decimal(60)
#: … and at least this gain over the round before.
MODEL_MIN_GAIN = Decimal(5)
#: Rows of the "models to replicate" list.
MODEL_LIMIT = 20


def region_of(province_code: str | None) -> str:
    return PROVINCE_REGION.get(province_code or "", "other")


def submitted_q() -> Q:
    """Submitted rounds with their overall score."""
    return Q(status=AssessmentStatus.SUBMITTED, overall_score__isnull=False)


# ---------------------------------------------------------------- where a user works


def map_provinces(user: Any) -> list[Province]:
    """The provinces whose map ``user`` may read: every one for national staff, their
    own for a province's staff, none for anyone else."""
    everywhere, provinces, _orgs = reach_of(user, roles.STAFF)
    qs = Province.objects.order_by("code")
    if everywhere:
        return list(qs)
    return list(qs.filter(code__in=sorted(provinces)))


def may_read_province(user: Any, code: str) -> bool:
    return holds_at(user, roles.STAFF, province=code)


def is_national(user: Any) -> bool:
    everywhere, _p, _o = reach_of(user, roles.STAFF)
    return everywhere


# ---------------------------------------------------------------- T0 → T1 of one cooperative


@dataclass
class QuestionChange:
    qid: str
    text: str
    dimension: str
    before_qid: str | None  #: the question compared with (``mapped_from`` or the same qid)
    before: Decimal | None
    after: Decimal | None
    #: ``compared``, ``not_comparable`` (marked so in the questionnaire), ``new`` (no
    #: earlier question), ``unanswered`` (one of the rounds has no score)
    status: str

    @property
    def change(self) -> Decimal | None:
        if self.status != "compared" or self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class DimensionChange:
    key: str
    name: str
    #: the official scores of the two rounds (every question of each version)
    score_before: Decimal | None
    score_after: Decimal | None
    #: the change over the comparable questions only (weighted mean of their scores)
    change: Decimal | None
    compared: int
    not_comparable: int


@dataclass
class Comparison:
    before: Assessment
    after: Assessment
    dimensions: list[DimensionChange]
    questions: list[QuestionChange]

    @property
    def overall_change(self) -> Decimal | None:
        if self.before.overall_score is None or self.after.overall_score is None:
            return None
        return self.after.overall_score - self.before.overall_score

    @property
    def not_comparable(self) -> int:
        return sum(1 for q in self.questions if q.status == "not_comparable")


def submitted_rounds(organisation: Organisation) -> list[Assessment]:
    return list(
        Assessment.objects.filter(submitted_q(), organisation=organisation)
        .select_related("questionnaire")
        .order_by("round")
    )


def _weighted_mean(pairs: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    total = sum((w for _s, w in pairs), Decimal(0))
    if not pairs or total <= 0:
        return None
    return sum((s * w for s, w in pairs), Decimal(0)) / total


def compare(before: Assessment, after: Assessment) -> Comparison:
    """Compare two submitted rounds of one cooperative on stable question ids: a
    question of ``after`` is compared with the ``before`` question of the same qid, or
    the one it names in ``mapped_from``; a question marked not comparable is listed but
    left out of the dimension change, which is computed over comparable questions only
    (weighted by the question weights of ``after``)."""
    answers_before = {
        a.question.qid: a.score
        for a in Answer.objects.filter(assessment=before).select_related("question")
    }
    answers_after = list(
        Answer.objects.filter(assessment=after)
        .select_related("question", "question__dimension")
        .prefetch_related("question__also_counts_for")
        .order_by("question__order", "question__qid")
    )
    official = defaultdict(dict)
    for ds in DimensionScore.objects.filter(assessment__in=[before, after]).select_related(
        "dimension"
    ):
        official[ds.dimension.key][ds.assessment_id] = ds.score
    names: dict[str, str] = {}
    order: list[str] = []
    per_dim: dict[str, dict[str, Any]] = {}
    questions: list[QuestionChange] = []
    for a in answers_after:
        q = a.question
        before_qid = q.mapped_from or q.qid
        known = before_qid in answers_before
        if not q.comparable:
            status = "not_comparable"
        elif not known:
            status = "new"
        elif answers_before[before_qid] is None or a.score is None:
            status = "unanswered"
        else:
            status = "compared"
        questions.append(
            QuestionChange(
                qid=q.qid,
                text=q.text,
                dimension=q.dimension.name,
                before_qid=before_qid if known else None,
                before=answers_before.get(before_qid) if known else None,
                after=a.score,
                status=status,
            )
        )
        for dim in [q.dimension, *q.also_counts_for.all()]:
            if dim.key not in per_dim:
                per_dim[dim.key] = {"b": [], "a": [], "compared": 0, "not_comparable": 0}
                names[dim.key] = dim.name
                order.append(dim.key)
            bucket = per_dim[dim.key]
            if status == "compared":
                bucket["compared"] += 1
                bucket["b"].append((answers_before[before_qid], q.weight))
                bucket["a"].append((a.score, q.weight))
            elif status == "not_comparable":
                bucket["not_comparable"] += 1
    dimensions = []
    for key in order:
        bucket = per_dim[key]
        mb, ma = _weighted_mean(bucket["b"]), _weighted_mean(bucket["a"])
        change = None if mb is None or ma is None else (ma - mb).quantize(Decimal("0.01"))
        dimensions.append(
            DimensionChange(
                key=key,
                name=names[key],
                score_before=official[key].get(before.pk),
                score_after=official[key].get(after.pk),
                change=change,
                compared=bucket["compared"],
                not_comparable=bucket["not_comparable"],
            )
        )
    return Comparison(before=before, after=after, dimensions=dimensions, questions=questions)


# ---------------------------------------------------------------- the province map


@dataclass
class MapCell:
    key: str
    label: str
    assessed: int
    median_score: float | None
    median_level: int | None


@dataclass
class ProvinceMap:
    province: Province | None
    assessed: int
    median_score: float | None
    median_level: int | None
    by_ward: list[MapCell] = field(default_factory=list)
    by_sector: list[MapCell] = field(default_factory=list)
    by_province: list[MapCell] = field(default_factory=list)


def latest_rows(province: str | None = None) -> list[tuple]:
    """(organisation id, ward code, sector, province code, overall score as float, level)
    of each organisation's latest submitted round, in one query (``DISTINCT ON`` on
    PostgreSQL; the latest of each organisation's rows kept here elsewhere)."""
    qs = Assessment.objects.filter(submitted_q())
    if province:
        qs = qs.filter(province_id=province)
    qs = qs.order_by("organisation_id", "-round")
    if connection.vendor == "postgresql":
        qs = qs.distinct("organisation_id")
    rows = qs.values_list(
        "organisation_id",
        "organisation__ward_id",
        "organisation__sector",
        "province_id",
        "overall_score",
        "level",
    )
    latest: list[tuple] = []
    last = None
    for org, ward, sector, prov, score, level in rows:
        if org != last:
            latest.append((org, ward, sector, prov, float(score), level))
            last = org
    return latest


def _cells(groups: dict[str, list[tuple]], labels: dict[str, str]) -> list[MapCell]:
    cells = [
        MapCell(
            key=key,
            label=labels.get(key, key) or str(_("Not stated")),
            assessed=len(rows),
            median_score=st.median(r[4] for r in rows),
            median_level=st.median_low(r[5] for r in rows if r[5] is not None),
        )
        for key, rows in groups.items()
    ]
    cells.sort(key=lambda c: (-(c.median_score or 0), c.label))
    return cells


def province_map(province: Province | None) -> ProvinceMap:
    """The maturity map of a province (by ward and sector), or of the nation (by
    province and sector) when ``province`` is None.  The caller checks the right
    (:func:`may_read_province`, :func:`is_national`)."""
    rows = latest_rows(province.code if province else None)
    by_sector: dict[str, list[tuple]] = defaultdict(list)
    by_place: dict[str, list[tuple]] = defaultdict(list)
    for r in rows:
        by_sector[r[2] or ""].append(r)
        by_place[(r[1] if province else r[3]) or ""].append(r)
    sector_labels = {str(k): str(v) for k, v in Sector.choices}
    result = ProvinceMap(
        province=province,
        assessed=len(rows),
        median_score=st.median(r[4] for r in rows),
        median_level=st.median_low(r[5] for r in rows if r[5] is not None),
        by_sector=_cells(by_sector, sector_labels),
    )
    if province:
        wards = dict(
            Ward.objects.filter(code__in=[k for k in by_place if k]).values_list("code", "name")
        )
        wards[""] = str(_("Ward not stated"))
        result.by_ward = _cells(by_place, wards)
    else:
        names = dict(Province.objects.values_list("code", "name"))
        result.by_province = _cells(by_place, names)
    return result


# ---------------------------------------------------------------- models to replicate


@dataclass
class ModelCase:
    organisation_id: int
    name: str
    ward: str
    sector: str
    score: Decimal
    level: int | None
    gain: Decimal
    round: int


def models_to_replicate(province: Province | None, *, limit: int = MODEL_LIMIT) -> list[ModelCase]:
    """Cooperatives whose latest round scores at least :data:`MODEL_MIN_SCORE` and
    gained at least :data:`MODEL_MIN_GAIN` over their round before."""
    qs = Assessment.objects.filter(submitted_q())
    if province:
        qs = qs.filter(province=province)
    rows = qs.order_by("organisation_id", "-round").values_list(
        "organisation_id", "round", "overall_score", "level"
    )
    found: list[tuple[int, int, Decimal, int | None, Decimal]] = []
    last, latest = None, None
    for org, rnd, score, level in rows.iterator(chunk_size=5000):
        if org != last:
            last, latest = org, (rnd, score, level)
            continue
        if latest is None:
            continue
        l_round, l_score, l_level = latest
        latest = None  # only the round right before the latest counts
        gain = l_score - score
        if l_score >= MODEL_MIN_SCORE and gain >= MODEL_MIN_GAIN:
            found.append((org, l_round, l_score, l_level, gain))
    found.sort(key=lambda t: (-t[2], -t[4], t[0]))
    found = found[:limit]
    orgs = Organisation.objects.select_related("ward").in_bulk([f[0] for f in found])
    sectors = dict(Sector.choices)
    return [
        ModelCase(
            organisation_id=org,
            name=orgs[org].name,
            ward=orgs[org].ward.name if orgs[org].ward else "",
            sector=str(sectors.get(orgs[org].sector, "")),
            score=score,
            level=level,
            gain=gain,
            round=rnd,
        )
        for org, rnd, score, level, gain in found
        if org in orgs
    ]


# ---------------------------------------------------------------- cohorts


def cohorts_for(user: Any) -> QuerySet[Cohort]:
    return Cohort.objects.allowed(user, "view").select_related("province").order_by("name", "id")


def cohort_members(user: Any, cohort: Cohort) -> QuerySet[CohortMember]:
    """The members ``user`` may see (an officer: those of his province)."""
    return (
        CohortMember.objects.allowed(user, "view")
        .filter(cohort=cohort)
        .select_related("organisation", "organisation__province", "organisation__ward")
        .order_by("organisation__province_id", "organisation__name")
    )


@dataclass
class MemberRow:
    member: CohortMember
    before: Decimal | None
    after: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def state(self) -> str:
        """``both``, ``no_t1`` (only T0 yet), ``no_t0`` (not assessed before)."""
        if self.before is None:
            return "no_t0"
        if self.after is None:
            return "no_t1"
        return "both"


def member_rows(user: Any, cohort: Cohort) -> list[MemberRow]:
    members = list(cohort_members(user, cohort))
    scores: dict[tuple[int, int], Decimal] = {
        (org, rnd): score
        for org, rnd, score in Assessment.objects.filter(
            submitted_q(),
            organisation_id__in=[m.organisation_id for m in members],
            round__in=[cohort.before_round, cohort.after_round],
        ).values_list("organisation_id", "round", "overall_score")
    }
    return [
        MemberRow(
            m,
            scores.get((m.organisation_id, cohort.before_round)),
            scores.get((m.organisation_id, cohort.after_round)),
        )
        for m in members
    ]


def _units(before_round: int, after_round: int) -> list[st.Unit]:
    """Cooperatives with both rounds submitted, as matching units (one query)."""
    rows = Assessment.objects.filter(
        submitted_q(), round__in=[before_round, after_round]
    ).values_list(
        "organisation_id",
        "round",
        "overall_score",
        "organisation__sector",
        "organisation__province_id",
    )
    seen: dict[int, dict[str, Any]] = {}
    for org, rnd, score, sector, province in rows.iterator(chunk_size=10000):
        item = seen.get(org)
        if item is None:
            item = seen[org] = {"group": (sector or "", region_of(province))}
        item["b" if rnd == before_round else "a"] = float(score)
    return [
        st.Unit(id=org, group=v["group"], before=v["b"], after=v["a"])
        for org, v in seen.items()
        if "a" in v and "b" in v
    ]


def cohort_impact(user: Any, cohort: Cohort) -> st.DidResult:
    """The difference-in-differences of the members ``user`` may see against matched
    cooperatives outside the cohort (same sector and region, nearest T0 score, without
    replacement).  National staff: every member; a province's staff: their province's
    members (the comparison cooperatives may come from the whole region: only counts
    and means of them are shown)."""
    visible = set(
        CohortMember.objects.allowed(user, "view")
        .filter(cohort=cohort)
        .values_list("organisation_id", flat=True)
    )
    everyone = set(cohort.members.values_list("organisation_id", flat=True))
    units = _units(cohort.before_round, cohort.after_round)
    participants = [u for u in units if u.id in visible]
    controls = [u for u in units if u.id not in everyone]
    return st.difference_in_differences(participants, controls, members=len(visible))
