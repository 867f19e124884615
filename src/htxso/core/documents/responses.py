"""Sending a generated document as a download."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpResponse

from htxso.core.text import fold

from .letters import DOCX_CONTENT_TYPE
from .workbooks import XLSX_CONTENT_TYPE

CONTENT_TYPES = {"docx": DOCX_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def ascii_filename(name: str) -> str:
    """ "Công văn Cao Bằng.docx" → "cong-van-cao-bang.docx" (safe in every browser)."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(stem)).strip("-")[:80] or "tai-lieu"
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:8]
    return f"{slug}.{ext}" if ext else slug


def download_response(data: bytes, filename: str, content_type: str | None = None) -> HttpResponse:
    """``data`` as an attachment named ``filename`` (Vietnamese kept for browsers that
    read ``filename*``, an ASCII fallback for the others)."""
    ext = filename.rpartition(".")[2].lower()
    response = HttpResponse(
        data, content_type=content_type or CONTENT_TYPES.get(ext, "application/octet-stream")
    )
    fallback = ascii_filename(filename)
    utf8 = quote(filename.replace("/", "-").replace("\\", "-"), safe="")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{utf8}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
