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

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxso.core import audit
from htxso.core.audit import ACTION_LABELS
from htxso.core.scoping import get_scope
from htxso.core.text import TextError, clean_text

from .. import classification_rules as rules
from ..models import (
    ClassificationScheme,
    ClassificationScore,
    Organisation,
    OrganisationKind,
    ScoreStatus,
    Sector,
)
from .reports import validate_year

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


def schemes_for(organisation: Organisation):
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


def _require_manager(actor, organisation: Organisation) -> None:
    scope = get_scope(actor)
    if not (scope.national_edit or organisation.pk in scope.edit_organisations):
        raise PermissionDenied(_("Only the organisation's managers may score it."))


def _require_reviewer(actor, organisation: Organisation) -> None:
    scope = get_scope(actor)
    if not (scope.national_edit or organisation.province_id in scope.edit_provinces):
        raise PermissionDenied(_("Only the officers of the province may review this score."))


def can_edit(user, score: ClassificationScore | None, organisation: Organisation) -> bool:
    scope = get_scope(user)
    allowed = scope.national_edit or organisation.pk in scope.edit_organisations
    return allowed and (score is None or score.status in EDITABLE)


def can_review(user, score: ClassificationScore) -> bool:
    scope = get_scope(user)
    return scope.national_edit or score.organisation.province_id in scope.edit_provinces


def _rule_error(exc: rules.RuleError) -> ValidationError:
    if exc.field:
        return ValidationError({exc.field: ValidationError(exc.message, code=exc.code)})
    return ValidationError(exc.message, code=exc.code)


def _compute(score: ClassificationScore, points: dict, months_suspended: int) -> None:
    scheme = score.scheme
    try:
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
    except rules.RuleError as exc:
        raise _rule_error(exc) from exc
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
    actor,
    organisation: Organisation,
    scheme: ClassificationScheme,
    year: int,
    points: dict[str, Any],
    months_suspended: int = 0,
    had_sanction: bool = False,
    today: dt.date | None = None,
) -> ClassificationScore:
    """Create or update the self-score of ``year`` on ``scheme``."""
    _require_manager(actor, organisation)
    year = validate_year(year, today=today)
    if scheme not in schemes_for(organisation):
        raise ValidationError(
            _("This scheme does not apply to this organisation."), code="scheme_not_applicable"
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
            raise ValidationError(
                _("The score was sent to the province and can no longer be changed."),
                code="score_locked",
            )
        score.organisation = organisation
        score.had_administrative_sanction = bool(had_sanction)
        _compute(score, points, months_suspended)
        score.scored_by = actor
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
    *, actor, score: ClassificationScore, today: dt.date | None = None
) -> ClassificationScore:
    _require_manager(actor, score.organisation)
    with transaction.atomic():
        score = _lock(score)
        if score.status not in EDITABLE:
            raise ValidationError(
                _("The score was already sent to the province."), code="score_locked"
            )
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
    actor,
    score: ClassificationScore,
    decision: str,
    comment: str = "",
    points: dict[str, Any] | None = None,
) -> ClassificationScore:
    """The province's review: ``decision`` is "return" or "reviewed".

    Adjusted ``points`` recompute total and grade; adjusting or returning needs a comment.
    """
    _require_reviewer(actor, score.organisation)
    if decision not in ("return", "reviewed"):
        raise ValidationError(_("Choose a decision."), code="decision_required")
    try:
        comment = clean_text(comment or "", max_length=4000, multiline=True)
    except TextError as exc:
        raise ValidationError({"comment": ValidationError(exc.message, code=exc.code)}) from exc
    with transaction.atomic():
        score = _lock(score)
        if score.status != ScoreStatus.SUBMITTED:
            raise ValidationError(
                _("Only a score sent to the province can be reviewed."), code="score_not_submitted"
            )
        before = audit.snapshot(score)
        adjusted = False
        if points is not None:
            old = criteria_points(score)
            _compute(score, points, months_suspended_of(score))
            adjusted = criteria_points(score) != old
        if (adjusted or decision == "return") and not comment:
            raise ValidationError(
                {
                    "comment": ValidationError(
                        _("Explain the change: a comment is required."), code="comment_required"
                    )
                }
            )
        score.status = ScoreStatus.RETURNED if decision == "return" else ScoreStatus.REVIEWED
        score.reviewed_by = actor
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


def classification_publish(*, actor, score: ClassificationScore) -> ClassificationScore:
    _require_reviewer(actor, score.organisation)
    with transaction.atomic():
        score = _lock(score)
        if score.status != ScoreStatus.REVIEWED:
            raise ValidationError(
                _("Only a reviewed score can be published."), code="score_not_reviewed"
            )
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
