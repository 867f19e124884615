"""Reviews by verified buyers, and reports (of a product, a review or a store)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager


class ReviewStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Hidden by moderation")


class Review(models.Model):
    """A rating (1–5) and text by a buyer who received the product (``order`` is the
    delivered/completed order that proves it; one review per product per order).
    ``text`` is plain text (``market.sanitize.plain_text``)."""

    scope_province_path = "product__province"
    scope_organisation_path = "product__store__organisation"
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.EDITORS)

    product = models.ForeignKey(
        "market.Product",
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("product"),
    )
    order = models.ForeignKey(
        "market.Order", on_delete=models.CASCADE, related_name="reviews", verbose_name=_("order")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(_("name shown"), max_length=60)
    rating = models.PositiveSmallIntegerField(_("rating"))
    text = models.TextField(_("review"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.VISIBLE
    )
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="market_review_rating_1_5"
            ),
            models.UniqueConstraint(fields=["order", "product"], name="market_review_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.product_id}"


class ReportReason(models.TextChoices):
    COUNTERFEIT = "counterfeit", _("Counterfeit or fake certification")
    WRONG_INFO = "wrong_info", _("Wrong or misleading information")
    SPOILED = "spoiled", _("Spoiled or unsafe goods")
    OFFENSIVE = "offensive", _("Offensive content")
    SPAM = "spam", _("Spam or advertising")
    OTHER = "other", _("Other")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld — content hidden")
    DISMISSED = "dismissed", _("Dismissed")


class Report(models.Model):
    """A report by anyone of a product or a review, moderated by the officer of the
    store's province (``province`` is copied from the product when filed)."""

    scope_province_path = "province"
    scope_organisation_path = None
    #: The province's staff see reports; its officer (and the VCA) decide them.
    policy = Policy(view=roles.READERS, change=roles.EDITORS, resolve=roles.REVIEWERS)

    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="market_reports"
    )
    product = models.ForeignKey(
        "market.Product",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("product"),
    )
    review = models.ForeignKey(
        Review,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("review"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    detail = models.TextField(_("details"), max_length=2000, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reporter_contact = models.CharField(_("your phone or e-mail"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    resolution_note = models.CharField(_("decision"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(product__isnull=False) | Q(review__isnull=False),
                name="market_report_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.status})"
