"""Vietnamese text utilities: normalisation, search folding and legacy encodings.

Everything here is pure Python and deterministic, so that a value computed once (for
example the stored ``search_text`` column filled from :func:`fold`) is the same whatever
database it is written to.

Legacy encodings
----------------
Much Vietnamese data still comes from spreadsheets typed with 8-bit "font encodings".
When such a file is opened as Windows-1252 (or Latin-1), every byte becomes the
Latin-1 character with the same number, so the text looks like ``Hîp t¸c x·`` (TCVN3)
or ``Hôïp taùc xaõ`` (VNI).  The functions here work on that *string* form: each
character ``U+00A1..U+00FF`` stands for the byte of the same value.

* **TCVN3** (TCVN 5712:1993, the "ABC" .VnTime/.VnTimeH fonts): one byte per letter.
  Only the graphic range 0xA1-0xFF is decoded.  The standard's upper-case letters in the
  C0/C1 control range are not: ABC keyboards never produce them and they collide with
  control characters and Windows-1252 punctuation.  Neither are the combining tone
  marks at 0xB0-0xB4, which in real files are far more often "°", "±", "²", "³", "´".
  Most upper-case toned vowels have no code in that range; users wrote them with the
  lower-case code in a capital (``...H``) font, so a plain-text reader cannot see the
  case.  :func:`tcvn3_to_unicode` restores it where the context is unambiguous (a word,
  or a whole all-capitals string, whose other letters are capitals) and leaves the
  lower-case letter otherwise: ``TØNH`` becomes ``TỈNH`` but ``Uû ban`` stays ``Uỷ ban``.
* **VNI** (VNI-Windows fonts): a base letter followed by a mark character,
  ``Vieät`` = ``Việt``; ``đ ơ ư ĩ ỉ ị ỵ`` have single characters.

:func:`detect_legacy_encoding` decides by decoding the text both ways and counting the
words that form valid Vietnamese syllables: an encoding is reported only when its
decoding yields strictly more valid syllables than the text as it is (and than the
other decoding).  Text containing any letter that exists only in Unicode Vietnamese
(``ă đ ơ ư ạ ...``) is never reported as legacy, nor is ASCII text.  A short value can
read correctly both ways (VNI ``Sôn La`` is also well-formed Unicode): it is then left
as it is, so detect once on a whole column and pass the result to :func:`to_unicode`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext_lazy as _

from .errors import ServiceError

__all__ = [
    "LegacyReading",
    "TextError",
    "clean_text",
    "detect_legacy_encoding",
    "fold",
    "fold_tokens",
    "is_vietnamese_syllable",
    "nfc",
    "plausible_vietnamese",
    "read_legacy_cell",
    "tcvn3_to_unicode",
    "to_unicode",
    "unicode_to_tcvn3",
    "unicode_to_vni",
    "vni_to_unicode",
]

LegacyEncoding = Literal["tcvn3", "vni"]


class TextError(ServiceError):
    """Text that cannot be accepted; ``code`` is stable, ``message`` is translatable."""


# --------------------------------------------------------------------------- basics


def nfc(s: str | None) -> str:
    """Return ``s`` in Unicode NFC; ``None`` gives ``""``."""
    if s is None:
        return ""
    return unicodedata.normalize("NFC", s)


# Invisible characters removed by clean_text: zero-width space/joiners, word joiner,
# byte-order mark, and the bidirectional formatting characters (marks, embeddings,
# overrides, isolates), which are invisible and can reorder what a reader sees.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e")
) | dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))
_ALLOWED_CONTROLS = frozenset("\t\n\r")


def clean_text(s: str | None, *, max_length: int | None = None, multiline: bool = False) -> str:
    """Normalise user or imported text for storage.

    NFC; zero-width, byte-order and bidirectional formatting characters are removed;
    every kind of Unicode space (no-break, thin, ideographic, tab...) becomes a plain
    space, runs are collapsed and the ends stripped.  With ``multiline`` line breaks are
    kept (CR LF and CR become LF, each line is stripped, at most one blank line in a
    row); without it they become spaces too.

    Raises :class:`TextError` (a ``ValueError``):

    * ``text_control_character`` for a C0/C1 control character other than TAB, LF and
      CR, or a lone surrogate: such text is binary garbage or a broken decoding, and
      silently dropping it would hide the problem;
    * ``text_too_long`` when the cleaned text is longer than ``max_length``.

    The soft hyphen U+00AD is kept on purpose: it is the letter "ư" in TCVN3 text, so
    run :func:`to_unicode` first on imported data.
    """
    if s is None:
        return ""
    s = unicodedata.normalize("NFC", s).translate(_INVISIBLE)
    for position, ch in enumerate(s, start=1):
        category = unicodedata.category(ch)
        if (category == "Cc" and ch not in _ALLOWED_CONTROLS) or category == "Cs":
            raise TextError(
                "text_control_character",
                _(
                    "The text contains an invisible control character (%(codepoint)s)"
                    " at position %(position)s."
                ),
                {"codepoint": f"U+{ord(ch):04X}", "position": position},
            )
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    if multiline:
        lines = [" ".join(line.split()) for line in s.split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    else:
        text = " ".join(s.split())
    text = unicodedata.normalize("NFC", text)
    if max_length is not None and len(text) > max_length:
        raise TextError(
            "text_too_long",
            _("The text has %(length)s characters; at most %(max_length)s are allowed."),
            {"length": len(text), "max_length": max_length},
        )
    return text


# -------------------------------------------------------------------------- folding

# Letters that compatibility decomposition does not reduce to ASCII.
_FOLD_LETTERS = str.maketrans(
    {
        "đ": "d",
        "ð": "d",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŀ": "l",
    }
)


def fold(s: str | None) -> str:
    """Fold text for search: the one function that fills and queries ``search_text``.

    Compatibility-normalise (NFKC), case-fold, remove every combining mark, map
    ``đ``/``Đ`` (and a few other stroke letters) to their base letter, turn everything
    that is not a letter or digit into a space, collapse spaces and strip.
    ``"Cà phê Đắk Lắk"`` → ``"ca phe dak lak"``.  Idempotent; ASCII output for
    Vietnamese input.
    """
    if not s:
        return ""
    s = unicodedata.normalize("NFKC", s).casefold()
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.category(ch).startswith("M"))
    s = s.translate(_FOLD_LETTERS)
    s = "".join(ch if ch.isalnum() else " " for ch in s)
    return " ".join(s.split())


def fold_tokens(s: str | None) -> list[str]:
    """The words of :func:`fold` ``(s)``."""
    return fold(s).split()


# ----------------------------------------------------------- Vietnamese syllables

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VIETNAMESE_LETTERS = frozenset("abcdeghiklmnopqrstuvxyăâđêôơư")
# Besides the Vietnamese onsets, "kr", "pl", "bl", "br", "dr" and the final "k" occur in
# place names from minority languages (Krông Pắc, Đắk Lắk), common in our data.
_ONSETS = (
    "ngh", "ng", "gh", "gi", "kh", "nh", "ph", "qu", "th", "tr", "ch", "kr", "pl", "bl", "br",
    "dr", "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)  # fmt: skip
_CODAS = frozenset(("", "ch", "nh", "ng", "c", "k", "m", "n", "p", "t"))
# Vowel group -> (may take a final consonant, positions the tone mark may take without
# a final, positions with one).  Old and new tone placement (hòa / hoà) are both valid.
_NUCLEI: dict[str, tuple[bool, frozenset[int], frozenset[int]]] = {}
# fmt: off
for _group in ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"):
    _NUCLEI[_group] = (True, frozenset({0}), frozenset({0}))
for _group in ("ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi",
               "ua", "ui", "ưa", "ưi", "ưu"):
    _NUCLEI[_group] = (False, frozenset({0}), frozenset())
for _group in ("iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi", "ươu", "uyu", "uya"):
    _NUCLEI[_group] = (False, frozenset({1}), frozenset())
for _group in ("oa", "oe", "uy", "oo"):
    _NUCLEI[_group] = (True, frozenset({0, 1}), frozenset({1}))
for _group in ("iê", "yê", "uô", "ươ", "oă", "uâ", "uê", "uơ"):
    _NUCLEI[_group] = (True, frozenset({1}), frozenset({1}))
# fmt: on
_NUCLEI["uyê"] = (True, frozenset({2}), frozenset({2}))
#: Vowel groups the palatal finals "ch"/"nh" may follow ("anh", "ếch", "tỉnh", "oanh",
#: "huynh"; never "onh", "ưnh").
_PALATAL_NUCLEI = frozenset(("a", "ê", "i", "y", "oa", "uê", "uy"))
_STOPS = frozenset(("c", "ch", "p", "t"))


def _rhyme_allowed(group: str, coda: str, tone: str) -> bool:
    """Rules of the rhyme beyond its parts: a syllable closed by a stop takes only the
    sắc or nặng tone ("bốc", "bộc", never "bôc", "bổc"; the "k" of minority place names,
    "Đăk Mil", is free); "ch"/"nh" follow front vowels only; "c"/"ng" never follow
    "i"/"y"; "oo" occurs only before "ng"/"c" ("xoong", "moóc")."""
    if coda in _STOPS and tone not in (_ACUTE_MARK, _DOT_MARK):
        return False
    if coda in ("ch", "nh") and group not in _PALATAL_NUCLEI:
        return False
    if coda in ("c", "ng") and group in ("i", "y", "uy"):
        return False
    return not (group == "oo" and coda not in ("ng", "c"))


_ACUTE_MARK, _DOT_MARK = "\u0301", "\u0323"


@functools.lru_cache(maxsize=8192)
def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` (any case, NFC or not) is a well-formed Vietnamese syllable.

    Checks the letters, the onset + vowel group + final consonant structure, and that
    there is at most one tone mark, on a vowel that may carry it (both the old and the
    new placement in "hòa"/"hoà" are accepted).
    """
    bare_letters: list[str] = []
    tone_at: int | None = None
    tone = ""
    for index, ch in enumerate(unicodedata.normalize("NFC", word.lower())):
        parts = unicodedata.normalize("NFD", ch)
        tones = [c for c in parts if c in _TONE_MARKS]
        if tones:
            if tone_at is not None or len(tones) > 1:
                return False
            tone_at, tone = index, tones[0]
        bare_letters.append(
            unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
        )
    bare = "".join(bare_letters)
    if (
        not bare
        or len(bare) != len(bare_letters)
        or any(c not in _VIETNAMESE_LETTERS for c in bare)
    ):
        return False
    for onset in _ONSETS:
        if not bare.startswith(onset):
            continue
        rest = bare[len(onset) :]
        for group, (open_, plain, closed) in _NUCLEI.items():
            if not rest.startswith(group):
                continue
            coda = rest[len(group) :]
            if coda not in _CODAS or (coda and not open_):
                continue
            if not _rhyme_allowed(group, coda, tone):
                continue
            if tone_at is None or tone_at - len(onset) in (closed if coda else plain):
                return True
    return False


