"""Classification (xếp loại): versioned schemes shipped as data, scores and grades."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import Scope, ScopedManager


class Grade(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    AVERAGE = "average", _("Average")
    WEAK = "weak", _("Weak")
    NOT_GRADED = "not_graded", _("Not graded")


class ClassificationScheme(models.Model):
    """A scoring scheme: criteria with maximum points and grade thresholds.

    ``criteria``: ``[{"code", "group", "label_vi", "label_en", "max_points"}, …]``;
    ``thresholds``: ``{"good": 80, "fair": 65, "average": 50}`` (lower bounds; below the
    last is weak).  Schemes are data: a new circular is a new row, old scores keep theirs.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    applies_to = models.CharField(
        _("applies to"),
        max_length=20,
        default="cooperative",
        help_text=_("Kind of organisation, or 'agricultural' for agricultural cooperatives."),
    )
    criteria = models.JSONField(_("criteria"))
    thresholds = models.JSONField(_("grade thresholds"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("classification scheme")
        verbose_name_plural = _("classification schemes")

    def __str__(self) -> str:
        return self.name

    @property
    def max_total(self) -> int:
        return sum(int(c["max_points"]) for c in self.criteria)


class ScoreStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Sent to the province")
    RETURNED = "returned", _("Returned for changes")
    REVIEWED = "reviewed", _("Reviewed by the province")
    PUBLISHED = "published", _("Published")


def _members_see_published(user: object, scope: Scope) -> Q:
    """Members of an organisation see its published scores only (staff who are also
    members of an organisation see all of its scores)."""
    if scope.is_staff_scope:
        return Q(organisation__in=sorted(scope.member_organisations))
    return Q(status=ScoreStatus.PUBLISHED, organisation__in=sorted(scope.member_organisations))


class ClassificationScore(models.Model):
    """One organisation's self-score for a year on a scheme, and the province's review."""

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    #: Staff of the province and the organisation's manager see every score, its
    #: members the published ones; the manager (or the VCA) self-scores and sends it
    #: (``score``), the province's officer (or the VCA) reviews and publishes (``review``).
    policy = Policy(
        view=roles.READERS,
        # the organisation's manager (or the VCA) writes it; a provincial officer
        # reviews it but never edits it (``editable_by`` used to say otherwise)
        change=roles.MANAGERS,
        score=roles.MANAGERS,
        review=roles.REVIEWERS,
        extra={"view": _members_see_published},
    )

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="classification_scores",
        verbose_name=_("organisation"),
    )
    scheme = models.ForeignKey(
        ClassificationScheme,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("scheme"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    points = models.JSONField(_("points per criterion"), default=dict)
    total = models.PositiveSmallIntegerField(_("total points"), default=0)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, blank=True)
    not_graded_reason = models.CharField(_("reason not graded"), max_length=255, blank=True)
    had_administrative_sanction = models.BooleanField(
        _("administrative sanction in the year"), default=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ScoreStatus.choices, default=ScoreStatus.DRAFT
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True, max_length=4000)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["organisation_id", "-year"]
        verbose_name = _("classification score")
        verbose_name_plural = _("classification scores")
        indexes = [models.Index(fields=["year", "grade"], name="classification_year_grade")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "scheme", "year"], name="classification_unique_year"
            ),
            models.CheckConstraint(
                condition=models.Q(total__lte=100), name="classification_total_le_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.get_grade_display()}"
