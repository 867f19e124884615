"""The scoring rules of a questionnaire, applied.  The rules themselves are data
(``Option.score``, ``Question.weight``/``number_*``, ``Dimension.weight``,
``LevelBand``); this module only reads them.

* a SINGLE / YES_NO answer scores its option's score;
* a MULTI answer scores the sum of its options' scores, at most 100 (an option that
  scores 0, such as "none yet", cannot be chosen with others);
* a NUMBER answer scores ``(n - min) / (full - min) × 100``, between 0 and 100;
* a dimension scores the weighted mean of its questions' scores — the questions it
  owns and those that ``also_counts_for`` it (a DBI pillar) — unanswered ones count 0;
* the overall score is the weighted mean of the EU DMA and cooperative dimensions (the
  DBI pillars re-count the same answers, so they stay out of it);
* a level is the highest band whose ``min_score`` the score reaches.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from .models import Dimension, DimensionFamily, LevelBand, Question, QuestionKind

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """``12.50`` → ``12.5``, ``100.00`` → ``100`` (for messages)."""
    text = format(value.normalize(), "f")
    return text


def answer_score(
    question: Question,
    choices: Sequence[str],
    number: Decimal | None,
    option_scores: dict[str, Decimal],
) -> Decimal:
    """The score (0–100) of a valid answer; ``option_scores`` maps the question's option
    values to their scores."""
    if question.kind == QuestionKind.NUMBER:
        if number is None or question.number_full is None:
            return Decimal(0)
        low = question.number_min or Decimal(0)
        span = question.number_full - low
        if span <= 0:
            return HUNDRED if number >= question.number_full else Decimal(0)
        return q2(min(HUNDRED, max(Decimal(0), (number - low) / span * HUNDRED)))
    total = sum((option_scores[c] for c in choices), Decimal(0))
    return q2(min(HUNDRED, total))


def level_for(score: Decimal, bands: Iterable[LevelBand]) -> int:
    level = 0
    for band in sorted(bands, key=lambda b: b.min_score):
        if score >= band.min_score:
            level = band.level
    return level


def counted(dimension: Dimension) -> bool:
    """Whether a dimension enters the overall score (EU DMA and cooperative ones)."""
    return dimension.family != DimensionFamily.DBI


def dimension_scores(
    dimensions: Sequence[Dimension],
    questions: Sequence[Question],
    scores: dict[int, Decimal],
    members: dict[int, set[int]],
) -> dict[int, tuple[Decimal, int, int]]:
    """``dimension id -> (score, answered, total)``.  ``scores`` maps question ids to
    answer scores (answered questions only); ``members`` maps dimension ids to the ids
    of the questions counting in them."""
    weights = {q.pk: q.weight for q in questions}
    result: dict[int, tuple[Decimal, int, int]] = {}
    for dim in dimensions:
        ids = members.get(dim.pk, set())
        total_w = sum((weights[i] for i in ids), Decimal(0))
        got = sum((weights[i] * scores[i] for i in ids if i in scores), Decimal(0))
        value = q2(got / total_w) if total_w else Decimal(0)
        result[dim.pk] = (value, sum(1 for i in ids if i in scores), len(ids))
    return result


def overall(dimensions: Sequence[Dimension], by_dimension: dict[int, Decimal]) -> Decimal:
    used = [d for d in dimensions if counted(d) and d.pk in by_dimension]
    total_w = sum((d.weight for d in used), Decimal(0))
    if not total_w:
        return Decimal(0)
    return q2(sum((d.weight * by_dimension[d.pk] for d in used), Decimal(0)) / total_w)
