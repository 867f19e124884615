"""Anti-counterfeit stamps: batches of unguessable serials, bound to a lot, and scans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from htxso.core.scoping import ScopedManager


class StampBatch(models.Model):
    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="stamp_batches"
    )
    trade_item = models.ForeignKey(
        "trace.TradeItem",
        on_delete=models.PROTECT,
        related_name="stamp_batches",
        verbose_name=_("product"),
    )
    quantity = models.PositiveIntegerField(_("number of stamps"))
    lot = models.ForeignKey(
        "trace.Lot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stamp_batches",
        verbose_name=_("lot"),
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stamp batch")
        verbose_name_plural = _("stamp batches")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1) & models.Q(quantity__lte=10000),
                name="trace_stamp_batch_quantity",
            ),
            models.CheckConstraint(
                condition=models.Q(activated_at__isnull=True) | models.Q(lot__isnull=False),
                name="trace_stamp_batch_active_has_lot",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.quantity}"


class Stamp(models.Model):
    scope_province_path = "batch__organisation__province"
    scope_organisation_path = "batch__organisation"

    batch = models.ForeignKey(StampBatch, on_delete=models.PROTECT, related_name="stamps")
    serial = models.CharField(max_length=40, unique=True)
    scan_count = models.PositiveIntegerField(default=0)
    first_scanned_at = models.DateTimeField(null=True, blank=True)
    last_scanned_at = models.DateTimeField(null=True, blank=True)
    suspicious = models.BooleanField(default=False)

    objects = ScopedManager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.serial


class StampScan(models.Model):
    """One check of a stamp by a consumer (rough place only: rounded coordinates the
    consumer agreed to share, or nothing)."""

    scope_province_path = "stamp__batch__organisation__province"
    scope_organisation_path = "stamp__batch__organisation"

    stamp = models.ForeignKey(Stamp, on_delete=models.CASCADE, related_name="scans")
    scanned_at = models.DateTimeField(auto_now_add=True)
    lat = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    lon = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    network = models.CharField(max_length=64, blank=True)
    suspicious = models.BooleanField(default=False)
    reason = models.CharField(max_length=40, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-scanned_at", "-id"]
        indexes = [models.Index(fields=["suspicious", "-scanned_at"], name="trace_scan_susp")]

    def __str__(self) -> str:
        return f"{self.stamp_id} @ {self.scanned_at:%Y-%m-%d %H:%M}"
