"""Anti-counterfeit stamps: batches of unguessable serials, bound to a lot, and scans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager


class StampBatch(models.Model):
    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    #: Staff of the province and the organisation's people see it; the VCA, the
    #: province's officer and the organisation's manager change it.
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.EDITORS)

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
    #: Staff of the province and the organisation's people see it; the VCA, the
    #: province's officer and the organisation's manager change it.
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.EDITORS)

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
    #: Staff of the province and the organisation's people see it; the VCA, the
    #: province's officer and the organisation's manager change it.
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.EDITORS)

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


class StampReport(models.Model):
    """A consumer's report from a stamp check that failed or warned: what happened and
    where the product was bought.  The cooperative whose barcode the package carries
    and its province see it beside the suspicious checks.  Text is stored as typed
    (plain text, escaped when shown)."""

    class Status(models.TextChoices):
        NOT_GENUINE = "not_genuine", _("not genuine")
        NOT_ACTIVE = "not_active", _("not activated")
        WARNING = "warning", _("checked many times")
        GENUINE = "genuine", _("genuine")

    scope_province_path = "province"
    scope_organisation_path = "organisation"
    #: Staff of the province and the organisation's manager see it; a cooperative
    #: member has no business with consumers' phone numbers.
    policy = Policy(view=roles.READERS, change=roles.EDITORS)

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stamp_reports",
        verbose_name=_("organisation"),
    )
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stamp_reports",
        verbose_name=_("province"),
    )
    stamp = models.ForeignKey(
        Stamp, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    gtin = models.CharField(_("barcode number (GTIN)"), max_length=14)
    serial = models.CharField(_("serial"), max_length=40)
    status = models.CharField(_("stamp check"), max_length=12, choices=Status.choices)
    what_happened = models.TextField(_("what happened"), max_length=1000)
    where_bought = models.CharField(_("where it was bought"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    network = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stamp report")
        verbose_name_plural = _("stamp reports")
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="trace_report_org"),
            models.Index(fields=["province", "-created_at"], name="trace_report_province"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["not_genuine", "not_active", "warning", "genuine"]),
                name="trace_stamp_report_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gtin}/{self.serial} @ {self.created_at:%Y-%m-%d %H:%M}"
