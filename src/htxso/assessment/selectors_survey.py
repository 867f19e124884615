"""Reads of the survey part.  Other parts (plans, impact) and apps code against
:func:`latest_submitted`, :func:`dimension_scores`, :func:`gaps` and
:func:`peer_medians`; keep their names and shapes.

The first four do not filter by user: their callers have fetched the assessment (or
the organisation) through the policy already.  :func:`peer_medians` returns medians
only — never another cooperative's rows — and only for a group of at least
:data:`MIN_PEERS` other cooperatives.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from htxso.core.policy import allowed

from .models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Dimension,
    DimensionFamily,
    DimensionScore,
    DxLead,
    LevelBand,
    Question,
    Questionnaire,
    QuestionnaireStatus,
)

#: a peer median is shown only when at least this many other cooperatives of the same
#: sector and province have a submitted round
MIN_PEERS = 5
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Gap:
    dimension: Dimension
    score: Decimal
    #: (100 − score) × the dimension's weight: what a plan should lift first
    gap: Decimal
    rank: int


# ------------------------------------------------------------------ shared interface


def latest_submitted(organisation_id: int) -> Assessment | None:
    """The organisation's last submitted round (T0, T1 … the highest), or ``None``."""
    return (
        Assessment.objects.filter(
            organisation_id=organisation_id, status=AssessmentStatus.SUBMITTED
        )
        .select_related("questionnaire", "organisation")
        .order_by("-round")
        .first()
    )


def dimension_scores(assessment: Assessment) -> list[DimensionScore]:
    """The scores of a submitted round, in the questionnaire's order (EU DMA, the
    cooperative dimensions, then the DBI pillars), each with its ``dimension``."""
    return list(
        DimensionScore.objects.filter(assessment=assessment)
        .select_related("dimension")
        .order_by("dimension__order", "dimension__key")
    )


def gaps(assessment: Assessment) -> list[Gap]:
    """The EU DMA and cooperative dimensions ranked by weighted gap, largest first
    (ties: the questionnaire's order).  DBI pillars re-count the same answers and are
    left out."""
    rows = [s for s in dimension_scores(assessment) if s.dimension.family != DimensionFamily.DBI]
    items = sorted(
        ((s, (HUNDRED - s.score) * s.dimension.weight) for s in rows),
        key=lambda pair: (-pair[1], pair[0].dimension.order, pair[0].dimension.key),
    )
    return [
        Gap(dimension=s.dimension, score=s.score, gap=gap.quantize(Decimal("0.01")), rank=i + 1)
        for i, (s, gap) in enumerate(items)
    ]


def peer_assessments(assessment: Assessment) -> QuerySet[Assessment]:
    """The latest submitted round of every *other* organisation of the same sector and
    province, on the same questionnaire code (their rows: for aggregates only)."""
    org = assessment.organisation
    latest = (
        Assessment.objects.filter(
            organisation_id=OuterRef("organisation_id"), status=AssessmentStatus.SUBMITTED
        )
        .order_by("-round")
        .values("pk")[:1]
    )
    return (
        Assessment.objects.filter(
            status=AssessmentStatus.SUBMITTED,
            province_id=assessment.province_id,
            organisation__sector=org.sector,
            questionnaire__code=assessment.questionnaire.code,
        )
        .exclude(organisation_id=assessment.organisation_id)
        .filter(pk=Subquery(latest))
    )


def peer_count(assessment: Assessment) -> int:
    return peer_assessments(assessment).count()


def peer_medians(assessment: Assessment) -> dict[str, Decimal] | None:
    """``dimension key -> median score`` of the peers (same sector and province,
    latest submitted round each), or ``None`` when fewer than :data:`MIN_PEERS`."""
    peers = peer_assessments(assessment)
    ids = list(peers.values_list("pk", flat=True))
    if len(ids) < MIN_PEERS:
        return None
    by_key: dict[str, list[Decimal]] = {}
    for key, score in DimensionScore.objects.filter(assessment_id__in=ids).values_list(
        "dimension__key", "score"
    ):
        by_key.setdefault(key, []).append(score)
    return {
        key: Decimal(str(statistics.median(values))).quantize(Decimal("0.01"))
        for key, values in by_key.items()
        if len(values) >= MIN_PEERS
    }


# ------------------------------------------------------------------ pages and API


def assessments_for(user: Any, action: str = "view") -> QuerySet[Assessment]:
    return allowed(Assessment, user, action).select_related(
        "organisation", "questionnaire", "province"
    )


