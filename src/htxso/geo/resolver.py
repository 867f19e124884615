"""Resolve a free-text Vietnamese address to a province and ward of the 2025 reform.

Addresses arrive in the new two-level form ("Phường Tân An, Đắk Lắk") or, far more
often, in the old three-level form ("Xã Ea Tu, TP. Buôn Ma Thuột, Đắk Lắk"), with or
without accents and with the usual abbreviations (TP., Q., H., TX., TT., X., P.).

How it works.  The text is cut at commas, folded (``htxso.core.text.fold``) and
tokenised; every run of tokens that is the name of a unit is found with one dictionary
look-up per position.  Unit words ("xã", "huyện", "thành phố"…) are read left to right:
each claims the longest name after it, which tells the level and type of that name.
The mentions are then read from the right, as Vietnamese addresses are written
(…, ward, district, province): the province is the right-most province name, the former
district the right-most district name of that province, and the ward candidates are the
remaining names that fit both — new wards by name, former wards through the official
old → new table.  Every candidate gets a score; a clear winner is the answer, a tie is
reported as ``ambiguous`` with the candidates.

The name index is built once per process from the database (about 14,000 units, a
third of a second) and rebuilt when ``load_units`` changes the data.  For an import,
create one ``Resolver`` and call ``resolve()`` per row: no query is made per row.
"""

from __future__ import annotations

import functools
import re
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from htxso.core.text import fold
from htxso.geo.models import (
    LegacyDistrict,
    LegacyProvince,
    LegacyWard,
    Province,
    UnitsDataset,
    Ward,
    WardMapping,
)

__all__ = [
    "REASONS",
    "Resolution",
    "Resolver",
    "UnitIndex",
    "get_index",
    "invalidate_index",
    "normalize_tokens",
    "resolve_address",
]

EXACT_NEW = "exact_new"
LEGACY_MAPPED = "legacy_mapped"
AMBIGUOUS = "ambiguous"
PROVINCE_ONLY = "province_only"
NO_MATCH = "no_match"
REASONS = (EXACT_NEW, LEGACY_MAPPED, AMBIGUOUS, PROVINCE_ONLY, NO_MATCH)

#: Only the end of very long input is read: addresses end with the province.
MAX_INPUT_CHARS = 4000
#: Candidates closer than this to the best one make the answer ambiguous.
TIE_MARGIN = 0.05
#: At most this many ward-name mentions (the nearest to the district/province) are scored.
MAX_WARD_MENTIONS = 48
MAX_CANDIDATES = 20
#: How often ``resolve_address`` asks the database whether the units were reloaded.
VERSION_CHECK_SECONDS = 30.0
DATASET_KEY = "vietnam_provinces"
_EPS = 1e-9


@dataclass(frozen=True)
class Resolution:
    """The answer for one address.

    ``ward`` is set only when one ward clearly wins; ``candidates`` (best first, score
    0–1) is filled only when ``reason == "ambiguous"``.  ``legacy`` is the former ward
    the text named, when the answer came through the old → new table (or when that
    ward is known but has no row in the table: ``province_only``).  The model instances
    are shared by every resolution made from one index: treat them as read-only.
    """

    province: Province | None = None
    ward: Ward | None = None
    confidence: float = 0.0
    candidates: list[tuple[Ward, float]] = field(default_factory=list)
    legacy: LegacyWard | None = None
    reason: str = NO_MATCH

    @property
    def is_resolved(self) -> bool:
        return self.ward is not None


# --- text normalisation --------------------------------------------------------------

