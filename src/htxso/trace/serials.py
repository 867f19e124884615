"""Anti-counterfeit stamp serials: unguessable, easy to read aloud, self-checking.

A serial is 16 characters of a 32-letter alphabet without look-alikes (no 0/O, 1/I)::

    12 random characters (60 bits from :mod:`secrets`)  +  4 check characters

Each character is the low 5 bits of one byte (random bytes for the body), mapped onto
:data:`ALPHABET`.

The check characters carry 20 bits of HMAC-SHA256(key, ``b"htxso-serial/1:" + body``)
(the low 5 bits of its first four bytes), so a code somebody makes up passes
:func:`well_formed` with probability 1 in 1,048,576 — refused before any database
lookup — while 60 random bits make the codes of a batch impossible to enumerate from one
another.  Serials fit GS1 AI 21 (≤ 20 characters,
set 82) and go straight into ``https://id.gs1.org/01/{gtin}/21/{serial}``.
:func:`display` groups them by four for printing (``7KQ2-MX9P-4HTB-R8ZC``);
:func:`normalise` undoes what people type (lower case, spaces, dashes).
"""

from __future__ import annotations

import hmac
import secrets

__all__ = ["ALPHABET", "LENGTH", "display", "new_serials", "normalise", "well_formed"]

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
BODY = 12
CHECK = 4
LENGTH = BODY + CHECK
TAG = b"htxso-serial/1:"
# Any byte -> the letter of its low 5 bits (256 is a multiple of 32: uniform), in C.
_LETTER = bytes(ALPHABET.encode()[b & 31] for b in range(256))
_VALID = frozenset(ALPHABET)
_MIN_KEY = 16


def _check_key(key: bytes) -> None:
    if not isinstance(key, (bytes, bytearray)) or len(key) < _MIN_KEY:
        raise ValueError("the serial key must be at least 16 bytes")


def _check(body: bytes, key: bytes) -> bytes:
    """4 letters from the low 5 bits of the first 4 MAC bytes (20 bits)."""
    return hmac.digest(key, TAG + body, "sha256")[:CHECK].translate(_LETTER)


def new_serials(n: int, *, key: bytes) -> list[str]:
    """``n`` distinct new serials (16 characters each) checked with ``key``."""
    _check_key(key)
    if n < 0:
        raise ValueError("n must be zero or more")
    key = bytes(key)
    out: list[str] = []
    seen: set[bytes] = set()
    while len(out) < n:
        want = n - len(out)
        # one random byte per letter, 5 bits kept: 60 bits per serial
        letters = secrets.token_bytes(BODY * want).translate(_LETTER)
        digest = hmac.digest
        for i in range(0, BODY * want, BODY):
            body = letters[i : i + BODY]
            if body in seen:
                continue
            seen.add(body)
            mac = digest(key, TAG + body, "sha256")
            out.append((body + mac[:CHECK].translate(_LETTER)).decode())
    return out


def normalise(text: str) -> str:
    """A typed or scanned serial in canonical form: upper case, no spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -\t\n\u00a0")


def well_formed(serial: str, *, key: bytes) -> bool:
    """Whether ``serial`` (canonical form) was made with ``key`` — no database needed."""
    _check_key(key)
    if not isinstance(serial, str) or len(serial) != LENGTH or not set(serial) <= _VALID:
        return False
    body, check = serial[:BODY].encode(), serial[BODY:].encode()
    return hmac.compare_digest(_check(body, bytes(key)), check)


def display(serial: str) -> str:
    """A serial grouped by four for labels: ``7KQ2-MX9P-4HTB-R8ZC``."""
    return "-".join(serial[i : i + 4] for i in range(0, len(serial), 4))