# ------------------------------------------------------------------ legacy tables

# TCVN 5712:1993, graphic range, byte value -> Unicode.  Letters marked "upper" are the
# capitals the standard fits in this range; every other capital toned vowel has codes
# only in the C0/C1 range, which is not used (see the module documentation).
_TCVN3_BYTES: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xAF: "Ằ",  # upper
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBA: "Ẳ",  # upper
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ",
    0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ", 0xC5: "Ề",  # upper
    0xC6: "ặ", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ", 0xCC: "è",
    0xCD: "Ể",  # upper
    0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ", 0xD2: "ề", 0xD3: "ể", 0xD4: "ễ",
    0xD5: "ế", 0xD6: "ệ", 0xD7: "ì", 0xD8: "ỉ",
    0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ",  # upper
    0xDC: "ĩ", 0xDD: "í", 0xDE: "ị", 0xDF: "ò",
    0xE0: "Ổ",  # upper
    0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ", 0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ",
    0xE8: "ố", 0xE9: "ộ", 0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù",
    0xF0: "Ỗ",  # upper
    0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ", 0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ",
    0xF8: "ứ", 0xF9: "ự", 0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
    0xFF: "Ố",  # upper
}  # fmt: skip

_TCVN3_DECODE = {chr(code): letter for code, letter in _TCVN3_BYTES.items()}
# Codes of lower-case letters: in a capital font they show the capital, so the case
# of the letter they stand for is not known from the text alone.
_TCVN3_CASELESS = frozenset(chr(code) for code, letter in _TCVN3_BYTES.items() if letter.islower())
_TCVN3_ENCODE = {letter: chr(code) for code, letter in _TCVN3_BYTES.items()}
for _letter, _code in list(_TCVN3_ENCODE.items()):
    if _letter.islower():
        _TCVN3_ENCODE.setdefault(_letter.upper(), _code)

