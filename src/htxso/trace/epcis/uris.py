"""EPC URNs, GS1 Digital Link URIs and CBV vocabularies, as pure string functions.

:func:`canonical_id` turns any identifier found in an EPCIS event into the form the event
hash uses: EPC URNs (``urn:epc:id:…``, ``urn:epc:class:…``, ``urn:epc:idpat:…``) become
canonical GS1 Digital Link URIs on ``https://id.gs1.org`` (EPC Tag Data Standard 2.x
translation tables), and GS1 Digital Link URIs on any domain lose their custom domain,
query string and the coarser key qualifiers ("constrained canonical" form).  Anything else
is returned unchanged.  Results are cached: identifiers repeat a lot inside a ledger.
"""

from __future__ import annotations

import re
from functools import lru_cache

GS1_DL_ROOT = "https://id.gs1.org"
CBV_ROOT = "https://ref.gs1.org/cbv/"
GS1_VOC = "https://gs1.org/voc/"

# --------------------------------------------------------------- CBV vocabularies


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


BIZ_STEPS = _words(
    "accepting arriving assembling collecting commissioning consigning "
    "creating_class_instance cycle_counting decommissioning departing destroying "
    "disassembling dispensing encoding entering_exiting holding inspecting installing "
    "killing loading other packing picking receiving removing repackaging repairing "
    "replacing reserving retail_selling shipping staging_outbound stock_taking stocking "
    "storing transporting unloading unpacking void_shipping sensor_reporting sampling"
)
DISPOSITIONS = _words(
    "active container_closed damaged destroyed dispensed disposed encoded expired "
    "in_progress in_transit inactive no_pedigree_match non_sellable_other "
    "partially_dispensed recalled reserved retail_sold returned sellable_accessible "
    "sellable_not_accessible stolen unknown available completeness_verified "
    "completeness_inferred conformant container_open mismatch_instance mismatch_class "
    "mismatch_quantity needs_replacement non_conformant unavailable"
)
BIZ_TRANSACTION_TYPES = _words(
    "bol cert desadv inv pedigree po poc prodorder recadv rma testprd testres upevt"
)
SOURCE_DEST_TYPES = frozenset(["owning_party", "possessing_party", "location"])
COMPONENTS = _words(
    "x y z axial_distance azimuth height spherical_radius polar_angle elevation_angle "
    "easting northing latitude longitude altitude"
)
SENSOR_ALERTS = frozenset(["ALARM_CONDITION", "ERROR_CONDITION"])

#: vocabulary kind -> (CBV web URI prefix, legacy URN prefix)
VOCABULARIES = {
    "bizStep": (CBV_ROOT + "BizStep-", "urn:epcglobal:cbv:bizstep:"),
    "disposition": (CBV_ROOT + "Disp-", "urn:epcglobal:cbv:disp:"),
    "bizTransactionType": (CBV_ROOT + "BTT-", "urn:epcglobal:cbv:btt:"),
    "sourceDestType": (CBV_ROOT + "SDT-", "urn:epcglobal:cbv:sdt:"),
    "component": (CBV_ROOT + "Comp-", "urn:epcglobal:cbv:comp:"),
    "errorReason": (CBV_ROOT + "ER-", "urn:epcglobal:cbv:er:"),
}

