"""EPCIS validation: our validator against the official JSON schema (format checking on).

Every official example passes both; every broken document fails both, ours with the
expected stable code; a few things only we refuse (the schema cannot say them)."""

from __future__ import annotations

import copy
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from htxso.trace.epcis.documents import epcis_document, location_epc, lot_epc, query_document
from htxso.trace.epcis.validation import Problem, validate_document, validate_event

REFERENCE = Path(
    os.environ.get(
        "HTXSO_REFERENCE_DIR", Path(__file__).resolve().parents[3] / "shared" / "reference"
    )
)
SCHEMA_PATH = REFERENCE / "epcis" / "EPCIS-JSON-Schema.json"
EXAMPLES = sorted((REFERENCE / "epcis" / "examples").glob("*.jsonld")) + sorted(
    (REFERENCE / "epcis-hash").glob("*.jsonld")
)
needs_reference = pytest.mark.skipif(not SCHEMA_PATH.exists(), reason="reference not present")


@pytest.fixture(scope="module")
def schema_errors():
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("rfc3987")  # without it "format": "uri" is silently not checked
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    assert not validator.is_valid({"type": "ObjectEvent", "bizStep": "not a uri"})

    def errors(doc):
        return [e.message for e in validator.iter_errors(doc)]

    return errors


@needs_reference
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_official_examples_pass_both(path, schema_errors):
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert schema_errors(doc) == []
    assert validate_document(doc) == []


GTIN = "08930000000019"
GLN = "8930000000019"
NOW = datetime(2025, 11, 2, 0, 30, tzinfo=UTC)


def harvest_event() -> dict:
    return {
        "type": "ObjectEvent",
        "eventTime": "2025-11-02T07:30:00.000+07:00",
        "eventTimeZoneOffset": "+07:00",
        "eventID": "urn:uuid:0b9e6d2a-5f0e-4c55-9d43-2f6a1b0c9e11",
        "epcList": [],
        "quantityList": [
            {"epcClass": lot_epc(GTIN, "DL-2025-0001"), "quantity": 1250.5, "uom": "KGM"}
        ],
        "action": "ADD",
        "bizStep": "commissioning",
        "disposition": "active",
        "readPoint": {"id": location_epc(GLN)},
        "bizLocation": {"id": location_epc(GLN)},
        "sourceList": [{"type": "owning_party", "source": "https://id.gs1.org/417/" + GLN}],
        "ilmd": {"htx:harvestDate": "2025-11-01", "htx:plot": ["P-01", "P-02"]},
        "certificationInfo": "https://htxso.example.vn/chung-nhan/4C-123",
    }


def transform_event() -> dict:
    return {
        "type": "TransformationEvent",
        "eventTime": "2025-11-05T10:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "inputQuantityList": [
            {"epcClass": lot_epc(GTIN, "DL-2025-0001"), "quantity": 1000, "uom": "KGM"}
        ],
        "outputQuantityList": [
            {"epcClass": lot_epc(GTIN, "GB-2025-0001"), "quantity": 190, "uom": "KGM"}
        ],
        "bizStep": "https://ns.htxso.vn/bizstep/wet_processing",
        "readPoint": {"id": location_epc(GLN)},
    }


def shipping_event() -> dict:
    return {
        "type": "ObjectEvent",
        "eventTime": "2025-11-10T08:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "epcList": [
            "https://id.gs1.org/01/" + GTIN + "/21/A7K2M9Q4X8",
            "urn:epc:id:sscc:893000.00000000001",
        ],
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "in_transit",
        "readPoint": {"id": location_epc(GLN)},
        "bizTransactionList": [
            {"type": "inv", "bizTransaction": "urn:epcglobal:cbv:bt:8930000000019:HD-1"}
        ],
        "destinationList": [
            {"type": "owning_party", "destination": "https://id.gs1.org/417/" + GLN}
        ],
        "sensorElementList": [
            {
                "sensorMetadata": {"time": "2025-11-10T08:00:00+07:00"},
                "sensorReport": [{"type": "Temperature", "value": 26.5, "uom": "CEL"}],
            }
        ],
    }


CONTEXT = {"htx": "https://ns.htxso.vn/epcis/"}


