"""Rows for the impact tests, written directly (fast; independent of the survey pages)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from htxso.assessment.models import (
    Answer,
    Assessment,
    Dimension,
    DimensionScore,
    LevelBand,
    Option,
    Question,
    Questionnaire,
)

BANDS = [(0, 0), (1, 10), (2, 30), (3, 50), (4, 70), (5, 90)]


def questionnaire(
    code="imp-test",
    version=1,
    *,
    dims=("strategy", "data"),
    per_dim=3,
    mapped=None,
    not_comparable=(),
    renamed=None,
):
    """A published questionnaire: ``per_dim`` questions ``<dim>_q<i>`` per dimension;
    ``renamed`` {old qid: new qid} gives a question a new qid with ``mapped_from``;
    ``not_comparable`` lists qids marked not comparable."""
    renamed = renamed or {}
    qn = Questionnaire.objects.create(
        code=code, version=version, title=f"Bộ câu hỏi {code} v{version}", status="published"
    )
    for level, low in BANDS:
        LevelBand.objects.create(
            questionnaire=qn, level=level, min_score=Decimal(low), name=f"Mức {level}"
        )
    order = 0
    for d_i, key in enumerate(dims):
        dim = Dimension.objects.create(
            questionnaire=qn, key=key, family="eu_dma", name=f"Trụ cột {key}", order=d_i
        )
        for i in range(per_dim):
            qid = f"{key}_q{i}"
            new = renamed.get(qid, qid)
            q = Question.objects.create(
                questionnaire=qn,
                dimension=dim,
                qid=new,
                text=f"Câu hỏi {new}",
                kind="single",
                mapped_from=qid if new != qid else "",
                comparable=new not in not_comparable,
                order=order,
            )
            order += 1
            for j, (value, score) in enumerate([("low", 0), ("mid", 50), ("high", 100)]):
                Option.objects.create(
                    question=q, value=value, label=value, score=Decimal(score), order=j
                )
    return qn


def level_of(score):
    level = 0
    for lv, low in BANDS:
        if score >= low:
            level = lv
    return level


def submitted(org, qn, round_, scores, *, user, status="submitted"):
    """A round of ``org`` answering ``qn``: ``scores`` {qid: 0/50/100} (missing: 0)."""
    a = Assessment.objects.create(
        organisation=org,
        province_id=org.province_id,
        questionnaire=qn,
        round=round_,
        status=status,
        started_by=user,
        submitted_by=user if status == "submitted" else None,
        submitted_at=timezone.now() if status == "submitted" else None,
    )
    dims = {}
    for q in Question.objects.filter(questionnaire=qn).select_related("dimension"):
        s = Decimal(scores.get(q.qid, 0))
        value = {0: "low", 50: "mid", 100: "high"}.get(int(s), "low")
        Answer.objects.create(assessment=a, question=q, choices=[value], score=s, updated_by=user)
        dims.setdefault(q.dimension, []).append(s)
    if status != "submitted":
        return a
    means = []
    for dim, values in dims.items():
        mean = (sum(values) / len(values)).quantize(Decimal("0.01"))
        means.append(mean)
        DimensionScore.objects.create(
            assessment=a,
            dimension=dim,
            score=mean,
            level=level_of(mean),
            answered=len(values),
            total=len(values),
        )
    overall = (sum(means) / len(means)).quantize(Decimal("0.01"))
    a.overall_score, a.level = overall, level_of(overall)
    a.save(update_fields=["overall_score", "level"])
    return a


def scored(org, qn, round_, overall, *, user):
    """A submitted round with only its overall score and level (no answers)."""
    overall = Decimal(str(overall))
    return Assessment.objects.create(
        organisation=org,
        province_id=org.province_id,
        questionnaire=qn,
        round=round_,
        status="submitted",
        started_by=user,
        submitted_by=user,
        submitted_at=timezone.now(),
        overall_score=overall,
        level=level_of(overall),
    )


def coop(name, province="04", *, sector="agriculture", ward=None, n=[0]):
    """A cooperative with a unique, valid-looking tax code."""
    from htxso.registry.models import Organisation

    n[0] += 1
    return Organisation.objects.create(
        kind="cooperative",
        name=name,
        tax_code=f"97{n[0]:08d}",
        province_id=province,
        sector=sector,
        ward_id=ward,
    )
