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

import contextlib
import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from htxso.core.errors import ServiceError

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


def _too_big() -> ImageRejected:
    return ImageRejected(
        "image_too_big",
        _("The photo is larger than %(limit)s MB. Choose a smaller photo."),
        {"limit": MAX_BYTES // (1024 * 1024)},
    )


def _read_limited(file) -> bytes:
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > MAX_BYTES:
        raise _too_big()
    if hasattr(file, "seek"):
        with contextlib.suppress(OSError, ValueError):
            file.seek(0)
    data = file.read(MAX_BYTES + 1)
    if isinstance(data, str):  # a text-mode file is not a photo
        raise ImageRejected("image_not_image", _("This file is not a photo."))
    if len(data) > MAX_BYTES:
        raise _too_big()
    if not data:
        raise ImageRejected("image_empty", _("The file is empty."))
    return data


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageRejected(
            "image_not_image",
            _("This file is not a photo. Choose a JPEG, PNG or WebP image."),
        ) from None
    if image.format not in ALLOWED_FORMATS:
        raise ImageRejected(
            "image_bad_format",
            _("Photos in %(format)s format are not accepted. Use JPEG, PNG or WebP."),
            {"format": image.format or "?"},
        )
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()
    if width < MIN_SIZE or height < MIN_SIZE:
        raise ImageRejected(
            "image_too_small",
            _(
                "The photo is too small (%(width)s x %(height)s px); it must be at least"
                " %(min)s px wide and high."
            ),
            {"width": width, "height": height, "min": MIN_SIZE},
        )
    return image


def _too_many_pixels() -> ImageRejected:
    return ImageRejected(
        "image_too_many_pixels",
        _("The photo has too many pixels (at most %(limit)s megapixels)."),
        {"limit": MAX_PIXELS // 1_000_000},
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


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels: no ``info`` (comment, exif, xmp, icc,
    PNG text), so nothing of the upload but its picture reaches the encoder."""
    fresh = Image.new(image.mode, image.size)
    fresh.paste(image)
    fresh.info = {}
    return fresh


def _encode(image: Image.Image, *, alpha: bool) -> bytes:
    out = io.BytesIO()
    image = _pixels_only(image)
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
    data = _read_limited(file)
    image = _open(data)
    try:
        if image.format == "JPEG":
            # Decode at a reduced scale when the photo is much larger than needed.
            image.draft("RGB", (FULL_SIZE, FULL_SIZE))
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            # A colour profile only makes sense on the RGB pixels it describes.
            icc = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise ImageRejected(
            "image_corrupt",
            _("The photo is damaged or incomplete and cannot be read. Try another photo."),
        ) from None
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