#: CURIE prefixes every EPCIS 2.0 document has through the standard context.
DEFAULT_PREFIXES = {
    "gs1": GS1_VOC,
    "cbv": CBV_ROOT,
    "epcis": "https://ref.gs1.org/epcis/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}


def expand_vocabulary(value: str, kind: str) -> str:
    """A CBV value in its web URI form: bare word, legacy URN or CBV URI in, CBV URI out."""
    web, urn = VOCABULARIES[kind]
    if ":" not in value:
        return web + value
    if value.startswith(urn):
        return web + value[len(urn) :]
    return value


# ------------------------------------------------------------------ check digits


def gs1_check_digit(body: str) -> str:
    """The GS1 mod-10 check digit of a string of digits (weights 3,1,3… from the right)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        total += (ord(ch) - 48) * (3 if i % 2 == 0 else 1)
    return str((10 - total % 10) % 10)


# ----------------------------------------------------------------- EPC URN -> DL

# One component of an EPC URN: GS1 AI encodable set 82 with its URN escapes.
_URN_CHARS = r"(?:[A-Za-z0-9!'()*+,\-.:;=_]|%[0-9A-Fa-f]{2})"
_CSET82 = re.compile(rf"{_URN_CHARS}*\Z")
_CSET39 = re.compile(r"(?:[A-Z0-9\-]|%2[3Ff])*\Z")  # CPI component reference: # - / 0-9 A-Z
_DIGITS = re.compile(r"[0-9]*\Z")
# Characters a Digital Link path segment percent-encodes (escapes already present stay).
_DL_ENCODE = {"!": "%21", "(": "%28", ")": "%29", "*": "%2A", "+": "%2B", ",": "%2C", ":": "%3A"}
_DL_ENCODE_RE = re.compile(r"[!()*+,:]")


def _dl_value(urn_value: str) -> str:
    return _DL_ENCODE_RE.sub(lambda m: _DL_ENCODE[m.group()], urn_value)


def _digits(value: str, length: int | None = None) -> bool:
    return bool(_DIGITS.match(value)) and value != "" and (length is None or len(value) == length)


def _cset82(value: str, max_len: int, *, allow_empty: bool = False) -> bool:
    if not value:
        return allow_empty
    return bool(_CSET82.match(value)) and len(re.sub(r"%[0-9A-Fa-f]{2}", "_", value)) <= max_len


def _gtin(cp: str, ind_item: str) -> str | None:
    if not (_digits(cp) and _digits(ind_item) and len(cp) + len(ind_item) == 13):
        return None
    body = ind_item[0] + cp + ind_item[1:]
    return body + gs1_check_digit(body)


def _keyed(cp: str, ref: str, total: int) -> str | None:
    """Company prefix + reference (digits) of ``total - 1`` digits plus a check digit."""
    body = cp + ref
    if not (_digits(cp) and (ref == "" or _digits(ref)) and len(body) == total - 1):
        return None
    return body + gs1_check_digit(body)


def _urn_id(scheme: str, parts: list[str]) -> str | None:
    n = len(parts)
    if scheme == "sgtin" and n == 3:
        gtin = _gtin(parts[0], parts[1])
        if gtin and _cset82(parts[2], 20):
            return f"/01/{gtin}/21/{_dl_value(parts[2])}"
    elif scheme == "sscc" and n == 2:
        cp, ref = parts
        if _digits(cp) and _digits(ref) and len(cp) + len(ref) == 17:
            body = ref[0] + cp + ref[1:]
            return f"/00/{body}{gs1_check_digit(body)}"
    elif scheme == "sgln" and n == 3:
        gln = _keyed(parts[0], parts[1], 13)
        if gln and _cset82(parts[2], 20):
            return f"/414/{gln}" if parts[2] == "0" else f"/414/{gln}/254/{_dl_value(parts[2])}"
    elif scheme == "grai" and n == 3:
        key = _keyed(parts[0], parts[1], 13)
        if key and _cset82(parts[2], 16, allow_empty=True):
            return f"/8003/0{key}{_dl_value(parts[2])}"
    elif scheme == "giai" and n == 2:
        if _digits(parts[0]) and _cset82(parts[1], 30 - len(parts[0])):
            return f"/8004/{parts[0]}{_dl_value(parts[1])}"
    elif scheme in ("gsrn", "gsrnp") and n == 2:
        key = _keyed(parts[0], parts[1], 18)
        if key:
            return f"/{'8018' if scheme == 'gsrn' else '8017'}/{key}"
    elif scheme in ("gdti", "sgcn") and n == 3:
        key = _keyed(parts[0], parts[1], 13)
        ok = (
            _cset82(parts[2], 17) if scheme == "gdti" else _digits(parts[2]) and len(parts[2]) <= 12
        )
        if key and ok:
            return f"/{'253' if scheme == 'gdti' else '255'}/{key}{_dl_value(parts[2])}"
    elif scheme == "cpi" and n == 3:
        if _digits(parts[0]) and _CSET39.match(parts[1]) and _digits(parts[2]):
            return f"/8010/{parts[0]}{parts[1]}/8011/{parts[2]}"
    elif scheme == "ginc" and n == 2:
        if _digits(parts[0]) and _cset82(parts[1], 30 - len(parts[0])):
            return f"/401/{parts[0]}{_dl_value(parts[1])}"
    elif scheme == "gsin" and n == 2:
        key = _keyed(parts[0], parts[1], 17)
        if key:
            return f"/402/{key}"
    elif scheme == "itip" and n == 5:
        gtin = _gtin(parts[0], parts[1])
        if gtin and _digits(parts[2], 2) and _digits(parts[3], 2) and _cset82(parts[4], 20):
            return f"/8006/{gtin}{parts[2]}{parts[3]}/21/{_dl_value(parts[4])}"
    elif scheme == "upui" and n == 3:
        gtin = _gtin(parts[0], parts[1])
        if gtin and _cset82(parts[2], 28):
            return f"/01/{gtin}/235/{_dl_value(parts[2])}"
    elif scheme == "pgln" and n == 2:
        key = _keyed(parts[0], parts[1], 13)
        if key:
            return f"/417/{key}"
    return None


def _urn_class(scheme: str, parts: list[str]) -> str | None:
    if scheme == "lgtin" and len(parts) == 3:
        gtin = _gtin(parts[0], parts[1])
        if gtin and _cset82(parts[2], 20):
            return f"/01/{gtin}/10/{_dl_value(parts[2])}"
    return None


def _urn_pattern(scheme: str, parts: list[str]) -> str | None:
    if not parts or parts[-1] != "*":
        return None
    parts = parts[:-1]
    if scheme == "sgtin" and len(parts) == 2:
        gtin = _gtin(*parts)
        return f"/01/{gtin}" if gtin else None
    if scheme in ("grai", "gdti", "sgcn") and len(parts) == 2:
        key = _keyed(parts[0], parts[1], 13)
        ai = {"grai": "8003/0", "gdti": "253/", "sgcn": "255/"}[scheme]
        return f"/{ai}{key}" if key else None
    if scheme == "cpi" and len(parts) == 2 and _digits(parts[0]) and _CSET39.match(parts[1]):
        return f"/8010/{parts[0]}{parts[1]}"
    if scheme == "itip" and len(parts) == 4:
        gtin = _gtin(parts[0], parts[1])
        if gtin and _digits(parts[2], 2) and _digits(parts[3], 2):
            return f"/8006/{gtin}{parts[2]}{parts[3]}"
    return None


def epc_urn_to_dl(urn: str) -> str | None:
    """The canonical Digital Link URI of an EPC URN, or ``None`` when it has none."""
    for prefix, convert in (
        ("urn:epc:id:", _urn_id),
        ("urn:epc:class:", _urn_class),
        ("urn:epc:idpat:", _urn_pattern),
    ):
        if urn.startswith(prefix):
            scheme, _, rest = urn[len(prefix) :].partition(":")
            path = convert(scheme, rest.split("."))
            return GS1_DL_ROOT + path if path else None
    return None


# ------------------------------------------------------------ Digital Link URIs

PRIMARY_KEYS = {
    "00": re.compile(r"[0-9]{18}\Z"),
    "01": re.compile(r"[0-9]{8}(?:[0-9]{4,6})?\Z"),
    "253": re.compile(r"[0-9]{13}[!-~]{0,17}\Z"),
    "255": re.compile(r"[0-9]{13}[0-9]{0,12}\Z"),
    "401": re.compile(r"[!-~]{1,30}\Z"),
    "402": re.compile(r"[0-9]{17}\Z"),
    "414": re.compile(r"[0-9]{13}\Z"),
    "417": re.compile(r"[0-9]{13}\Z"),
    "8003": re.compile(r"[0-9]{14}[!-~]{0,16}\Z"),
    "8004": re.compile(r"[!-~]{1,30}\Z"),
    "8006": re.compile(r"[0-9]{18}\Z"),
    "8010": re.compile(r"[!-~]{1,30}\Z"),
    "8017": re.compile(r"[0-9]{18}\Z"),
    "8018": re.compile(r"[0-9]{18}\Z"),
}
ALIASES = {
    "gtin": "01", "sscc": "00", "gln": "414", "party": "417", "gdti": "253", "gcn": "255",
    "ginc": "401", "gsin": "402", "grai": "8003", "giai": "8004", "itip": "8006",
    "cpid": "8010", "gsrnp": "8017", "gsrn": "8018", "cpv": "22", "lot": "10", "ser": "21",
    "glnx": "254", "cpsn": "8011", "tpx": "235",
}  # fmt: skip
QUALIFIERS = {"01": ("22", "10", "21", "235"), "414": ("254",), "8006": ("22", "10", "21"),
              "8010": ("8011",)}  # fmt: skip
#: the finest qualifier kept for each primary key, in order of preference
_KEEP = {"01": ("21", "235", "10"), "414": ("254",), "8006": ("21", "10"), "8010": ("8011",)}
_DL_SEGMENT = re.compile(r"[A-Za-z0-9!'()*+,\-.:;=_\"&<>]+\Z")  # no '%': escaped values stay


@lru_cache(maxsize=65536)
def canonical_dl(uri: str) -> str | None:
    """The constrained canonical form of a GS1 Digital Link URI, or ``None`` if not one."""
    if not uri.startswith(("https://", "http://")):
        return None
    rest = uri.split("://", 1)[1].split("?", 1)[0].split("#", 1)[0]
    segments = rest.split("/")[1:]
    for start, seg in enumerate(segments):
        key = ALIASES.get(seg, seg)
        if key not in PRIMARY_KEYS or (len(segments) - start) % 2:
            continue
        value = segments[start + 1]
        if not PRIMARY_KEYS[key].match(value) or not _DL_SEGMENT.match(value):
            continue
        quals = {}
        allowed = QUALIFIERS.get(key, ())
        ok = True
        for i in range(start + 2, len(segments), 2):
            q = ALIASES.get(segments[i], segments[i])
            if q not in allowed or not _DL_SEGMENT.match(segments[i + 1]):
                ok = False
                break
            quals[q] = segments[i + 1]
        if not ok:
            continue
        if key == "01":
            value = value.zfill(14)
        out = f"{GS1_DL_ROOT}/{key}/{value}"
        for q in _KEEP.get(key, ()):
            if q in quals:
                out += f"/{q}/{quals[q]}"
                break
        return out
    return None


@lru_cache(maxsize=65536)
def canonical_id(value: str) -> str:
    """EPC URN or Digital Link URI in, constrained canonical Digital Link out (else as is)."""
    if value.startswith("urn:epc:"):
        return epc_urn_to_dl(value) or value
    if value.startswith("http"):
        return canonical_dl(value) or value
    return value
