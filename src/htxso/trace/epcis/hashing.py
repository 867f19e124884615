"""The EPCIS event hash: ``ni:///sha-256;<hex>?ver=CBV2.0`` (CBV 2.0, section 8.9).

Our own implementation of the pre-hash canonicalisation described by GS1 (CBV 2.0 and
the algorithm description of the reference generator), pinned by the published test
vectors.  The pre-hash string concatenates, without separators, ``key=value`` pairs in
the canonical property order:

``eventType, eventTime, eventTimeZoneOffset, certificationInfo, epcList, parentID,
inputEPCList, childEPCs, quantityList, childQuantityList, inputQuantityList,
outputEPCList, outputQuantityList, action, transformationID, bizStep, disposition,
persistentDisposition, readPoint, bizLocation, sensorElementList``, then
``bizTransactionList``, ``destinationList``, ``ilmd``, ``sourceList`` and the user
extensions sorted together by their pre-hash text.  (That last part is what the reference
generator does and what its published vectors encode — e.g. ``destinationList`` before
``sourceList``, ``ilmd`` after ``bizTransactionList`` — rather than the order of its
README table; we follow the vectors so that hashes agree.)

- list children are sorted by their own pre-hash text (byte order); a list name appears
  once; items with a type attribute give ``type=…`` first (as the vectors do);
- times in UTC, millisecond precision rounded half up, ``Z``;
- numbers without trailing zeros (``452.0`` → ``452``);
- CBV values (bare words, ``urn:epcglobal:cbv:…``, CURIEs) as ``https://ref.gs1.org/cbv/…``
  URIs, sensor types and alerts as ``https://gs1.org/voc/…``;
- EPC URNs and Digital Link URIs as constrained canonical Digital Link URIs
  (:func:`htxso.trace.epcis.uris.canonical_id`);
- extensions as ``{namespace}local=value`` (nested ones concatenated under their
  parent), sorted; ``eventID``, ``recordTime``, ``errorDeclaration`` and ``rdfs:comment``
  are left out, and so are the fields a document lists in ``<prefix>:ignoreFields``.

Known, deliberate differences from the PyPI reference generator (never in the vectors):
CURIEs with the standard prefixes ``gs1:``/``cbv:`` are expanded even when the document's
own context does not define them (CBV rule 15), and a fraction of a second that rounds up
to the next second carries into the seconds (the generator raises an error).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from .uris import DEFAULT_PREFIXES, GS1_VOC, canonical_id, expand_vocabulary

__all__ = ["HASH_VERSION", "document_event_hashes", "event_hash", "prehash_string"]

HASH_VERSION = "CBV2.0"
_IGNORED = frozenset(["eventID", "recordTime", "errorDeclaration", "@context", "type"])
_IGNORED_IRIS = frozenset(["http://www.w3.org/2000/01/rdf-schema#comment"])

_ORDER = (
    "eventTime", "eventTimeZoneOffset", "certificationInfo", "epcList", "parentID",
    "inputEPCList", "childEPCs", "quantityList", "childQuantityList", "inputQuantityList",
    "outputEPCList", "outputQuantityList", "action", "transformationID", "bizStep",
    "disposition", "persistentDisposition", "readPoint", "bizLocation", "sensorElementList",
)  # fmt: skip
# Sorted together with the user extensions, after the ordered fields (see module docstring).
_TRAILING = ("bizTransactionList", "destinationList", "ilmd", "sourceList")
_STANDARD = frozenset(_ORDER) | frozenset(_TRAILING) | _IGNORED
_METADATA_ORDER = (
    "time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData",
    "dataProcessingMethod", "bizRules",
)  # fmt: skip
_REPORT_ORDER = (
    "type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod",
    "time", "microorganism", "chemicalSubstance", "value", "component", "stringValue",
    "booleanValue", "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev",
    "percRank", "percValue", "uom", "coordinateReferenceSystem",
)  # fmt: skip
_TIME_FIELDS = frozenset(["time", "startTime", "endTime"])

_TIME_RE = re.compile(
    r"\s*(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:[.,](\d+))?"
    r"(Z|z|[+-]\d\d:?\d\d)?\s*\Z"
)


@lru_cache(maxsize=8192)
def canonical_time(value: str) -> str:
    """An ISO 8601 timestamp in UTC with milliseconds rounded half up: ``…T10:00:30.142Z``."""
    m = _TIME_RE.match(value)
    if not m:
        return value.strip()
    year, month, day, hour, minute, second, frac, tz = m.groups()
    ms = 0
    if frac:
        ms = int(frac[:3].ljust(3, "0"))
        if len(frac) > 3 and frac[3] >= "5":
            ms += 1
    offset = 0
    if tz and tz not in ("Z", "z"):
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        offset = sign * (int(digits[:2]) * 60 + int(digits[2:]))
    if offset == 0 and ms < 1000:
        return f"{year}-{month}-{day}T{hour}:{minute}:{second}.{ms:03d}Z"
    moment = datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=UTC
    ) + timedelta(milliseconds=ms, minutes=-offset)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _number(value: float | int) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    return repr(value)


def _value(value) -> str:
    if isinstance(value, str):
        return canonical_id(value.strip())
    if isinstance(value, (int, float)):
        return _number(value)
    return canonical_id(str(value).strip())


class _Ctx:
    """Prefixes of the JSON-LD context in force and the fields to leave out."""

    __slots__ = ("ignored", "prefixes")

    def __init__(self, prefixes: dict[str, str], ignored: frozenset[str]) -> None:
        self.prefixes = prefixes
        self.ignored = ignored

    def key(self, key: str) -> tuple[str, str]:
        """(pre-hash name, full IRI) of an extension key."""
        prefix, sep, local = key.partition(":")
        if sep and not local.startswith("//"):
            ns = self.prefixes.get(prefix)
            if ns is not None:
                return "{" + ns + "}" + local, ns + local
        return key, key

    def curie(self, value: str) -> str:
        prefix, sep, local = value.partition(":")
        if sep and not local.startswith("//"):
            ns = self.prefixes.get(prefix)
            if ns is not None:
                return ns + local
        return value

    def vocab(self, value, kind: str) -> str:
        text = str(value).strip()
        return self.curie(expand_vocabulary(text, kind))

    def gs1_voc(self, value) -> str:
        text = str(value).strip()
        return GS1_VOC + text if ":" not in text else self.curie(text)


def _prefixes_from(context, into: dict[str, str]) -> None:
    if isinstance(context, Mapping):
        for name, iri in context.items():
            if isinstance(iri, str):
                into[name] = iri
            elif isinstance(iri, Mapping) and isinstance(iri.get("@id"), str):
                into[name] = iri["@id"]
    elif isinstance(context, list):
        for item in context:
            _prefixes_from(item, into)


def _make_ctx(event: Mapping, context, ignore_fields: Iterable[str]) -> _Ctx:
    prefixes = dict(DEFAULT_PREFIXES)
    if context is not None:
        _prefixes_from(context, prefixes)
    if "@context" in event:
        _prefixes_from(event["@context"], prefixes)
    ctx = _Ctx(prefixes, frozenset())
    ctx.ignored = _IGNORED_IRIS | frozenset(ctx.key(f)[1] for f in ignore_fields)
    return ctx


def _extension(ctx: _Ctx, key: str, value, out: list[str]) -> None:
    name, iri = ctx.key(key)
    if iri in ctx.ignored:
        return
    if isinstance(value, list):
        for item in value:
            _extension(ctx, key, item, out)
    elif isinstance(value, Mapping):
        if "@value" in value:
            out.append(name + "=" + _value(value["@value"]))
            return
        children: list[str] = []
        for k, v in value.items():
            if k != "@context":
                _extension(ctx, k, v, children)
        children.sort()
        out.append(name + "".join(children))
    elif value is not None:
        out.append(name + "=" + _value(value))


def _extension_parts(ctx: _Ctx, obj: Mapping, known) -> list[str]:
    parts: list[str] = []
    for k, v in obj.items():
        if k not in known:
            _extension(ctx, k, v, parts)
    return parts


def _extensions(ctx: _Ctx, obj: Mapping, known) -> str:
    return "".join(sorted(_extension_parts(ctx, obj, known)))


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _quantity(element: Mapping) -> str:
    text = "quantityElement"
    if "epcClass" in element:
        text += "epcClass=" + _value(element["epcClass"])
    if element.get("quantity") is not None:
        text += "quantity=" + _value(element["quantity"])
    if element.get("uom") is not None:
        text += "uom=" + str(element["uom"]).strip()
    return text


def _typed(ctx: _Ctx, item, name: str, kind: str) -> str:
    if not isinstance(item, Mapping):
        return name + "=" + _value(item)
    text = ""
    if item.get("type") is not None:
        text = "type=" + ctx.vocab(item["type"], kind)
    if item.get(name) is not None:
        text += name + "=" + _value(item[name])
    return text


def _sensor_part(ctx: _Ctx, data: Mapping, order: tuple[str, ...], report: bool) -> str:
    text = ""
    for field in order:
        value = data.get(field)
        if value is None:
            continue
        if field in _TIME_FIELDS:
            text += field + "=" + canonical_time(str(value))
        elif report and field in ("type", "exception"):
            text += field + "=" + ctx.gs1_voc(value)
        elif report and field == "component":
            text += field + "=" + ctx.vocab(value, "component")
        elif field == "uom":
            text += "uom=" + str(value).strip()
        else:
            text += field + "=" + _value(value)
    return text + _extensions(ctx, data, order)


_ELEMENT_KEYS = ("sensorMetadata", "sensorReport")


def _sensor_element(ctx: _Ctx, element: Mapping) -> str:
    text = "sensorElement"
    if isinstance(element.get("sensorMetadata"), Mapping):
        text += "sensorMetadata" + _sensor_part(
            ctx, element["sensorMetadata"], _METADATA_ORDER, False
        )
    reports = sorted(
        "sensorReport" + _sensor_part(ctx, r, _REPORT_ORDER, True)
        for r in _as_list(element.get("sensorReport"))
        if isinstance(r, Mapping)
    )
    return text + "".join(reports) + _extensions(ctx, element, _ELEMENT_KEYS)


def _location(ctx: _Ctx, name: str, loc) -> str:
    if not isinstance(loc, Mapping):
        return name + "id=" + _value(loc)
    text = name
    if loc.get("id") is not None:
        text += "id=" + _value(loc["id"])
    return text + _extensions(ctx, loc, ("id",))


def _build(event: Mapping, ctx: _Ctx) -> str:
    parts = ["eventType=" + str(event.get("type", "")).strip()]
    get = event.get
    for field in _ORDER:
        value = get(field)
        if value is None or value == [] or value == {}:
            continue
        if field == "eventTime":
            parts.append("eventTime=" + canonical_time(str(value)))
        elif field in ("eventTimeZoneOffset", "action"):
            parts.append(field + "=" + str(value).strip())
        elif field == "certificationInfo":
            parts.extend(sorted("certificationInfo=" + _value(v) for v in _as_list(value)))
        elif field in ("epcList", "inputEPCList", "childEPCs", "outputEPCList"):
            parts.append(field + "".join(sorted("epc=" + _value(v) for v in _as_list(value))))
        elif field in ("parentID", "transformationID"):
            parts.append(field + "=" + _value(value))
        elif field.endswith("QuantityList") or field == "quantityList":
            items = sorted(_quantity(q) for q in _as_list(value) if isinstance(q, Mapping))
            parts.append(field + "".join(items))
        elif field in ("bizStep", "disposition"):
            parts.append(field + "=" + ctx.vocab(value, field))
        elif field == "persistentDisposition" and isinstance(value, Mapping):
            text = field
            for sub in ("set", "unset"):
                text += "".join(
                    sorted(
                        sub + "=" + ctx.vocab(v, "disposition") for v in _as_list(value.get(sub))
                    )
                )
            parts.append(text)
        elif field in ("readPoint", "bizLocation"):
            parts.append(_location(ctx, field, value))
        elif field == "sensorElementList":
            items = sorted(
                _sensor_element(ctx, e) for e in _as_list(value) if isinstance(e, Mapping)
            )
            parts.append(field + "".join(items))
    rest = _extension_parts(ctx, event, _STANDARD)
    for field in _TRAILING:
        value = get(field)
        if value is None or value == [] or value == {}:
            continue
        if field == "bizTransactionList":
            items = sorted(
                _typed(ctx, b, "bizTransaction", "bizTransactionType") for b in _as_list(value)
            )
            rest.append(field + "".join(items))
        elif field == "ilmd":
            if isinstance(value, Mapping):
                rest.append("ilmd" + _extensions(ctx, value, ()))
        else:
            name = field[:-4]
            items = sorted(_typed(ctx, s, name, "sourceDestType") for s in _as_list(value))
            rest.append(field + "".join(items))
    rest.sort()
    parts.extend(rest)
    return "".join(parts)


def prehash_string(event: Mapping, *, context=None, ignore_fields: Iterable[str] = ()) -> str:
    """The canonical pre-hash string of one EPCIS event (a JSON-LD dict).

    ``context`` is the ``@context`` of the enclosing document (a list, dict or string, as in
    the document) so that extension prefixes such as ``example:`` expand to their
    namespace; ``ignore_fields`` lists extension fields (``prefix:name`` or full IRIs) to
    leave out.
    """
    return _build(event, _make_ctx(event, context, ignore_fields))


def event_hash(event: Mapping, *, context=None, ignore_fields: Iterable[str] = ()) -> str:
    """The EPCIS event hash ID ``ni:///sha-256;<64 hex>?ver=CBV2.0`` of one event."""
    text = _build(event, _make_ctx(event, context, ignore_fields))
    return f"ni:///sha-256;{hashlib.sha256(text.encode('utf-8')).hexdigest()}?ver={HASH_VERSION}"


def document_events(doc: Mapping) -> list:
    """The events of an EPCISDocument or EPCISQueryDocument (empty list if none)."""
    body = doc.get("epcisBody") or {}
    if "eventList" in body:
        return list(body.get("eventList") or [])
    results = (body.get("queryResults") or {}).get("resultsBody") or {}
    return list(results.get("eventList") or [])


def document_ignore_fields(doc: Mapping) -> list[str]:
    """The fields a document asks hashers to leave out (``<prefix>:ignoreFields``)."""
    fields: list[str] = []
    body = doc.get("epcisBody") or {}
    for level in (doc, body, body.get("queryResults") or {}):
        for key, value in level.items():
            if key == "ignoreFields" or key.endswith(":ignoreFields"):
                fields.extend(str(v) for v in _as_list(value))
    return fields


def document_event_hashes(doc: Mapping) -> list[str]:
    """The event hash of every event of a document, in document order."""
    context = doc.get("@context")
    ignore = document_ignore_fields(doc)
    return [event_hash(e, context=context, ignore_fields=ignore) for e in document_events(doc)]
