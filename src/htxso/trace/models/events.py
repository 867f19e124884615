"""Lots, EPCIS events, the lot graph and the append-only hash-chained ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager


class LotKind(models.TextChoices):
    CHERRY = "cherry", _("Coffee cherry")
    PARCHMENT = "parchment", _("Parchment coffee")
    DRIED_CHERRY = "dried_cherry", _("Dried cherry")
    GREEN = "green", _("Green coffee")
    ROASTED = "roasted", _("Roasted coffee")
    PACKAGED = "packaged", _("Packaged product")


class EventKind(models.TextChoices):
    """The critical tracking events staff record (one bizStep each)."""

    HARVEST = "harvest", _("Harvest")
    PROCESSING = "processing", _("Processing")
    DRYING = "drying", _("Drying")
    HULLING = "hulling", _("Hulling")
    ROASTING = "roasting", _("Roasting")
    PACKING = "packing", _("Packing")
    STORAGE = "storage", _("Storage")
    SHIPPING = "shipping", _("Shipping")
    RECEIVING = "receiving", _("Receiving")
    INSPECTION = "inspection", _("Inspection")
    CERTIFICATION = "certification", _("Certification")
    OTHER = "other", _("Other event")


class Lot(models.Model):
    """A quantity of one trade item with one lot code (GS1 AI 10)."""

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    #: Staff of the province and the organisation's people see it; the VCA, the
    #: province's officer and the organisation's manager change it.
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.EDITORS)

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="trace_lots",
        verbose_name=_("organisation"),
    )
    trade_item = models.ForeignKey(
        "trace.TradeItem", on_delete=models.PROTECT, related_name="lots", verbose_name=_("product")
    )
    gtin = models.CharField(max_length=14, editable=False)
    code = models.CharField(_("lot code"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=LotKind.choices)
    quantity_kg = models.DecimalField(_("quantity (kg)"), max_digits=12, decimal_places=3)
    plot = models.ForeignKey(
        "trace.Plot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="harvest_lots",
        verbose_name=_("plot"),
    )
    facility = models.ForeignKey(
        "trace.Facility", on_delete=models.PROTECT, null=True, blank=True, related_name="lots"
    )
    produced_at = models.DateTimeField(_("produced at"))
    shipped = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-produced_at", "-id"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.UniqueConstraint(fields=["gtin", "code"], name="trace_lot_gtin_code_unique"),
            models.CheckConstraint(
                condition=models.Q(quantity_kg__gte=0), name="trace_lot_quantity_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "-produced_at"], name="trace_lot_org")]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_kind_display()})"

    def save(self, *args, **kwargs):
        self.gtin = self.trade_item.gtin
        super().save(*args, **kwargs)


class LotEdge(models.Model):
    """An input lot (parent) that went into an output lot (child) in one event."""

    scope_province_path = "child__organisation__province"
    scope_organisation_path = "child__organisation"
    #: Staff of the province and the organisation's people see it; the VCA, the
    #: province's officer and the organisation's manager change it.
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.EDITORS)

    parent = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="child_edges")
    child = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="parent_edges")
    event = models.ForeignKey("trace.Event", on_delete=models.PROTECT, related_name="edges")
    quantity_kg = models.DecimalField(max_digits=12, decimal_places=3, null=True)

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="trace_lot_edge_unique"),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("child")), name="trace_lot_edge_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent_id} → {self.child_id}"


class LotPlot(models.Model):
    """Every plot that contributed to a lot through all transformations (denormalised
    when the lot is made, so the trace page and the EUDR export need one query)."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="origin_links")
    plot = models.ForeignKey("trace.Plot", on_delete=models.PROTECT, related_name="lot_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lot", "plot"], name="trace_lot_plot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.lot_id} ← {self.plot_id}"


class Event(models.Model):
    """One EPCIS event, stored with the full JSON body as captured and its event hash.

    Events are never edited: a correction is a new event with ``correction_of``.
    """

    scope_province_path = "organisation__province"
    scope_organisation_path = "organisation"
    #: Staff of the province and the organisation's people see it; the VCA, the
    #: province's officer and the organisation's manager change it.
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.EDITORS)

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="trace_events"
    )
    event_id = models.CharField(_("event ID"), max_length=200, unique=True)
    event_type = models.CharField(_("event type"), max_length=40)
    action = models.CharField(max_length=10, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    biz_step = models.CharField(_("business step"), max_length=200, blank=True)
    disposition = models.CharField(max_length=200, blank=True)
    event_time = models.DateTimeField(_("event time"))
    event_time_zone_offset = models.CharField(max_length=6, default="+07:00")
    read_point = models.CharField(max_length=200, blank=True)
    biz_location = models.CharField(max_length=200, blank=True)
    facility = models.ForeignKey(
        "trace.Facility", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    summary = models.CharField(_("note"), max_length=300, blank=True)
    certification = models.CharField(_("certification"), max_length=200, blank=True)
    flags = models.JSONField(default=list, blank=True)
    body = models.JSONField()
    event_hash = models.CharField(max_length=100)
    correction_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["event_time", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["organisation", "event_time"], name="trace_event_org")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.event_time:%d/%m/%Y}"


class EventLot(models.Model):
    """A lot an event is about: input or output of a transformation, or its object."""

    class Role(models.TextChoices):
        INPUT = "input", _("input")
        OUTPUT = "output", _("output")
        OBJECT = "object", _("object")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="lot_links")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="event_links")
    role = models.CharField(max_length=10, choices=Role.choices)
    quantity_kg = models.DecimalField(max_digits=12, decimal_places=3, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "lot", "role"], name="trace_event_lot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.role} {self.lot_id}"


class LedgerRow(models.Model):
    """One link of the append-only hash chain (never updated, never deleted)."""

    seq = models.PositiveBigIntegerField(unique=True)
    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="ledger_row")
    event_hash = models.CharField(max_length=100)
    prev_chain = models.CharField(max_length=64)
    chain = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("ledger row")
        verbose_name_plural = _("ledger rows")

    def __str__(self) -> str:
        return f"#{self.seq} {self.chain[:12]}"


class DailyRoot(models.Model):
    """The Merkle root of one day's chain hashes, published for outsiders to keep."""

    day = models.DateField(_("day"), unique=True)
    root = models.CharField(_("root hash"), max_length=64)
    count = models.PositiveIntegerField(_("events"))
    first_seq = models.PositiveBigIntegerField()
    last_seq = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily root")
        verbose_name_plural = _("daily roots")

    def __str__(self) -> str:
        return f"{self.day}: {self.root}"
