"""API of the impact part (mounted under ``/api/v1/assessment``, paths ``/impact/…``).

Staff read (a session or an API token): the maturity map of a province (or of the
nation for national staff), the cohorts they see and a cohort's impact (the
difference-in-differences and its members), and — staff of its province or its manager —
one cooperative's change between rounds.  Errors are JSON with a stable ``code``:
``not_found``, ``province_unknown``; an impact below the minimum of matched pairs
answers 200 with ``impact.status`` = ``not_enough_data`` (never a made-up figure).
"""

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core import roles
from htxso.core.api import ErrorOut, route
from htxso.core.errors import not_found
from htxso.core.policy import allowed, get_allowed_or_404
from htxso.core.schemas import Id
from htxso.registry.models import Organisation

from . import selectors_impact as sel
from . import stats_impact as st
from .models import Assessment, Cohort, CohortMember

router = Router(tags=["assessment"])

ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ImpactMapCellOut(Schema):
    key: str = Field(description="Ward code, province code or sector key ('' = not stated)")
    label: str
    assessed: int
    median_score: float | None
    median_level: int | None


class ImpactModelOut(Schema):
    organisation_id: int
    name: str
    score: str
    level: int | None
    gain: str
    round: int


class ImpactMapOut(Schema):
    province: str | None = Field(description="The province's code; null: the nation")
    assessed: int
    median_score: float | None
    median_level: int | None
    by_place: list[ImpactMapCellOut] = Field(
        description="By ward (a province) or by province (the nation)"
    )
    by_sector: list[ImpactMapCellOut]
    models_to_replicate: list[ImpactModelOut]


class ImpactMapQuery(Schema):
    province: str = Field("", max_length=2, description="A province's code; empty: the nation")


class ImpactCohortOut(Schema):
    id: int
    code: str
    name: str
    province: str | None
    before_round: int
    after_round: int
    members: int = Field(description="Members the caller may see")


class ImpactDidOut(Schema):
    status: str = Field(description="`ok` or `not_enough_data` (fewer pairs than `min_pairs`)")
    method: str
    confidence: float
    estimate: float | None = Field(description="Mean paired difference of T1 − T0 (points)")
    low: float | None
    high: float | None
    pairs: int = Field(description="Matched pairs: the N behind the estimate")
    min_pairs: int
    participants: int
    with_both_rounds: int
    unmatched: int
    participants_change: float | None
    comparison_change: float | None


class ImpactMemberOut(Schema):
    organisation_id: int
    name: str
    province: str
    before: str | None
    after: str | None
    change: str | None
    state: str = Field(description="`both`, `no_t1` (only T0 yet), `no_t0`")


class ImpactCohortDetailOut(ImpactCohortOut):
    impact: ImpactDidOut
    member_list: list[ImpactMemberOut]


class ImpactDimensionOut(Schema):
    key: str
    name: str
    score_before: str | None
    score_after: str | None
    change: str | None = Field(description="Over the comparable questions only")
    compared: int
    not_comparable: int


class ImpactQuestionOut(Schema):
    qid: str
    before_qid: str | None
    before: str | None
    after: str | None
    status: str = Field(description="`compared`, `not_comparable`, `new`, `unanswered`")


class ImpactChangeOut(Schema):
    organisation_id: int
    status: str = Field(description="`compared`, `no_t1` (one round only), `no_rounds`")
    before_round: int | None
    after_round: int | None
    overall_before: str | None
    overall_after: str | None
    dimensions: list[ImpactDimensionOut]
    questions: list[ImpactQuestionOut]


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def _cell(c: sel.MapCell) -> dict[str, Any]:
    return {
        "key": c.key,
        "label": c.label,
        "assessed": c.assessed,
        "median_score": None if c.median_score is None else round(c.median_score, 2),
        "median_level": c.median_level,
    }


@route(
    router.get,
    "/impact/map",
    roles=roles.STAFF,
    response={200: ImpactMapOut, **ERRORS},
    summary="The DX maturity map of a province (by ward and sector) or of the nation",
    description="Each cooperative counts once, with its latest submitted round. "
    "Errors: `province_unknown` (no such province, or not the caller's).",
)
def impact_map(request: HttpRequest, query: Query[ImpactMapQuery]):
    user = request.user
    provinces = sel.map_provinces(user)
    if query.province:
        province = next((p for p in provinces if p.code == query.province), None)
        if province is None:
            raise not_found(_("Unknown province, or not yours."), code="province_unknown")
    elif sel.is_national(user):
        province = None
    else:
        province = provinces[0] if provinces else None
        if province is None:
            raise not_found(_("Unknown province, or not yours."), code="province_unknown")
    board = sel.province_map(province)
    return {
        "province": province.code if province else None,
        "assessed": board.assessed,
        "median_score": None if board.median_score is None else round(board.median_score, 2),
        "median_level": board.median_level,
        "by_place": [_cell(c) for c in (board.by_ward if province else board.by_province)],
        "by_sector": [_cell(c) for c in board.by_sector],
        "models_to_replicate": [
            {
                "organisation_id": m.organisation_id,
                "name": m.name,
                "score": str(m.score),
                "level": m.level,
                "gain": str(m.gain),
                "round": m.round,
            }
            for m in sel.models_to_replicate(province)
        ],
    }


