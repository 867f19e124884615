"""What staff type and upload, made safe: formatted text (nh3) and pictures (Pillow).

:func:`clean_html` keeps an allow-list of formatting — paragraphs, line breaks, bold and
italic, lists, two heading levels, quotes and links to ``http``/``https`` pages or to
pages of this site (``/…``), marked ``rel="nofollow noopener"`` — and removes the rest:
``<script>``/``<style>``/``<iframe>`` with their content, every ``on*=`` and ``style``
attribute, ``javascript:`` and ``data:`` URLs, comments, images (pictures are uploaded,
checked and re-encoded instead).  Plain text without any tag is turned into paragraphs
(blank line) and line breaks, so a person who types no markup still gets a readable page.

:func:`process_image` refuses a file that is not a JPEG/PNG/WebP picture (``image_*``
codes) and re-encodes the pixels alone as JPEG (EXIF with GPS, comments and PNG text
chunks are dropped), at most 1600 px on the longer side.
"""

from __future__ import annotations

import html
import io
import re
import unicodedata
from dataclasses import dataclass

import nh3
from django.utils.translation import gettext_lazy as _
from PIL import Image

from htxso.core.errors import Kind, ServiceError
from htxso.core.images import ImageRules, ImageTrouble, Problem, decode, pixels_only, read_limited

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "h3", "h4", "a", "blockquote"}
)
_DROP_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea",
     "select", "title", "head", "frameset", "noembed", "noframes", "xmp", "plaintext", "svg",
     "math"}
)  # fmt: skip


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # a protocol-relative link (//evil.example) would leave the site as a "relative" URL
    if attribute == "href" and value.strip().startswith(("//", "\\", "/\\")):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(_DROP_WITH_CONTENT),
    attributes={"a": {"href"}},
    url_schemes={"http", "https"},
    url_relative="pass_through",
    link_rel="nofollow noopener",
    strip_comments=True,
    attribute_filter=_attribute_filter,
)
_TAG = re.compile(r"<[a-zA-Z/!]")
_BLOCK = re.compile(r"<\s*/?\s*(p|ul|ol|li|h[1-6]|blockquote|div|br|table)\b", re.IGNORECASE)


def clean_html(text: str | None) -> str:
    """Sanitised HTML of ``text``, safe to show with ``|safe``; ``""`` for nothing."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).replace("\x00", "").replace("\r\n", "\n")
    has_tags = bool(_TAG.search(text))
    if not _BLOCK.search(text):
        # typed text (maybe with a few inline tags): blank lines make paragraphs
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        text = "".join(
            "<p>"
            + "<br>".join(line if has_tags else html.escape(line) for line in p.split("\n"))
            + "</p>"
            for p in paragraphs
        )
    return _CLEANER.clean(text).strip()


def plain_text(fragment: str | None, limit: int = 300) -> str:
    """The words of an HTML fragment (for meta descriptions)."""
    if not fragment:
        return ""
    words = nh3.clean(fragment, tags=set()).split()
    out = html.unescape(" ".join(words))
    return out if len(out) <= limit else out[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------------- pictures

MAX_BYTES = 8 * 1024 * 1024
FULL_SIZE = 1600
RULES = ImageRules(max_bytes=MAX_BYTES, min_size=200, full_size=FULL_SIZE)

_MESSAGES = {
    Problem.TOO_BIG: _("The picture is larger than 8 MB."),
    Problem.EMPTY: _("The file is empty."),
    Problem.NOT_IMAGE: _("This file is not a picture. Send a JPEG, PNG or WebP photo."),
    Problem.BAD_FORMAT: _("Send a JPEG, PNG or WebP photo (this one is %(format)s)."),
    Problem.TOO_MANY_PIXELS: _("The picture has too many pixels."),
    Problem.TOO_SMALL: _(
        "The picture is too small (%(width)s x %(height)s px); at least %(min)s px wide and high."
    ),
    Problem.CORRUPT: _("The picture is damaged and cannot be read."),
}


@dataclass(frozen=True)
class Picture:
    data: bytes
    width: int
    height: int


def process_image(file, *, field: str = "image") -> Picture:
    """Check an upload and re-encode it; :class:`ServiceError` ``image_<problem>``."""
    try:
        data = read_limited(file, MAX_BYTES)
        image, _icc = decode(data, RULES)
    except ImageTrouble as trouble:
        message = _MESSAGES[trouble.problem]
        raise ServiceError(
            f"image_{trouble.problem.value}",
            message,
            trouble.params,
            fields={field: [str(message) % trouble.params if trouble.params else message]},
            kind=Kind.TOO_LARGE if trouble.problem is Problem.TOO_BIG else None,
        ) from None
    image = pixels_only(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.split()[-1])
        image = background
    image.thumbnail((FULL_SIZE, FULL_SIZE))
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    return Picture(out.getvalue(), image.width, image.height)
