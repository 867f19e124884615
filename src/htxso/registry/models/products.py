"""OCOP products (One Commune One Product, rated 3–5 stars)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager

#: Warn this many days before an OCOP certificate expires.
OCOP_EXPIRY_WARNING_DAYS = 90


class OcopProduct(models.Model):
    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.EDITORS)

    class Level(models.TextChoices):
        PROVINCE = "province", _("Provincial")
        NATIONAL = "national", _("National")

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.CASCADE,
        related_name="ocop_products",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("product name"), max_length=200)
    stars = models.PositiveSmallIntegerField(_("stars"))
    level = models.CharField(
        _("assessed at"), max_length=10, choices=Level.choices, default=Level.PROVINCE
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    certified_on = models.DateField(_("certified on"))
    expires_on = models.DateField(_("expires on"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-stars", "name"]
        verbose_name = _("OCOP product")
        verbose_name_plural = _("OCOP products")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__gte=3) & models.Q(stars__lte=5), name="ocop_stars_3_to_5"
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("certified_on")),
                name="ocop_expiry_after_certification",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.stars}★)"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.certified_on <= day < self.expires_on

    def expires_soon(self, day: dt.date) -> bool:
        return self.is_valid_on(day) and (self.expires_on - day).days <= OCOP_EXPIRY_WARNING_DAYS
