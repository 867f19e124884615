"""Formatted text from sellers and buyers, made safe with nh3 (the ammonia sanitizer).

:func:`clean_html` keeps a small set of formatting tags — paragraphs, line breaks,
bold/italic, lists, two heading levels and links to ``http``/``https`` pages (marked
``rel="nofollow noopener"``) — and removes everything else: scripts and styles with
their content, event-handler and style attributes, ``javascript:``/``data:`` and relative
URLs, comments. Its output is meant to be stored and shown with ``|safe``.

:func:`plain_text` gives the text alone (for search, previews and meta descriptions).
"""

from __future__ import annotations

import html
import unicodedata
from html.parser import HTMLParser

import nh3

__all__ = ["ALLOWED_TAGS", "clean_html", "plain_text"]

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "h3", "h4", "a"})
# Removed together with everything inside them (not only the tags).
_DROP_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea",
     "select", "title", "head", "frameset", "noembed", "noframes", "xmp", "plaintext"}
)  # fmt: skip

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(_DROP_WITH_CONTENT),
    attributes={"a": {"href"}},
    url_schemes={"http", "https"},
    url_relative="deny",
    link_rel="nofollow noopener",
    strip_comments=True,
)


def clean_html(text: str | None) -> str:
    """Sanitised HTML of ``text`` (NFC), safe to render unescaped; ``""`` for nothing."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).replace("\x00", "")
    cleaned = _CLEANER.clean(text).strip()
    return cleaned


_BLOCK_TAGS = frozenset(
    {"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
     "section", "article", "blockquote", "pre", "hr", "dt", "dd"}
)  # fmt: skip


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _DROP_WITH_CONTENT:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _DROP_WITH_CONTENT:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def plain_text(text: str | None) -> str:
    """The readable text of an HTML fragment: no tags, entities decoded, NFC.

    Block elements (paragraphs, list items, line breaks…) become line breaks; spaces
    are collapsed within each line and empty lines dropped.
    """
    if not text:
        return ""
    # Sanitise first so that what we read is exactly what a browser would show.
    safe = _CLEANER.clean(unicodedata.normalize("NFC", text).replace("\x00", ""))
    parser = _TextExtractor()
    parser.feed(safe)
    parser.close()
    raw = html.unescape("".join(parser.parts))
    lines = (" ".join(line.split()) for line in raw.split("\n"))
    return unicodedata.normalize("NFC", "\n".join(line for line in lines if line))
