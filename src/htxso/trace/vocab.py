"""Our EPCIS vocabulary: bizSteps and dispositions per critical tracking event, and
the namespace of our own extension fields (``htx:``)."""

from __future__ import annotations

#: Namespace of HTX Số's own EPCIS extension fields and business steps.
HTX_NS = "https://htxso.vn/epcis/"
CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"htx": HTX_NS}]

#: kind → (EPCIS event type, action, bizStep, disposition).  CBV has no harvesting,
#: drying, hulling or roasting step: those are our own URIs (allowed by EPCIS 2.0).
STEPS: dict[str, tuple[str, str | None, str, str]] = {
    "harvest": ("ObjectEvent", "ADD", "commissioning", "active"),
    "processing": ("TransformationEvent", None, f"{HTX_NS}bizstep/processing", "in_progress"),
    "drying": ("TransformationEvent", None, f"{HTX_NS}bizstep/drying", "in_progress"),
    "hulling": ("TransformationEvent", None, f"{HTX_NS}bizstep/hulling", "in_progress"),
    "roasting": ("TransformationEvent", None, f"{HTX_NS}bizstep/roasting", "in_progress"),
    "packing": ("TransformationEvent", None, "packing", "active"),
    "storage": ("ObjectEvent", "OBSERVE", "storing", "in_progress"),
    "shipping": ("ObjectEvent", "OBSERVE", "shipping", "in_transit"),
    "receiving": ("ObjectEvent", "OBSERVE", "receiving", "in_progress"),
    "inspection": ("ObjectEvent", "OBSERVE", "inspecting", "active"),
    "certification": ("ObjectEvent", "OBSERVE", "inspecting", "active"),
}

#: The transformations staff pick from, in the order of the coffee chain.
TRANSFORMATIONS = ["processing", "drying", "hulling", "roasting", "packing"]
OBSERVATIONS = ["storage", "shipping", "receiving", "inspection", "certification"]

#: Expected output/input mass ratio per transformation (min, max); outside → flagged.
YIELD_RANGES: dict[str, tuple[float, float]] = {
    "processing": (0.15, 0.60),  # cherry → parchment / dried cherry (wet basis)
    "drying": (0.40, 1.0),
    "hulling": (0.40, 0.90),  # parchment / dried cherry → green
    "roasting": (0.75, 0.92),
    "packing": (0.95, 1.0),
}
#: Packing may not create mass: outputs ≤ inputs × (1 + tolerance).
MASS_TOLERANCE = 0.02

#: Output lot kind of each transformation.
OUTPUT_KIND = {
    "processing": "parchment",
    "drying": "parchment",
    "hulling": "green",
    "roasting": "roasted",
    "packing": "packaged",
}

#: bizStep (short or full URI) → our kind, for captured events.
KIND_OF_STEP = {
    "commissioning": "harvest",
    "storing": "storage",
    "shipping": "shipping",
    "departing": "shipping",
    "receiving": "receiving",
    "arriving": "receiving",
    "inspecting": "inspection",
    "packing": "packing",
    **{f"{HTX_NS}bizstep/{k}": k for k in ("processing", "drying", "hulling", "roasting")},
}


def short_step(value: str) -> str:
    """``urn:epcglobal:cbv:bizstep:shipping`` / ``https://ref.gs1.org/cbv/BizStep-shipping``
    → ``shipping``; other URIs unchanged."""
    for prefix in (
        "urn:epcglobal:cbv:bizstep:",
        "https://ref.gs1.org/cbv/BizStep-",
        "urn:epcglobal:cbv:disp:",
        "https://ref.gs1.org/cbv/Disp-",
    ):
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value