def good_document() -> dict:
    events = [harvest_event(), transform_event(), shipping_event()]
    return epcis_document(events, creation_date=NOW, context=CONTEXT)


@needs_reference
def test_our_documents_pass_both(schema_errors):
    doc = good_document()
    assert doc["@context"][0] == "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
    assert doc["schemaVersion"] == "2.0"
    assert doc["creationDate"] == "2025-11-02T00:30:00.000+00:00"
    assert schema_errors(doc) == []
    assert validate_document(doc) == []
    query = query_document(
        doc["epcisBody"]["eventList"], creation_date=NOW, context=CONTEXT, subscription_id="s1"
    )
    assert schema_errors(query) == []
    assert validate_document(query) == []


def _event(doc, i=0):
    return doc["epcisBody"]["eventList"][i]


def _mutations():
    """(name, mutate(doc), expected code) — each breaks the official schema too."""

    def m(fn):
        def apply():
            doc = good_document()
            fn(doc)
            return doc

        return apply

    yield "doc type", m(lambda d: d.update(type="EPCISDoc")), "unknown_document_type"
    yield "no creationDate", m(lambda d: d.pop("creationDate")), "missing_field"
    yield "schemaVersion", m(lambda d: d.update(schemaVersion="two")), "bad_schema_version"
    yield "eventList object", m(lambda d: d["epcisBody"].update(eventList={})), "not_list"
    yield "unknown doc field", m(lambda d: d.update(author="x y")), "unknown_field"
    yield "no offset", m(lambda d: _event(d).pop("eventTimeZoneOffset")), "missing_field"
    yield (
        "offset",
        m(lambda d: _event(d).update(eventTimeZoneOffset="+7:00")),
        "bad_timezone_offset",
    )
    yield "no eventTime", m(lambda d: _event(d).pop("eventTime")), "missing_field"
    yield "action", m(lambda d: _event(d).update(action="UPDATE")), "bad_action"
    yield "no action", m(lambda d: _event(d, 2).pop("action")), "missing_field"
    yield "bizStep word", m(lambda d: _event(d).update(bizStep="harvesting")), "bad_biz_step"
    yield (
        "bizStep urn",
        m(lambda d: _event(d).update(bizStep="urn:epcglobal:cbv:bizstep:shipping")),
        "bad_biz_step",
    )
    yield "disposition", m(lambda d: _event(d).update(disposition="in transit")), "bad_disposition"
    yield "uom", m(lambda d: _event(d)["quantityList"][0].update(uom="kg")), "bad_uom"
    yield (
        "quantity text",
        m(lambda d: _event(d)["quantityList"][0].update(quantity="5")),
        "bad_number",
    )
    yield "no epcClass", m(lambda d: _event(d)["quantityList"][0].pop("epcClass")), "missing_field"
    yield (
        "extra quantity field",
        m(lambda d: _event(d)["quantityList"][0].update(unit="KGM")),
        "unknown_field",
    )
    yield "epc not uri", m(lambda d: _event(d, 2)["epcList"].append("lô 1")), "bad_epc"
    yield (
        "duplicate epc",
        m(lambda d: _event(d, 2)["epcList"].append(_event(d, 2)["epcList"][0])),
        "duplicate_epc",
    )
    yield "readPoint id", m(lambda d: _event(d).update(readPoint={})), "missing_field"
    yield "source type", m(lambda d: _event(d)["sourceList"][0].pop("type")), "missing_field"
    yield (
        "source type value",
        m(lambda d: _event(d)["sourceList"][0].update(type="owner")),
        "bad_type_value",
    )
    yield (
        "bizTransaction extra",
        m(lambda d: _event(d, 2)["bizTransactionList"][0].update(note="x")),
        "unknown_field",
    )
    yield "event field", m(lambda d: _event(d).update(harvestKg=5)), "unknown_field"
    yield (
        "transaction without bizTransactionList",
        m(lambda d: _event(d, 2).update(type="TransactionEvent", bizTransactionList=[])),
        "missing_field",
    )
    yield "transformation action", m(lambda d: _event(d, 1).update(action="ADD")), "unknown_field"
    yield "ilmd on OBSERVE", m(lambda d: _event(d).update(action="OBSERVE")), "ilmd_not_allowed"
    yield (
        "aggregation without children",
        m(lambda d: d["epcisBody"]["eventList"].__setitem__(0, {
            "type": "AggregationEvent", "eventTime": "2025-11-02T07:30:00+07:00",
            "eventTimeZoneOffset": "+07:00", "action": "ADD",
            "parentID": "urn:epc:id:sscc:893000.00000000001"})),
        "missing_what",
    )  # fmt: skip
    yield (
        "object without what",
        m(lambda d: [_event(d).pop(k) for k in ("epcList", "quantityList")]),
        "missing_what",
    )
    yield (
        "transformation without io",
        m(lambda d: [_event(d, 1).pop(k) for k in ("inputQuantityList", "outputQuantityList")]),
        "missing_what",
    )
    yield (
        "sensor type missing",
        m(lambda d: _event(d, 2)["sensorElementList"][0]["sensorReport"][0].pop("type")),
        "missing_field",
    )
    yield (
        "sensor boolean",
        m(
            lambda d: _event(d, 2)["sensorElementList"][0]["sensorReport"][0].update(
                booleanValue="yes"
            )
        ),
        "bad_boolean",
    )
    yield (
        "sensor hex",
        m(
            lambda d: _event(d, 2)["sensorElementList"][0]["sensorReport"][0].update(
                hexBinaryValue="XYZ"
            )
        ),
        "bad_hex",
    )
    yield (
        "certificationInfo",
        m(lambda d: _event(d).update(certificationInfo="chứng nhận 4C")),
        "bad_uri",
    )
    yield (
        "persistentDisposition",
        m(lambda d: _event(d).update(persistentDisposition={})),
        "bad_persistent_disposition",
    )
    yield (
        "unknown event type",
        m(lambda d: _event(d).update(type="HarvestEvent")),
        "unknown_event_type",
    )


