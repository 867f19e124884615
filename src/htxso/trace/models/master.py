"""Master data of traceability: growing plots, facilities (GLN) and trade items (GTIN)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.codes import CodeError, gtin_check_digit, to_gtin14
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager

#: EUDR deforestation cut-off date: no deforestation after this day.
DEFORESTATION_CUTOFF = dt.date(2020, 12, 31)


def validate_gln(value: str) -> str:
    """A GLN is 13 digits with a GS1 mod-10 check digit."""
    text = (value or "").strip().replace(" ", "")
    if not (len(text) == 13 and text.isascii() and text.isdigit()):
        raise ValidationError(_("A location number (GLN) has 13 digits."), code="gln_format")
    if gtin_check_digit(text[:-1]) != int(text[-1]):
        raise ValidationError(
            _("The check digit of this location number (GLN) is wrong."), code="gln_check_digit"
        )
    return text


def validate_gtin14_field(value: str) -> None:
    try:
        to_gtin14(value)
    except CodeError as exc:
        raise ValidationError(str(exc), code=exc.code) from exc


class Crop(models.TextChoices):
    COFFEE = "coffee", _("Coffee")
    PEPPER = "pepper", _("Pepper")
    CACAO = "cacao", _("Cacao")
    TEA = "tea", _("Tea")
    RICE = "rice", _("Rice")
    FRUIT = "fruit", _("Fruit")
    OTHER = "other", _("Other")


class Plot(models.Model):
    """A member's growing plot: where the produce comes from (point or polygon)."""

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    #: Staff of the province and the organisation's people see it; the VCA, the
    #: province's officer and the organisation's manager change it.
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.EDITORS)

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="trace_plots",
        verbose_name=_("organisation"),
    )
    code = models.CharField(_("plot code"), max_length=40)
    name = models.CharField(_("plot name"), max_length=120, blank=True)
    member = models.ForeignKey(
        "registry.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trace_plots",
        verbose_name=_("member (owner)"),
    )
    producer_name = models.CharField(
        _("producer name"),
        max_length=150,
        blank=True,
        help_text=_("Used in the EUDR file; never shown on public pages."),
    )
    ward = models.ForeignKey(
        "geo.Ward", on_delete=models.PROTECT, related_name="trace_plots", verbose_name=_("ward")
    )
    crop = models.CharField(_("crop"), max_length=20, choices=Crop.choices, default=Crop.COFFEE)
    area_ha = models.DecimalField(_("area (ha)"), max_digits=9, decimal_places=4)
    geometry = models.JSONField(_("geometry (GeoJSON)"))
    geometry_kind = models.CharField(max_length=10, default="point")
    centroid_lon = models.DecimalField(max_digits=10, decimal_places=7)
    centroid_lat = models.DecimalField(max_digits=10, decimal_places=7)
    deforestation_free = models.BooleanField(
        _("deforestation-free since 31/12/2020"), null=True, blank=True
    )
    deforestation_evidence = models.TextField(_("evidence"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["organisation_id", "code"]
        verbose_name = _("plot")
        verbose_name_plural = _("plots")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="trace_plot_code_unique"),
            models.CheckConstraint(condition=models.Q(area_ha__gt=0), name="trace_plot_area_pos"),
            models.CheckConstraint(
                condition=models.Q(geometry_kind__in=["point", "polygon"]),
                name="trace_plot_geometry_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class FacilityKind(models.TextChoices):
    FARM = "farm", _("Farm / collection point")
    PROCESSING = "processing", _("Processing station")
    WAREHOUSE = "warehouse", _("Warehouse")
    ROASTERY = "roastery", _("Roastery")
    SHOP = "shop", _("Shop")
    OTHER = "other", _("Other")


class Facility(models.Model):
    """A place where events happen, identified by a GLN when it has one."""

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    #: Staff of the province and the organisation's people see it; the VCA, the
    #: province's officer and the organisation's manager change it.
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.EDITORS)

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="trace_facilities",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices)
    gln = models.CharField(
        _("location number (GLN)"),
        max_length=13,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_gln],
    )
    ward = models.ForeignKey(
        "geo.Ward", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("ward")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["organisation_id", "name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return self.name


class TradeItem(models.Model):
    """A product identified by a GTIN (stored as 14 digits)."""

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    #: Staff of the province and the organisation's people see it; the VCA, the
    #: province's officer and the organisation's manager change it.
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.EDITORS)

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="trace_items",
        verbose_name=_("organisation"),
    )
    gtin = models.CharField(
        _("barcode number (GTIN)"), max_length=14, unique=True, validators=[validate_gtin14_field]
    )
    name = models.CharField(_("product name"), max_length=200)
    name_en = models.CharField(_("product name in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    lot_kind = models.CharField(_("kind of lot"), max_length=20, default="packaged")
    net_weight_g = models.PositiveIntegerField(_("net weight (g)"), null=True, blank=True)
    ocop_product = models.ForeignKey(
        "registry.OcopProduct",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trace_items",
        verbose_name=_("OCOP product"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["organisation_id", "name"]
        verbose_name = _("product (GTIN)")
        verbose_name_plural = _("products (GTIN)")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gtin__regex=r"^[0-9]{14}$"), name="trace_item_gtin14"
            ),
        ]

    def __str__(self) -> str:
        return self.name
