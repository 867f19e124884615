"""Reviews by verified buyers, reports by anyone, moderation by the province."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errors import ServiceError

from ..models import (
    Order,
    OrderState,
    Product,
    ProductStatus,
    Report,
    ReportReason,
    ReportStatus,
    Review,
    ReviewStatus,
)
from ..sanitize import plain_text
from .common import Errors, text

ACTION_LABELS.update(
    {
        "review.create": _("Review written"),
        "review.hide": _("Review hidden"),
        "report.create": _("Content reported"),
        "report.resolve": _("Report decided"),
    }
)

REVIEWABLE_STATES = (OrderState.DELIVERED, OrderState.COMPLETED)


def _recount(product_id: int) -> None:
    from django.db.models import Count, Sum

    agg = Review.objects.filter(product_id=product_id, status=ReviewStatus.VISIBLE).aggregate(
        s=Sum("rating"), n=Count("id")
    )
    Product.objects.filter(pk=product_id).update(rating_sum=agg["s"] or 0, rating_count=agg["n"])


@transaction.atomic
def review_create(
    *, actor: Actor, order: Order, product_id, rating, text_value: str, author_name: str
):
    """A review by the buyer of ``order`` (the caller proved access to the order)."""
    if order.state not in REVIEWABLE_STATES:
        raise ServiceError(
            "review_not_allowed", _("You can review a product once you have received it.")
        )
    if not order.lines.filter(product_id=product_id).exists():
        raise ServiceError("review_not_allowed", _("This product is not in your order."))
    errors = Errors()
    try:
        stars = int(rating)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        errors.add("rating", _("Choose from 1 to 5 stars."), "bad_rating")
    body = text(errors, "text", plain_text(text_value or ""), max_length=2000, multiline=True)
    name = text(errors, "author_name", author_name or order.buyer_name, max_length=60)
    errors.raise_if_any()
    # Show only the given name: "Nguyễn Văn An" -> "An N.".
    parts = name.split()
    shown = f"{parts[-1]} {parts[0][0]}." if len(parts) > 1 else (name or "?")
    try:
        with transaction.atomic():
            review = Review.objects.create(
                product_id=product_id,
                order=order,
                author=order.buyer,
                author_name=shown,
                rating=stars,
                text=body,
            )
    except IntegrityError as exc:
        raise ServiceError("review_exists", _("You have already reviewed this product.")) from exc
    _recount(review.product_id)
    audit.record(actor=actor, action="review.create", instance=review)
    return review


@transaction.atomic
def report_create(
    *,
    actor: Actor,
    product: Product | None = None,
    review: Review | None = None,
    reason: str,
    detail: str = "",
    contact: str = "",
) -> Report:
    errors = Errors()
    if reason not in ReportReason.values:
        errors.add("reason", _("Choose a reason."), "invalid_choice")
    detail = text(errors, "detail", plain_text(detail or ""), max_length=2000, multiline=True)
    contact = text(errors, "reporter_contact", contact, max_length=120)
    errors.raise_if_any()
    target = product or review.product
    report = Report.objects.create(
        province_id=target.province_id,
        product=product,
        review=review,
        reason=reason,
        detail=detail,
        reporter=actor if getattr(actor, "pk", None) else None,
        reporter_contact=contact,
    )
    audit.record(actor=actor, action="report.create", instance=report, province=target.province_id)
    return report


@transaction.atomic
def report_resolve(*, actor: Actor, report: Report, uphold: bool, note: str) -> Report:
    """Decide a report: upheld hides the review or blocks the product; else dismissed."""
    Report.policy.require(actor, "resolve", report)
    errors = Errors()
    note = text(errors, "resolution_note", note, max_length=500, required=True)
    errors.raise_if_any()
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.OPEN:
        raise ServiceError("report_closed", _("This report has already been decided."))
    report.status = ReportStatus.UPHELD if uphold else ReportStatus.DISMISSED
    resolver = None if isinstance(actor, SystemActor) else actor
    report.resolution_note, report.resolved_by, report.resolved_at = note, resolver, timezone.now()
    report.save()
    if uphold and report.review_id:
        Review.objects.filter(pk=report.review_id).update(
            status=ReviewStatus.HIDDEN, status_reason=note
        )
        _recount(report.review.product_id)
    elif uphold and report.product_id:
        Product.objects.filter(pk=report.product_id).update(
            status=ProductStatus.BLOCKED, status_reason=note
        )
    audit.record(
        actor=actor,
        action="report.resolve",
        instance=report,
        province=report.province_id,
        after={"status": report.status, "note": note},
    )
    return report
