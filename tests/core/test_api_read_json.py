"""``core.api.read_json``: the one reader of hand-read JSON bodies (training and support
APIs), with the codes, messages and details each caller asked for."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from ninja import Schema
from pydantic import Field

from htxso.core.api import json_body_doc, read_json
from htxso.core.errors import ServiceError


class In(Schema):
    name: str = Field(max_length=5)
    count: int = 0


def post(body: bytes):
    return RequestFactory().post("/x", data=body, content_type="application/json")


def test_a_valid_body_and_an_empty_one():
    assert read_json(post(b'{"name": "ab", "count": 2}'), In, max_bytes=100).count == 2
    with pytest.raises(ServiceError) as exc:
        read_json(post(b""), In, max_bytes=100)  # empty reads as {}: name is missing
    assert exc.value.code == "validation_error"


def test_too_large_is_refused_before_parsing():
    with pytest.raises(ServiceError) as exc:
        read_json(post(b'{"name": "' + b"a" * 200 + b'"}'), In, max_bytes=100)
    assert exc.value.code == "too_large"


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe{}", b"[1, 2]"])
def test_bad_json_or_bytes(body):
    with pytest.raises(ServiceError) as exc:
        read_json(post(body), In, max_bytes=100)
    assert exc.value.code == "validation_error"
    if body != b"[1, 2]":  # a JSON list reaches the schema, which explains itself
        assert exc.value.details is None


def test_schema_errors_are_listed_with_or_without_their_type():
    body = b'{"name": "too long", "count": "x"}'
    with pytest.raises(ServiceError) as exc:
        read_json(post(body), In, max_bytes=100)
    assert [d["loc"] for d in exc.value.details] == [["name"], ["count"]]
    assert set(exc.value.details[0]) == {"loc", "msg"}
    assert str(exc.value.message) == "Yêu cầu không hợp lệ."  # the default language
    with pytest.raises(ServiceError) as exc:
        read_json(post(body), In, max_bytes=100, error_types=True)
    assert list(exc.value.details[0]) == ["loc", "msg", "type"]


def test_code_message_and_details_are_the_caller_s():
    with pytest.raises(ServiceError) as exc:
        read_json(
            post(b'{"count": 1}'),
            In,
            max_bytes=100,
            code="invalid",
            message="The request body is not valid.",
            details=False,
        )
    assert exc.value.code == "invalid"
    assert exc.value.message == "The request body is not valid."
    assert exc.value.details is None


def test_json_body_doc():
    doc = json_body_doc(In)["requestBody"]
    assert doc["required"] is True
    assert doc["content"]["application/json"]["schema"]["properties"]["name"]["maxLength"] == 5
    assert json_body_doc(In, required=False)["requestBody"]["required"] is False
