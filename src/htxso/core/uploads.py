"""An uploaded photo or PDF of a paper document, checked once for every app that takes one.

:func:`check_upload` reads at most ``max_bytes + 1`` bytes, then accepts the file only
when its bytes (never its name or declared type) are

* a PDF that ends (``%%EOF`` in its last 2 kB) and holds no JavaScript, launch action,
  attachment or rich media (:data:`PDF_ACTIVE`); it is kept as it is; or
* a photo in one of the allowed formats, decoded by ``core.images`` (size, decompression
  bomb and pixel checks there), then re-encoded from its pixels alone as a JPEG: a
  transparent background becomes white as on paper, the orientation is applied, the
  longer side is reduced to ``full_size`` and EXIF (the phone's GPS position), comments
  and every other piece of metadata are dropped.

A refusal is a :class:`~htxso.core.errors.ServiceError` on the app's form field with the
code ``<prefix>_<what>`` — ``too_big`` (kind ``TOO_LARGE``), ``empty``, ``type``,
``too_many_pixels``, ``too_small``, ``corrupt``, ``pdf_active`` — and the app's own
message (:class:`Messages`): each app writes its words in its own module, so its
catalogue keeps them, and passes them here with its limits in :class:`UploadRules`
(``onboarding.documents``, ``support.documents``, ``assessment.evidence_survey``).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from PIL import Image

from htxso.core import images
from htxso.core.errors import Kind, ServiceError
from htxso.core.text import clean_text

PDF = "application/pdf"
JPEG = "image/jpeg"
#: PDF names that run something when the file is opened
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia)\b")


@dataclass(frozen=True)
class Messages:
    """An app's (lazily translated) words for each refusal."""

    too_big: Any  # %(limit)s: the limit in MB
    empty: Any
    wrong_type: Any
    too_many_pixels: Any  # may show %(limit)s: the limit in megapixels
    too_small: Any  # %(width)s, %(height)s and %(min)s (px) available
    corrupt_image: Any
    corrupt_pdf: Any
    pdf_active: Any


@dataclass(frozen=True)
class UploadRules:
    prefix: str  # the codes are "<prefix>_too_big", "<prefix>_type"…
    field: str  # the form field the error is attached to
    messages: Messages
    max_bytes: int
    max_pixels: int = 50_000_000
    min_size: int = 200
    full_size: int = 2400  # px, the longer side of a re-encoded photo
    formats: tuple[str, ...] = ("JPEG", "PNG", "WEBP")
    min_pdf_bytes: int = 0  # a shorter PDF is "corrupt"
    jpeg_quality: int = 85
    optimize: bool = False
    #: whether the too-many-pixels error carries the limit (its message shows it)
    pixel_limit_param: bool = True
    #: characters of the uploaded name replaced by "_" (a regular expression)
    unsafe_name: str = r"[/\\]"
    default_stem: str = "tep"  # the name when nothing of the uploaded one is left

    @property
    def image_rules(self) -> images.ImageRules:
        return images.ImageRules(
            max_bytes=self.max_bytes,
            max_pixels=self.max_pixels,
            min_size=self.min_size,
            full_size=self.full_size,
            formats=self.formats,
        )


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    content_type: str  # JPEG | PDF
    name: str  # a clean file name to show and to download as

    @property
    def extension(self) -> str:
        return ".pdf" if self.content_type == PDF else ".jpg"


def check_upload(upload: Any, rules: UploadRules) -> CheckedUpload:
    """Read, check and clean an uploaded photo or PDF (see the module)."""
    try:
        data = images.read_limited(upload, rules.max_bytes)
    except images.ImageTrouble as trouble:
        raise _problem(trouble, rules) from None
    name = getattr(upload, "name", "") or ""
    if data.startswith(b"%PDF-"):
        return CheckedUpload(_check_pdf(data, rules), PDF, _clean_name(name, ".pdf", rules))
    return CheckedUpload(_check_image(data, rules), JPEG, _clean_name(name, ".jpg", rules))


def _bad(
    rules: UploadRules,
    what: str,
    message: Any,
    params: dict | None = None,
    kind: Kind = Kind.INVALID,
) -> ServiceError:
    code = f"{rules.prefix}_{what}"
    error = ServiceError(code, message, params)
    return ServiceError(code, message, params, fields={rules.field: [error]}, kind=kind)


def _problem(trouble: images.ImageTrouble, rules: UploadRules) -> ServiceError:
    """The app's words for what ``core.images`` found wrong."""
    words = rules.messages
    problem = trouble.problem
    if problem is images.Problem.TOO_BIG:
        limit = {"limit": rules.max_bytes // (1024 * 1024)}
        return _bad(rules, "too_big", words.too_big, limit, kind=Kind.TOO_LARGE)
    if problem is images.Problem.EMPTY:
        return _bad(rules, "empty", words.empty)
    if problem is images.Problem.TOO_MANY_PIXELS:
        pixels = {"limit": rules.max_pixels // 1_000_000} if rules.pixel_limit_param else None
        return _bad(rules, "too_many_pixels", words.too_many_pixels, pixels)
    if problem is images.Problem.TOO_SMALL:
        return _bad(rules, "too_small", words.too_small, trouble.params)
    if problem is images.Problem.CORRUPT:
        return _bad(rules, "corrupt", words.corrupt_image)
    return _bad(rules, "type", words.wrong_type)  # not an image, or not an allowed format


def _check_pdf(data: bytes, rules: UploadRules) -> bytes:
    if len(data) < rules.min_pdf_bytes or b"%%EOF" not in data[-2048:]:
        raise _bad(rules, "corrupt", rules.messages.corrupt_pdf)
    if PDF_ACTIVE.search(data):
        raise _bad(rules, "pdf_active", rules.messages.pdf_active)
    return data


def _check_image(data: bytes, rules: UploadRules) -> bytes:
    try:
        image, _icc = images.decode(data, rules.image_rules)
    except images.ImageTrouble as trouble:
        raise _problem(trouble, rules) from None
    if image.mode in ("RGBA", "LA", "PA", "P"):
        # a transparent background becomes white, as on paper
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    image.thumbnail((rules.full_size, rules.full_size), Image.Resampling.LANCZOS)
    fresh = images.pixels_only(image)  # no exif, comments, icc, xmp reach the file
    out = io.BytesIO()
    fresh.save(
        out,
        format="JPEG",
        quality=rules.jpeg_quality,
        optimize=rules.optimize,
        exif=b"",
        comment=b"",
    )
    return out.getvalue()


def _clean_name(raw: str, extension: str, rules: UploadRules) -> str:
    try:
        name = clean_text(raw or "", max_length=None)
    except ServiceError:
        name = ""
    name = re.sub(rules.unsafe_name, "_", name)
    stem = name.rsplit(".", 1)[0][:80].strip() or rules.default_stem
    return f"{stem}{extension}"