# VNI-Windows: marks that follow a base letter, lower-case form -> (vowel modifier,
# tone).  The capital form of each mark is the character 0x20 below it.
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_VNI_MARKS: dict[str, tuple[str, str]] = {
    "ù": ("", _ACUTE), "ø": ("", _GRAVE), "û": ("", _HOOK), "õ": ("", _TILDE), "ï": ("", _DOT),
    "â": (_CIRCUMFLEX, ""), "á": (_CIRCUMFLEX, _ACUTE), "à": (_CIRCUMFLEX, _GRAVE),
    "å": (_CIRCUMFLEX, _HOOK), "ã": (_CIRCUMFLEX, _TILDE), "ä": (_CIRCUMFLEX, _DOT),
    "ê": (_BREVE, ""), "é": (_BREVE, _ACUTE), "è": (_BREVE, _GRAVE),
    "ú": (_BREVE, _HOOK), "ü": (_BREVE, _TILDE), "ë": (_BREVE, _DOT),
}  # fmt: skip
# VNI-Windows: letters written as one character (lower case; capitals likewise 0x20 below).
_VNI_SINGLE: dict[str, str] = {
    "đ": "ñ", "ơ": "ô", "ư": "ö",
    "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î",
}  # fmt: skip


def _vietnamese_letters() -> list[str]:
    """The 67 lower-case non-ASCII Vietnamese letters."""
    letters = ["đ"]
    bases = ["a", "a" + _BREVE, "a" + _CIRCUMFLEX, "e", "e" + _CIRCUMFLEX, "i", "o"]
    bases += ["o" + _CIRCUMFLEX, "o" + _HORN, "u", "u" + _HORN, "y"]
    for base in bases:
        for tone in ("", _GRAVE, _ACUTE, _HOOK, _TILDE, _DOT):
            if len(base) == 1 and not tone:
                continue
            letters.append(unicodedata.normalize("NFC", base + tone))
    return letters


