"""Test helpers for the assessment app: the packaged questionnaire and submitted rounds.

    qn = questionnaire_v1()                       # the shipped XLSForm, imported, published
    a = submitted_assessment(org)                 # every question answered, scores computed
    a = submitted_assessment(org, {"dma_data": 20, "coop_ecommerce": 90})  # scores as given
    d = draft_assessment(org)                     # a round being answered (no answers)

``scores_by_dimension`` sets the stored DimensionScores of the named dimensions (others
get ``default``); the answers are then not created.  Rounds go T0, T1 … per organisation.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from htxso.assessment import scoring_survey as scoring
from htxso.assessment import services_survey as services
from htxso.assessment.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Dimension,
    DimensionScore,
    LevelBand,
    Question,
    QuestionKind,
    Questionnaire,
)
from htxso.assessment.questionnaire_data import V1_XLSX
from htxso.core.actors import OPERATOR


def questionnaire_v1() -> Questionnaire:
    """Version 1 of ``htx-dx`` from the packaged XLSForm, published (made once per test
    database transaction)."""
    found = Questionnaire.objects.filter(code=services.QUESTIONNAIRE_CODE, version=1).first()
    if found is not None:
        return found
    return services.questionnaire_import(actor=OPERATOR, data=V1_XLSX.read_bytes(), publish=True)


def _someone(organisation: Any, user: Any = None) -> Any:
    if user is not None:
        return user
    from htxso.accounts.models import User

    found, _ = User.objects.get_or_create(
        username="factory_dx_lead", defaults={"full_name": "Trưởng nhóm chuyển đổi số"}
    )
    return found


def draft_assessment(
    organisation: Any, *, user: Any = None, questionnaire: Questionnaire | None = None
) -> Assessment:
    qn = questionnaire or questionnaire_v1()
    last = Assessment.objects.filter(organisation=organisation).order_by("-round").first()
    return Assessment.objects.create(
        organisation=organisation,
        province_id=organisation.province_id,
        questionnaire=qn,
        round=(last.round + 1) if last else 0,
        started_by=_someone(organisation, user),
    )


def answer_all(assessment: Assessment, *, pick: float = 0.5, user: Any = None) -> None:
    """Answer every question: the option at ``pick`` (0 lowest … 1 highest) of each
    list, or the same share of the way to a number's ``full`` value."""
    who = _someone(assessment.organisation, user)
    for q in Question.objects.filter(questionnaire_id=assessment.questionnaire_id).prefetch_related(
        "options"
    ):
        options = sorted(q.options.all(), key=lambda o: (o.score, o.order))
        if q.kind == QuestionKind.NUMBER:
            low = q.number_min or Decimal(0)
            value = scoring.q2(low + (q.number_full - low) * Decimal(str(pick)))
            choices, number = [], value
        elif q.kind == QuestionKind.MULTI:
            positive = [o for o in sorted(q.options.all(), key=lambda o: o.order) if o.score > 0]
            k = round(pick * len(positive))
            choices = [o.value for o in positive[:k]] if k else [options[0].value]
            number = None
        else:
            chosen = options[round(pick * (len(options) - 1))]
            choices, number = [chosen.value], None
        _, number, score = services.check_answer(q, choices, number)
        Answer.objects.update_or_create(
            assessment=assessment,
            question=q,
            defaults={"choices": choices, "number": number, "score": score, "updated_by": who},
        )


def submitted_assessment(
    organisation: Any,
    scores_by_dimension: dict[str, float | int | Decimal] | None = None,
    *,
    default: float | int | Decimal = 50,
    pick: float = 0.5,
    user: Any = None,
    questionnaire: Questionnaire | None = None,
) -> Assessment:
    """A submitted round of ``organisation`` (the next round number)."""
    a = draft_assessment(organisation, user=user, questionnaire=questionnaire)
    if scores_by_dimension is None:
        answer_all(a, pick=pick, user=user)
        services.write_scores(a)
    else:
        unknown = set(scores_by_dimension) - set(
            Dimension.objects.filter(questionnaire_id=a.questionnaire_id).values_list(
                "key", flat=True
            )
        )
        if unknown:
            raise ValueError(f"no such dimension keys: {sorted(unknown)}")
        bands = list(LevelBand.objects.filter(questionnaire_id=a.questionnaire_id))
        dims = list(Dimension.objects.filter(questionnaire_id=a.questionnaire_id))
        values = {
            d.pk: scoring.q2(Decimal(str(scores_by_dimension.get(d.key, default)))) for d in dims
        }
        DimensionScore.objects.bulk_create(
            DimensionScore(
                assessment=a,
                dimension=d,
                score=values[d.pk],
                level=scoring.level_for(values[d.pk], bands),
                answered=0,
                total=0,
            )
            for d in dims
        )
        a.overall_score = scoring.overall(dims, values)
        a.level = scoring.level_for(a.overall_score, bands)
    a.status = AssessmentStatus.SUBMITTED
    a.submitted_by = _someone(organisation, user)
    a.submitted_at = timezone.now()
    a.save()
    return a
