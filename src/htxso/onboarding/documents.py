"""The authorising document of an access request: a photo or a PDF, checked.

:func:`check_document` refuses, with a stable code and a message the person
understands (a :class:`~htxso.core.errors.ServiceError` on the field ``document``):

* ``document_too_big`` — over :data:`MAX_BYTES`; at most limit + 1 bytes are read, so a
  huge upload is refused without holding it in memory;
* ``document_empty`` — an empty file;
* ``document_type`` — neither a JPEG/PNG/WebP photo nor a PDF (whatever its name says);
* ``document_too_many_pixels`` — a decompression bomb (a small file that expands to
  gigabytes of pixels);
* ``document_too_small`` — a photo too small to be read;
* ``document_corrupt`` — a damaged photo or PDF;
* ``document_pdf_active`` — a PDF with JavaScript or actions that launch programs.

Photos are re-encoded from their pixels alone, as the market does with product photos
(``market/images.py``): EXIF (the GPS position of the phone), comments and every other
piece of metadata are dropped, the orientation is applied, the longer side is reduced
to :data:`FULL_SIZE` px (enough to read an A4 letter) and the result is a JPEG.  A PDF
is kept as it is, after the checks.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from PIL import Image

from htxso.core import images
from htxso.core.errors import Kind, ServiceError
from htxso.core.text import clean_text

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000
MIN_SIZE = 300
FULL_SIZE = 2400
JPEG_QUALITY = 85
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
#: PDF names that run something when the file is opened
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia)\b")
FIELD = "document"
RULES = images.ImageRules(
    max_bytes=MAX_BYTES,
    max_pixels=MAX_PIXELS,
    min_size=MIN_SIZE,
    full_size=FULL_SIZE,
    formats=IMAGE_FORMATS,
)


@dataclass(frozen=True)
class CheckedDocument:
    content: bytes
    content_type: str  # "image/jpeg" | "application/pdf"
    name: str  # a clean file name to show and to download as

    @property
    def extension(self) -> str:
        return ".pdf" if self.content_type == "application/pdf" else ".jpg"


def _bad(code: str, message, params: dict | None = None, kind: Kind = Kind.INVALID) -> ServiceError:
    error = ServiceError(code, message, params)
    return ServiceError(code, message, params, fields={FIELD: [error]}, kind=kind)


def _too_big() -> ServiceError:
    return _bad(
        "document_too_big",
        _(
            "The file is larger than %(limit)s MB. Take the photo again at a lower "
            "resolution, or scan the document to a smaller PDF."
        ),
        {"limit": MAX_BYTES // (1024 * 1024)},
        kind=Kind.TOO_LARGE,
    )


def _wrong_type() -> ServiceError:
    return _bad(
        "document_type",
        _("Send a photo (JPEG, PNG or WebP) or a PDF file of the document."),
    )


def _too_many_pixels() -> ServiceError:
    return _bad(
        "document_too_many_pixels",
        _("The photo has too many pixels (at most %(limit)s megapixels)."),
        {"limit": MAX_PIXELS // 1_000_000},
    )


def read_limited(upload) -> bytes:
    try:
        return images.read_limited(upload, MAX_BYTES)
    except images.ImageTrouble as trouble:
        raise _problem(trouble) from None


def _problem(trouble: images.ImageTrouble) -> ServiceError:
    """The requester's words for what ``core.images`` found wrong."""
    problem = trouble.problem
    if problem is images.Problem.TOO_BIG:
        return _too_big()
    if problem is images.Problem.EMPTY:
        return _bad("document_empty", _("The file is empty."))
    if problem is images.Problem.TOO_MANY_PIXELS:
        return _too_many_pixels()
    if problem is images.Problem.TOO_SMALL:
        return _bad(
            "document_too_small",
            _(
                "The photo is too small to be read (%(width)s x %(height)s px); take it "
                "again, closer, at least %(min)s px wide and high."
            ),
            trouble.params,
        )
    if problem is images.Problem.CORRUPT:
        return _bad(
            "document_corrupt",
            _("The photo is damaged or incomplete and cannot be read. Take it again."),
        )
    return _wrong_type()  # not an image, or not JPEG/PNG/WebP


def _clean_name(raw: str, extension: str) -> str:
    try:
        name = clean_text(raw or "", max_length=None)
    except ServiceError:
        name = ""
    name = name.replace("/", "_").replace("\\", "_")
    stem = name.rsplit(".", 1)[0][:80].strip() or "giay-uy-quyen"
    return f"{stem}{extension}"


def _check_pdf(data: bytes) -> bytes:
    if b"%%EOF" not in data[-2048:]:
        raise _bad(
            "document_corrupt",
            _("The PDF file is damaged or incomplete. Save or scan it again."),
        )
    if _PDF_ACTIVE.search(data):
        raise _bad(
            "document_pdf_active",
            _(
                "This PDF contains scripts or attachments, which are not accepted. "
                "Print it to a new PDF, or send a photo of the paper."
            ),
        )
    return data


def _check_image(data: bytes) -> bytes:
    try:
        image, _icc = images.decode(data, RULES)
    except images.ImageTrouble as trouble:
        raise _problem(trouble) from None
    if image.mode in ("RGBA", "LA", "PA", "P"):
        # a transparent background becomes white, as on paper
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    image.thumbnail((FULL_SIZE, FULL_SIZE), Image.Resampling.LANCZOS)
    fresh = images.pixels_only(image)  # no exif, comments, icc, xmp reach the file
    out = io.BytesIO()
    fresh.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, exif=b"", comment=b"")
    return out.getvalue()


def check_document(upload) -> CheckedDocument:
    """Read, check and clean an uploaded authorising document (see the module)."""
    data = read_limited(upload)
    name = getattr(upload, "name", "") or ""
    if data.startswith(b"%PDF-"):
        return CheckedDocument(_check_pdf(data), "application/pdf", _clean_name(name, ".pdf"))
    return CheckedDocument(_check_image(data), "image/jpeg", _clean_name(name, ".jpg"))
