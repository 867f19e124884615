"""API of the survey part (mounted under ``/api/v1/assessment``, paths ``/survey/…``).

* ``GET /survey/questionnaire`` — the published questionnaire (dimensions, questions,
  options with their scores, level bands);
* ``GET /survey/mine`` — the rounds of the cooperatives the caller answers for;
* ``POST /survey/organisations/{org_id}/assessments`` — start (or resume) a round;
* ``GET /survey/assessments`` — the rounds the caller may read (officers: their province);
* ``GET /survey/assessments/{id}`` — one round with its answers;
* ``POST /survey/assessments/{id}/answers`` — save answers (each valid one is kept);
* ``POST /survey/assessments/{id}/submit`` — submit; ``GET …/scores`` — scores, gaps,
  peer medians.

Errors are ``{"code", "message", "details"}``: ``answer_out_of_range``,
``version_changed``, ``previous_round_open``, ``answers_missing``, ``not_submitted``…
"""

import datetime as dt
from decimal import Decimal
from functools import partial
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from htxso.core import roles
from htxso.core.api import ErrorOut, json_body_doc, read_json, route
from htxso.core.errors import ServiceError, conflict
from htxso.core.policy import get_allowed_or_404
from htxso.core.schemas import Id, Offset
from htxso.registry.models import Organisation

from . import selectors_survey as sel
from . import services_survey as services
from .models import Assessment, AssessmentStatus, Question

router = Router(tags=["assessment"])
MAX_BODY = 256 * 1024
PEOPLE = roles.STAFF_AND_ORGANISATIONS
_body = partial(read_json, max_bytes=MAX_BODY, error_types=True)


# ------------------------------------------------------------------ schemas


class SurveyOptionOut(Schema):
    value: str
    label: str
    label_en: str
    score: Decimal


class SurveyQuestionOut(Schema):
    qid: str
    dimension: str
    also_counts_for: list[str]
    kind: str
    text: str
    text_en: str
    help: str
    help_en: str
    needs_evidence: bool
    weight: Decimal
    number_min: Decimal | None
    number_max: Decimal | None
    number_full: Decimal | None
    options: list[SurveyOptionOut]


class SurveyDimensionOut(Schema):
    key: str
    family: str
    name: str
    name_en: str
    weight: Decimal


class SurveyLevelOut(Schema):
    level: int
    min_score: Decimal
    name: str
    name_en: str


class SurveyQuestionnaireOut(Schema):
    id: int
    code: str
    version: int
    title: str
    title_en: str
    dimensions: list[SurveyDimensionOut]
    levels: list[SurveyLevelOut]
    questions: list[SurveyQuestionOut]


class SurveyRoundOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    province_code: str
    round: int
    label: str
    status: str
    questionnaire_version: int
    overall_score: Decimal | None
    level: int | None
    submitted_at: dt.datetime | None


class SurveyAnswerOut(Schema):
    qid: str
    choices: list[str]
    number: Decimal | None
    note: str
    score: Decimal | None
    evidence: int = Field(0, description="Files attached")


class SurveyAssessmentOut(SurveyRoundOut):
    answered: int
    total: int
    answers: list[SurveyAnswerOut]


class SurveyStartIn(Schema):
    round: int | None = Field(
        None, ge=0, le=50, description="The round asked for (the next by default)"
    )


class SurveyAnswerIn(Schema):
    qid: str = Field(..., min_length=1, max_length=60)
    choices: list[str] = Field(default_factory=list, max_length=20)
    number: Decimal | None = Field(None, max_digits=16, decimal_places=4)
    note: str = Field("", max_length=1000)


class SurveyAnswersIn(Schema):
    version: int = Field(..., ge=1, le=100000, description="The questionnaire version answered")
    answers: list[SurveyAnswerIn] = Field(..., min_length=1, max_length=100)


class SurveySavedOut(Schema):
    saved: list[str]
    missing: int


class SurveyScoreOut(Schema):
    key: str
    family: str
    name: str
    name_en: str
    score: Decimal
    level: int
    answered: int
    total: int
    peer_median: Decimal | None


class SurveyGapOut(Schema):
    key: str
    score: Decimal
    gap: Decimal
    rank: int


