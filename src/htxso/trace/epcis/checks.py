"""Field-level checks behind :mod:`htxso.trace.epcis.validation` (problems, URIs, times,
EPCs, quantities, vocabularies, sensor data)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from .uris import (
    COMPONENTS,
    DISPOSITIONS,
    SENSOR_ALERTS,
    canonical_dl,
    epc_urn_to_dl,
)


@dataclass(frozen=True)
class Problem:
    """One finding: where (``path``), what (stable ``code``) and a translatable message."""

    path: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"path": self.path, "code": self.code, "message": str(self.message)}


# RFC 3986 absolute URI (what JSON schema's "format": "uri" accepts).
_URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*"
    r"(?:#(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?\Z"
)
_TIME = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:[Zz]|([+-])(\d\d):(\d\d))\Z"
)
_OFFSET = re.compile(r"[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00)\Z")
_VERSION = re.compile(r"\d+(?:\.\d+)*\Z")
_UOM = re.compile(r"[A-Z0-9]{2,3}\Z")
_HEX = re.compile(r"[A-Fa-f0-9]+\Z")
# EPC schemes without a Digital Link equivalent, accepted as they are.
_OTHER_EPC_SCHEMES = frozenset(["gid", "usdod", "adi", "bic", "imovn", "gsrn", "pgln"])
_CBV_LEGACY = re.compile(r"(urn:epcglobal:cbv|https?://ns\.gs1\.org/cbv/)")
_GS1_VOC = re.compile(r"https?://(www\.)?gs1\.org/voc/")

EVENT_TYPES = (
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
)
_COMMON = {"@context", "type", "eventTime", "recordTime", "eventTimeZoneOffset", "eventID",
           "certificationInfo", "errorDeclaration"}  # fmt: skip
_WHERE_WHY = {"bizStep", "disposition", "readPoint", "bizLocation", "bizTransactionList",
              "sourceList", "destinationList", "sensorElementList"}  # fmt: skip
_FIELDS = {
    "ObjectEvent": _COMMON | _WHERE_WHY | {"action", "epcList", "quantityList",
                                           "persistentDisposition", "ilmd"},
    "AggregationEvent": _COMMON | _WHERE_WHY | {"parentID", "childEPCs", "childQuantityList",
                                                "action"},
    "TransactionEvent": _COMMON | _WHERE_WHY | {"parentID", "epcList", "quantityList", "action"},
    "TransformationEvent": _COMMON | _WHERE_WHY | {"inputEPCList", "inputQuantityList",
                                                   "outputEPCList", "outputQuantityList",
                                                   "transformationID", "persistentDisposition",
                                                   "ilmd"},
    "AssociationEvent": _COMMON | _WHERE_WHY | {"parentID", "childEPCs", "childQuantityList",
                                                "action"},
}  # fmt: skip
_METADATA_FIELDS = {"time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData",
                    "dataProcessingMethod", "bizRules"}  # fmt: skip
_REPORT_URIS = {"deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "bizRules",
                "microorganism", "chemicalSubstance", "coordinateReferenceSystem",
                "uriValue"}  # fmt: skip
_REPORT_NUMBERS = {"value", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue"}
_REPORT_FIELDS = _REPORT_URIS | _REPORT_NUMBERS | {"type", "exception", "time", "component",
                                                   "stringValue", "booleanValue",
                                                   "hexBinaryValue", "uom"}  # fmt: skip
_DOC_FIELDS = {"@context", "id", "type", "schemaVersion", "creationDate", "instanceIdentifier",
               "sender", "receiver", "epcisHeader", "epcisBody"}  # fmt: skip
_QUERY_DOC_FIELDS = {"@context", "id", "type", "schemaVersion", "creationDate", "epcisBody"}


def is_uri(value) -> bool:
    """Whether ``value`` is a string holding an absolute URI (RFC 3986)."""
    return isinstance(value, str) and bool(_URI.match(value))


def parse_time(value) -> datetime | None:
    """An RFC 3339 date-time (offset required) as an aware datetime, else ``None``."""
    if not isinstance(value, str):
        return None
    m = _TIME.match(value)
    if not m:
        return None
    text = value.replace("z", "Z").replace("t", "T")
    if m.group(7) and len(m.group(7)) > 6:
        text = text.replace("." + m.group(7), "." + m.group(7)[:6])
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, code: str, message, **params) -> None:
        text = message % params if params else message
        self.problems.append(Problem(path, code, text))

    # ------------------------------------------------------------- primitives

    def missing(self, path: str, field: str) -> None:
        self.add(_join(path, field), "missing_field", _("Required field “%(field)s” is missing."),
                 field=field)  # fmt: skip

    def uri(self, path: str, value) -> bool:
        if not is_uri(value):
            self.add(path, "bad_uri", _("This must be an absolute URI (e.g. https://…)."))
            return False
        return True

    def time(self, path: str, value) -> datetime | None:
        moment = parse_time(value)
        if moment is None:
            self.add(path, "bad_time",
                     _("This must be a date and time in ISO 8601 with its offset, e.g. "
                       "2025-11-02T07:30:00+07:00."))  # fmt: skip
        return moment

    def number(self, path: str, value, *, minimum: float | None = None) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(path, "bad_number", _("This must be a number."))
        elif minimum is not None and value < minimum:
            self.add(path, "bad_quantity", _("A quantity cannot be negative."))

    def extension_keys(self, path: str, obj: Mapping, allowed) -> None:
        for key in obj:
            if key not in allowed and not is_uri(key):
                self.add(_join(path, key), "unknown_field",
                         _("Unknown field “%(field)s”: extensions need a namespace prefix "
                           "(prefix:name)."), field=str(key)[:60])  # fmt: skip

    def vocab(self, path: str, value, words, web_prefix: str, code: str, what) -> None:
        if isinstance(value, str) and value in words:
            return
        ok = is_uri(value) and not _CBV_LEGACY.match(value)
        if ok and value.startswith(web_prefix):
            ok = value[len(web_prefix) :] in words
        if not ok:
            self.add(path, code, _("“%(value)s” is not a valid %(what)s."),
                     value=str(value)[:80], what=what)  # fmt: skip

    def epc(self, path: str, value, *, klass: bool = False) -> None:
        if not is_uri(value):
            self.add(path, "bad_epc", _("This is not an EPC identifier (a GS1 Digital Link or "
                                        "urn:epc:… URI)."))  # fmt: skip
            return
        if value.startswith("urn:epc:"):
            scheme = value.split(":")[3] if value.count(":") >= 4 else ""
            kind = value.split(":")[2]
            ok = epc_urn_to_dl(value) is not None or (
                kind == "id" and scheme in _OTHER_EPC_SCHEMES and not klass
            )
            if kind not in ("id", "class", "idpat") or (kind == "id" and klass) or not ok:
                self.add(path, "bad_epc", _("This EPC URN is not well formed."))
        elif value.startswith(("http://", "https://")) and canonical_dl(value) is None:
            self.add(path, "bad_epc", _("This web address is not a GS1 Digital Link identifier."))

    def epc_list(self, path: str, value) -> None:
        if not isinstance(value, list):
            self.add(path, "not_list", _("This must be a list."))
            return
        seen = set()
        for i, item in enumerate(value):
            self.epc(f"{path}[{i}]", item)
            if isinstance(item, str):
                if item in seen:
                    self.add(f"{path}[{i}]", "duplicate_epc",
                             _("This identifier is listed twice."))  # fmt: skip
                seen.add(item)


def _join(path: str, field) -> str:
    return f"{path}.{field}" if path else str(field)


def _quantity_list(c: _Checker, path: str, value) -> None:
    if not isinstance(value, list):
        c.add(path, "not_list", _("This must be a list."))
        return
    for i, q in enumerate(value):
        p = f"{path}[{i}]"
        if not isinstance(q, Mapping):
            c.add(p, "not_object", _("This must be an object."))
            continue
        if "epcClass" not in q:
            c.missing(p, "epcClass")
        else:
            c.epc(_join(p, "epcClass"), q["epcClass"], klass=True)
        if "quantity" in q:
            c.number(_join(p, "quantity"), q["quantity"], minimum=0)
        if "uom" in q and not (isinstance(q["uom"], str) and _UOM.match(q["uom"])):
            c.add(_join(p, "uom"), "bad_uom",
                  _("The unit must be a UN/CEFACT code of 2–3 capitals, e.g. KGM."))  # fmt: skip
        for key in q:
            if key not in ("epcClass", "quantity", "uom"):
                c.add(_join(p, key), "unknown_field", _("Unknown field “%(field)s”."),
                      field=str(key)[:60])  # fmt: skip


def _typed_list(
    c: _Checker, path: str, value, name: str, words, prefix: str, required_type
) -> None:
    if not isinstance(value, list):
        c.add(path, "not_list", _("This must be a list."))
        return
    for i, item in enumerate(value):
        p = f"{path}[{i}]"
        if not isinstance(item, Mapping):
            c.add(p, "not_object", _("This must be an object."))
            continue
        if name not in item:
            c.missing(p, name)
        else:
            c.uri(_join(p, name), item[name])
        if "type" in item:
            c.vocab(_join(p, "type"), item["type"], words, prefix, "bad_type_value", _("type code"))
        elif required_type:
            c.missing(p, "type")
        for key in item:
            if key not in (name, "type"):
                c.add(_join(p, key), "unknown_field", _("Unknown field “%(field)s”."),
                      field=str(key)[:60])  # fmt: skip


def _location(c: _Checker, path: str, value) -> None:
    if not isinstance(value, Mapping):
        c.add(path, "not_object", _("This must be an object."))
        return
    if "id" not in value:
        c.missing(path, "id")
    else:
        c.uri(_join(path, "id"), value["id"])
    c.extension_keys(path, value, {"id"})


def _sensor_elements(c: _Checker, path: str, value) -> None:
    if not isinstance(value, list):
        c.add(path, "not_list", _("This must be a list."))
        return
    for i, element in enumerate(value):
        p = f"{path}[{i}]"
        if not isinstance(element, Mapping):
            c.add(p, "not_object", _("This must be an object."))
            continue
        c.extension_keys(p, element, {"sensorMetadata", "sensorReport"})
        meta = element.get("sensorMetadata")
        if meta is not None:
            mp = _join(p, "sensorMetadata")
            if not isinstance(meta, Mapping):
                c.add(mp, "not_object", _("This must be an object."))
            else:
                c.extension_keys(mp, meta, _METADATA_FIELDS)
                for key in ("time", "startTime", "endTime"):
                    if key in meta:
                        c.time(_join(mp, key), meta[key])
                for key in _METADATA_FIELDS - {"time", "startTime", "endTime"}:
                    if key in meta:
                        c.uri(_join(mp, key), meta[key])
        reports = element.get("sensorReport")
        rp = _join(p, "sensorReport")
        if reports is None:
            c.missing(p, "sensorReport")
        elif not isinstance(reports, list) or not reports:
            c.add(rp, "not_list", _("This must be a non-empty list."))
        else:
            for j, report in enumerate(reports):
                _sensor_report(c, f"{rp}[{j}]", report)


def _sensor_report(c: _Checker, p: str, report) -> None:
    if not isinstance(report, Mapping):
        c.add(p, "not_object", _("This must be an object."))
        return
    c.extension_keys(p, report, _REPORT_FIELDS)
    if "type" not in report:
        c.missing(p, "type")
    elif not (
        isinstance(report["type"], str)
        and (
            report["type"].isalpha()
            or (is_uri(report["type"]) and not _GS1_VOC.match(report["type"]))
        )
    ):
        c.add(_join(p, "type"), "bad_measurement_type", _("Unknown measurement type."))
    if "exception" in report:
        value = report["exception"]
        if value not in SENSOR_ALERTS and not (is_uri(value) and not _GS1_VOC.match(value)):
            c.add(_join(p, "exception"), "bad_sensor_alert", _("Unknown sensor alert."))
    if "component" in report:
        c.vocab(_join(p, "component"), report["component"], COMPONENTS,
                "https://ref.gs1.org/cbv/Comp-", "bad_component",
                _("measurement component"))  # fmt: skip
    if "time" in report:
        c.time(_join(p, "time"), report["time"])
    for key in _REPORT_URIS & report.keys():
        c.uri(_join(p, key), report[key])
    for key in _REPORT_NUMBERS & report.keys():
        c.number(_join(p, key), report[key])
    if "booleanValue" in report and not isinstance(report["booleanValue"], bool):
        c.add(_join(p, "booleanValue"), "bad_boolean", _("This must be true or false."))
    if "hexBinaryValue" in report and not (
        isinstance(report["hexBinaryValue"], str) and _HEX.match(report["hexBinaryValue"])
    ):
        c.add(_join(p, "hexBinaryValue"), "bad_hex", _("This must be hexadecimal digits."))
    for key in ("stringValue", "uom"):
        if key in report and not isinstance(report[key], str):
            c.add(_join(p, key), "bad_string", _("This must be text."))


def _persistent(c: _Checker, path: str, value) -> None:
    if not isinstance(value, Mapping) or not ({"set", "unset"} & value.keys()):
        c.add(path, "bad_persistent_disposition",
              _("A persistent disposition needs a “set” or “unset” list."))  # fmt: skip
        return
    for key, items in value.items():
        p = _join(path, key)
        if key not in ("set", "unset"):
            c.add(p, "unknown_field", _("Unknown field “%(field)s”."), field=str(key)[:60])
        elif not isinstance(items, list) or not items or len(set(map(str, items))) != len(items):
            c.add(p, "not_list", _("This must be a non-empty list without repeats."))
        else:
            for i, item in enumerate(items):
                c.vocab(f"{p}[{i}]", item, DISPOSITIONS, "https://ref.gs1.org/cbv/Disp-",
                        "bad_disposition", _("disposition status"))  # fmt: skip


def _non_empty(event: Mapping, field: str) -> bool:
    value = event.get(field)
    return isinstance(value, list) and len(value) > 0
