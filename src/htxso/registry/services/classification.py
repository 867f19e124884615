"""Classification (xếp loại): self-score, province review, publication.

Workflow: draft → submitted → reviewed → published, or submitted → returned → submitted.
The organisation's manager self-scores and submits; the officer of its province (or VCA)
may adjust points (a comment is then required), returns or marks reviewed, and publishes.
Rules of points and grades are in :mod:`htxso.registry.classification_rules`.

The months of suspension typed on the self-score form are kept in ``points`` under the
key ``_months_suspended`` (the model has no column for it yet).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxso.core import audit
from htxso.core.actors import Actor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errors import ServiceError, conflict

from .. import classification_rules as rules
from ..models import (
    ClassificationScheme,
    ClassificationScore,
    Organisation,
    OrganisationKind,
    ScoreStatus,
    Sector,
)
from .reports import acting_user, clean_comment, field_error, validate_year

ACTION_LABELS.update(
    {
        "classification.save": gettext_lazy("Classification self-score saved"),
        "classification.submit": gettext_lazy("Classification sent to the province"),
        "classification.return": gettext_lazy("Classification returned for changes"),
        "classification.review": gettext_lazy("Classification reviewed by the province"),
        "classification.publish": gettext_lazy("Classification published"),
    }
)

MONTHS_SUSPENDED_KEY = "_months_suspended"
EDITABLE = (ScoreStatus.DRAFT, ScoreStatus.RETURNED)
AGRICULTURAL_SECTORS = {Sector.AGRICULTURE, Sector.FORESTRY, Sector.FISHERY}

#: Guidance of Circular 09/2017: (day, month, what) in the year after the scored year.
TIMELINE = (
    (None, gettext_lazy("The cooperative scores itself after the end of the year.")),
    ((4, 1), gettext_lazy("Self-score sent to the province by 1 April.")),
    ((4, 15), gettext_lazy("Result published to the members by 15 April.")),
)


def timeline_for(year: int) -> list[tuple[dt.date | None, str]]:
    return [(dt.date(year + 1, *md) if md else None, str(text)) for md, text in TIMELINE]


def schemes_for(organisation: Organisation) -> list[ClassificationScheme]:
    """Active schemes that apply to the organisation (agricultural first when it is)."""
    if organisation.kind == OrganisationKind.GROUP:
        return []
    schemes = list(ClassificationScheme.objects.filter(is_active=True).order_by("code"))
    agricultural = (
        organisation.kind == OrganisationKind.COOPERATIVE
        and organisation.sector in AGRICULTURAL_SECTORS
    )
    usable = [
        s
        for s in schemes
        if s.applies_to in (organisation.kind, "cooperative")
        or (s.applies_to == "agricultural" and agricultural)
    ]
    usable.sort(key=lambda s: (s.applies_to != "agricultural", s.code))
    return usable


def months_suspended_of(score: ClassificationScore) -> int:
    try:
        return int((score.points or {}).get(MONTHS_SUSPENDED_KEY, 0))
    except (TypeError, ValueError):
        return 0


def criteria_points(score: ClassificationScore) -> dict[str, int]:
    return {k: v for k, v in (score.points or {}).items() if not k.startswith("_")}


MAY_SCORE = gettext_lazy("Only the organisation's managers may score it.")
MAY_REVIEW = gettext_lazy("Only the officers of the province may review this score.")


def _require(action: str, score: ClassificationScore, message: Any, *, actor: Actor) -> None:
    """``ClassificationScore.policy`` refuses ``actor`` (``not_found`` or
    ``forbidden``), saying ``message``."""
    try:
        ClassificationScore.policy.require(actor, action, score)
    except ServiceError as exc:
        raise ServiceError(exc.code, message, kind=exc.kind) from None


def _compute(score: ClassificationScore, points: dict[str, Any], months_suspended: int) -> None:
    """Total and grade of ``points``; a bad point raises ``rules.RuleError`` (a
    ``ServiceError`` naming the criterion)."""
    scheme = score.scheme
    result = rules.classify(
        criteria=scheme.criteria,
        thresholds=scheme.thresholds,
        points=points,
        year=score.year,
        established_on=score.organisation.established_on,
        months_suspended=months_suspended,
        had_sanction=score.had_administrative_sanction,
    )
    cleaned = rules.clean_points(scheme.criteria, points)
    score.points = {**cleaned, MONTHS_SUSPENDED_KEY: months_suspended}
    score.total = result.total
    score.grade = result.grade
    score.not_graded_reason = result.reason


def _lock(score: ClassificationScore) -> ClassificationScore:
    return (
        ClassificationScore.objects.select_for_update()
        .select_related("organisation", "scheme")
        .get(pk=score.pk)
    )


def classification_save(
    *,
    actor: Actor,
    organisation: Organisation,
    scheme: ClassificationScheme,
    year: int,
    points: dict[str, Any],
    months_suspended: int = 0,
    had_sanction: bool = False,
    today: dt.date | None = None,
) -> ClassificationScore:
    """Create or update the self-score of ``year`` on ``scheme``."""
    ClassificationScore.policy.require_at(
        actor,
        "score",
        province=organisation.province_id,
        organisation=organisation.pk,
        message=MAY_SCORE,
    )
    year = validate_year(year, today=today)
    if scheme not in schemes_for(organisation):
        raise ServiceError(
            "scheme_not_applicable", _("This scheme does not apply to this organisation.")
        )
    with transaction.atomic():
        score = (
            ClassificationScore.objects.select_for_update()
            .filter(organisation=organisation, scheme=scheme, year=year)
            .first()
        )
        before = audit.snapshot(score)
        if score is None:
            score = ClassificationScore(organisation=organisation, scheme=scheme, year=year)
        elif score.status not in EDITABLE:
            raise conflict(
                _("The score was sent to the province and can no longer be changed."),
                "score_locked",
            )
        score.organisation = organisation
        score.had_administrative_sanction = bool(had_sanction)
        _compute(score, points, months_suspended)
        score.scored_by = acting_user(actor=actor)
        score.save()
        audit.record(
            actor=actor,
            action="classification.save",
            instance=score,
            before=before,
            after=audit.snapshot(score),
        )
    return score


def classification_submit(
    *, actor: Actor, score: ClassificationScore, today: dt.date | None = None
) -> ClassificationScore:
    _require("score", score, MAY_SCORE, actor=actor)
    with transaction.atomic():
        score = _lock(score)
        if score.status not in EDITABLE:
            raise conflict(_("The score was already sent to the province."), "score_locked")
        before = audit.snapshot(score)
        score.status = ScoreStatus.SUBMITTED
        score.submitted_at = timezone.now()
        score.save(update_fields=["status", "submitted_at", "updated_at"])
        audit.record(
            actor=actor,
            action="classification.submit",
            instance=score,
            before=before,
            after=audit.snapshot(score),
        )
    return score


def classification_review(
    *,
    actor: Actor,
    score: ClassificationScore,
    decision: str,
    comment: str = "",
    points: dict[str, Any] | None = None,
) -> ClassificationScore:
    """The province's review: ``decision`` is "return" or "reviewed".

    Adjusted ``points`` recompute total and grade; adjusting or returning needs a comment.
    """
    _require("review", score, MAY_REVIEW, actor=actor)
    if decision not in ("return", "reviewed"):
        raise ServiceError("decision_required", _("Choose a decision."))
    comment = clean_comment(comment)
    with transaction.atomic():
        score = _lock(score)
        if score.status != ScoreStatus.SUBMITTED:
            raise conflict(
                _("Only a score sent to the province can be reviewed."), "score_not_submitted"
            )
        before = audit.snapshot(score)
        adjusted = False
        if points is not None:
            old = criteria_points(score)
            _compute(score, points, months_suspended_of(score))
            adjusted = criteria_points(score) != old
        if (adjusted or decision == "return") and not comment:
            raise field_error(
                "comment", "comment_required", _("Explain the change: a comment is required.")
            )
        score.status = ScoreStatus.RETURNED if decision == "return" else ScoreStatus.REVIEWED
        score.reviewed_by = acting_user(actor=actor)
        score.reviewed_at = timezone.now()
        score.review_comment = comment
        score.save()
        audit.record(
            actor=actor,
            action="classification.return" if decision == "return" else "classification.review",
            instance=score,
            before=before,
            after=audit.snapshot(score),
        )
    return score


def classification_publish(*, actor: Actor, score: ClassificationScore) -> ClassificationScore:
    _require("review", score, MAY_REVIEW, actor=actor)
    with transaction.atomic():
        score = _lock(score)
        if score.status != ScoreStatus.REVIEWED:
            raise conflict(_("Only a reviewed score can be published."), "score_not_reviewed")
        before = audit.snapshot(score)
        score.status = ScoreStatus.PUBLISHED
        score.published_at = timezone.now()
        score.save(update_fields=["status", "published_at", "updated_at"])
        transaction.on_commit(_invalidate_stats)
        audit.record(
            actor=actor,
            action="classification.publish",
            instance=score,
            before=before,
            after=audit.snapshot(score),
        )
    return score


def _invalidate_stats() -> None:
    from htxso.registry import stats

    stats.invalidate()
