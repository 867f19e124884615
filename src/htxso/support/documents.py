"""Files added to a service request: a photo or a PDF, checked by content.

Whatever its name or its declared type says, a file is accepted only when its bytes are
a JPEG/PNG/WebP picture (decoded by ``core.images``, then re-encoded from its pixels
alone: no EXIF position, no comments) or a PDF without scripts or attachments.  Refusals
are :class:`~htxso.core.errors.ServiceError` on the field ``file`` with a stable code:
``file_too_big``, ``file_empty``, ``file_type``, ``file_too_many_pixels``,
``file_too_small``, ``file_corrupt``, ``file_pdf_active``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from PIL import Image

from htxso.core import images
from htxso.core.errors import Kind, ServiceError
from htxso.core.text import clean_text

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10  # per request
FIELD = "file"
FULL_SIZE = 2400
RULES = images.ImageRules(
    max_bytes=MAX_BYTES, max_pixels=50_000_000, min_size=200, full_size=FULL_SIZE
)
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia)\b")


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str  # "image/jpeg" | "application/pdf"
    name: str

    @property
    def extension(self) -> str:
        return ".pdf" if self.content_type == "application/pdf" else ".jpg"


def _bad(code: str, message: Any, params: dict | None = None, kind: Kind = Kind.INVALID):
    error = ServiceError(code, message, params)
    return ServiceError(code, message, params, fields={FIELD: [error]}, kind=kind)


def _wrong_type() -> ServiceError:
    return _bad(
        "file_type",
        _("This file is not a photo (JPEG, PNG, WebP) or a PDF, whatever its name says."),
    )


def _problem(trouble: images.ImageTrouble) -> ServiceError:
    problem = trouble.problem
    if problem is images.Problem.TOO_BIG:
        return _bad(
            "file_too_big",
            _("The file is larger than %(limit)s MB."),
            {"limit": MAX_BYTES // (1024 * 1024)},
            kind=Kind.TOO_LARGE,
        )
    if problem is images.Problem.EMPTY:
        return _bad("file_empty", _("The file is empty."))
    if problem is images.Problem.TOO_MANY_PIXELS:
        return _bad("file_too_many_pixels", _("The photo has too many pixels."))
    if problem is images.Problem.TOO_SMALL:
        return _bad(
            "file_too_small",
            _("The photo is too small to be read (%(width)s x %(height)s px)."),
            trouble.params,
        )
    if problem is images.Problem.CORRUPT:
        return _bad("file_corrupt", _("The photo is damaged or incomplete."))
    return _wrong_type()


def _clean_name(raw: str, extension: str) -> str:
    try:
        name = clean_text(raw or "", max_length=None)
    except ServiceError:
        name = ""
    name = re.sub(r"[/\\<>\"'`]", "_", name)
    stem = name.rsplit(".", 1)[0][:80].strip() or "tep"
    return f"{stem}{extension}"


def check_file(upload: Any) -> CheckedFile:
    try:
        data = images.read_limited(upload, MAX_BYTES)
    except images.ImageTrouble as trouble:
        raise _problem(trouble) from None
    name = getattr(upload, "name", "") or ""
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise _bad("file_corrupt", _("The PDF file is damaged or incomplete."))
        if _PDF_ACTIVE.search(data):
            raise _bad(
                "file_pdf_active",
                _("This PDF contains scripts or attachments, which are not accepted."),
            )
        return CheckedFile(data, "application/pdf", _clean_name(name, ".pdf"))
    try:
        image, _icc = images.decode(data, RULES)
    except images.ImageTrouble as trouble:
        raise _problem(trouble) from None
    if image.mode in ("RGBA", "LA", "PA", "P"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    image.thumbnail((FULL_SIZE, FULL_SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    images.pixels_only(image).save(out, format="JPEG", quality=85, exif=b"", comment=b"")
    return CheckedFile(out.getvalue(), "image/jpeg", _clean_name(name, ".jpg"))