def organisations_to_answer(user: Any) -> list[Any]:
    """Organisations whose assessment ``user`` fills (manager, DX lead; the VCA has none
    of its own)."""
    from htxso.core.roles import Role
    from htxso.core.scoping import get_scope
    from htxso.registry.models import Organisation

    if not getattr(user, "is_authenticated", False):
        return []
    scope = get_scope(user)
    ids = set(scope.organisations_by_role.get(Role.COOP_MANAGER, frozenset()))
    ids |= set(
        DxLead.objects.filter(user=user, active=True).values_list("organisation_id", flat=True)
    )
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def questionnaire_tree(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """The scored dimensions (EU DMA, cooperative) with their questions and options, in
    order: what the answer pages and the API show."""
    dims = list(
        Dimension.objects.filter(questionnaire=questionnaire)
        .exclude(family=DimensionFamily.DBI)
        .order_by("order", "key")
    )
    questions = (
        Question.objects.filter(questionnaire=questionnaire)
        .prefetch_related("options", "also_counts_for")
        .order_by("order", "qid")
    )
    by_dim: dict[int, list[Question]] = {}
    for q in questions:
        by_dim.setdefault(q.dimension_id, []).append(q)
    return [{"dimension": d, "questions": by_dim.get(d.pk, [])} for d in dims]


def answers_by_question(assessment: Assessment) -> dict[int, Answer]:
    return {
        a.question_id: a
        for a in Answer.objects.filter(assessment=assessment).prefetch_related("evidence")
    }


def level_bands(questionnaire_id: int) -> list[LevelBand]:
    return list(LevelBand.objects.filter(questionnaire_id=questionnaire_id).order_by("level"))


def published_questionnaires() -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).order_by(
        "code", "-version"
    )


def leads_of(organisation_id: int) -> QuerySet[DxLead]:
    return (
        DxLead.objects.filter(organisation_id=organisation_id)
        .select_related("user")
        .order_by("-active", "named_at")
    )


def missing_by_dimension(assessment: Assessment) -> dict[int, int]:
    """``dimension id -> unanswered questions`` of a draft (scored dimensions only)."""
    answered = Answer.objects.filter(assessment=assessment).values("question_id")
    counts: dict[int, int] = {}
    for did in (
        Question.objects.filter(questionnaire_id=assessment.questionnaire_id)
        .exclude(pk__in=answered)
        .values_list("dimension_id", flat=True)
    ):
        counts[did] = counts.get(did, 0) + 1
    return counts


def evidence_missing(assessment: Assessment) -> list[Question]:
    """Questions whose answer is above the lowest option and asks for evidence that has
    not been added (shown; submitting is not blocked)."""
    rows = Answer.objects.filter(
        assessment=assessment, question__needs_evidence=True, score__gt=0
    ).filter(
        ~Q(pk__in=Answer.objects.filter(assessment=assessment, evidence__isnull=False).values("pk"))
    )
    return [a.question for a in rows.select_related("question")]


# ------------------------------------------------------------------ XLSForm export


def questionnaire_spec(questionnaire: Questionnaire) -> dict[str, Any]:
    """A stored version in the shape of ``xlsform_survey`` (for the export)."""
    dims = list(Dimension.objects.filter(questionnaire=questionnaire).order_by("order", "key"))
    questions = (
        Question.objects.filter(questionnaire=questionnaire)
        .select_related("dimension")
        .prefetch_related("options", "also_counts_for")
        .order_by("order", "qid")
    )
    return {
        "code": questionnaire.code,
        "version": questionnaire.version,
        "title": questionnaire.title,
        "title_en": questionnaire.title_en,
        "description": questionnaire.description,
        "description_en": questionnaire.description_en,
        "dimensions": [
            {
                "key": d.key,
                "family": d.family,
                "name": d.name,
                "name_en": d.name_en,
                "description": d.description,
                "description_en": d.description_en,
                "weight": d.weight,
                "order": d.order,
            }
            for d in dims
        ],
        "levels": [
            {"level": b.level, "min_score": b.min_score, "name": b.name, "name_en": b.name_en}
            for b in level_bands(questionnaire.pk)
        ],
        "questions": [
            {
                "qid": q.qid,
                "dimension": q.dimension.key,
                "also": sorted(d.key for d in q.also_counts_for.all()),
                "kind": q.kind,
                "text": q.text,
                "text_en": q.text_en,
                "help": q.help,
                "help_en": q.help_en,
                "needs_evidence": q.needs_evidence,
                "weight": q.weight,
                "number_min": q.number_min,
                "number_max": q.number_max,
                "number_full": q.number_full,
                "mapped_from": q.mapped_from,
                "comparable": q.comparable,
                "order": q.order,
                "options": [
                    {"value": o.value, "label": o.label, "label_en": o.label_en, "score": o.score}
                    for o in q.options.all()
                ],
            }
            for q in questions
        ],
    }


def questionnaire_xlsform(questionnaire: Questionnaire) -> bytes:
    """The XLSForm workbook of a stored version, checked by pyxform."""
    from .xlsform_survey import check_with_pyxform, write_xlsform

    data = write_xlsform(questionnaire_spec(questionnaire))
    check_with_pyxform(data)
    return data
