"""Administrative units: the 34 provinces and 3,321 wards of the 2025 reform, and the
legacy 63 provinces / districts / wards with the old → new mapping.

All rows come from the ``vietnam_provinces`` package through ``manage.py load_units``;
nothing here is edited by hand.  ``search_text`` holds ``fold(name)`` for accent- and
case-insensitive matching.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from htxso.core.text import fold


class FoldedNameModel(models.Model):
    """Abstract base: keeps ``search_text`` equal to ``fold(name)`` on ``save()``.

    ``load_units`` uses ``bulk_create``/``bulk_update`` and fills ``search_text`` itself.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = fold(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


# --- units after the 2025 reform -------------------------------------------------------


class Province(FoldedNameModel):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    division_type = models.CharField(_("type"), max_length=40, blank=True)
    search_text = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """The name without its type word: "Cao Bằng" for "Tỉnh Cao Bằng"."""
        for prefix in ("Thành phố ", "Tỉnh "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name


class Ward(FoldedNameModel):
    code = models.CharField(_("code"), max_length=5, primary_key=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="wards", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=100)
    division_type = models.CharField(_("type"), max_length=40, blank=True)
    search_text = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        ordering = ["province_id", "name"]
        verbose_name = _("ward")
        verbose_name_plural = _("wards")

    def __str__(self) -> str:
        return self.name


# --- units before the 2025 reform (63 provinces, districts, 10,051 wards) ------------------


class LegacyProvince(FoldedNameModel):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    division_type = models.CharField(_("type"), max_length=40, blank=True)
    new_province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="legacy_provinces",
        verbose_name=_("merged into province"),
    )
    search_text = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("former province")
        verbose_name_plural = _("former provinces")

    def __str__(self) -> str:
        return self.name


class LegacyDistrict(FoldedNameModel):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    province = models.ForeignKey(
        LegacyProvince,
        on_delete=models.CASCADE,
        related_name="districts",
        verbose_name=_("former province"),
    )
    name = models.CharField(_("name"), max_length=100)
    division_type = models.CharField(_("type"), max_length=40, blank=True)
    search_text = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("former district")
        verbose_name_plural = _("former districts")

    def __str__(self) -> str:
        return self.name


class LegacyWard(FoldedNameModel):
    code = models.CharField(_("code"), max_length=5, primary_key=True)
    district = models.ForeignKey(
        LegacyDistrict,
        on_delete=models.CASCADE,
        related_name="wards",
        verbose_name=_("former district"),
    )
    name = models.CharField(_("name"), max_length=100)
    division_type = models.CharField(_("type"), max_length=40, blank=True)
    new_wards = models.ManyToManyField(
        Ward,
        through="WardMapping",
        related_name="legacy_wards",
        verbose_name=_("now part of"),
    )
    search_text = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("former ward")
        verbose_name_plural = _("former wards")

    def __str__(self) -> str:
        return self.name


class WardMapping(models.Model):
    """One row of the official old → new ward conversion table (in force 1 Jul 2025).

    An old ward maps to one new ward, or — when it was split — to several.
    ``is_partial`` is the table's "partly merged" flag: only part of the old ward's
    area went into this new ward (so an address in it needs a check).
    """

    legacy_ward = models.ForeignKey(
        LegacyWard,
        on_delete=models.CASCADE,
        related_name="mappings",
        verbose_name=_("former ward"),
    )
    ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, related_name="mappings", verbose_name=_("ward")
    )
    is_partial = models.BooleanField(
        _("partly merged"),
        default=False,
        help_text=_("Only part of the former ward became part of this ward."),
    )

    class Meta:
        ordering = ["legacy_ward_id", "ward_id"]
        verbose_name = _("ward mapping")
        verbose_name_plural = _("ward mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["legacy_ward", "ward"], name="geo_wardmapping_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.legacy_ward_id} → {self.ward_id}"


class UnitsDataset(models.Model):
    """Which release of the source data is loaded; ``loaded_at`` changes whenever
    ``load_units`` writes anything, so in-memory resolver indexes know to rebuild."""

    key = models.CharField(max_length=40, primary_key=True)
    package_version = models.CharField(_("package version"), max_length=40)
    data_version = models.CharField(_("data version"), max_length=40, blank=True)
    digest = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("administrative units dataset")
        verbose_name_plural = _("administrative units datasets")

    def __str__(self) -> str:
        return f"{self.key} {self.package_version}"