MUTATIONS = list(_mutations())


@needs_reference
@pytest.mark.parametrize(("name", "make", "code"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_broken_documents_fail_both(name, make, code, schema_errors):
    doc = make()
    assert schema_errors(doc), f"the official schema accepts {name!r}"
    problems = validate_document(doc)
    assert code in {p.code for p in problems}, problems
    for p in problems:
        assert isinstance(p, Problem) and str(p.message) and p.code


def test_query_document_without_query_name():
    doc = query_document([harvest_event()], creation_date=NOW, context=CONTEXT)
    del doc["epcisBody"]["queryResults"]["queryName"]
    assert [p.code for p in validate_document(doc)] == ["missing_field"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"eventTime": "yesterday"}, "bad_time"),
        ({"eventTime": "2025-02-30T07:30:00+07:00"}, "bad_time"),
        ({"eventTime": "2025-11-02T07:30:00"}, "bad_time"),  # no offset
        (
            {"quantityList": [{"epcClass": lot_epc(GTIN, "A"), "quantity": -5, "uom": "KGM"}]},
            "bad_quantity",
        ),
        ({"quantityList": [{"epcClass": "urn:epc:class:lgtin:893.1.A", "quantity": 1}]}, "bad_epc"),
        ({"epcList": ["https://example.com/products/coffee"]}, "bad_epc"),
        ({"epcList": ["urn:epc:id:sgtin:0614141.81234.1"]}, "bad_epc"),
        ({"bizStep": "https://ref.gs1.org/cbv/BizStep-harvesting"}, "bad_biz_step"),
    ],
)
def test_stricter_than_the_schema(change, code):
    event = dict(harvest_event(), **change)
    assert code in {p.code for p in validate_event(event)}


def test_paths_point_at_the_field():
    doc = good_document()
    doc["epcisBody"]["eventList"][1]["outputQuantityList"][0]["uom"] = "kg"
    (problem,) = validate_document(doc)
    assert problem.path == "epcisBody.eventList[1].outputQuantityList[0].uom"
    assert problem.as_dict()["code"] == "bad_uom"


def test_garbage_never_raises():
    junks = [
        None,
        [],
        "x",
        5,
        {"type": "EPCISDocument", "epcisBody": []},
        {"type": "EPCISDocument", "epcisBody": {"eventList": [None, 1, "x", {}]}},
    ]
    for junk in junks:
        assert validate_document(junk)  # a list of problems, no exception
    assert validate_event(copy.deepcopy({"type": 5}))
