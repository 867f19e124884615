"""Evidence files of an answer: a photo or a PDF, checked by what they contain.

:func:`check_evidence` refuses, with a stable code and a precise message (field
``file``): ``evidence_too_big`` (over :data:`MAX_BYTES`, at most limit + 1 bytes are
read), ``evidence_empty``, ``evidence_type`` (neither a JPEG/PNG/WebP photo nor a PDF,
whatever its name or declared type says — e.g. a program renamed ``.jpg``),
``evidence_too_many_pixels`` (a decompression bomb), ``evidence_too_small``,
``evidence_corrupt`` and ``evidence_pdf_active`` (a PDF with scripts or attachments).

Photos are re-encoded from their pixels only (no EXIF: no GPS position of the phone),
the longer side reduced to :data:`FULL_SIZE`; a PDF is kept after the checks.
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

MAX_BYTES = 8 * 1024 * 1024
MIN_BYTES = 64
MAX_PIXELS = 50_000_000
MIN_SIZE = 200
FULL_SIZE = 2000
FIELD = "file"
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia)\b")
RULES = images.ImageRules(
    max_bytes=MAX_BYTES,
    max_pixels=MAX_PIXELS,
    min_size=MIN_SIZE,
    full_size=FULL_SIZE,
    formats=("JPEG", "PNG", "WEBP"),
)


@dataclass(frozen=True)
class CheckedEvidence:
    content: bytes
    content_type: str  # "image/jpeg" | "application/pdf"
    name: str


def _bad(
    code: str, message: Any, params: dict | None = None, kind: Kind = Kind.INVALID
) -> ServiceError:
    return ServiceError(
        code, message, params, fields={FIELD: [ServiceError(code, message, params)]}, kind=kind
    )


def _wrong_type() -> ServiceError:
    return _bad(
        "evidence_type",
        _(
            "This file is not a photo (JPEG, PNG, WebP) or a PDF, whatever its name says. "
            "Take a photo of the paper, or send the PDF itself."
        ),
    )


def _problem(trouble: images.ImageTrouble) -> ServiceError:
    problem = trouble.problem
    if problem is images.Problem.TOO_BIG:
        return _bad(
            "evidence_too_big",
            _("The file is larger than %(limit)s MB; take the photo at a lower resolution."),
            {"limit": MAX_BYTES // (1024 * 1024)},
            kind=Kind.TOO_LARGE,
        )
    if problem is images.Problem.EMPTY:
        return _bad("evidence_empty", _("The file is empty."))
    if problem is images.Problem.TOO_MANY_PIXELS:
        return _bad(
            "evidence_too_many_pixels",
            _("The photo has too many pixels (at most %(limit)s megapixels)."),
            {"limit": MAX_PIXELS // 1_000_000},
        )
    if problem is images.Problem.TOO_SMALL:
        return _bad(
            "evidence_too_small",
            _(
                "The photo is too small to be read (%(width)s x %(height)s px); take it again, "
                "at least %(min)s px wide and high."
            ),
            trouble.params,
        )
    if problem is images.Problem.CORRUPT:
        return _bad(
            "evidence_corrupt",
            _("The photo is damaged or incomplete and cannot be read. Take it again."),
        )
    return _wrong_type()


def _name(raw: str, extension: str) -> str:
    try:
        name = clean_text(raw or "", max_length=None)
    except ServiceError:
        name = ""
    name = re.sub(r"[\\/<>:\"|?*\x00-\x1f]", "_", name)
    stem = name.rsplit(".", 1)[0][:80].strip() or "minh-chung"
    return f"{stem}{extension}"


def check_evidence(upload: Any) -> CheckedEvidence:
    try:
        data = images.read_limited(upload, MAX_BYTES)
    except images.ImageTrouble as trouble:
        raise _problem(trouble) from None
    name = getattr(upload, "name", "") or ""
    if data.startswith(b"%PDF-"):
        if len(data) < MIN_BYTES or b"%%EOF" not in data[-2048:]:
            raise _bad(
                "evidence_corrupt",
                _("The PDF file is damaged or incomplete. Save or scan it again."),
            )
        if _PDF_ACTIVE.search(data):
            raise _bad(
                "evidence_pdf_active",
                _(
                    "This PDF contains scripts or attachments, which are not accepted. Print it "
                    "to a new PDF, or send a photo."
                ),
            )
        return CheckedEvidence(data, "application/pdf", _name(name, ".pdf"))
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
    images.pixels_only(image).save(out, format="JPEG", quality=85, optimize=True, exif=b"")
    return CheckedEvidence(out.getvalue(), "image/jpeg", _name(name, ".jpg"))
