"""EPCIS 2.0 documents and GS1 Digital Link identifiers (lots, serials, locations).

Identifiers follow GS1 Digital Link URI syntax 1.2 on the canonical domain:
``https://id.gs1.org/01/{GTIN-14}/10/{lot}``, ``…/21/{serial}`` and ``…/414/{GLN}``.
Lot and serial values are 1–20 characters of GS1 AI encodable character set 82, written
percent-encoded (every character but ``A–Z a–z 0–9 - . _ ~``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, unquote, urlsplit

from django.utils.translation import gettext_lazy as _

from htxso.core.codes import CodeError, gtin_check_digit, validate_gtin
from htxso.core.errors import ServiceError

__all__ = [
    "EPCIS_CONTEXT",
    "DigitalLink",
    "DigitalLinkError",
    "epcis_document",
    "format_time",
    "location_epc",
    "lot_epc",
    "parse_digital_link",
    "query_document",
    "serial_epc",
]

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
DL_ROOT = "https://id.gs1.org"
MAX_AI_LENGTH = 20
# GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1).
_CSET82 = re.compile(r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+\Z")
# Characters allowed to appear literally in a path segment (RFC 3986 pchar minus '%').
_PCHAR = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@]*\Z")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


class DigitalLinkError(ServiceError):
    """A Digital Link or identifier that cannot be used; ``code`` is stable."""


@dataclass(frozen=True)
class DigitalLink:
    """What a Digital Link path identifies: a GTIN-14 and a lot or a serial (or neither)."""

    gtin: str
    lot: str | None = None
    serial: str | None = None


def format_time(moment: datetime) -> str:
    """An aware datetime as EPCIS wants it: ISO 8601 with milliseconds and its offset."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("EPCIS times must be timezone-aware")
    return moment.isoformat(timespec="milliseconds")


def _gtin14(gtin: str) -> str:
    try:
        return validate_gtin(gtin).zfill(14)
    except CodeError as exc:
        raise DigitalLinkError(exc.code, exc.message, exc.params) from exc


def _check_value(value: str, what: str) -> str:
    if value is None or value == "":
        raise DigitalLinkError("dl_empty_value", _("The %(what)s is empty."), {"what": what})
    if len(value) > MAX_AI_LENGTH:
        raise DigitalLinkError(
            "dl_too_long",
            _("The %(what)s has more than 20 characters."),
            {"what": what},
        )
    if not _CSET82.match(value):
        raise DigitalLinkError(
            "dl_bad_character",
            _(
                "The %(what)s may only contain letters without accents (A-Z, a-z), digits "
                "and simple signs such as - . _ /"
            ),
            {"what": what},
        )
    return value


def _encode(value: str) -> str:
    return quote(value, safe="")


def lot_epc(gtin14: str, lot: str) -> str:
    """``https://id.gs1.org/01/{gtin14}/10/{lot}`` (GTIN and lot validated)."""
    return f"{DL_ROOT}/01/{_gtin14(gtin14)}/10/{_encode(_check_value(lot, _LOT))}"


def serial_epc(gtin14: str, serial: str) -> str:
    """``https://id.gs1.org/01/{gtin14}/21/{serial}`` (GTIN and serial validated)."""
    return f"{DL_ROOT}/01/{_gtin14(gtin14)}/21/{_encode(_check_value(serial, _SERIAL))}"


def location_epc(gln13: str) -> str:
    """``https://id.gs1.org/414/{gln}`` for a 13-digit GLN with a valid check digit."""
    text = (gln13 or "").strip()
    if not (len(text) == 13 and text.isascii() and text.isdigit()):
        raise DigitalLinkError("gln_format", _("A location number (GLN) has 13 digits."))
    if gtin_check_digit(text[:-1]) != int(text[-1]):
        raise DigitalLinkError(
            "gln_check_digit",
            _("This location number (GLN) is not valid: its check digit does not match."),
        )
    return f"{DL_ROOT}/414/{text}"


_LOT = _("lot number")
_SERIAL = _("serial number")


def _decode(segment: str, what) -> str:
    if not _PCHAR.match(segment.replace("%", "")) or _PERCENT.search(segment):
        raise DigitalLinkError(
            "dl_bad_encoding",
            _("The %(what)s in the link is not correctly percent-encoded."),
            {"what": what},
        )
    try:
        return unquote(segment, errors="strict")
    except UnicodeDecodeError as exc:
        raise DigitalLinkError(
            "dl_bad_encoding",
            _("The %(what)s in the link is not correctly percent-encoded."),
            {"what": what},
        ) from exc


def parse_digital_link(path: str) -> DigitalLink:
    """Read ``/01/{gtin}[/10/{lot}][/21/{serial}]`` (a path or a whole URL; query ignored).

    Error codes: ``dl_format`` (not a product link), ``dl_unsupported_ai``,
    ``gtin_format``/``gtin_check_digit``, ``dl_bad_encoding``, ``dl_bad_character``,
    ``dl_too_long``, ``dl_empty_value``.
    """
    text = (path or "").strip()
    text = urlsplit(text).path if "://" in text else text.split("?", 1)[0].split("#", 1)[0]
    segments = text.strip("/").split("/")
    if len(segments) < 2 or len(segments) % 2 or segments[0] != "01":
        raise DigitalLinkError(
            "dl_format",
            _("This is not a product link: it must look like /01/<GTIN>/10/<lot> or /21/<serial>."),
        )
    gtin = _gtin14(_decode(segments[1], _("barcode number (GTIN)")))
    lot = serial = None
    seen: list[str] = []
    for i in range(2, len(segments), 2):
        ai, raw = segments[i], segments[i + 1]
        if ai not in ("10", "21") or ai in seen or (ai == "10" and "21" in seen):
            raise DigitalLinkError(
                "dl_unsupported_ai",
                _("The link may only add a lot (10) and then a serial number (21)."),
            )
        seen.append(ai)
        if ai == "10":
            lot = _check_value(_decode(raw, _LOT), _LOT)
        else:
            serial = _check_value(_decode(raw, _SERIAL), _SERIAL)
    return DigitalLink(gtin=gtin, lot=lot, serial=serial)


def epcis_document(
    events: list[dict],
    *,
    creation_date: datetime,
    context: dict | None = None,
    document_id: str | None = None,
) -> dict:
    """An EPCISDocument holding ``events`` (``context`` adds extension prefixes)."""
    doc: dict = {"@context": [EPCIS_CONTEXT] + ([context] if context else [])}
    if document_id:
        doc["id"] = document_id
    doc.update(
        {
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": format_time(creation_date),
            "epcisBody": {"eventList": list(events)},
        }
    )
    return doc


def query_document(
    events: list[dict],
    *,
    creation_date: datetime,
    query_name: str = "SimpleEventQuery",
    subscription_id: str | None = None,
    context: dict | None = None,
) -> dict:
    """An EPCISQueryDocument: the answer of a query, as the capture/query API returns it."""
    results: dict = {"queryName": query_name}
    if subscription_id:
        results["subscriptionID"] = subscription_id
    results["resultsBody"] = {"eventList": list(events)}
    return {
        "@context": [EPCIS_CONTEXT] + ([context] if context else []),
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": format_time(creation_date),
        "epcisBody": {"queryResults": results},
    }
