"""The bulk export of the public registry: the manifest's checksums match the files, no
personal field, streamed by the command to the storage, downloadable by anyone."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from htxso.registry import exports_bulk, sync_feed
from htxso.registry.models import Organisation
from htxso.registry.services import organisations as org_services

from .conftest import FEED, bearer, read_all

pytestmark = pytest.mark.django_db

SECRETS = ("0912345678", "lienhe@example.vn", "Thôn Bí Mật", "Nguyễn Văn Đại Diện")


def _registry(world):
    Organisation.objects.filter(pk=world.orgs["a1"].pk).update(
        phone=SECRETS[0], email=SECRETS[1], address=SECRETS[2], representative=SECRETS[3]
    )
    Organisation.objects.create(
        kind="group", name='=HYPERLINK("x")', province_id="66", phone=SECRETS[0]
    )


def _export() -> tuple[zipfile.ZipFile, dict]:
    buffer = io.BytesIO()
    exports_bulk.write_export(buffer)
    archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    return archive, json.loads(archive.read("manifest.json"))


def test_the_manifest_checksums_and_counts_match_the_files(world):
    _registry(world)
    archive, manifest = _export()
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == [
        "manifest.json",
        "organisations.csv",
        "organisations.jsonl",
    ]
    total = Organisation.objects.count()
    assert manifest["record_counts"] == {"organisations": total}
    assert manifest["schema_version"] == sync_feed.SCHEMA_VERSION
    assert manifest["fields"] == list(sync_feed.PUBLIC_FIELDS)
    assert manifest["generated_at"] and manifest["as_of"]
    for entry in manifest["files"]:
        data = archive.read(entry["name"])
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["name"]
        assert len(data) == entry["bytes"]
    rows = list(csv.DictReader(io.StringIO(archive.read("organisations.csv").decode("utf-8-sig"))))
    assert len(rows) == total
    assert list(rows[0]) == list(sync_feed.PUBLIC_FIELDS)
    lines = archive.read("organisations.jsonl").decode().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == total
    assert [r["id"] for r in records] == sorted(Organisation.objects.values_list("pk", flat=True))
    assert {str(r["id"]) for r in records} == {row["id"] for row in rows}
    # a formula in a name is neutralised for spreadsheets, kept as is in JSON
    assert any(row["name"] == '\'=HYPERLINK("x")' for row in rows)
    assert any(r["name"] == '=HYPERLINK("x")' for r in records)


def test_the_export_holds_no_personal_field(world):
    _registry(world)
    archive, manifest = _export()
    personal = set(sync_feed.PERSONAL_FIELDS)
    assert not personal & set(manifest["fields"])
    for name in archive.namelist():
        text = archive.read(name).decode("utf-8-sig")
        for secret in SECRETS:
            assert secret not in text, (name, secret)
    for line in archive.read("organisations.jsonl").decode().splitlines():
        assert not personal & set(json.loads(line))


def test_the_manifest_cursor_continues_with_the_feed(client, world):
    _archive, manifest = _export()
    org_services.organisation_update(
        actor=world.users["vca"], organisation=world.orgs["b1"], data={"status": "suspended"}
    )
    changes, _c, _ = read_all(
        client, bearer(world.users["vca"]), start={"cursor": manifest["cursor"]}
    )
    assert [(c["id"], c["record"]["status"]) for c in changes] == [
        (world.orgs["b1"].pk, "suspended")
    ]


def test_the_command_saves_it_and_anyone_downloads_the_newest(client, world):
    zip_url, manifest_url = (
        reverse("registry:sync_export"),
        reverse("registry:sync_export_manifest"),
    )
    assert client.get(zip_url).status_code == 404  # none made yet
    assert client.get(manifest_url).status_code == 404
    out = io.StringIO()
    call_command("export_registry", stdout=out)
    assert f"{Organisation.objects.count()} organisations" in out.getvalue()
    response = client.get(zip_url)  # anonymous: public fields only
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    body = b"".join(response.streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(body))
    manifest = json.loads(archive.read("manifest.json"))
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["name"])).hexdigest() == entry["sha256"]
    published = client.get(manifest_url).json()
    assert published["files"] == manifest["files"]
    assert published["download"].endswith(zip_url)
    for _n in range(4):  # only the newest three are kept
        call_command("export_registry", stdout=io.StringIO(), keep=3)
    assert len(exports_bulk.stored_exports()) <= 3


def test_the_command_writes_a_file(tmp_path, world):
    target = tmp_path / "out.zip"
    call_command("export_registry", output=str(target), stdout=io.StringIO())
    manifest = json.loads(zipfile.ZipFile(target).read("manifest.json"))
    assert manifest["record_counts"]["organisations"] == Organisation.objects.count()


def test_export_is_streamed_from_an_iterator(world, monkeypatch):
    """The organisations are read with ``iterator()`` (never a list of the registry)."""
    seen = {}
    original = Organisation.objects.none().__class__.iterator

    def iterator(self, chunk_size=None):
        seen["chunk_size"] = chunk_size
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(Organisation.objects.none().__class__, "iterator", iterator)
    _export()
    assert seen["chunk_size"] == 2000


def test_the_feed_url_in_the_docs_exists():
    assert FEED == "/api/v1/registry/changes"
