"""Reading an uploaded photo safely, for every module that takes one.

The dangerous part of a photo upload is the same everywhere — a huge file, a file that
is not an image, a decompression bomb (a small file that expands to gigabytes of
pixels), a truncated image — so it is written once here.  Each module keeps its own
limits (:class:`ImageRules`) and its own words: :func:`read_limited` and :func:`decode`
raise :class:`ImageTrouble` with a :class:`Problem`, which the module turns into its
``ServiceError`` with its stable code and a message its users understand
(``market.images``, ``onboarding.documents``).
"""

from __future__ import annotations

import contextlib
import enum
import io
import warnings
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError


class Problem(enum.Enum):
    TOO_BIG = "too_big"  # more bytes than the limit (at most limit + 1 are read)
    EMPTY = "empty"
    NOT_IMAGE = "not_image"  # text, an executable renamed .jpg…
    BAD_FORMAT = "bad_format"  # an image, but not one of the formats allowed
    TOO_MANY_PIXELS = "too_many_pixels"  # a decompression bomb
    TOO_SMALL = "too_small"  # narrower or lower than the minimum
    CORRUPT = "corrupt"  # cannot be decoded


class ImageTrouble(Exception):
    def __init__(self, problem: Problem, **params: Any) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.params = params


@dataclass(frozen=True)
class ImageRules:
    max_bytes: int
    max_pixels: int = 50_000_000
    min_size: int = 200
    #: a JPEG much larger than this is decoded at a reduced scale
    full_size: int = 1600
    formats: tuple[str, ...] = ("JPEG", "PNG", "WEBP")


def read_limited(file: Any, max_bytes: int) -> bytes:
    """The bytes of an upload, reading at most ``max_bytes + 1`` of them."""
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise ImageTrouble(Problem.TOO_BIG)
    if hasattr(file, "seek"):
        with contextlib.suppress(OSError, ValueError):
            file.seek(0)
    data = file.read(max_bytes + 1)
    if isinstance(data, str):  # a text-mode file is not a photo
        raise ImageTrouble(Problem.NOT_IMAGE)
    if len(data) > max_bytes:
        raise ImageTrouble(Problem.TOO_BIG)
    if not data:
        raise ImageTrouble(Problem.EMPTY)
    return bytes(data)


def decode(data: bytes, rules: ImageRules) -> tuple[Image.Image, bytes | None]:
    """The decoded picture, turned upright by its EXIF orientation, and its colour
    profile (for RGB pictures; ``None`` otherwise).  Nothing but the header is decoded
    before the size checks."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageTrouble(Problem.TOO_MANY_PIXELS) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageTrouble(Problem.NOT_IMAGE) from None
    if image.format not in rules.formats:
        raise ImageTrouble(Problem.BAD_FORMAT, format=image.format or "?")
    width, height = image.size
    if width * height > rules.max_pixels:
        raise ImageTrouble(Problem.TOO_MANY_PIXELS)
    if width < rules.min_size or height < rules.min_size:
        raise ImageTrouble(Problem.TOO_SMALL, width=width, height=height, min=rules.min_size)
    try:
        if image.format == "JPEG":
            image.draft("RGB", (rules.full_size, rules.full_size))
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            # a colour profile only makes sense on the RGB pixels it describes
            icc = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None
            upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageTrouble(Problem.TOO_MANY_PIXELS) from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise ImageTrouble(Problem.CORRUPT) from None
    return (upright if upright is not None else image), icc


def pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels: no ``info`` (comment, EXIF, XMP, colour
    profile, PNG text), so nothing of the upload but its picture reaches the encoder."""
    fresh = Image.new(image.mode, image.size)
    fresh.paste(image)
    fresh.info = {}
    return fresh