_VIETNAMESE_LOWER = _vietnamese_letters()


def _build_vni_encode() -> dict[str, str]:
    table: dict[str, str] = {}
    marks = {value: key for key, value in _VNI_MARKS.items()}
    for letter in _VIETNAMESE_LOWER:
        if letter in _VNI_SINGLE:
            encoded = _VNI_SINGLE[letter]
        else:
            parts = unicodedata.normalize("NFD", letter)
            base, rest = parts[0], parts[1:]
            modifier = "".join(ch for ch in rest if ch not in _TONE_MARKS)
            tone = "".join(ch for ch in rest if ch in _TONE_MARKS)
            if modifier == _HORN:  # ơ / ư with a tone: single letter + tone mark
                head = _VNI_SINGLE[unicodedata.normalize("NFC", base + _HORN)]
                encoded = head + marks[("", tone)]
            elif base == "i":
                raise AssertionError(letter)  # every toned i is a single letter
            else:
                encoded = base + marks[(modifier, tone)]
        table[letter] = encoded
        table[letter.upper()] = encoded.upper()
    return table


_VNI_ENCODE = _build_vni_encode()


def _build_vni_decode() -> dict[str, str]:
    table = {encoded: letter for letter, encoded in _VNI_ENCODE.items()}
    # Leniency for hand-typed files: a mark in the other case than its base letter.
    for encoded, letter in list(table.items()):
        if len(encoded) == 2:
            table.setdefault(encoded[0] + encoded[1].swapcase(), letter)
    # "y" + the dot-below mark of the other vowels, instead of the single letter.
    table.setdefault("yï", "ỵ")
    table.setdefault("Yï", "Ỵ")
    table.setdefault("YÏ", "Ỵ")
    table.setdefault("yÏ", "ỵ")
    return table


_VNI_DECODE = _build_vni_decode()

_UNICODE_ONLY = frozenset(
    ch for letter in _VIETNAMESE_LOWER for ch in (letter, letter.upper()) if ord(ch) > 0xFF
) | frozenset(_TONE_MARKS | {_CIRCUMFLEX, _BREVE, _HORN})


# ------------------------------------------------------------ legacy conversions


def tcvn3_to_unicode(s: str | None) -> str:
    """Convert TCVN3 (ABC) text, as read with Windows-1252/Latin-1, to NFC Unicode.

    Characters outside the TCVN3 letter codes are kept; the case of capital toned
    vowels is restored where the context shows it (see the module documentation).
    """
    if not s:
        return ""
    chars: list[str] = []
    caseless: list[bool] = []
    for ch in s:
        letter = _TCVN3_DECODE.get(ch)
        chars.append(ch if letter is None else letter)
        caseless.append(ch in _TCVN3_CASELESS)
    _restore_case(chars, caseless)
    return unicodedata.normalize("NFC", "".join(chars))


