"""EUDR geolocation export (Regulation (EU) 2023/1115): the GeoJSON an exporter uploads
with a due-diligence statement, and the list of what would block that statement.

Format rules (EU Information System / TRACES GeoJSON guidance): one ``FeatureCollection``;
WGS84 ``[longitude, latitude]`` with at least 6 decimals; a plot of more than 4 ha needs a
polygon (a point is enough up to 4 ha); closed rings; properties ``ProducerName``,
``ProducerCountry`` (ISO 3166-1 alpha-2), ``ProductionPlace`` and ``Area`` (ha); at most
25 MB per statement.  We add the production period, the quantity (kg) and HS code, and the
deforestation-free declaration (cut-off date 31 December 2020) with its evidence.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .epcis.validation import Problem
from .geometry import in_vietnam

__all__ = [
    "CUTOFF_DATE",
    "MAX_BYTES",
    "POINT_MAX_HA",
    "EudrPlot",
    "feature_collection",
    "problems",
    "serialise",
]

CUTOFF_DATE = date(2020, 12, 31)
POINT_MAX_HA = Decimal(4)
MAX_BYTES = 25 * 1024 * 1024
MIN_DECIMALS = 6
_COUNTRY = re.compile(r"[A-Z]{2}\Z")


@dataclass
class EudrPlot:
    """One plot that contributed to a lot, as the EUDR file needs it."""

    plot_id: str
    producer_name: str
    producer_country: str
    production_place: str
    area_ha: Decimal | None
    geojson: dict | None
    production_start: date | None
    production_end: date | None
    quantity_kg: Decimal | None
    deforestation_free: bool | None
    evidence: list[str] = field(default_factory=list)


def _number(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _evidence(value) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def feature_collection(plots: Iterable[EudrPlot], *, hs_code: str = "0901") -> dict:
    """The GeoJSON ``FeatureCollection`` of ``plots`` (plots without geometry are listed
    with ``"geometry": null`` so that :func:`problems` and readers see them)."""
    features = []
    for plot in plots:
        properties = {
            "PlotID": plot.plot_id,
            "ProducerName": plot.producer_name,
            "ProducerCountry": plot.producer_country,
            "ProductionPlace": plot.production_place,
            "Area": _number(plot.area_ha),
            "HSCode": hs_code,
            "ProductionStartDate": plot.production_start.isoformat()
            if plot.production_start
            else None,
            "ProductionEndDate": plot.production_end.isoformat() if plot.production_end else None,
            "Quantity": _number(plot.quantity_kg),
            "QuantityUnit": "KGM",
            "DeforestationFree": plot.deforestation_free,
            "DeforestationCutOffDate": CUTOFF_DATE.isoformat(),
            "Evidence": _evidence(plot.evidence),
        }
        features.append({"type": "Feature", "geometry": plot.geojson, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def _coord_text(value) -> str:
    """Coordinates as JSON text, every number with 6 decimals (≈ 0.1 m), altitude dropped."""
    if not value:
        return "[]"
    first = value[0]
    if isinstance(first, (int, float)):
        return f"[{value[0]:.6f},{value[1]:.6f}]"
    if isinstance(first, (list, tuple)) and first and isinstance(first[0], (int, float)):
        return "[" + ",".join([f"[{p[0]:.6f},{p[1]:.6f}]" for p in value]) + "]"
    return "[" + ",".join(_coord_text(v) for v in value) + "]"


def serialise(fc: dict) -> bytes:
    """Compact UTF-8 JSON (``ensure_ascii=False``) with every coordinate written with 6
    decimals (``108.050000``), as the EU system asks."""
    token = uuid.uuid4().hex
    rendered: list[str] = []

    def swap(obj):
        if isinstance(obj, dict):
            out = {}
            for key, value in obj.items():
                if key == "coordinates" and isinstance(value, list):
                    out[key] = f"{token}:{len(rendered)}"
                    rendered.append(_coord_text(value))
                else:
                    out[key] = swap(value)
            return out
        if isinstance(obj, list):
            return [swap(v) for v in obj]
        if isinstance(obj, Decimal):
            return _number(obj)
        return obj

    text = json.dumps(swap(fc), ensure_ascii=False, separators=(",", ":"))
    text = re.sub(f'"{token}:([0-9]+)"', lambda m: rendered[int(m.group(1))], text)
    return text.encode("utf-8")


def _decimals(x: float) -> int:
    """How many decimals ``x`` carries (its shortest repr), e.g. 108.05 → 2."""
    text = repr(float(x))
    if "e" in text or "E" in text:
        mantissa, _e, exp = text.lower().partition("e")
        frac = mantissa.split(".")[1] if "." in mantissa else ""
        return max(0, len(frac.rstrip("0")) - int(exp))
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def _positions(geometry: dict) -> list:
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        return [coords]
    if kind == "Polygon":
        return [p for ring in coords for p in ring]
    if kind == "MultiPolygon":
        return [p for poly in coords for ring in poly for p in ring]
    return []


def _rings(geometry: dict) -> list:
    if geometry.get("type") == "Polygon":
        return list(geometry.get("coordinates") or [])
    if geometry.get("type") == "MultiPolygon":
        return [ring for poly in geometry.get("coordinates") or [] for ring in poly]
    return []


def _plot_problems(plot: EudrPlot) -> list[Problem]:
    out: list[Problem] = []
    pid = str(plot.plot_id)

    def add(part: str, code: str, message, **params) -> None:
        out.append(Problem(f"{pid}.{part}", code, message % params if params else message))

    if not (plot.producer_name or "").strip():
        add("ProducerName", "missing_producer", _("The producer's name is missing."))
    if not _COUNTRY.match(plot.producer_country or ""):
        add("ProducerCountry", "bad_country",
            _("The producer's country must be a two-letter ISO code such as VN."))  # fmt: skip
    if not (plot.production_place or "").strip():
        add("ProductionPlace", "missing_place", _("The place of production is missing."))
    geometry = plot.geojson
    if not isinstance(geometry, dict) or not geometry.get("coordinates"):
        add("geometry", "missing_geometry", _("The plot has no geolocation (point or polygon)."))
    elif geometry.get("type") not in ("Point", "Polygon", "MultiPolygon"):
        add("geometry", "bad_geometry_type", _("The geolocation must be a point or a polygon."))
    else:
        if geometry["type"] == "Point":
            if plot.area_ha is None:
                add("Area", "missing_area",
                    _("The area is missing: a point is only accepted for plots of 4 ha or "
                      "less."))  # fmt: skip
            elif plot.area_ha > POINT_MAX_HA:
                add("geometry", "point_over_4ha",
                    _("The plot measures %(area)s ha: plots over 4 ha need a polygon, not a "
                      "point."), area=f"{plot.area_ha}")  # fmt: skip
        for ring in _rings(geometry):
            if len(ring) < 4 or ring[0] != ring[-1]:
                add("geometry", "open_ring",
                    _("A polygon ring is open or has fewer than 4 positions."))  # fmt: skip
                break
        positions = _positions(geometry)
        try:
            numbers = [float(c) for p in positions for c in p[:2]]
        except (TypeError, ValueError, IndexError):
            numbers = []
            add("geometry", "bad_coordinates", _("The coordinates of the plot are not numbers."))
        if numbers and not any(_decimals(x) >= MIN_DECIMALS for x in numbers):
            add("geometry", "low_precision",
                _("The coordinates have fewer than 6 decimals: measure the plot again with "
                  "GPS (6 decimals ≈ 10 cm)."))  # fmt: skip
        if (
            numbers
            and plot.producer_country == "VN"
            and not all(in_vietnam(float(p[0]), float(p[1])) for p in positions)
        ):
            add("geometry", "outside_country",
                _("The plot is not in Vietnam: check that longitude comes before "
                  "latitude."))  # fmt: skip
    if plot.area_ha is not None and plot.area_ha <= 0:
        add("Area", "bad_area", _("The area must be more than 0 ha."))
    if plot.production_start is None or plot.production_end is None:
        add("ProductionStartDate", "missing_production_date",
            _("The production period (start and end dates) is missing."))  # fmt: skip
    elif plot.production_end < plot.production_start:
        add("ProductionEndDate", "bad_production_dates",
            _("The production end date is before its start date."))  # fmt: skip
    if plot.quantity_kg is None or plot.quantity_kg <= 0:
        add("Quantity", "missing_quantity", _("The quantity (kg) from this plot is missing."))
    if plot.deforestation_free is None:
        add("DeforestationFree", "missing_declaration",
            _("The deforestation-free declaration (no deforestation after 31 Dec 2020) is "
              "missing."))  # fmt: skip
    elif plot.deforestation_free is False:
        add("DeforestationFree", "not_deforestation_free",
            _("The plot is declared NOT deforestation-free: its coffee cannot be placed on "
              "the EU market."))  # fmt: skip
    elif not _evidence(plot.evidence):
        add("Evidence", "missing_evidence",
            _("The deforestation-free declaration has no evidence (e.g. a satellite map "
              "check or a land-use certificate)."))  # fmt: skip
    return out


def problems(plots: Iterable[EudrPlot], *, hs_code: str = "0901") -> list[Problem]:
    """Everything that blocks a due-diligence statement for these plots (empty = ready)."""
    plots = list(plots)
    found: list[Problem] = []
    if not plots:
        found.append(Problem("", "no_plots", _("No plot contributed to this lot.")))
        return found
    seen: set[str] = set()
    for plot in plots:
        if plot.plot_id in seen:
            found.append(Problem(str(plot.plot_id), "duplicate_plot",
                                 _("This plot is listed twice.")))  # fmt: skip
        seen.add(plot.plot_id)
        found.extend(_plot_problems(plot))
    size = len(serialise(feature_collection(plots, hs_code=hs_code)))
    if size > MAX_BYTES:
        found.append(Problem("", "file_too_large",
                             _("The file is %(mb)s MB; a statement accepts at most 25 MB: split "
                               "the shipment.") % {"mb": f"{size / 1048576:.1f}"}))  # fmt: skip
    return found
