"""The incremental sync feed (issue 19): exactly the changes after the cursor, ties across
pages, status changes and deletions, scopes, ETag, bad input, a fixed query count."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from htxso.core.actors import OPERATOR
from htxso.registry import sync_feed
from htxso.registry.models import Organisation, OrganisationTombstone
from htxso.registry.services import organisations as org_services

from .conftest import FEED, bearer, read_all

pytestmark = pytest.mark.django_db

PERSONAL = set(sync_feed.PERSONAL_FIELDS)


def _ids(changes):
    return [c["id"] for c in changes]


def test_the_feed_returns_exactly_the_changes_after_the_cursor(client, world):
    headers = bearer(world.users["vca"])
    first, cursor, _pages = read_all(client, headers)
    assert set(_ids(first)) == set(Organisation.objects.values_list("pk", flat=True))
    assert all(c["change"] == "updated" for c in first)

    vca = world.users["vca"]
    a1, b1 = world.orgs["a1"], world.orgs["b1"]
    created = org_services.organisation_create(
        actor=vca, kind="group", province="04", data={"name": "Tổ hợp tác Mới"}
    )
    org_services.organisation_update(actor=vca, organisation=a1, data={"name": "HTX Hợp Giang Mới"})
    org_services.organisation_update(actor=vca, organisation=b1, data={"status": "dissolved"})

    after, cursor2, _ = read_all(client, headers, start={"cursor": cursor})
    assert _ids(after) == [created.pk, a1.pk, b1.pk]  # in the order they happened
    records = {c["id"]: c["record"] for c in after}
    assert records[a1.pk]["name"] == "HTX Hợp Giang Mới"
    assert records[b1.pk]["status"] == "dissolved"  # a status change, not a deletion
    assert records[created.pk]["kind"] == "group"
    times = [c["at"] for c in after]
    assert times == sorted(times)

    # nothing new: an empty page, the same position, polled later with the same cursor
    again = client.get(FEED, {"cursor": cursor2}, **headers).json()
    assert again["changes"] == [] and again["has_more"] is False
    assert again["cursor"] == cursor2


def test_rows_sharing_one_timestamp_are_neither_lost_nor_repeated(client, world):
    for n in range(37):
        Organisation.objects.create(kind="group", name=f"Tổ {n:02}", province_id="04")
    same = timezone.now() - dt.timedelta(minutes=5)
    Organisation.objects.update(updated_at=same)  # 40 rows, one timestamp
    headers = bearer(world.users["vca"])
    for limit in (1, 7, 40, 41):
        changes, _cursor, pages = read_all(client, headers, limit=limit)
        ids = _ids(changes)
        assert ids == sorted(Organisation.objects.values_list("pk", flat=True)), limit
        assert len(pages) == -(-40 // limit)  # a look-ahead row: no empty last page


def test_updated_since_is_inclusive_and_the_cursor_exclusive(client, world):
    a1 = world.orgs["a1"]
    at = timezone.now() - dt.timedelta(minutes=2)
    Organisation.objects.filter(pk=a1.pk).update(updated_at=at)
    Organisation.objects.exclude(pk=a1.pk).update(updated_at=at - dt.timedelta(hours=1))
    headers = bearer(world.users["vca"])
    page = client.get(FEED, {"updated_since": at.isoformat()}, **headers).json()
    assert _ids(page["changes"]) == [a1.pk]
    page = client.get(FEED, {"cursor": page["cursor"]}, **headers).json()
    assert page["changes"] == []
    # a date means midnight in Vietnam; "Z" and offsets are understood
    today = timezone.localdate().isoformat()
    assert client.get(FEED, {"updated_since": today}, **headers).status_code == 200
    # long ago: everything, and a cursor that works on the next poll
    old = client.get(FEED, {"updated_since": "0001-01-01T00:00:00Z"}, **headers).json()
    assert len(old["changes"]) == 3
    assert client.get(FEED, {"cursor": old["cursor"]}, **headers).status_code == 200
    # a feed page is judged by its ETag, not by If-Modified-Since
    page = client.get(FEED, **headers)
    since = client.get(FEED, HTTP_IF_MODIFIED_SINCE=page["Last-Modified"], **headers)
    assert since.status_code == 200
    utc = (at - dt.timedelta(seconds=1)).astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    assert _ids(client.get(FEED, {"updated_since": utc}, **headers).json()["changes"]) == [a1.pk]


def test_changes_still_committing_wait_for_the_settle_window(client, world, settings):
    settings.HTXSO_SYNC_SETTLE_SECONDS = 60
    Organisation.objects.update(updated_at=timezone.now() - dt.timedelta(minutes=5))
    a1 = world.orgs["a1"]
    org_services.organisation_update(actor=OPERATOR, organisation=a1, data={"name": "Vừa đổi"})
    headers = bearer(world.users["vca"])
    changes, _c, pages = read_all(client, headers)
    assert a1.pk not in _ids(changes)  # stamped less than a minute ago
    assert pages[-1]["as_of"] < timezone.now().astimezone(dt.UTC).isoformat()


# --- deletions and imports --------------------------------------------------------------


def test_a_deleted_organisation_comes_as_a_tombstone(client, world):
    headers = bearer(world.users["officer_a"])
    _first, cursor, _ = read_all(client, headers)
    a2 = world.orgs["a2"]
    a2_pk = a2.pk
    a2.delete()  # the admin, or an import's undo
    assert OrganisationTombstone.objects.filter(organisation_id=a2_pk).exists()
    changes, _c, _ = read_all(client, headers, start={"cursor": cursor})
    assert changes == [{"change": "deleted", "id": a2_pk, "at": changes[0]["at"], "record": None}]
    # another province's staff does not see it
    other, _c, _ = read_all(client, bearer(world.users["officer_b"]))
    assert a2_pk not in _ids(other)


def _import(world, tmp_path, rows, *, fail_in_batch=None, monkeypatch=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from htxso.geo.models import Province
    from htxso.registry.importing import engine
    from htxso.registry.importing.organisations import OrganisationHandler
    from htxso.registry.services import imports

    actor = world.users["officer_b"]
    upload = SimpleUploadedFile("htx.csv", rows.read_bytes())
    job = imports.import_upload(
        actor=actor, upload=upload, kind="organisations", province=Province.objects.get(pk="66")
    )
    job = imports.import_set_mapping(actor=actor, job=job, mapping=job.mapping)
    if fail_in_batch:
        monkeypatch.setattr(engine, "CHUNK", 2)
        original = OrganisationHandler.apply
        calls = {"n": 0}

        def apply(self, items):
            calls["n"] += 1
            original(self, items)
            if calls["n"] == fail_in_batch:
                raise RuntimeError("boom")

        monkeypatch.setattr(OrganisationHandler, "apply", apply)
    return imports.import_start(actor=actor, job=job, mode="all")


def test_an_import_update_appears_in_the_feed(client, world, tmp_path):
    from tests.registry.fixtures_import import tax_codes, write_generated_csv

    code = tax_codes(1)[0]
    old = Organisation.objects.create(
        kind="cooperative", name="HTX cũ", tax_code=code, province_id="66"
    )
    Organisation.objects.update(updated_at=timezone.now() - dt.timedelta(hours=1))
    headers = bearer(world.users["officer_b"])
    _first, cursor, _ = read_all(client, headers)
    job = _import(world, tmp_path, write_generated_csv(tmp_path / "htx.csv", 3))
    assert (job.created_count, job.updated_count) == (2, 1), job.error_message
    changes, _c, _ = read_all(client, headers, start={"cursor": cursor})
    ids = _ids(changes)
    assert old.pk in ids and len(ids) == 3
    old.refresh_from_db()
    assert {c["id"]: c["record"]["name"] for c in changes}[old.pk] == old.name != "HTX cũ"


def test_an_undone_import_is_served_as_reverts_and_tombstones(client, world, tmp_path, monkeypatch):
    """Rows of a failed import were visible between its batches: a system may have synced
    them, so the undo must reach it — reverted rows with a new time, deletions."""
    from tests.registry.fixtures_import import tax_codes, write_generated_csv

    code = tax_codes(1)[0]
    old = Organisation.objects.create(
        kind="cooperative", name="HTX cũ", tax_code=code, province_id="66"
    )
    Organisation.objects.update(updated_at=timezone.now() - dt.timedelta(hours=1))
    headers = bearer(world.users["officer_b"])
    _first, cursor, _ = read_all(client, headers)
    path = write_generated_csv(tmp_path / "htx.csv", 5)
    job = _import(world, tmp_path, path, fail_in_batch=2, monkeypatch=monkeypatch)
    assert job.status == "failed"
    old.refresh_from_db()
    assert old.name == "HTX cũ"  # undone
    changes, _c, _ = read_all(client, headers, start={"cursor": cursor})
    kinds = {c["id"]: c["change"] for c in changes}
    assert kinds[old.pk] == "updated"
    assert {c["record"]["name"] for c in changes if c["id"] == old.pk} == {"HTX cũ"}
    deleted = [pk for pk, kind in kinds.items() if kind == "deleted"]
    assert deleted and not Organisation.objects.filter(pk__in=deleted).exists()


# --- scopes and reach -------------------------------------------------------------------


def _with_contacts(world):
    for org in world.orgs.values():
        Organisation.objects.filter(pk=org.pk).update(
            phone="0912345678", email="lienhe@example.vn", address="Thôn 3"
        )
    Organisation.objects.filter(pk=world.orgs["a1"].pk).update(representative="Nguyễn Văn A")


def test_public_scope_carries_no_personal_data(client, world):
    _with_contacts(world)
    response = client.get(FEED, **bearer(world.users["vca"], "public"))
    body = response.json()
    assert body["scope"] == "public" and set(body["fields"]) == set(sync_feed.PUBLIC_FIELDS)
    for change in body["changes"]:
        assert set(change["record"]) == set(sync_feed.PUBLIC_FIELDS)
    text = response.content.decode()
    for value in ("0912345678", "lienhe@example.vn", "Thôn 3", "Nguyễn Văn A"):
        assert value not in text
    one = client.get(
        f"{FEED}/organisations/{world.orgs['a1'].pk}", **bearer(world.users["vca"], "public")
    )
    assert not PERSONAL & set(one.json()["record"])
    assert "0912345678" not in one.content.decode()


def test_full_scope_adds_contacts_where_the_role_may_read_them(client, world):
    _with_contacts(world)
    body = client.get(FEED, **bearer(world.users["officer_a"], "full")).json()
    assert body["scope"] == "full"
    records = {c["id"]: c["record"] for c in body["changes"]}
    assert set(records) == {world.orgs["a1"].pk, world.orgs["a2"].pk}  # own province only
    a1 = records[world.orgs["a1"].pk]
    assert (a1["phone"], a1["email"], a1["representative"]) == (
        "0912345678",
        "lienhe@example.vn",
        "Nguyễn Văn A",
    )
    everything = client.get(FEED, **bearer(world.users["vca"], "full")).json()
    assert len(everything["changes"]) == 3
    assert all(c["record"]["phone"] == "0912345678" for c in everything["changes"])


def test_a_department_viewer_reads_public_fields_of_the_province(client, world):
    _with_contacts(world)
    viewer = world.users["viewer_a"]
    body = client.get(FEED, **bearer(viewer, "public")).json()
    assert {c["id"] for c in body["changes"]} == {world.orgs["a1"].pk, world.orgs["a2"].pk}
    refused = client.get(FEED, **_raw_full_token(viewer))
    assert refused.status_code == 403
    assert refused.json()["code"] == "token_scope_not_allowed"


def _raw_full_token(user):
    """A ``full`` token the service would refuse (made before a role was taken away)."""
    from htxso.accounts.models import ApiToken

    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(
        user=user, key_prefix=raw[:12], key_hash=ApiToken.hash_key(raw), scope="full"
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_without_scope_is_refused(client, world):
    response = client.get(FEED, **bearer(world.users["vca"], ""))
    assert response.status_code == 403
    assert response.json()["code"] == "token_scope_missing"


def test_a_session_reads_the_scope_its_roles_allow(client, world):
    client.force_login(world.users["vca"])
    assert client.get(FEED).json()["scope"] == "full"
    client.force_login(world.users["viewer_b"])
    body = client.get(FEED).json()
    assert body["scope"] == "public"
    assert _ids(body["changes"]) == [world.orgs["b1"].pk]


@pytest.mark.parametrize("key", ["manager_a1", "member_a1", "trainer", "buyer", "norole"])
def test_roles_outside_staff_may_not_read_the_feed(client, world, key):
    assert client.get(FEED, **bearer(world.users[key])).status_code == 403


def test_another_provinces_organisation_is_not_found(client, world):
    headers = bearer(world.users["officer_a"], "full")
    response = client.get(f"{FEED}/organisations/{world.orgs['b1'].pk}", **headers)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get(f"{FEED}/organisations/{2**63}", **headers).status_code == 422


# --- ETag -------------------------------------------------------------------------------


def test_etag_answers_304_until_something_changes(client, world):
    headers = bearer(world.users["vca"])
    first = client.get(FEED, **headers)
    etag = first["ETag"]
    assert etag.startswith('"sync-') and first["Last-Modified"]
    assert "Authorization" in first["Vary"]
    again = client.get(FEED, HTTP_IF_NONE_MATCH=etag, **headers)
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    assert client.get(FEED, HTTP_IF_NONE_MATCH=f"W/{etag}", **headers).status_code == 304
    assert client.get(FEED, HTTP_IF_NONE_MATCH="*", **headers).status_code == 304
    for garbage in ("garbage", '"', "W/", "\x7f" * 300, '"other"'):
        assert client.get(FEED, HTTP_IF_NONE_MATCH=garbage, **headers).status_code == 200
    # another scope is another representation
    full = client.get(FEED, HTTP_IF_NONE_MATCH=etag, **bearer(world.users["vca"], "full"))
    assert full.status_code == 200 and full["ETag"] != etag
    org_services.organisation_update(
        actor=OPERATOR, organisation=world.orgs["b1"], data={"name": "HTX Ea Tu"}
    )
    changed = client.get(FEED, HTTP_IF_NONE_MATCH=etag, **headers)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_record_answers_304_and_changes_its_etag(client, world):
    headers = bearer(world.users["officer_a"])
    url = f"{FEED}/organisations/{world.orgs['a1'].pk}"
    first = client.get(url, **headers)
    assert first.status_code == 200 and first.json()["record"]["id"] == world.orgs["a1"].pk
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **headers).status_code == 304
    later = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"], **headers)
    assert later.status_code == 304
    org_services.organisation_update(
        actor=OPERATOR, organisation=world.orgs["a1"], data={"sector": "agriculture"}
    )
    response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **headers)
    assert response.status_code == 200 and response["ETag"] != first["ETag"]


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("yesterday", "updated_since_invalid"),
        ("2026-13-45", "updated_since_invalid"),
        ("2026-02-30T10:00:00+07:00", "updated_since_invalid"),
        ("2026-01-01T10:00:00", "updated_since_timezone"),
        ("2999-01-01T00:00:00Z", "updated_since_in_future"),
        ("2999-01-01", "updated_since_in_future"),
    ],
)
def test_bad_updated_since(client, world, value, code):
    response = client.get(FEED, {"updated_since": value}, **bearer(world.users["vca"]))
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_a_tampered_or_foreign_cursor_is_refused(client, world, settings):
    headers = bearer(world.users["vca"])
    cursor = client.get(FEED, {"limit": 1}, **headers).json()["cursor"]
    payload, signature = cursor.split(":", 1)
    forged = signing.dumps({"v": 1, "t": 0, "i": 1}, salt="another.salt")
    unsigned = signing.b64_encode(json.dumps({"v": 1, "t": 0, "i": 1}).encode()).decode()
    ours = signing.Signer(salt=sync_feed._CURSOR_SALT)
    wrong_shape = ours.sign_object({"v": 1, "t": "x", "i": 1})
    too_big = ours.sign_object({"v": 1, "t": 0, "i": 2**64})
    old_version = ours.sign_object({"v": 2, "t": 0, "i": 1})
    not_a_dict = ours.sign_object([1, 0, 1])
    timestamped = signing.dumps({"v": 1, "t": 0, "i": 1}, salt=sync_feed._CURSOR_SALT)
    for bad in (
        payload[:-1] + ("A" if payload[-1] != "A" else "B") + ":" + signature,
        payload + ":" + signature[:-2],
        payload,
        forged,
        unsigned,
        wrong_shape,
        too_big,
        old_version,
        not_a_dict,
        timestamped,
        "x" * 401,
        "💥",
    ):
        response = client.get(FEED, {"cursor": bad}, **headers)
        assert response.status_code in (400, 422), bad
        if response.status_code == 400:
            assert response.json()["code"] == "cursor_invalid", bad
    settings.SECRET_KEY = "another-server-" + "x" * 50
    response = client.get(FEED, {"cursor": cursor}, **headers)
    assert (response.status_code, response.json()["code"]) == (400, "cursor_invalid")


@pytest.mark.parametrize("limit", ["0", "-1", str(2**63), str(2**64), "1001", "abc"])
def test_limits_out_of_bounds(client, world, limit):
    response = client.get(FEED, {"limit": limit}, **bearer(world.users["vca"]))
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_the_rate_is_limited_per_user(client, world, settings):
    settings.HTXSO_SYNC_RATE_PER_MINUTE = 2
    headers = bearer(world.users["vca"])
    assert client.get(FEED, **headers).status_code == 200
    assert client.get(FEED, **headers).status_code == 200
    response = client.get(FEED, **headers)
    assert response.status_code == 429 and response.json()["code"] == "throttled"


# --- query count ------------------------------------------------------------------------


def _queries(client, headers, limit):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(FEED, {"limit": limit}, **headers)
    assert response.status_code == 200
    return len(captured.captured_queries), len(response.json()["changes"])


def test_the_query_count_is_fixed_per_page(client, world, django_assert_num_queries):
    for n in range(120):
        Organisation.objects.create(kind="group", name=f"Tổ {n}", province_id="66")
    OrganisationTombstone.objects.create(organisation_id=10**9, province_id="66", kind="group")
    headers = bearer(world.users["vca"], "full")
    client.get(FEED, **headers)  # the token's first use records it (one more query)
    small, rows_small = _queries(client, headers, 5)
    large, rows_large = _queries(client, headers, 124)
    assert (rows_small, rows_large) == (5, 124)
    assert small == large
    # token, role assignments, organisations, tombstones
    with django_assert_num_queries(4):
        client.get(FEED, {"limit": 50}, **headers)
