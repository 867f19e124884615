"""Product and store photos: checked, cleaned and resized with Pillow.

:func:`process_upload` refuses, with a stable code and a message the seller
understands (:class:`ImageRejected`):

* ``image_too_big`` — a file over 8 MB; at most limit + 1 bytes are ever read, so a
  30 MB upload is refused without holding it in memory;
* ``image_empty`` — an empty file;
* ``image_not_image`` — not an image at all (text, an executable renamed ``.jpg``…);
* ``image_bad_format`` — an image, but not JPEG, PNG or WebP (GIF, BMP, TIFF, HEIC…);
* ``image_too_many_pixels`` — more than 50 megapixels (decompression bombs: a small
  file that would expand to gigabytes in memory);
* ``image_too_small`` — narrower or lower than 200 px;
* ``image_corrupt`` — an image that cannot be decoded (truncated, damaged).

Accepted images are re-encoded from their pixels alone: EXIF and every other piece of
metadata (GPS position of the farm!, JPEG comments, XMP, PNG text chunks — which can
carry ``<script>`` for a browser that sniffs) is dropped; a colour profile is applied
to the pixels (converted to sRGB) and not stored. The EXIF orientation is applied to
the pixels, the image is reduced to at most 1600 px on its longer side, and a 400 px
thumbnail is made. Output is JPEG, or WebP when the image has transparency (logos).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from PIL import Image

from htxso.core.errors import ServiceError
from htxso.core.images import ImageRules, ImageTrouble, Problem, decode, pixels_only, read_limited

__all__ = [
    "ALLOWED_FORMATS",
    "FULL_SIZE",
    "MAX_BYTES",
    "MAX_PIXELS",
    "MIN_SIZE",
    "THUMB_SIZE",
    "ImageRejected",
    "ProcessedImage",
    "process_upload",
]

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 50_000_000
MIN_SIZE = 200
FULL_SIZE = 1600
THUMB_SIZE = 400
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 85
WEBP_QUALITY = 85


class ImageRejected(ServiceError):
    """An upload that is not accepted; ``code`` is stable, ``message`` translatable."""


@dataclass(frozen=True)
class ProcessedImage:
    full: bytes
    thumb: bytes
    width: int
    height: int
    content_type: str  # "image/jpeg" | "image/webp"

    @property
    def extension(self) -> str:
        return "webp" if self.content_type == "image/webp" else "jpg"


RULES = ImageRules(
    max_bytes=MAX_BYTES,
    max_pixels=MAX_PIXELS,
    min_size=MIN_SIZE,
    full_size=FULL_SIZE,
    formats=ALLOWED_FORMATS,
)


def _rejected(trouble: ImageTrouble) -> ImageRejected:
    """The seller's words for what ``core.images`` found wrong."""
    problem, params = trouble.problem, trouble.params
    if problem is Problem.TOO_BIG:
        return ImageRejected(
            "image_too_big",
            _("The photo is larger than %(limit)s MB. Choose a smaller photo."),
            {"limit": MAX_BYTES // (1024 * 1024)},
        )
    if problem is Problem.EMPTY:
        return ImageRejected("image_empty", _("The file is empty."))
    if problem is Problem.BAD_FORMAT:
        return ImageRejected(
            "image_bad_format",
            _("Photos in %(format)s format are not accepted. Use JPEG, PNG or WebP."),
            {"format": params["format"]},
        )
    if problem is Problem.TOO_MANY_PIXELS:
        return ImageRejected(
            "image_too_many_pixels",
            _("The photo has too many pixels (at most %(limit)s megapixels)."),
            {"limit": MAX_PIXELS // 1_000_000},
        )
    if problem is Problem.TOO_SMALL:
        return ImageRejected(
            "image_too_small",
            _(
                "The photo is too small (%(width)s x %(height)s px); it must be at least"
                " %(min)s px wide and high."
            ),
            params,
        )
    if problem is Problem.CORRUPT:
        return ImageRejected(
            "image_corrupt",
            _("The photo is damaged or incomplete and cannot be read. Try another photo."),
        )
    return ImageRejected(
        "image_not_image",
        _("This file is not a photo. Choose a JPEG, PNG or WebP image."),
    )


def _has_alpha(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA"):
        return image.getchannel("A").getextrema()[0] < 255
    return bool(image.mode == "P" and "transparency" in image.info)


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """The pixels converted from the photo's colour profile to sRGB (the profile is
    not kept: it is free-form bytes); unchanged when there is none or it is unusable."""
    if not icc:
        return image
    try:
        from PIL import ImageCms
    except ImportError:  # Pillow built without Little CMS
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode
        )
    except (OSError, ValueError, TypeError, ImageCms.PyCMSError):
        # a broken or odd profile: keep the pixels as they are
        return image
    return converted if converted is not None else image


def _encode(image: Image.Image, *, alpha: bool) -> bytes:
    out = io.BytesIO()
    image = pixels_only(image)
    if alpha:
        image.save(out, format="WEBP", quality=WEBP_QUALITY, method=4, exif=b"", xmp=b"")
    else:
        image.save(
            out,
            format="JPEG",
            quality=JPEG_QUALITY,
            optimize=True,
            progressive=True,
            exif=b"",
            comment=b"",
        )
    return out.getvalue()


def process_upload(file) -> ProcessedImage:
    """Check and re-encode an uploaded photo (see the module documentation)."""
    try:
        image, icc = decode(read_limited(file, MAX_BYTES), RULES)
    except ImageTrouble as trouble:
        raise _rejected(trouble) from None
    alpha = _has_alpha(image)
    image = image.convert("RGBA" if alpha else "RGB")
    image = _to_srgb(image, icc)
    full = image.copy()
    full.thumbnail((FULL_SIZE, FULL_SIZE), Image.Resampling.LANCZOS)
    thumb = full.copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.LANCZOS)
    return ProcessedImage(
        full=_encode(full, alpha=alpha),
        thumb=_encode(thumb, alpha=alpha),
        width=full.width,
        height=full.height,
        content_type="image/webp" if alpha else "image/jpeg",
    )
