"""The EUDR geolocation file of a lot: every plot that contributed through all
transformations, as a GeoJSON FeatureCollection, and the report of what blocks a
due-diligence statement."""

from __future__ import annotations

from dataclasses import dataclass

from htxso.trace.eudr import EudrPlot, feature_collection, problems, serialise
from htxso.trace.models import Lot

from . import selectors


@dataclass
class EudrExport:
    lot: Lot
    plots: list[EudrPlot]
    collection: dict
    problems: list
    size_bytes: int
    body: bytes  # the file as sent (every coordinate with 6 decimals)

    @property
    def ready(self) -> bool:
        return not self.problems


def _evidence(plot) -> str:
    return plot.deforestation_evidence or ""


def lot_eudr(*, lot: Lot) -> EudrExport:
    rows = selectors.eudr_sources(lot=lot)
    plots = [
        EudrPlot(
            plot_id=plot.code,
            producer_name=plot.producer_name or (plot.member.full_name if plot.member else ""),
            producer_country="VN",
            production_place=f"{plot.ward.name}, {lot.organisation.province.name}",
            area_ha=plot.area_ha,
            geojson=plot.geometry,
            production_start=start,
            production_end=end,
            quantity_kg=kg,
            deforestation_free=plot.deforestation_free,
            evidence=_evidence(plot),
        )
        for plot, start, end, kg in rows
    ]
    collection = feature_collection(plots)
    body = serialise(collection)
    return EudrExport(lot, plots, collection, problems(plots), len(body), body)
