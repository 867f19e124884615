"""Download of the bulk export of the public registry (issue 19).

Public, like the open data page: the export carries public fields only (see
``exports_bulk``), and serving it reads a file generated beforehand by
``python -m htxso export_registry`` — a request never scans the registry.
"""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.http import require_GET

from htxso.core.access import access
from htxso.core.files import private_file_response

from . import exports_bulk


def _latest() -> str:
    name = exports_bulk.latest_export()
    if name is None:
        raise Http404
    return name


@access(public=True)
@require_GET
def sync_export(request: HttpRequest) -> HttpResponseBase:
    """The newest export as a zip (404 until the command has made one)."""
    name = _latest()
    response = private_file_response(
        exports_bulk.STORAGE,
        name,
        name.rsplit("/", 1)[-1],
        content_type="application/zip",
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@access(public=True)
@require_GET
def sync_export_manifest(request: HttpRequest) -> HttpResponse:
    """The manifest of the newest export: a system checks it before downloading."""
    name = _latest()
    manifest = exports_bulk.read_manifest(name)
    manifest["download"] = request.build_absolute_uri(
        request.path.rsplit("/", 1)[0] + "/htxso-registry.zip"
    )
    response = HttpResponse(
        json.dumps(manifest, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=300"
    return response
