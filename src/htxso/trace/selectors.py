"""Every read of trace data: what the public trace page shows, lot histories as EPCIS
documents, the EUDR plots of a lot, the lists of the manager's pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from htxso.core.gtin_links import MARKET, gtin_page_url
from htxso.core.policy import allowed
from htxso.trace.epcis.documents import epcis_document
from htxso.trace.models import Event, EventLot, Lot, LotEdge, LotPlot, Plot
from htxso.trace.summaries import event_summary
from htxso.trace.vocab import HTX_NS


@dataclass
class TracePage:
    lot: Lot
    events: list[Event]
    parents: list[LotEdge]
    children: list[LotEdge]
    plots: list[Plot]
    total_area_ha: Any
    communes: list[str]
    certifications: list[Event]
    market_url: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def plot_count(self) -> int:
        return len(self.plots)

    @property
    def corrected_ids(self) -> set[int]:
        """Events that a later error declaration says are wrong."""
        return {e.correction_of_id for e in self.events if e.correction_of_id}


def lot_public_get(*, gtin: str, code: str) -> Lot | None:
    """The lot a Digital Link points to (public: no user)."""
    return (
        Lot.objects.select_related(
            "trade_item__ocop_product", "organisation__province", "organisation__ward"
        )
        .filter(gtin=gtin, code=code)
        .first()
    )


def trace_page(*, lot: Lot) -> TracePage:
    """Everything the public trace page shows, in a fixed number of queries."""
    events = list(
        Event.objects.filter(lot_links__lot=lot)
        .select_related("facility")
        .only(
            "id",
            "kind",
            "event_time",
            "event_hash",
            "certification",
            "summary",
            "flags",
            "event_id",
            "correction_of",
            "facility__name",
        )
        .distinct()
        .order_by("event_time", "id")
    )
    parents = list(
        LotEdge.objects.filter(child=lot)
        .select_related("parent__trade_item", "event")
        .order_by("parent__produced_at")
    )
    children = list(
        LotEdge.objects.filter(parent=lot)
        .select_related("child__trade_item", "event")
        .order_by("child__produced_at")
    )
    plots = [
        link.plot
        for link in LotPlot.objects.filter(lot=lot)
        .select_related("plot__ward")
        .only(
            "plot__area_ha",
            "plot__code",
            "plot__crop",
            "plot__ward__name",
            "plot__deforestation_free",
            "plot__geometry_kind",
            "lot_id",
            "plot_id",
        )
        .order_by("plot__code")
    ]
    communes = sorted({p.ward.name for p in plots})
    total = sum((p.area_ha for p in plots), start=0)
    _summaries_attach(events)
    return TracePage(
        lot=lot,
        events=events,
        parents=parents,
        children=children,
        plots=plots,
        total_area_ha=total,
        communes=communes,
        certifications=[e for e in events if e.kind in ("certification", "inspection")],
        market_url=_market_url(lot),
    )


def _summaries_attach(events: list[Event]) -> None:
    """Give each event a ``summary_text`` in the active language, rebuilt from its
    recorded quantities (one query for all events)."""
    links: dict[int, list] = {e.pk: [] for e in events}
    if links:
        rows = EventLot.objects.filter(event_id__in=list(links)).values_list(
            "event_id", "role", "quantity_kg", "lot__plot__code"
        )
        for event_id, role, kg, plot_code in rows:
            links[event_id].append((role, kg, plot_code))
    for event in events:
        event.summary_text = event_summary(event, links[event.pk])


def _market_url(lot: Lot) -> str | None:
    """The market's product page for this GTIN, when the market publishes one
    (through ``core.gtin_links``: trace never imports the market)."""
    return gtin_page_url(MARKET, lot.gtin)


def lot_events(*, lot: Lot, depth: int = 1) -> list[Event]:
    """The lot's own events plus those of its parents and children (``depth`` steps)."""
    ids = {lot.pk}
    frontier = {lot.pk}
    for _ in range(depth):
        edges = LotEdge.objects.filter(Q(child_id__in=frontier) | Q(parent_id__in=frontier))
        nxt = set()
        for parent_id, child_id in edges.values_list("parent_id", "child_id"):
            nxt |= {parent_id, child_id}
        frontier = nxt - ids
        ids |= nxt
        if not frontier:
            break
    return list(
        Event.objects.filter(lot_links__lot_id__in=ids).distinct().order_by("event_time", "id")
    )


def lot_document(*, lot: Lot, depth: int = 1) -> dict:
    """The lot's history as an EPCIS 2.0 JSON-LD document."""
    events = lot_events(lot=lot, depth=depth)
    return epcis_document(
        [e.body for e in events], creation_date=timezone.now(), context={"htx": HTX_NS}
    )


def ancestry_ids(lot: Lot) -> set[int]:
    """The lot and every lot that went into it, through all transformations."""
    ids = {lot.pk}
    frontier = {lot.pk}
    while frontier:
        parents = set(
            LotEdge.objects.filter(child_id__in=frontier).values_list("parent_id", flat=True)
        )
        frontier = parents - ids
        ids |= parents
    return ids


def eudr_sources(*, lot: Lot) -> list[tuple[Plot, dt.date | None, dt.date | None, Any]]:
    """Each plot that contributed to ``lot``, with its harvest dates and kg (walking
    all transformations back)."""
    ids = ancestry_ids(lot)
    harvests = (
        EventLot.objects.filter(lot_id__in=ids, lot__plot__isnull=False, event__kind="harvest")
        .select_related("lot__plot__ward", "lot__plot__member", "event")
        .order_by("lot__plot__code", "event__event_time")
    )
    by_plot: dict[int, list] = {}
    for link in harvests:
        plot = link.lot.plot
        day = timezone.localtime(link.event.event_time).date()
        row = by_plot.setdefault(plot.pk, [plot, day, day, 0])
        row[1], row[2] = min(row[1], day), max(row[2], day)
        row[3] += link.quantity_kg or 0
    return [tuple(r) for r in by_plot.values()]


def events_query(
    *, user, gtin: str = "", lot: str = "", kind: str = "", since=None, until=None, limit: int = 100
):
    qs = allowed(Event, user, "view").order_by("-event_time", "-id")
    if gtin:
        qs = qs.filter(lot_links__lot__gtin=gtin)
    if lot:
        qs = qs.filter(lot_links__lot__code=lot)
    if kind:
        qs = qs.filter(kind=kind)
    if since:
        qs = qs.filter(event_time__gte=since)
    if until:
        qs = qs.filter(event_time__lt=until)
    return qs.distinct()[: max(1, min(limit, 1000))]


def trace_url_for_gtin(gtin: str) -> str | None:
    """The public trace page of the newest lot of a GTIN (for other apps, e.g. the
    market's product page), or ``None`` when no lot of it is recorded."""
    from htxso.core.codes import CodeError, to_gtin14

    from .qr import lot_url

    try:
        gtin14 = to_gtin14(gtin)
    except CodeError:
        return None
    lot = (
        Lot.objects.filter(gtin=gtin14).order_by("-produced_at", "-id").only("gtin", "code").first()
    )
    return lot_url(lot) if lot is not None else None