# Abbreviations and unit words, after folding, mapped to canonical tokens.
_EXPAND: dict[str, tuple[str, ...]] = {
    "tp": ("thanh", "pho"),
    "tx": ("thi", "xa"),
    "tt": ("thi", "tran"),
    "ttr": ("thi", "tran"),
    "q": ("quan",),
    "h": ("huyen",),
    "x": ("xa",),
    "p": ("phuong",),
    "f": ("phuong",),
    "t": ("tinh",),
    "dk": ("dac", "khu"),
    "hcm": ("ho", "chi", "minh"),
    "tphcm": ("thanh", "pho", "ho", "chi", "minh"),
    "brvt": ("ba", "ria", "vung", "tau"),
}
# "Q1", "P12", "F5", "X2" → letter and number apart.
_GLUED_NUMBER = re.compile(r"^(q|p|f|x)(\d+)$")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_ASCII_WORD = re.compile(r"[0-9a-z]+")
# Segment separators: a unit name never spans one of these.
_SEGMENT_SPLIT = re.compile(r"[,;|/\\()\[\]{}<>\n\r\t，、；]+")
_APOSTROPHES_AND_DOTS = re.compile(r"['’‘`´.]")
_HYPHEN_SPLIT = re.compile(r"\s+[-–—]\s+")

# Unit words → the division type they announce.
_WARD_KW: dict[tuple[str, ...], str] = {
    ("xa",): "xã",
    ("phuong",): "phường",
    ("thi", "tran"): "thị trấn",
    ("dac", "khu"): "đặc khu",
}
_DISTRICT_KW: dict[tuple[str, ...], str] = {
    ("huyen",): "huyện",
    ("quan",): "quận",
    ("thi", "xa"): "thị xã",
    ("thanh", "pho"): "thành phố",
}
_PROVINCE_KW = {("tinh",)}
_KEYWORDS = set(_WARD_KW) | set(_DISTRICT_KW) | _PROVINCE_KW
_KW1 = {kw[0] for kw in _KEYWORDS if len(kw) == 1}
_KW2 = {kw for kw in _KEYWORDS if len(kw) == 2}
_KW_TOKENS = {t for kw in _KEYWORDS for t in kw}
# Type prefixes stripped from official names (two-word ones first).
_TYPE_PREFIXES = [
    ("thanh", "pho"),
    ("thi", "tran"),
    ("thi", "xa"),
    ("dac", "khu"),
    ("tinh",),
    ("huyen",),
    ("quan",),
    ("phuong",),
    ("xa",),
]
# Words that introduce a street, village or house number: the name after one of them
# is not a unit ("Đường Lê Lợi", "Thôn Tân An", "Ấp 3").
_NOISE = {
    "duong",
    "pho",
    "ngo",
    "ngach",
    "hem",
    "kiet",
    "thon",
    "ap",
    "xom",
    "ban",
    "to",
    "khom",
    "khu",
    "khoi",
    "cum",
    "doi",
    "so",
    "lo",
    "nha",
}


@functools.lru_cache(maxsize=50_000)
def _fold_word(word: str) -> tuple[str, ...]:
    # fold() of a text is the fold() of its words joined by spaces; names share words,
    # so folding word by word with a cache makes building the index several times faster.
    return tuple(fold(word).split())


