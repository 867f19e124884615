"""The bulk export of the public registry, the starting point of a sync (issue 19).

A zip holding:

* ``organisations.csv`` — UTF-8 (with a byte-order mark, so spreadsheets read
  Vietnamese), one row per organisation, the columns of ``sync_feed.PUBLIC_FIELDS``;
* ``organisations.jsonl`` — the same records, one JSON object a line, the same keys and
  values as the ``record`` of the sync feed's public scope;
* ``manifest.json`` — ``generated_at``, ``as_of`` (the export holds every change up to
  it), the feed ``cursor`` to continue from, ``schema_version``, the field list, the record
  count, and for each file its size and SHA-256.

**Public fields only, by construction**: the rows are built by
``sync_feed.public_values`` and the writer refuses a record with any other key, so no
address, phone, e-mail, representative or person can enter (ARCHITECTURE "Data rules":
open data never holds personal data).  That is why the file may be downloaded by
anyone, like the open data page's CSV (decision recorded in ``docs/api/sync.md``).

Streamed: the organisations are read once with ``iterator()`` (one consistent query),
written to two temporary files while hashing, then put in the zip; memory stays flat
whatever the size of the registry.  ``python -m htxso export_registry`` writes it to the
private storage (``registry-exports/``), where the download view finds the newest.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import storages
from django.utils import timezone

from htxso.core.schemas import MAX_INT64

from . import sync_feed
from .models import Organisation

STORAGE = "private"
PREFIX = "registry-exports/"
NAME_PATTERN = re.compile(r"^htxso-registry-public-\d{8}T\d{6}Z\.zip$")
CSV_NAME = "organisations.csv"
JSONL_NAME = "organisations.jsonl"
MANIFEST_NAME = "manifest.json"
#: The exports kept in the storage (older ones are removed by the command).
KEEP = 3
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _HashingWriter(io.RawIOBase):
    """A binary file that hashes and counts what goes through it."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        data = bytes(data)
        self.sha256.update(data)
        self.size += len(data)
        self.target.write(data)
        return len(data)


def _csv_cell(value: Any) -> Any:
    """Lists as space-separated codes, booleans as 1/0, ``None`` as empty; text that a
    spreadsheet would run as a formula neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def public_records(*, as_of: dt.datetime) -> Iterator[dict[str, Any]]:
    """Every organisation changed at or before ``as_of``, public fields, by id."""
    qs = Organisation.objects.filter(updated_at__lte=as_of).order_by("id")
    rows = sync_feed.organisation_rows(qs, personal=False)  # personal columns never read
    allowed = set(sync_feed.PUBLIC_FIELDS)
    for row in rows.iterator(chunk_size=2000):
        record = sync_feed.public_values(row)
        if set(record) != allowed:  # pragma: no cover - guards the public-only promise
            raise RuntimeError(f"export record keys {sorted(record)} are not the public fields")
        yield record


@dataclass
class ExportResult:
    manifest: dict[str, Any]
    size: int


def write_export(target: IO[bytes], *, now: dt.datetime | None = None) -> ExportResult:
    """Write the zip to ``target`` (a binary file, seekable or not)."""
    as_of = sync_feed.settle_horizon(now)
    generated_at = now or timezone.now()
    fields = list(sync_feed.PUBLIC_FIELDS)
    count = 0
    with (
        tempfile.TemporaryFile() as csv_tmp,
        tempfile.TemporaryFile() as jsonl_tmp,
    ):
        csv_hash, jsonl_hash = _HashingWriter(csv_tmp), _HashingWriter(jsonl_tmp)
        csv_text = io.TextIOWrapper(csv_hash, encoding="utf-8", newline="", write_through=True)
        csv_text.write("\ufeff")
        writer = csv.writer(csv_text)
        writer.writerow(fields)
        for record in public_records(as_of=as_of):
            writer.writerow([_csv_cell(record[f]) for f in fields])
            jsonl_hash.write(
                json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
            )
            count += 1
        csv_text.flush()
        csv_text.detach()
        files = [
            {
                "name": CSV_NAME,
                "format": "text/csv; charset=utf-8 (with BOM)",
                "records": count,
                "bytes": csv_hash.size,
                "sha256": csv_hash.sha256.hexdigest(),
            },
            {
                "name": JSONL_NAME,
                "format": "application/jsonl; charset=utf-8",
                "records": count,
                "bytes": jsonl_hash.size,
                "sha256": jsonl_hash.sha256.hexdigest(),
            },
        ]
        manifest = {
            "schema_version": sync_feed.SCHEMA_VERSION,
            "scope": sync_feed.PUBLIC,
            "generated_at": generated_at.astimezone(dt.UTC).isoformat(),
            "as_of": as_of.astimezone(dt.UTC).isoformat(),
            "cursor": sync_feed.encode_cursor(sync_feed.Position(as_of, MAX_INT64)),
            "record_counts": {"organisations": count},
            "fields": fields,
            "files": files,
            "feed": "/api/v1/registry/changes?cursor=<cursor>",
        }
        out = _HashingWriter(target)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for tmp, name in ((csv_tmp, CSV_NAME), (jsonl_tmp, JSONL_NAME)):
                tmp.seek(0)
                with zf.open(name, "w", force_zip64=True) as entry:
                    while chunk := tmp.read(1 << 20):
                        entry.write(chunk)
            zf.writestr(MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=2).encode())
    return ExportResult(manifest, out.size)


def export_name(at: dt.datetime) -> str:
    return f"{PREFIX}htxso-registry-public-{at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}.zip"


def save_export(*, now: dt.datetime | None = None, keep: int = KEEP) -> tuple[str, ExportResult]:
    """Generate the export into the private storage; keep the newest ``keep``."""
    now = now or timezone.now()
    storage = storages[STORAGE]
    with tempfile.TemporaryFile() as tmp:
        result = write_export(tmp, now=now)
        tmp.seek(0)
        name = storage.save(export_name(now), File(tmp))
    for old in stored_exports()[keep:]:
        storage.delete(old)
    return name, result


def stored_exports() -> list[str]:
    """Storage names of the exports, newest first."""
    storage = storages[STORAGE]
    try:
        _dirs, files = storage.listdir(PREFIX.rstrip("/"))
    except FileNotFoundError:
        return []
    names = sorted((f for f in files if NAME_PATTERN.match(f)), reverse=True)
    return [f"{PREFIX}{f}" for f in names]


def latest_export() -> str | None:
    names = stored_exports()
    return names[0] if names else None


def read_manifest(name: str) -> dict[str, Any]:
    storage = storages[STORAGE]
    with storage.open(name, "rb") as fh, zipfile.ZipFile(fh) as zf:
        return json.loads(zf.read(MANIFEST_NAME))
