"""The capture and query API: official examples import, exports validate against the
official JSON schema (URI formats checked), bad documents get stable codes."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone
from jsonschema import Draft7Validator, FormatChecker

from htxso.trace.models import Event, LedgerRow

from .helpers import make_chain

pytestmark = pytest.mark.django_db

REFERENCE = Path("/work/shared/reference/epcis")
if not REFERENCE.exists():  # CI checkouts keep the reference beside the repository
    REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "epcis"
EXAMPLES = sorted((REFERENCE / "examples").glob("*.jsonld")) if REFERENCE.exists() else []
needs_reference = pytest.mark.skipif(not EXAMPLES, reason="EPCIS reference material not found")


def schema_validator():
    schema = json.loads((REFERENCE / "EPCIS-JSON-Schema.json").read_text())
    checker = FormatChecker()
    assert "uri" in checker.checkers, "rfc3987 must be installed so URIs are checked"
    return Draft7Validator(schema, format_checker=checker)


def _post(client, doc, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(
        f"/api/v1/trace/capture{'?' + query if query else ''}",
        data=json.dumps(doc) if not isinstance(doc, bytes | str) else doc,
        content_type="application/ld+json",
    )


@needs_reference
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_official_examples_import(client, world, path):
    client.force_login(world.users["manager_a1"])
    doc = json.loads(path.read_text())
    response = _post(client, doc)
    assert response.status_code == 200, response.json()
    n = len(doc["epcisBody"]["eventList"])
    assert response.json()["captured"] == n
    assert Event.objects.count() == n == LedgerRow.objects.count()
    # sending the same document again stores nothing new (idempotent on eventID)
    again = _post(client, doc).json()
    assert again["captured"] == 0 and again["duplicates"] == n
    assert Event.objects.count() == n


@needs_reference
def test_lot_history_export_validates_against_official_schema(client, world):
    c = make_chain(world.orgs["a1"])
    client.force_login(world.users["manager_a1"])
    response = client.get(f"/api/v1/trace/lots/{c.parchment.pk}/epcis")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    doc = response.json()
    errors = sorted(schema_validator().iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    kinds = [e["htx:kind"] for e in doc["epcisBody"]["eventList"]]
    # one step back (harvests) and forward (hulling) around the parchment lot
    assert kinds.count("harvest") == 2 and "processing" in kinds and "hulling" in kinds


@needs_reference
def test_a_bad_bizstep_fails_the_official_schema_and_our_validation(client, world):
    c = make_chain(world.orgs["a1"])
    client.force_login(world.users["manager_a1"])
    doc = client.get(f"/api/v1/trace/lots/{c.parchment.pk}/epcis").json()
    bad = copy.deepcopy(doc)
    bad["epcisBody"]["eventList"][0]["bizStep"] = "not a uri"
    assert list(schema_validator().iter_errors(bad))
    response = _post(client, bad)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "epcis_invalid"
    assert any("bizStep" in p["path"] for p in body["details"])


def test_capture_refuses_garbage_with_stable_codes(client, world):
    client.force_login(world.users["manager_a1"])
    assert _post(client, b"{not json").json()["code"] == "invalid_json"
    assert _post(client, "[]").json()["code"] == "invalid_json"
    response = _post(client, {"type": "EPCISDocument"})
    assert response.status_code == 400 and response.json()["code"] == "epcis_invalid"
    assert Event.objects.count() == 0


def test_capture_out_of_order_is_refused_all_or_nothing(client, world):
    c = make_chain(world.orgs["a1"])
    client.force_login(world.users["manager_a1"])
    doc = client.get(f"/api/v1/trace/lots/{c.packaged.pk}/epcis").json()
    before = Event.objects.count()
    ship = {
        "type": "ObjectEvent",
        "eventID": "urn:uuid:2d5a3c1e-0000-4000-8000-000000000001",
        "eventTime": "2020-01-01T08:00:00.000+07:00",
        "eventTimeZoneOffset": "+07:00",
        "action": "OBSERVE",
        "bizStep": "shipping",
        "quantityList": [
            {"epcClass": doc["epcisBody"]["eventList"][-1]["quantityList"][0]["epcClass"]}
        ],
    }
    yesterday = timezone.localtime(timezone.now() - dt.timedelta(days=1)).isoformat(
        timespec="milliseconds"
    )
    fine = dict(ship, eventID="urn:uuid:2d5a3c1e-0000-4000-8000-000000000002", eventTime=yesterday)
    new_doc = {**doc, "epcisBody": {"eventList": [fine, ship]}}
    response = _post(client, new_doc)
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "event_before_lot_created"
    assert response.json()["details"]["index"] == 1
    assert Event.objects.count() == before


def test_capture_needs_an_organisation_the_caller_may_edit(client, world):
    client.force_login(world.users["vca"])
    assert _post(client, {"type": "EPCISDocument"}).json()["code"] == "organisation_required"
    client.force_login(world.users["manager_b1"])
    response = _post(client, {"type": "EPCISDocument"}, organisation=world.orgs["a1"].pk)
    assert response.status_code == 404


def test_events_query_is_scoped(client, world, django_assert_max_num_queries):
    make_chain(world.orgs["a1"])
    client.force_login(world.users["manager_b1"])
    assert client.get("/api/v1/trace/events").json() == []
    client.force_login(world.users["officer_a"])
    with django_assert_max_num_queries(8):
        rows = client.get("/api/v1/trace/events?kind=harvest").json()
    assert len(rows) == 2 and all(r["kind"] == "harvest" for r in rows)
    client.force_login(world.users["manager_b1"])
    c_lot = Event.objects.first().lot_links.first().lot
    assert client.get(f"/api/v1/trace/lots/{c_lot.pk}/epcis").status_code == 404


def test_too_large_document_is_refused_cleanly(client, world):
    client.force_login(world.users["manager_a1"])
    big = b'{"type": "EPCISDocument", "pad": "' + b"x" * (6 * 1024 * 1024) + b'"}'
    response = _post(client, big)
    assert response.status_code == 413 and response.json()["code"] == "too_large"


@needs_reference
def test_query_answer_as_epcis_query_document_validates(client, world):
    make_chain(world.orgs["a1"])
    client.force_login(world.users["officer_a"])
    response = client.get("/api/v1/trace/events?format=epcis&kind=harvest")
    assert response.status_code == 200
    doc = response.json()
    assert doc["type"] == "EPCISQueryDocument"
    assert len(doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"]) == 2
    errors = list(schema_validator().iter_errors(doc))
    assert not errors, [e.message for e in errors[:3]]