def _canonical(words: list[str]) -> list[str]:
    """Folded words → canonical tokens (abbreviations expanded, numbers unpadded)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        tok = words[i]
        if tok == "t" and i + 1 < len(words) and words[i + 1] == "p":  # "T.P"
            out += ["thanh", "pho"]
            i += 2
            continue
        glued = _GLUED_NUMBER.match(tok)
        if glued:
            out += [*_EXPAND[glued.group(1)], glued.group(2).lstrip("0") or "0"]
        elif tok.isdigit():
            out.append(tok.lstrip("0") or "0")
        elif tok in _EXPAND:
            out += _EXPAND[tok]
        elif _ASCII_WORD.fullmatch(tok):
            out.append(tok)
        else:
            # Letters fold() keeps but no unit name has (other scripts): a separator.
            out += _NON_ALNUM.sub(" ", tok).split()
        i += 1
    return out


def normalize_segments(text: str) -> list[list[str]]:
    """Cut ``text`` at commas (and similar) and turn each part into canonical tokens."""
    segments = []
    for part in _SEGMENT_SPLIT.split(text):
        words: list[str] = []
        for word in part.split():
            words.extend(_fold_word(word))
        if tokens := _canonical(words):
            segments.append(tokens)
    return segments


def normalize_tokens(text: str) -> list[str]:
    """Fold ``text`` into canonical tokens: no accents, no punctuation, abbreviations
    expanded ("TP." → "thanh pho", "P.5" → "phuong 5", "01" → "1")."""
    return [tok for seg in normalize_segments(text) for tok in seg]


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_WORD = re.compile(r"(?:\w|[\u0300-\u036f])+")  # letters with their NFD marks


def accent_key(text: str) -> str:
    """Lower-case words with accents kept but the tone mark moved to the end of each
    word, so that "Hoà" and "Hòa" agree while "Giang" and "Giàng" do not."""
    words = []
    for word in _WORD.findall(unicodedata.normalize("NFD", text.lower())):
        tones = "".join(ch for ch in word if ch in _TONE_MARKS)
        base = "".join(ch for ch in word if ch not in _TONE_MARKS)
        words.append(unicodedata.normalize("NFC", base + tones))
    return " ".join(words)


def _strip_type(name: str, division_type: str) -> str:
    if division_type and name.lower().startswith(division_type.lower() + " "):
        return name[len(division_type) + 1 :]
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _core_variants(name: str, *, joined: bool = False) -> list[tuple[tuple[str, ...], bool]]:
    """Token keys under which a unit name is indexed: (key, is_alias)."""
    spellings = [name]
    if _APOSTROPHES_AND_DOTS.search(name):
        # "Ea H'leo" is also written "Ea Hleo", "N.T Phong Hải" "NT Phong Hải".
        spellings.append(_APOSTROPHES_AND_DOTS.sub("", name))
    out: dict[tuple[str, ...], bool] = {}
    for i, spelling in enumerate(spellings):
        parts = [spelling]
        # "Phường Lâm Viên - Đà Lạt": the first part alone is a common way to write it.
        halves = _HYPHEN_SPLIT.split(spelling)
        if len(halves) > 1:
            parts.append(halves[0])
        for j, part in enumerate(parts):
            tokens = normalize_tokens(part)
            for prefix in _TYPE_PREFIXES:
                if len(tokens) > len(prefix) and tuple(tokens[: len(prefix)]) == prefix:
                    tokens = tokens[len(prefix) :]
                    break
            if not tokens:
                continue
            key = tuple(tokens)
            alias = j > 0
            out[key] = out.get(key, True) and alias
            if joined and i == 0 and j == 0 and len(tokens) > 1:
                out.setdefault(("".join(tokens),), True)  # "Daklak", "Hanoi"
    return list(out.items())


# --- the index -------------------------------------------------------------------------

NEW_PROVINCE, OLD_PROVINCE, OLD_DISTRICT, OLD_WARD, NEW_WARD = range(5)
_EXTRA_ALIASES = {
    # Common older names not in the tables.
    ("thua", "thien", "hue"): (OLD_PROVINCE, "46"),
}


class UnitIndex:
    """All units in memory, and a token-sequence → units dictionary."""

    def __init__(
        self,
        provinces: Iterable[Province],
        wards: Iterable[Ward],
        legacy_provinces: Iterable[LegacyProvince],
        legacy_districts: Iterable[LegacyDistrict],
        legacy_wards: Iterable[LegacyWard],
        mappings: Iterable[tuple[str, str, bool]],
    ) -> None:
        self.provinces = {p.code: p for p in provinces}
        self.wards = {w.code: w for w in wards}
        self.legacy_provinces = {p.code: p for p in legacy_provinces}
        self.legacy_districts = {d.code: d for d in legacy_districts}
        self.legacy_wards = {w.code: w for w in legacy_wards}
        # Attach related objects so that no attribute access hits the database.
        for w in self.wards.values():
            if w.province_id in self.provinces:
                w.province = self.provinces[w.province_id]
        for p in self.legacy_provinces.values():
            if p.new_province_id in self.provinces:
                p.new_province = self.provinces[p.new_province_id]
        for d in self.legacy_districts.values():
            if d.province_id in self.legacy_provinces:
                d.province = self.legacy_provinces[d.province_id]
        for w in self.legacy_wards.values():
            if w.district_id in self.legacy_districts:
                w.district = self.legacy_districts[w.district_id]

        self.legacy_ward_province = {
            code: self.legacy_districts[w.district_id].province_id
            for code, w in self.legacy_wards.items()
            if w.district_id in self.legacy_districts
        }
        self.legacy_to_new_province = {
            code: p.new_province_id for code, p in self.legacy_provinces.items()
        }
        self.mapping: dict[str, list[tuple[str, bool]]] = {}
        for old, new, partial in mappings:
            if new in self.wards:
                self.mapping.setdefault(old, []).append((new, partial))
        self._accent_keys: dict[tuple[int, str], str] = {}

        names: dict[tuple[str, ...], list[tuple[int, str, bool]]] = {}

        def add(kind: int, code: str, name: str, *, joined: bool = False) -> None:
            for key, alias in _core_variants(name, joined=joined):
                names.setdefault(key, []).append((kind, code, alias))

        for p in self.provinces.values():
            add(NEW_PROVINCE, p.code, p.name, joined=True)
        for p in self.legacy_provinces.values():
            add(OLD_PROVINCE, p.code, p.name, joined=True)
        for key, (kind, code) in _EXTRA_ALIASES.items():
            names.setdefault(key, []).append((kind, code, True))
        for d in self.legacy_districts.values():
            add(OLD_DISTRICT, d.code, d.name)
        for w in self.wards.values():
            add(NEW_WARD, w.code, w.name)
        for w in self.legacy_wards.values():
            add(OLD_WARD, w.code, w.name)
        self.names = {key: tuple(entries) for key, entries in names.items()}
        self.max_key_len = max((len(k) for k in self.names), default=0)

    @classmethod
    def from_database(cls) -> UnitIndex:
        return cls(
            Province.objects.all(),
            Ward.objects.all(),
            LegacyProvince.objects.all(),
            LegacyDistrict.objects.all(),
            LegacyWard.objects.all(),
            WardMapping.objects.values_list("legacy_ward_id", "ward_id", "is_partial"),
        )

    def accent_key_of(self, kind: int, code: str) -> str:
        """``accent_key`` of a ward's name without its type word (memoised)."""
        key = (kind, code)
        value = self._accent_keys.get(key)
        if value is None:
            unit = self.wards[code] if kind == NEW_WARD else self.legacy_wards[code]
            value = accent_key(_strip_type(unit.name, unit.division_type))
            self._accent_keys[key] = value
        return value


