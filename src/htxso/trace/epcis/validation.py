"""Our own structural validation of EPCIS 2.0 JSON-LD documents and events.

It checks what the GS1 EPCIS 2.0 JSON schema checks (required fields per event type,
allowed field names, actions, vocabularies, URIs, quantities, sensor data) and a little
more that the schema cannot say: real calendar dates, well-formed EPC URNs and GS1 Digital
Link URIs in EPC lists, duplicate EPCs, negative quantities.  Every finding is a
:class:`Problem` with a path (``epcisBody.eventList[2].quantityList[0].uom``), a stable
``code`` and a translatable message; an empty list means the document is acceptable.  No
schema file is read at run time.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from .checks import (
    _DOC_FIELDS,
    _FIELDS,
    _OFFSET,
    _QUERY_DOC_FIELDS,
    _VERSION,
    EVENT_TYPES,
    Problem,
    _Checker,
    _join,
    _location,
    _non_empty,
    _persistent,
    _quantity_list,
    _sensor_elements,
    _typed_list,
    is_uri,
    parse_time,
)
from .uris import BIZ_STEPS, BIZ_TRANSACTION_TYPES, DISPOSITIONS, SOURCE_DEST_TYPES

__all__ = ["EVENT_TYPES", "Problem", "is_uri", "parse_time", "validate_document", "validate_event"]


def _what_rules(c: _Checker, path: str, event: Mapping, kind: str) -> None:
    action = event.get("action")
    if kind == "ObjectEvent":
        has = (
            isinstance(event.get("epcList"), list)
            or _non_empty(event, "quantityList")
            or (_non_empty(event, "sensorElementList") and "readPoint" in event)
        )
        if not has:
            c.add(path, "missing_what",
                  _("An ObjectEvent needs an epcList, a quantityList, or sensor data with a "
                    "readPoint."))  # fmt: skip
        if "ilmd" in event and action != "ADD":
            c.add(_join(path, "ilmd"), "ilmd_not_allowed",
                  _("Lot master data (ilmd) is only allowed when action is ADD."))  # fmt: skip
    elif kind in ("AggregationEvent", "AssociationEvent"):
        if kind == "AssociationEvent" and "parentID" not in event:
            c.missing(path, "parentID")
        if not (_non_empty(event, "childEPCs") or _non_empty(event, "childQuantityList")
                or action == "DELETE"):  # fmt: skip
            c.add(path, "missing_what",
                  _("This event needs childEPCs or a childQuantityList (unless action is "
                    "DELETE)."))  # fmt: skip
    elif kind == "TransactionEvent":
        if not _non_empty(event, "bizTransactionList"):
            c.add(_join(path, "bizTransactionList"), "missing_field",
                  _("A TransactionEvent needs at least one business transaction."))  # fmt: skip
        if not (isinstance(event.get("epcList"), list) or _non_empty(event, "quantityList")
                or action == "DELETE"):  # fmt: skip
            c.add(path, "missing_what",
                  _("A TransactionEvent needs an epcList or a quantityList."))  # fmt: skip
    elif kind == "TransformationEvent":
        inputs = _non_empty(event, "inputEPCList") or _non_empty(event, "inputQuantityList")
        outputs = _non_empty(event, "outputEPCList") or _non_empty(event, "outputQuantityList")
        if not (inputs or outputs):
            c.add(path, "missing_what",
                  _("A TransformationEvent needs inputs or outputs."))  # fmt: skip
        elif not (inputs and outputs) and "transformationID" not in event:
            c.add(path, "missing_field",
                  _("A TransformationEvent with only inputs or only outputs needs a "
                    "transformationID."))  # fmt: skip


def _check_event(c: _Checker, path: str, event) -> None:
    if not isinstance(event, Mapping):
        c.add(path, "not_object", _("An event must be a JSON object."))
        return
    kind = event.get("type")
    if kind not in EVENT_TYPES:
        if not is_uri(kind):
            c.add(_join(path, "type"), "unknown_event_type",
                  _("Unknown event type “%(type)s”."), type=str(kind)[:60])  # fmt: skip
            return
        allowed = None  # an extension event type: only the common fields are checked
    else:
        allowed = _FIELDS[kind]
    for field in ("eventTime", "eventTimeZoneOffset"):
        if field not in event:
            c.missing(path, field)
    if "eventTime" in event:
        c.time(_join(path, "eventTime"), event["eventTime"])
    if "recordTime" in event:
        c.time(_join(path, "recordTime"), event["recordTime"])
    offset = event.get("eventTimeZoneOffset")
    if offset is not None and not (isinstance(offset, str) and _OFFSET.match(offset)):
        c.add(_join(path, "eventTimeZoneOffset"), "bad_timezone_offset",
              _("The time zone offset must look like +07:00."))  # fmt: skip
    if "eventID" in event:
        c.uri(_join(path, "eventID"), event["eventID"])
    if "certificationInfo" in event:
        info = event["certificationInfo"]
        for i, item in enumerate(info if isinstance(info, list) else [info]):
            c.uri(f"{_join(path, 'certificationInfo')}[{i}]" if isinstance(info, list)
                  else _join(path, "certificationInfo"), item)  # fmt: skip
    if "errorDeclaration" in event:
        _error_declaration(c, _join(path, "errorDeclaration"), event["errorDeclaration"])
    if allowed is None:
        return
    c.extension_keys(path, event, allowed)
    if kind != "TransformationEvent":
        if "action" not in event:
            c.missing(path, "action")
        elif event["action"] not in ("ADD", "OBSERVE", "DELETE"):
            c.add(_join(path, "action"), "bad_action",
                  _("The action must be ADD, OBSERVE or DELETE."))  # fmt: skip
    for field in ("epcList", "childEPCs", "inputEPCList", "outputEPCList"):
        if field in event and field in allowed:
            c.epc_list(_join(path, field), event[field])
    for field in ("parentID",):
        if field in event and field in allowed:
            c.epc(_join(path, field), event[field])
    if "transformationID" in event and kind == "TransformationEvent":
        c.uri(_join(path, "transformationID"), event["transformationID"])
    for field in ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"):
        if field in event and field in allowed:
            _quantity_list(c, _join(path, field), event[field])
    if "bizStep" in event:
        c.vocab(_join(path, "bizStep"), event["bizStep"], BIZ_STEPS,
                "https://ref.gs1.org/cbv/BizStep-", "bad_biz_step", _("business step"))  # fmt: skip
    if "disposition" in event:
        c.vocab(_join(path, "disposition"), event["disposition"], DISPOSITIONS,
                "https://ref.gs1.org/cbv/Disp-", "bad_disposition",
                _("disposition status"))  # fmt: skip
    if "persistentDisposition" in event and "persistentDisposition" in allowed:
        _persistent(c, _join(path, "persistentDisposition"), event["persistentDisposition"])
    for field in ("readPoint", "bizLocation"):
        if field in event:
            _location(c, _join(path, field), event[field])
    if "bizTransactionList" in event:
        _typed_list(c, _join(path, "bizTransactionList"), event["bizTransactionList"],
                    "bizTransaction", BIZ_TRANSACTION_TYPES, "https://ref.gs1.org/cbv/BTT-",
                    False)  # fmt: skip
    for field, name in (("sourceList", "source"), ("destinationList", "destination")):
        if field in event:
            _typed_list(c, _join(path, field), event[field], name, SOURCE_DEST_TYPES,
                        "https://ref.gs1.org/cbv/SDT-", True)  # fmt: skip
    if "sensorElementList" in event:
        _sensor_elements(c, _join(path, "sensorElementList"), event["sensorElementList"])
    if "ilmd" in event and "ilmd" in allowed:
        if not isinstance(event["ilmd"], Mapping):
            c.add(_join(path, "ilmd"), "not_object", _("This must be an object."))
        else:
            c.extension_keys(_join(path, "ilmd"), event["ilmd"], ())
    _what_rules(c, path, event, kind)


def _error_declaration(c: _Checker, path: str, value) -> None:
    if not isinstance(value, Mapping):
        c.add(path, "not_object", _("This must be an object."))
        return
    if "declarationTime" not in value:
        c.missing(path, "declarationTime")
    else:
        c.time(_join(path, "declarationTime"), value["declarationTime"])
    ids = value.get("correctiveEventIDs")
    if ids is not None:
        if not isinstance(ids, list):
            c.add(_join(path, "correctiveEventIDs"), "not_list", _("This must be a list."))
        else:
            for i, item in enumerate(ids):
                c.uri(f"{_join(path, 'correctiveEventIDs')}[{i}]", item)
    c.extension_keys(path, value, {"declarationTime", "reason", "correctiveEventIDs"})


def validate_event(event: dict, *, path: str = "") -> list[Problem]:
    """Problems of one EPCIS 2.0 event (empty list when it is acceptable)."""
    c = _Checker()
    _check_event(c, path, event)
    return c.problems


def _context_ok(value) -> bool:
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(is_uri(i) or isinstance(i, Mapping) for i in items)


def validate_document(doc: dict) -> list[Problem]:
    """Problems of an EPCISDocument or EPCISQueryDocument (empty list when acceptable)."""
    c = _Checker()
    if not isinstance(doc, Mapping):
        c.add("", "not_object", _("An EPCIS document must be a JSON object."))
        return c.problems
    kind = doc.get("type")
    if kind not in ("EPCISDocument", "EPCISQueryDocument"):
        c.add("type", "unknown_document_type",
              _("The document type must be EPCISDocument or EPCISQueryDocument."))  # fmt: skip
        return c.problems
    query = kind == "EPCISQueryDocument"
    required = ("@context", "type", "epcisBody") if query else (
        "@context", "type", "schemaVersion", "creationDate", "epcisBody")  # fmt: skip
    for field in required:
        if field not in doc:
            c.missing("", field)
    if "@context" in doc and not _context_ok(doc["@context"]):
        c.add("@context", "bad_context", _("The JSON-LD @context is not valid."))
    if "schemaVersion" in doc and not (
        isinstance(doc["schemaVersion"], str) and _VERSION.match(doc["schemaVersion"])
    ):
        c.add("schemaVersion", "bad_schema_version",
              _("The schema version must look like “2.0”."))  # fmt: skip
    if "creationDate" in doc:
        c.time("creationDate", doc["creationDate"])
    if "id" in doc:
        c.uri("id", doc["id"])
    c.extension_keys("", doc, _QUERY_DOC_FIELDS if query else _DOC_FIELDS)
    body = doc.get("epcisBody")
    if body is None:
        return c.problems
    if not isinstance(body, Mapping):
        c.add("epcisBody", "not_object", _("This must be an object."))
        return c.problems
    if query:
        results = body.get("queryResults")
        if not isinstance(results, Mapping):
            c.missing("epcisBody", "queryResults")
            return c.problems
        if not isinstance(results.get("queryName"), str):
            c.missing("epcisBody.queryResults", "queryName")
        c.extension_keys("epcisBody.queryResults", results,
                         {"queryName", "subscriptionID", "resultsBody"})  # fmt: skip
        holder, base = results.get("resultsBody"), "epcisBody.queryResults.resultsBody"
        if not isinstance(holder, Mapping):
            c.missing("epcisBody.queryResults", "resultsBody")
            return c.problems
    else:
        holder, base = body, "epcisBody"
    events = holder.get("eventList")
    if events is None:
        c.missing(base, "eventList")
    elif not isinstance(events, list):
        c.add(_join(base, "eventList"), "not_list", _("This must be a list."))
    else:
        for i, event in enumerate(events):
            _check_event(c, f"{base}.eventList[{i}]", event)
    return c.problems
