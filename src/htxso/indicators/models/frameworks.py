"""Results frameworks, indicators, targets, reference and computed values.

A framework (a programme's logframe or a province's plan) is a tree goal → outcomes →
outputs (:class:`ResultNode`) whose leaves carry indicators.  An indicator names a
formula of the registry (``indicators.formulas``) computed from the platform's own data,
its unit, its denominator, its disaggregations, a baseline and targets per period
(``indicators.periods`` codes: ``2025S1``, ``2025``, ``2030``).  Computed values are
cached in :class:`IndicatorValue` with the time they were computed; figures published by
others (a province's report, a decision) are :class:`ReferenceValue` rows with their
source, shown beside the computed values and never mixed with them.

Who may do what: staff see the national (programme) frameworks and their own province's
frameworks (the VCA all of them); reviewers (the VCA, the province's officer) change
them.  Every child row follows its framework.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import NOTHING, Policy
from htxso.core.scoping import ScopedManager

__all__ = [
    "Comparison",
    "Disaggregation",
    "Framework",
    "Indicator",
    "IndicatorValue",
    "Level",
    "ReferenceValue",
    "ResultNode",
    "Target",
    "Unit",
]

#: Decimal fields: 20 digits before the point (VND totals), 4 after (percentages).
DIGITS = 24
PLACES = 4


class Level(models.TextChoices):
    GOAL = "goal", _("Goal")
    OUTCOME = "outcome", _("Outcome")
    OUTPUT = "output", _("Output")


class Unit(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Percent")
    VND = "vnd", _("VND")
    PEOPLE = "people", _("People")


class Comparison(models.TextChoices):
    AT_LEAST = ">=", "≥"
    MORE_THAN = ">", ">"
    AT_MOST = "<=", "≤"


class Disaggregation(models.TextChoices):
    SEX = "sex", _("Sex")
    AGE_BAND = "age_band", _("Age band")
    ETHNICITY = "ethnicity", _("Ethnicity")
    PROVINCE = "province", _("Province")
    SECTOR = "sector", _("Sector")


def _national_to_staff(path: str) -> Any:
    """A hook: national (province-less) frameworks are seen by every staff member."""

    def hook(user: Any, scope: Any) -> Q:
        if scope.roles & roles.STAFF:
            return Q(**{f"{path}__isnull": True})
        return NOTHING

    return hook


def _policy(path: str) -> Policy:
    return Policy(
        view=roles.STAFF,
        change=roles.REVIEWERS,
        extra={"view": _national_to_staff(path)},
    )


class Framework(models.Model):
    """A results framework: a programme's (province empty) or a province's."""

    scope_province_path = "province"
    policy = _policy("province")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    programme_label = models.CharField(_("programme"), max_length=255, blank=True)
    #: the framework's time span (a project's 42 months; a plan's years), optional
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("results framework")
        verbose_name_plural = _("results frameworks")

    def __str__(self) -> str:
        return self.name


class ResultNode(models.Model):
    """A goal, outcome or output of a framework."""

    scope_province_path = "framework__province"
    policy = _policy("framework__province")

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("framework")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedManager()

    class Meta:
        ordering = ["framework_id", "order", "code"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="result_node_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Indicator(models.Model):
    """An indicator of a framework, computed by a named formula over platform data."""

    scope_province_path = "framework__province"
    policy = _policy("framework__province")

    framework = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("framework"),
    )
    node = models.ForeignKey(
        ResultNode,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("result"),
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=500)
    definition = models.TextField(_("definition"), blank=True, max_length=5000)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.COUNT)
    #: a key of ``indicators.formulas.FORMULAS``
    formula = models.CharField(_("formula"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    denominator_label = models.CharField(_("denominator"), max_length=255, blank=True)
    #: keys among :class:`Disaggregation`
    disaggregations = models.JSONField(_("disaggregations"), default=list, blank=True)
    #: DHIS2 data element code; blank = no code (not exported)
    dhis2_code = models.CharField(_("DHIS2 code"), max_length=50, blank=True)
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=DIGITS, decimal_places=PLACES, null=True, blank=True
    )
    baseline_period = models.CharField(_("baseline period"), max_length=10, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedManager()

    class Meta:
        ordering = ["framework_id", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="indicator_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """A target of an indicator for a period (``2025S1``, ``2025``, ``2030``), for the
    framework's whole scope (province empty) or one province."""

    scope_province_path = "indicator__framework__province"
    policy = _policy("indicator__framework__province")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    period = models.CharField(_("period"), max_length=10)
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    value = models.DecimalField(_("target value"), max_digits=DIGITS, decimal_places=PLACES)
    comparison = models.CharField(
        _("comparison"), max_length=2, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["indicator_id", "period", "province_id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "province"],
                name="indicator_target_province_unique",
                condition=Q(province__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                name="indicator_target_scope_unique",
                condition=Q(province__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period}: {self.comparison} {self.value}"


class ReferenceValue(models.Model):
    """A figure published by someone else (a province's report, a decision), with its
    source: shown beside computed values, never mixed with them."""

    scope_province_path = "province"
    #: published figures: every staff member sees them all
    policy = Policy(
        view=roles.STAFF,
        change=roles.REVIEWERS,
        extra={"view": lambda user, scope: Q() if scope.roles & roles.STAFF else NOTHING},
    )

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="references",
        verbose_name=_("indicator"),
    )
    label = models.CharField(_("label"), max_length=255)
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    period = models.CharField(_("period"), max_length=10)
    value = models.DecimalField(_("value"), max_digits=DIGITS, decimal_places=PLACES)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.COUNT)
    comparison = models.CharField(_("comparison"), max_length=2, blank=True)
    source = models.TextField(_("source"), max_length=2000)
    source_url = models.URLField(_("source address"), blank=True, max_length=500)

    objects = ScopedManager()

    class Meta:
        ordering = ["province_id", "period", "label"]
        verbose_name = _("reference value")
        verbose_name_plural = _("reference values")

    def __str__(self) -> str:
        return f"{self.label} ({self.period}): {self.value}"


class IndicatorValue(models.Model):
    """A computed value (the cache): one indicator, period, province (empty = the
    framework's whole scope) and disaggregation cell ("" = total).  ``value`` empty
    means no data (never 0)."""

    scope_province_path = "indicator__framework__province"
    policy = _policy("indicator__framework__province")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    period = models.CharField(_("period"), max_length=10)
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    #: "" = total; else "key=value|key=value" in the indicator's disaggregation order
    cell = models.CharField(_("cell"), max_length=200, blank=True, default="")
    value = models.DecimalField(
        _("value"), max_digits=DIGITS, decimal_places=PLACES, null=True, blank=True
    )
    numerator = models.DecimalField(
        _("numerator"), max_digits=DIGITS, decimal_places=PLACES, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominator"), max_digits=DIGITS, decimal_places=PLACES, null=True, blank=True
    )
    #: a share with a named denominator also over every organisation ("of all
    #: organisations"), shown beside the value, never exported in its place
    beside_value = models.DecimalField(
        _("value over all"), max_digits=DIGITS, decimal_places=PLACES, null=True, blank=True
    )
    beside_denominator = models.DecimalField(
        _("all"), max_digits=DIGITS, decimal_places=PLACES, null=True, blank=True
    )
    #: why there is no value (division by zero, a suppressed small cell…)
    note = models.CharField(_("note"), max_length=255, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    objects = ScopedManager()

    class Meta:
        ordering = ["indicator_id", "period", "province_id", "cell"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "province", "cell"],
                name="indicator_value_province_unique",
                condition=Q(province__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "cell"],
                name="indicator_value_scope_unique",
                condition=Q(province__isnull=True),
            ),
        ]
        indexes = [models.Index(fields=["period", "indicator"], name="indicator_value_period")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} {self.cell or '—'}: {self.value}"