class SurveyScoresOut(Schema):
    assessment: SurveyRoundOut
    scores: list[SurveyScoreOut]
    gaps: list[SurveyGapOut]
    peers: int = Field(..., description="Peers (same sector and province) with a submitted round")
    peer_medians_shown: bool = Field(..., description="False under 5 peers")


class SurveyListQuery(Schema):
    offset: Offset = 0
    limit: int = Field(50, ge=1, le=200)


# ------------------------------------------------------------------ helpers


def _round(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "organisation_id": a.organisation_id,
        "organisation": a.organisation.name,
        "province_code": a.province_id,
        "round": a.round,
        "label": a.label,
        "status": a.status,
        "questionnaire_version": a.questionnaire.version,
        "overall_score": a.overall_score,
        "level": a.level,
        "submitted_at": a.submitted_at,
    }


def _detail(a: Assessment) -> dict[str, Any]:
    answers = sel.answers_by_question(a)
    questions = {q.pk: q.qid for q in Question.objects.filter(questionnaire_id=a.questionnaire_id)}
    return {
        **_round(a),
        "answered": len(answers),
        "total": len(questions),
        "answers": [
            {
                "qid": questions[ans.question_id],
                "choices": ans.choices,
                "number": ans.number,
                "note": ans.note,
                "score": ans.score,
                "evidence": len(ans.evidence.all()),
            }
            for ans in sorted(answers.values(), key=lambda x: x.question_id)
        ],
    }


def _one(request: HttpRequest, assessment_id: int, action: str = "view") -> Assessment:
    return get_allowed_or_404(
        Assessment.objects.select_related("organisation", "questionnaire"),
        request.user,
        action,
        pk=assessment_id,
    )


# ------------------------------------------------------------------ operations


@route(
    router.get,
    "/survey/questionnaire",
    roles=PEOPLE,
    response={200: SurveyQuestionnaireOut, 404: ErrorOut},
    summary="The published DX questionnaire with its scoring rules",
)
def questionnaire(request: HttpRequest):
    qn = services.current_questionnaire()
    if qn is None:
        raise ServiceError("no_questionnaire", _("No DX questionnaire has been published yet."))
    spec = sel.questionnaire_spec(qn)
    return {
        "id": qn.pk,
        "code": qn.code,
        "version": qn.version,
        "title": qn.title,
        "title_en": qn.title_en,
        "dimensions": spec["dimensions"],
        "levels": spec["levels"],
        "questions": [{**q, "also_counts_for": q["also"]} for q in spec["questions"]],
    }


@route(
    router.get,
    "/survey/mine",
    roles=PEOPLE,
    response=list[SurveyRoundOut],
    summary="The rounds of the cooperatives you answer for (manager, DX lead)",
)
def mine(request: HttpRequest):
    orgs = sel.organisations_to_answer(request.user)
    qs = Assessment.objects.filter(organisation__in=orgs).select_related(
        "organisation", "questionnaire"
    )
    return [_round(a) for a in qs.order_by("organisation__name", "round")]