_lock = threading.Lock()
_cache: dict[str, object] = {"index": None, "version": None, "checked": 0.0}


def _dataset_version() -> tuple | None:
    return UnitsDataset.objects.filter(pk=DATASET_KEY).values_list("digest", "loaded_at").first()


def get_index(*, recheck: bool = True) -> UnitIndex:
    """The cached index, rebuilt when ``load_units`` has changed the units.

    With ``recheck=False`` the database is asked at most every
    ``VERSION_CHECK_SECONDS`` whether the units were reloaded.
    """
    now = time.monotonic()
    index = _cache["index"]
    checked = float(_cache["checked"])  # type: ignore[arg-type]
    if index is not None and not recheck and now - checked < VERSION_CHECK_SECONDS:
        return index  # type: ignore[return-value]
    version = _dataset_version()
    with _lock:
        if _cache["index"] is None or _cache["version"] != version:
            _cache["index"] = UnitIndex.from_database()
            _cache["version"] = version
        _cache["checked"] = now
        return _cache["index"]  # type: ignore[return-value]


def invalidate_index() -> None:
    """Forget the cached index (``load_units`` calls this after a change)."""
    with _lock:
        _cache["index"] = None
        _cache["version"] = None
        _cache["checked"] = 0.0


# --- resolving -------------------------------------------------------------------------