def _cohort(c: Cohort, members: int) -> dict[str, Any]:
    return {
        "id": c.pk,
        "code": c.code,
        "name": c.name,
        "province": c.province_id,
        "before_round": c.before_round,
        "after_round": c.after_round,
        "members": members,
    }


@route(
    router.get,
    "/impact/cohorts",
    roles=roles.STAFF,
    response={200: list[ImpactCohortOut], **ERRORS},
    summary="The cohorts the caller may see",
)
def impact_cohorts(request: HttpRequest):
    rows = list(sel.cohorts_for(request.user))
    counts = {
        r["cohort_id"]: r["n"]
        for r in CohortMember.objects.allowed(request.user, "view")
        .filter(cohort__in=rows)
        .values("cohort_id")
        .annotate(n=Count("id"))
    }
    return [_cohort(c, counts.get(c.pk, 0)) for c in rows]


def _did(r: st.DidResult) -> dict[str, Any]:
    return {
        "status": r.status,
        "method": r.method,
        "confidence": r.confidence,
        "estimate": r.estimate,
        "low": r.low,
        "high": r.high,
        "pairs": r.pairs,
        "min_pairs": r.min_pairs,
        "participants": r.participants,
        "with_both_rounds": r.with_both_rounds,
        "unmatched": r.unmatched,
        "participants_change": r.participants_change,
        "comparison_change": r.comparison_change,
    }


@route(
    router.get,
    "/impact/cohorts/{cohort_id}",
    roles=roles.STAFF,
    response={200: ImpactCohortDetailOut, **ERRORS},
    summary="A cohort's impact: the difference-in-differences and its members",
    description="Members the caller may see (a province's staff: their province's) are "
    "matched with cooperatives outside the cohort (same sector and region, nearest T0 "
    "overall score, without replacement); `impact.status` is `not_enough_data` below "
    "`min_pairs` pairs. Errors: `not_found`.",
)
def impact_cohort(request: HttpRequest, cohort_id: Id):
    cohort = get_allowed_or_404(Cohort.objects.all(), request.user, pk=cohort_id)
    rows = sel.member_rows(request.user, cohort)
    return {
        **_cohort(cohort, len(rows)),
        "impact": _did(sel.cohort_impact(request.user, cohort)),
        "member_list": [
            {
                "organisation_id": r.member.organisation_id,
                "name": r.member.organisation.name,
                "province": r.member.organisation.province_id,
                "before": _s(r.before),
                "after": _s(r.after),
                "change": _s(r.change),
                "state": r.state,
            }
            for r in rows
        ],
    }


@route(
    router.get,
    "/impact/organisations/{org_id}/change",
    roles=roles.READERS,
    response={200: ImpactChangeOut, **ERRORS},
    summary="One cooperative's change between its first and latest submitted rounds",
    description="On stable question ids: a mapped question is compared with the one it "
    "replaces, a non-comparable one is marked and left out of the dimension change. "
    "Errors: `not_found`.",
)
def impact_change(request: HttpRequest, org_id: Id):
    user = request.user
    org = get_allowed_or_404(Organisation.objects.all(), user, pk=org_id)
    if not Assessment.policy.allows_at(user, "view", province=org.province_id, organisation=org.pk):
        raise not_found(_("Not found."))
    rounds = list(
        allowed(Assessment, user).filter(sel.submitted_q(), organisation=org).order_by("round")
    )
    empty = {
        "organisation_id": org.pk,
        "before_round": rounds[0].round if rounds else None,
        "after_round": None,
        "overall_before": _s(rounds[0].overall_score) if rounds else None,
        "overall_after": None,
        "dimensions": [],
        "questions": [],
    }
    if len(rounds) < 2:
        return {**empty, "status": "no_t1" if rounds else "no_rounds"}
    cmp = sel.compare(rounds[0], rounds[-1])
    return {
        **empty,
        "status": "compared",
        "after_round": cmp.after.round,
        "overall_after": _s(cmp.after.overall_score),
        "dimensions": [
            {
                "key": d.key,
                "name": d.name,
                "score_before": _s(d.score_before),
                "score_after": _s(d.score_after),
                "change": _s(d.change),
                "compared": d.compared,
                "not_comparable": d.not_comparable,
            }
            for d in cmp.dimensions
        ],
        "questions": [
            {
                "qid": q.qid,
                "before_qid": q.before_qid,
                "before": _s(q.before),
                "after": _s(q.after),
                "status": q.status,
            }
            for q in cmp.questions
        ],
    }