@route(
    router.post,
    "/survey/organisations/{org_id}/assessments",
    roles=PEOPLE,
    response={
        200: SurveyAssessmentOut,
        201: SurveyAssessmentOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
    summary="Start the next round of a cooperative, or resume the one being answered",
    openapi_extra=json_body_doc(SurveyStartIn, required=False),
)
def start(request: HttpRequest, org_id: Id):
    org = get_allowed_or_404(Organisation, request.user, "view", pk=org_id)
    data = _body(request, SurveyStartIn)
    existed = Assessment.objects.filter(organisation=org, status=AssessmentStatus.DRAFT).exists()
    a = services.start(actor=request.user, organisation=org, round=data.round)
    return Status(200 if existed else 201, _detail(_one(request, a.pk)))


@route(
    router.get,
    "/survey/assessments",
    roles=PEOPLE,
    response=list[SurveyRoundOut],
    summary="The rounds you may read (officers: their province's; newest first)",
)
def assessment_list(request: HttpRequest, filters: Query[SurveyListQuery]):
    qs = sel.assessments_for(request.user).order_by("-updated_at", "-pk")
    return [_round(a) for a in qs[filters.offset : filters.offset + filters.limit]]


@route(
    router.get,
    "/survey/assessments/{assessment_id}",
    roles=PEOPLE,
    response={200: SurveyAssessmentOut, 404: ErrorOut},
    summary="One round with its answers",
)
def assessment_get(request: HttpRequest, assessment_id: Id):
    return _detail(_one(request, assessment_id))


@route(
    router.post,
    "/survey/assessments/{assessment_id}/answers",
    roles=PEOPLE,
    response={200: SurveySavedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Save answers of a round being answered",
    description="Each valid answer is saved even when others are refused: the error "
    "``answers_invalid`` lists the refused ones (``details``: qid, code, message). "
    "``version`` must be the round's questionnaire version (else 409 ``version_changed``).",
    openapi_extra=json_body_doc(SurveyAnswersIn),
)
def answers_save(request: HttpRequest, assessment_id: Id):
    a = _one(request, assessment_id, "answer")
    data = _body(request, SurveyAnswersIn)
    if data.version != a.questionnaire.version:
        raise conflict(
            _(
                "Your assessment keeps version %(version)s of the questionnaire; these answers "
                "are for version %(sent)s. Reload the questions; your saved answers are kept."
            ),
            "version_changed",
            {"version": a.questionnaire.version, "sent": data.version},
        )
    questions = {
        q.qid: q
        for q in Question.objects.filter(questionnaire_id=a.questionnaire_id).prefetch_related(
            "options"
        )
    }
    saved, refused = [], []
    for item in data.answers:
        q = questions.get(item.qid)
        try:
            if q is None:
                raise ServiceError(
                    "unknown_question",
                    _("“%(qid)s” is not a question of this version."),
                    {"qid": item.qid[:60]},
                )
            services.save_answer(
                actor=request.user,
                assessment=a,
                question=q,
                choices=item.choices,
                number=item.number,
                note=item.note,
            )
            saved.append(item.qid)
        except ServiceError as exc:
            if exc.code in ("assessment_submitted", "forbidden", "not_found"):
                raise
            refused.append({"qid": item.qid[:60], "code": exc.code, "message": exc.text})
    if refused:
        raise ServiceError(
            "answers_invalid",
            _("%(count)s answers were refused; the others are saved."),
            {"count": len(refused)},
            details={"refused": refused, "saved": saved},
        )
    return {"saved": saved, "missing": sum(sel.missing_by_dimension(a).values())}


@route(
    router.post,
    "/survey/assessments/{assessment_id}/submit",
    roles=PEOPLE,
    response={200: SurveyScoresOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Submit a round: every question answered; the scores are computed at once",
)
def submit(request: HttpRequest, assessment_id: Id):
    a = _one(request, assessment_id, "answer")
    services.submit(actor=request.user, assessment=a)
    return _scores(_one(request, assessment_id))


@route(
    router.get,
    "/survey/assessments/{assessment_id}/scores",
    roles=PEOPLE,
    response={200: SurveyScoresOut, 404: ErrorOut, 409: ErrorOut},
    summary="Scores per dimension (EU DMA, cooperative, DBI), gaps and peer medians",
)
def scores(request: HttpRequest, assessment_id: Id):
    a = _one(request, assessment_id)
    if a.status != AssessmentStatus.SUBMITTED:
        raise conflict(_("This round has not been submitted yet."), "not_submitted")
    return _scores(a)


def _scores(a: Assessment) -> dict[str, Any]:
    medians = sel.peer_medians(a)
    return {
        "assessment": _round(a),
        "scores": [
            {
                "key": s.dimension.key,
                "family": s.dimension.family,
                "name": s.dimension.name,
                "name_en": s.dimension.name_en,
                "score": s.score,
                "level": s.level,
                "answered": s.answered,
                "total": s.total,
                "peer_median": medians.get(s.dimension.key) if medians else None,
            }
            for s in sel.dimension_scores(a)
        ],
        "gaps": [
            {"key": g.dimension.key, "score": g.score, "gap": g.gap, "rank": g.rank}
            for g in sel.gaps(a)
        ],
        "peers": sel.peer_count(a),
        "peer_medians_shown": medians is not None,
    }
