"""Targets a province (or the nation) sets itself, as data (e.g. Thái Nguyên 2030)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    GROUPS = "groups", _("Cooperative groups")
    GROUP_MEMBERS = "group_members", _("Members of cooperative groups")
    COOPERATIVES = "cooperatives", _("Cooperatives")
    COOPERATIVE_MEMBERS = "cooperative_members", _("Members of cooperatives")
    UNIONS = "unions", _("Unions of cooperatives")
    SHARE_GOOD_OR_FAIR = "share_good_or_fair", _("Share rated good or fair (%)")
    SHARE_EFFECTIVE = "share_effective", _("Share operating effectively (%)")
    SHARE_VALUE_CHAIN = "share_value_chain", _("Share linked in value chains (%)")
    HIGH_TECH = "high_tech", _("Cooperatives applying high technology")
    REVENUE_PER_COOPERATIVE = "revenue_per_cooperative", _("Average revenue per cooperative (VND)")
    INCOME_PER_WORKER = "income_per_worker", _("Average monthly income per worker (VND)")
    YOUTH_SHARE = "youth_share", _("Share of workers under 35 (%)")


class ProvinceTarget(models.Model):
    """A target value for an indicator in a year; province empty = national target."""

    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registry_targets",
        verbose_name=_("province"),
    )
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    year = models.PositiveSmallIntegerField(_("target year"))
    value = models.DecimalField(_("target value"), max_digits=18, decimal_places=2)
    comparison = models.CharField(
        _("comparison"),
        max_length=2,
        choices=[(">=", "≥"), (">", ">"), ("<=", "≤")],
        default=">=",
    )
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        ordering = ["province_id", "indicator", "year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "indicator", "year"],
                name="province_target_unique",
                condition=models.Q(province__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="national_target_unique",
                condition=models.Q(province__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.year}: {self.comparison} {self.value}"