@dataclass
class _Mention:
    start: int  # token positions in the flat token list, end exclusive
    end: int
    entries: tuple[tuple[int, str, bool], ...]
    keyword: tuple[str, ...] | None  # the unit word that claimed this name
    noise: bool  # claimed by a street/village word
    numeric: bool

    def overlaps(self, other: _Mention | None) -> bool:
        return other is not None and self.start < other.end and other.start < self.end

    @property
    def level(self) -> str | None:
        if self.keyword is None:
            return None
        if self.keyword == ("thanh", "pho"):
            return "city"  # a province-level or a district-level city
        if self.keyword in _WARD_KW:
            return "ward"
        if self.keyword in _DISTRICT_KW:
            return "district"
        return "province"


@dataclass
class _Candidate:
    ward_code: str
    score: float
    legacy_code: str | None


class Resolver:
    """Resolves addresses against one index; create one per import."""

    def __init__(self, index: UnitIndex | None = None) -> None:
        self.index = index if index is not None else get_index(recheck=True)

    # -- finding the names --

    def _segment_mentions(self, seg: list[str], base: int) -> list[_Mention]:
        names, max_len, n = self.index.names, self.index.max_key_len, len(seg)

        def eats_keyword(end: int) -> bool:
            # "Lăng Thành" in "Phường Láng Thành phố Hà Nội": a name does not end on
            # the first word of a two-word unit word.
            return end < n and (seg[end - 1], seg[end]) in _KW2

        spans: list[list[tuple[int, tuple]]] = [[] for _ in range(n)]
        for i in range(n):
            for end in range(i + 1, min(i + max_len, n) + 1):
                entries = names.get(tuple(seg[i:end]))
                if entries and not eats_keyword(end):
                    spans[i].append((end, entries))

        # Unit and street words, left to right: each claims the longest name after it.
        claimed: dict[int, tuple[tuple[str, ...] | None, int]] = {}  # start → (kw, end)
        i = 0
        while i < n:
            if i + 1 < n and (seg[i], seg[i + 1]) in _KW2:
                keyword: tuple[str, ...] | None = (seg[i], seg[i + 1])
            elif seg[i] in _KW1:
                keyword = (seg[i],)
            elif seg[i] in _NOISE:
                keyword = None
            else:
                i += 1
                continue
            after = i + (len(keyword) if keyword else 1)
            longest = max((end for end, _e in spans[after]), default=0) if after < n else 0
            own = max((end for end, _e in spans[i]), default=0)
            if longest and own < longest:
                claimed[after] = (keyword, longest)
                i = longest
            elif own:
                i = own  # the word starts a name ("Tịnh Biên", "Quan Hóa", "Bản Lầu")
            else:
                i = after

        inside = [False] * n  # within a unit word and the name it claimed
        for start, (kw, end) in claimed.items():
            for p in range(start - (len(kw) if kw else 1), end):
                inside[p] = True

        mentions = []
        for i in range(n):
            for end, entries in spans[i]:
                if i in claimed:
                    keyword, _end = claimed[i]
                    noise = keyword is None
                elif any(inside[i:end]):
                    continue  # overlaps a unit word and the name it claimed
                else:
                    keyword, noise = None, False
                mentions.append(
                    _Mention(
                        start=base + i,
                        end=base + end,
                        entries=entries,
                        keyword=keyword,
                        noise=noise,
                        numeric=all(t.isdigit() for t in seg[i:end]),
                    )
                )
        return mentions

    def _mentions(self, segments: list[list[str]]) -> tuple[list[str], list[_Mention]]:
        flat: list[str] = []
        mentions: list[_Mention] = []
        for seg in segments:
            mentions += self._segment_mentions(seg, len(flat))
            flat.extend(seg)
        return flat, mentions

    # -- the main entry point --

    def resolve(self, text: object) -> Resolution:
        """Resolve one address; never raises on any text."""
        if text is None:
            return Resolution()
        if not isinstance(text, str):
            text = str(text)
        text = text[-MAX_INPUT_CHARS:]
        segments = normalize_segments(text)
        if not segments:
            return Resolution()
        flat, mentions = self._mentions(segments)
        if not mentions:
            return Resolution()
        idx = self.index

        # 1. Province: the right-most province name not introduced as a ward/district.
        province_mention = None
        for m in mentions:
            if m.noise or m.numeric or m.level in ("ward", "district"):
                continue
            if not any(kind in (NEW_PROVINCE, OLD_PROVINCE) for kind, _c, _a in m.entries):
                continue
            if (
                province_mention is None
                or m.end > province_mention.end
                or (m.end == province_mention.end and m.start < province_mention.start)
            ):
                province_mention = m
        new_provinces: set[str] = set()
        old_provinces: set[str] = set()
        if province_mention is not None:
            named_new = False
            for kind, code, _alias in province_mention.entries:
                if kind == NEW_PROVINCE:
                    new_provinces.add(code)
                    named_new = True
                elif kind == OLD_PROVINCE:
                    old_provinces.add(code)
                    if code in idx.legacy_to_new_province:
                        new_provinces.add(idx.legacy_to_new_province[code])
            if named_new:
                # Only a name used solely before the reform ("Đắk Nông", "Bắc Giang")
                # says which former province is meant.
                old_provinces = set()

        # 2. Former district: the right-most district name of that province.
        def district_fits(code: str) -> bool:
            d = idx.legacy_districts.get(code)
            if d is None:
                return False
            if old_provinces:
                return d.province_id in old_provinces
            if new_provinces:
                return idx.legacy_to_new_province.get(d.province_id) in new_provinces
            return True

        district_mention, districts, best_rank = None, set(), None
        for m in mentions:
            if m.noise or m.level in ("ward", "province"):
                continue
            if m.numeric and m.keyword != ("quan",):
                continue
            if m.overlaps(province_mention) and not (
                m is province_mention and m.level == "city"  # "TP Cao Bằng" alone
            ):
                continue
            codes = {c for kind, c, _a in m.entries if kind == OLD_DISTRICT and district_fits(c)}
            if not codes:
                continue
            before = (
                province_mention is None or m is province_mention or m.end <= province_mention.start
            )
            # Prefer a district written before the province, then the right-most, then
            # one introduced by a district word.
            rank = (before, m.end, m.level is not None)
            if best_rank is None or rank > best_rank:
                district_mention, districts, best_rank = m, codes, rank
        if not new_provinces and districts:
            new_provinces = {
                idx.legacy_to_new_province[idx.legacy_districts[d].province_id] for d in districts
            }

        # Accents decide between names that fold alike (Văn Lang / Văn Lăng), when the
        # text has them.
        accents = accent_key(text) if _has_diacritics(text) else None
        candidates, unmapped = self._ward_candidates(
            flat,
            mentions,
            province_mention,
            district_mention,
            new_provinces,
            old_provinces,
            districts,
            accents,
        )
        if not candidates and not unmapped and district_mention is not None:
            # The "district" may be a new ward named after it ("Buôn Ma Thuột, Đắk Lắk").
            candidates, unmapped = self._ward_candidates(
                flat,
                mentions,
                province_mention,
                None,
                new_provinces,
                old_provinces,
                set(),
                accents,
                penalty=0.2,
            )
        return self._decide(candidates, unmapped, new_provinces)

    def _ward_candidates(
        self,
        flat: list[str],
        mentions: list[_Mention],
        province_mention: _Mention | None,
        district_mention: _Mention | None,
        new_provinces: set[str],
        old_provinces: set[str],
        districts: set[str],
        accents: str | None,
        *,
        penalty: float = 0.0,
    ) -> tuple[list[_Candidate], list[str]]:
        anchor_mention = district_mention or province_mention
        anchor = anchor_mention.start if anchor_mention is not None else len(flat)
        # Number of non-keyword tokens before each position, to measure distances.
        content_before = [0]
        for tok in flat:
            content_before.append(content_before[-1] + (tok not in _KW_TOKENS))

        pool: list[tuple[float, _Mention]] = []
        for m in mentions:
            if m.noise or m.level in ("district", "province", "city"):
                continue
            if m.numeric and m.level != "ward":
                continue
            if m.overlaps(province_mention) or m.overlaps(district_mention):
                continue
            if not any(kind in (NEW_WARD, OLD_WARD) for kind, _c, _a in m.entries):
                continue
            if m.end <= anchor:
                distance = 0.02 * min(content_before[anchor] - content_before[m.end], 5)
            else:
                distance = 0.1  # written after the district/province
            pool.append((distance, m))
        pool.sort(key=lambda item: (item[0], -item[1].end))

        # Score each mention on its own first.
        scored: list[tuple[_Mention, list[tuple[str, float, str | None]], list[str]]] = []
        for distance, m in pool[:MAX_WARD_MENTIONS]:
            offers, unmapped = self._score_mention(
                m,
                distance + penalty,
                new_provinces,
                old_provinces,
                districts,
                accents,
            )
            if offers or unmapped:
                scored.append((m, offers, unmapped))
        # A name inside a longer name that fits is not a mention of its own.
        scored.sort(key=lambda item: (item[0].start, -item[0].end))
        best: dict[str, _Candidate] = {}
        all_unmapped: list[str] = []
        reach = -1
        for m, offers, unmapped in scored:
            if m.end <= reach:
                continue
            reach = max(reach, m.end)
            all_unmapped += unmapped
            for code, score, legacy in offers:
                current = best.get(code)
                if (
                    current is None
                    or score > current.score + _EPS
                    or (abs(score - current.score) <= _EPS and legacy is None)
                ):
                    best[code] = _Candidate(code, score, legacy)
        return list(best.values()), all_unmapped

    def _score_mention(
        self,
        m: _Mention,
        distance: float,
        new_provinces: set[str],
        old_provinces: set[str],
        districts: set[str],
        accents: str | None,
    ) -> tuple[list[tuple[str, float, str | None]], list[str]]:
        """Offers (new ward code, score, former ward code or None) for one mention."""
        idx = self.index
        expected = _WARD_KW.get(m.keyword) if m.keyword else None
        old_form = bool(districts) or bool(old_provinces) or m.keyword == ("thi", "tran")

        # Which entries fit the province / district at all.
        new_fit: list[tuple[str, bool]] = []
        old_fit: list[tuple[str, bool, float]] = []
        for kind, code, alias in m.entries:
            if kind == NEW_WARD:
                if not new_provinces or idx.wards[code].province_id in new_provinces:
                    new_fit.append((code, alias))
            elif kind == OLD_WARD:
                old_province = idx.legacy_ward_province.get(code)
                new_province = idx.legacy_to_new_province.get(old_province)
                if districts:
                    if idx.legacy_wards[code].district_id in districts:
                        old_fit.append((code, alias, 0.97))
                    elif new_province in new_provinces:
                        old_fit.append((code, alias, 0.60))  # right province, other district
                elif old_provinces:
                    if old_province in old_provinces:
                        old_fit.append((code, alias, 0.90))
                    elif new_province in new_provinces:
                        old_fit.append((code, alias, 0.70))
                elif new_provinces:
                    if new_province in new_provinces:
                        old_fit.append((code, alias, 0.90 if old_form else 0.75))
                else:
                    old_fit.append((code, alias, 0.60))
        # A former ward of the named district (or old province) beats its namesakes
        # elsewhere; the written type and accents pick among the rest.
        if old_fit:
            top_base = max(base for _c, _a, base in old_fit)
            old_fit = [item for item in old_fit if item[2] >= top_base - _EPS]
        if expected:
            typed = [c for c in old_fit if idx.legacy_wards[c[0]].division_type == expected]
            old_fit = typed or old_fit
            typed_new = [c for c in new_fit if idx.wards[c[0]].division_type == expected]
            new_fit = typed_new or new_fit
        # With accents in the text, names written exactly so win; the others lose a
        # little confidence ("Tân An" written, only "Tân Ân" there).
        old_miss = new_miss = 0.0
        if accents is not None:
            padded = f" {accents} "

            def written(kind: int, code: str) -> bool:
                return f" {idx.accent_key_of(kind, code)} " in padded

            exact_old = [c for c in old_fit if written(OLD_WARD, c[0])]
            old_fit, old_miss = (exact_old, 0.0) if exact_old else (old_fit, 0.03)
            exact_new = [c for c in new_fit if written(NEW_WARD, c[0])]
            new_fit, new_miss = (exact_new, 0.0) if exact_new else (new_fit, 0.03)

        def type_bonus(division_type: str) -> float:
            if expected is None:
                return 0.0
            return 0.03 if division_type == expected else -0.03

        offers: list[tuple[str, float, str | None]] = []
        unmapped: list[str] = []
        strong_old = any(base >= 0.9 for _c, _a, base in old_fit)
        for code, alias in new_fit:
            if not new_provinces:
                base = 0.60
            elif strong_old and districts:
                base = 0.70  # the former ward of that district is a better reading
            elif old_form:
                base = 0.80 if districts else 0.75
            else:
                base = 0.90
            score = base - distance - new_miss - (0.05 if alias else 0.0)
            offers.append((code, score + type_bonus(idx.wards[code].division_type), None))
        for code, alias, base in old_fit:
            targets = idx.mapping.get(code)
            if not targets:
                unmapped.append(code)
                continue
            score = base - distance - old_miss - (0.05 if alias else 0.0)
            score += type_bonus(idx.legacy_wards[code].division_type)
            if len(targets) > 1:
                score -= 0.1  # split between several new wards
            for new_code, partial in targets:
                offers.append((new_code, score - (0.05 if partial else 0.0), code))
        return offers, unmapped

    def _decide(
        self,
        candidates: list[_Candidate],
        unmapped: list[str],
        new_provinces: set[str],
    ) -> Resolution:
        idx = self.index
        only_province = (
            idx.provinces.get(next(iter(new_provinces))) if len(new_provinces) == 1 else None
        )
        if not candidates:
            legacy = idx.legacy_wards[unmapped[0]] if len(set(unmapped)) == 1 else None
            if legacy is not None and only_province is None:
                only_province = idx.provinces.get(
                    idx.legacy_to_new_province.get(idx.legacy_ward_province.get(legacy.code, ""))
                    or ""
                )
            if only_province is not None:
                return Resolution(
                    province=only_province,
                    confidence=0.4 if legacy is not None else 0.3,
                    legacy=legacy,
                    reason=PROVINCE_ONLY,
                )
            return Resolution(legacy=legacy, reason=NO_MATCH)

        candidates.sort(key=lambda c: (-c.score, c.ward_code))
        top = candidates[0]
        close = [c for c in candidates if top.score - c.score < TIE_MARGIN - _EPS]
        if len(close) == 1:
            ward = idx.wards[top.ward_code]
            return Resolution(
                province=ward.province,
                ward=ward,
                confidence=_clamp(top.score),
                legacy=idx.legacy_wards.get(top.legacy_code) if top.legacy_code else None,
                reason=LEGACY_MAPPED if top.legacy_code else EXACT_NEW,
            )
        provinces = {idx.wards[c.ward_code].province_id for c in close}
        legacies = {c.legacy_code for c in close}
        province = idx.provinces.get(provinces.pop()) if len(provinces) == 1 else only_province
        legacy_code = next(iter(legacies)) if len(legacies) == 1 else None
        return Resolution(
            province=province,
            confidence=_clamp(min(0.5, top.score / len(close))),
            candidates=[(idx.wards[c.ward_code], _clamp(c.score)) for c in close[:MAX_CANDIDATES]],
            legacy=idx.legacy_wards.get(legacy_code) if legacy_code else None,
            reason=AMBIGUOUS,
        )


def _has_diacritics(text: str) -> bool:
    return not text.isascii() and any(ch.isalpha() and not ch.isascii() for ch in text)


def _clamp(value: float) -> float:
    return round(max(0.0, min(1.0, value)), 3)


_default_resolver: Resolver | None = None


def resolve_address(text: str) -> Resolution:
    """Resolve one address.

    Uses the cached index, which is checked for a reload at most every
    ``VERSION_CHECK_SECONDS``; for an import prefer one ``Resolver`` for all rows.
    """
    global _default_resolver
    index = get_index(recheck=False)
    resolver = _default_resolver
    if resolver is None or resolver.index is not index:
        resolver = _default_resolver = Resolver(index)
    return resolver.resolve(text)