def _restore_case(chars: list[str], caseless: list[bool]) -> None:
    """Upper-case letters of unknown case in all-capital words (in place)."""
    words: list[list[int]] = []
    current: list[int] = []
    for index, ch in enumerate(chars):
        if ch.isalpha():
            current.append(index)
        elif current:
            words.append(current)
            current = []
    if current:
        words.append(current)

    capital_words: list[list[int]] = []
    other_words: list[list[int]] = []
    any_lower = False
    for word in words:
        known = [chars[i] for i in word if not caseless[i] and chars[i].lower() != chars[i].upper()]
        if any(ch.islower() for ch in known):
            any_lower = True
        elif len(known) >= 2:
            capital_words.append(word)
        else:
            other_words.append(word)
    targets = list(capital_words)
    if capital_words and not any_lower:
        # An all-capitals string: short words such as "X·" (XÃ) follow their neighbours.
        targets += other_words
    for word in targets:
        for i in word:
            if caseless[i]:
                chars[i] = chars[i].upper()


def unicode_to_tcvn3(s: str | None) -> str:
    """Encode Vietnamese text as TCVN3, in the Windows-1252 string form.

    Capital toned vowels without a code of their own get the lower-case code, as with
    the capital ``.VnTimeH`` fonts; characters TCVN3 cannot represent are kept as they
    are.  Meant for building test fixtures and for exporting to old tools.
    """
    if not s:
        return ""
    return "".join(_TCVN3_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", s))


def vni_to_unicode(s: str | None) -> str:
    """Convert VNI-Windows text, as read with Windows-1252/Latin-1, to NFC Unicode."""
    if not s:
        return ""
    out: list[str] = []
    i, n = 0, len(s)
    while i < n:
        pair = s[i : i + 2]
        if len(pair) == 2 and pair in _VNI_DECODE:
            out.append(_VNI_DECODE[pair])
            i += 2
            continue
        out.append(_VNI_DECODE.get(s[i], s[i]))
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


def unicode_to_vni(s: str | None) -> str:
    """Encode Vietnamese text as VNI-Windows, in the Windows-1252 string form.

    Characters VNI cannot represent are kept as they are.
    """
    if not s:
        return ""
    return "".join(_VNI_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", s))


# ------------------------------------------------------------------- detection


def _is_word_char(ch: str) -> bool:
    return ch.isalpha() or ch in _TCVN3_DECODE or unicodedata.category(ch).startswith("M")


def _words(s: str) -> list[str]:
    words: list[str] = []
    current: list[str] = []
    for ch in s:
        if _is_word_char(ch):
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def _well_cased(word: str) -> bool:
    return word in (word.lower(), word.upper(), word[0].upper() + word[1:].lower())


def _syllable_score(s: str) -> int:
    """+1 for each non-ASCII word that is a Vietnamese syllable, -1 for each that is not.

    A word must also be in lower, upper or title case: misread legacy text often has a
    capital in mid-word (TCVN3 "BÕn" for "Bến").  ASCII words and one-character words
    (often symbols such as "©") do not count.
    """
    score = 0
    for word in _words(s):
        if len(word) < 2 or word.isascii():
            continue
        score += 1 if is_vietnamese_syllable(word) and _well_cased(word) else -1
    return score


def detect_legacy_encoding(s: str | None) -> LegacyEncoding | None:
    """Return ``"tcvn3"``, ``"vni"`` or ``None`` (Unicode, ASCII or undecidable).

    For a column of values, detecting once on the joined values is more reliable than
    value by value.
    """
    if not s or s.isascii() or any(ch in _UNICODE_ONLY for ch in s):
        return None
    text = unicodedata.normalize("NFC", s)
    if any(ch in _UNICODE_ONLY for ch in text):
        return None
    raw = _syllable_score(text)
    scores = {
        "tcvn3": _syllable_score(tcvn3_to_unicode(text)),
        "vni": _syllable_score(vni_to_unicode(text)),
    }
    best = max(scores.values())
    if scores["tcvn3"] == scores["vni"] or best <= raw:
        return None
    if best <= 0 and best - raw < 4:  # demand more when few words read as Vietnamese
        return None
    return "tcvn3" if scores["tcvn3"] == best else "vni"


def to_unicode(s: str | None, encoding: Literal["auto", "unicode", "tcvn3", "vni"] = "auto") -> str:
    """Return ``s`` as NFC Unicode, converting from a legacy encoding.

    ``encoding="auto"`` detects it with :func:`detect_legacy_encoding`; pass the
    encoding when it is already known (for example detected once for a whole column).
    """
    if not s:
        return ""
    if encoding == "auto":
        encoding = detect_legacy_encoding(s) or "unicode"
    if encoding == "tcvn3":
        return tcvn3_to_unicode(s)
    if encoding == "vni":
        return vni_to_unicode(s)
    if encoding == "unicode":
        return unicodedata.normalize("NFC", s)
    raise ValueError(f"unknown encoding {encoding!r}")


# ------------------------------------------------------------ one cell at a time


def _verdicts(s: str) -> tuple[int, int]:
    """(plausible, implausible) non-ASCII words of ``s``: a word is plausible when it is
    a Vietnamese syllable in lower, upper or title case.  ASCII words ("HTX", "Ea",
    "ST25") read the same in every encoding and do not count, nor do one-character
    words, which are mostly symbols ("½" and "©" are TCVN3 "ẵ" and "â")."""
    good = bad = 0
    for word in _words(s):
        if len(word) < 2 or word.isascii():  # "½" (TCVN3 "ẵ"), "©" (TCVN3 "â")
            continue
        if is_vietnamese_syllable(word) and _well_cased(word):
            good += 1
        else:
            bad += 1
    return good, bad


def plausible_vietnamese(s: str | None) -> bool:
    """Whether every non-ASCII word of ``s`` is a plausible Vietnamese syllable (onset,
    vowel group, final consonant, at most one tone mark where it may stand, sensible
    case), and there is at least one such word."""
    if not s:
        return False
    good, bad = _verdicts(unicodedata.normalize("NFC", s))
    return good > 0 and bad == 0


@dataclass(frozen=True)
class LegacyReading:
    """How one cell reads (:func:`read_legacy_cell`).

    ``encoding`` is ``"tcvn3"``/``"vni"`` when ``text`` was converted from it, ``None``
    when the cell is kept as typed.  ``unsure``: both legacy readings are plausible (or
    neither is, though they read better than the cell as typed) — ``text`` is then the
    cell as typed and must not be stored; ``candidates`` holds the competing readings
    as (encoding, text).  For a cell kept as typed, ``candidates`` holds the legacy
    readings that are plausible too (VNI ``Sôn La`` is also well-formed Unicode).
    """

    text: str
    encoding: LegacyEncoding | None = None
    unsure: bool = False
    candidates: tuple[tuple[str, str], ...] = ()


_LEGACY_CONVERTERS = (("tcvn3", tcvn3_to_unicode), ("vni", vni_to_unicode))


@functools.lru_cache(maxsize=32768)
def read_legacy_cell(s: str) -> LegacyReading:
    """Decide, for one cell, whether it is Unicode, TCVN3 or VNI text.

    Files compiled from several offices mix the encodings in one column, so a cell is
    judged alone: only text whose characters are all in the Latin-1 range (as the 8-bit
    fonts leave it) and not all ASCII is considered.  Text that reads as Vietnamese as
    it is stays as it is.  Otherwise each legacy reading is scored word by word, and
    the one whose words are all plausible Vietnamese syllables is taken.  When both
    are plausible and differ (``Tö`` is VNI "Tư" and TCVN3 "Tử"), or neither is while
    they read better than the cell as typed, the result is *unsure*: guess wrong and
    the registry holds garbled names nobody notices, so the caller must ask.  Text no
    reading improves (foreign words, symbols: ``Zürich``, ``25°C``) stays as it is.
    Results are cached by value: a column repeats its values.
    """
    if not s or s.isascii() or max(s) > "\u00ff":
        return LegacyReading(s)
    text = unicodedata.normalize("NFC", s)
    raw_good, raw_bad = _verdicts(text)
    readings: list[tuple[str, str, int, int]] = []
    for encoding, convert in _LEGACY_CONVERTERS:
        converted = convert(text)
        if converted != text:
            good, bad = _verdicts(converted)
            readings.append((encoding, converted, good, bad))
    plausible = [(enc, conv) for enc, conv, good, bad in readings if good and not bad]
    if raw_good and not raw_bad:
        return LegacyReading(s, candidates=tuple(plausible))
    if plausible:
        if len({conv for _enc, conv in plausible}) == 1:
            encoding, converted = plausible[0]
            return LegacyReading(converted, encoding)  # type: ignore[arg-type]
        return LegacyReading(s, unsure=True, candidates=tuple(plausible))
    if readings and max(good - bad for _e, _c, good, bad in readings) > raw_good - raw_bad:
        return LegacyReading(
            s, unsure=True, candidates=tuple((enc, conv) for enc, conv, _g, _b in readings)
        )
    return LegacyReading(s)
