"""Demo data of the impact part: the EU youth-DX cohort and enough submitted rounds for
the maturity maps of Cao Bằng (04) and Đắk Lắk (66).

Run after the survey part's demo (which loads the questionnaire and answers a few
cooperatives): up to :data:`PER_PROVINCE` cooperatives of each province that have no
assessment yet get a T0 and — four in five — a T1, answered with the published
questionnaire (one option per question, scored by the survey part's rules); the
cohort's members gained more between the rounds.  Idempotent: a second run changes
nothing.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from htxso.core.actors import Actor
from htxso.registry.models import Organisation

from . import scoring_survey as scoring
from . import services_survey
from .models import Answer, Assessment, AssessmentStatus, Cohort, CohortMember, Question

PROVINCES = ("04", "66")
PER_PROVINCE = 30
COHORT_CODE = "eu-youth-dx"
COHORT_NAME = "Dự án EU: Thanh niên dẫn dắt chuyển đổi số hợp tác xã"
COHORT_TEXT = (
    "Các hợp tác xã có thanh niên tham gia dự án của Liên minh HTX Việt Nam do Liên minh "
    "châu Âu tài trợ: đánh giá mức độ chuyển đổi số (T0), lập và thực hiện kế hoạch, đánh "
    "giá lại (T1)."
)


def _questionnaire(*, actor: Actor):
    qn = services_survey.current_questionnaire()
    if qn is not None:
        return qn
    from .questionnaire_data import V1_XLSX

    return services_survey.questionnaire_import(
        actor=actor, data=V1_XLSX.read_bytes(), publish=True
    )


def _answer_round(org: Organisation, qn, round_: int, pick: float, rng, user, questions):
    """A submitted round whose answers sit around ``pick`` (0 lowest … 1 highest)."""
    a = Assessment.objects.create(
        organisation=org,
        province_id=org.province_id,
        questionnaire=qn,
        round=round_,
        status=AssessmentStatus.DRAFT,
        started_by=user,
    )
    rows = []
    for q, options in questions:
        p = min(1.0, max(0.0, pick + rng.uniform(-0.3, 0.3)))
        choices: list[str] = []
        number = None
        if q.kind == "number":
            low = q.number_min or Decimal(0)
            full = q.number_full or q.number_max or Decimal(10)
            number = (low + (full - low) * Decimal(str(round(p, 2)))).quantize(Decimal("0.01"))
        elif options:
            choices = [options[min(len(options) - 1, int(p * len(options)))][0]]
        scores = dict(options)
        rows.append(
            Answer(
                assessment=a,
                question=q,
                choices=choices,
                number=number,
                score=scoring.answer_score(q, choices, number, scores),
                updated_by=user,
            )
        )
    Answer.objects.bulk_create(rows)
    services_survey.write_scores(a)
    a.status = AssessmentStatus.SUBMITTED
    a.submitted_by = user
    a.submitted_at = timezone.now()
    a.save()
    return a


def seed(*, actor: Actor) -> dict[str, Any]:
    """The EU cohort and submitted rounds for the maps (idempotent)."""
    from htxso.accounts.models import User

    if Cohort.objects.filter(code=COHORT_CODE).exists():
        return {"created": False}
    # rows need a person (started_by, added_by): the actor, else the demo's VCA account
    user = actor if isinstance(actor, User) else None
    user = (
        user
        or User.objects.filter(username="vca.admin").first()
        or User.objects.filter(is_superuser=True).first()
        or User.objects.order_by("pk").first()
    )
    rng = random.Random(15)
    with transaction.atomic():
        qn = _questionnaire(actor=actor)
        questions = [
            (q, [(o.value, o.score) for o in q.options.all()])
            for q in Question.objects.filter(questionnaire=qn)
            .prefetch_related("options")
            .order_by("order", "qid")
        ]
        assessed = set(Assessment.objects.values_list("organisation_id", flat=True))
        cohort = Cohort.objects.create(
            code=COHORT_CODE, name=COHORT_NAME, description=COHORT_TEXT, created_by=user
        )
        made = 0
        for code in PROVINCES:
            coops = [
                o
                for o in Organisation.objects.filter(
                    province_id=code, kind="cooperative", status="active"
                ).order_by("pk")
                if o.pk not in assessed
            ][:PER_PROVINCE]
            for i, org in enumerate(coops):
                member = i % 2 == 0
                if member:
                    CohortMember.objects.create(cohort=cohort, organisation=org, added_by=user)
                pick0 = rng.uniform(0.1, 0.7)
                _answer_round(org, qn, 0, pick0, rng, user, questions)
                made += 1
                if i % 5 == 4:
                    continue  # no T1 yet
                gain = rng.uniform(0.02, 0.12) + (0.12 if member else 0)
                _answer_round(org, qn, 1, min(1.0, pick0 + gain), rng, user, questions)
                made += 1
    return {"created": True, "rounds": made, "members": cohort.members.count()}
