"""Organisations of the collective economy: cooperative groups, cooperatives, unions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from htxso.core.scoping import ScopedManager
from htxso.core.text import fold


class OrganisationKind(models.TextChoices):
    GROUP = "group", _("Cooperative group")
    COOPERATIVE = "cooperative", _("Cooperative")
    UNION = "union", _("Union of cooperatives")


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    DISSOLVING = "dissolving", _("Dissolving")
    DISSOLVED = "dissolved", _("Dissolved")


class Organisation(models.Model):
    """One organisation of the collective economy (tổ hợp tác / HTX / liên hiệp HTX)."""

    scope_province_path = "province"
    scope_organisation_path = "pk"

    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=255)
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        null=True,
        blank=True,
        unique=True,
        help_text=_("10 digits, or 10 digits, a dash and 3 digits for a branch."),
    )
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("province"),
    )
    ward = models.ForeignKey(
        "geo.Ward",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("ward"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.ACTIVE,
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["province_id", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["group", "cooperative", "union"]),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="group") | models.Q(tax_code__isnull=False),
                name="organisation_tax_code_required_unless_group",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.tax_code or ''}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)
