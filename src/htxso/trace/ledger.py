"""The tamper-evident event ledger: a hash chain over EPCIS event hashes, its streaming
verifier and the daily Merkle root that outsiders keep.

Chain link (version 1), hex SHA-256 of the byte string::

    b"htxso-ledger/1"              14 bytes, domain separation
    bytes.fromhex(prev_chain)       32 bytes, the previous link (GENESIS = 32 zero bytes)
    seq.to_bytes(8, "big")           8 bytes, position in the ledger, 1, 2, 3, …
    event_hash.encode("ascii")      the EPCIS event hash "ni:///sha-256;…?ver=CBV2.0"

Each ledger row stores ``seq``, the event hash computed when the event was recorded
(``stored_event_hash``), ``prev_chain`` and ``chain``; :func:`verify` recomputes the event
hash from the stored event (``event_hash``) and walks the rows in ``seq`` order with constant
memory.  It stops at the first bad row and names it:

- ``edited`` — the event no longer hashes to what was recorded;
- ``deleted_or_reordered`` — a ``seq`` is missing, repeated or out of order, or a row does not
  point at the link before it (``first_bad_seq`` is the first position that is not as recorded:
  the missing ``seq`` for a deletion);
- ``chain_broken`` — a link is not the hash of its row (the row's hashes were rewritten).

Someone who rewrites every link after a change escapes the chain alone: that is what the
published daily roots are for.  :func:`daily_root` is the Merkle tree hash of RFC 6962
(§2.1) over the day's links: leaf = SHA-256(0x00 ‖ link), node = SHA-256(0x01 ‖ left ‖
right), a lone node moves up a level unchanged; the root of an empty day is SHA-256("").
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

__all__ = [
    "GENESIS",
    "LedgerEntry",
    "Verification",
    "chain_hash",
    "daily_root",
    "verify",
]

GENESIS = "0" * 64
TAG = b"htxso-ledger/1"
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")
_SEQ = struct.Struct(">Q")


def chain_hash(prev_chain: str, event_hash: str, seq: int) -> str:
    """The link of ledger row ``seq`` (see the module docstring for the byte layout)."""
    if not isinstance(prev_chain, str) or not _HEX64.match(prev_chain):
        raise ValueError("prev_chain must be 64 lowercase hex digits")
    if not isinstance(seq, int) or seq < 0 or seq >= 1 << 64:
        raise ValueError("seq must be an integer between 0 and 2**64 - 1")
    return hashlib.sha256(
        TAG + bytes.fromhex(prev_chain) + seq.to_bytes(8, "big") + event_hash.encode("ascii")
    ).hexdigest()


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One ledger row as the verifier needs it."""

    seq: int
    event_hash: str  # recomputed now from the stored event
    stored_event_hash: str  # recorded when the event was captured
    prev_chain: str
    chain: str


@dataclass(frozen=True, slots=True)
class Verification:
    """The verdict: ``ok``, rows read, and for a failure the first bad ``seq`` and why."""

    ok: bool
    checked: int
    first_bad_seq: int | None = None
    code: str | None = None
    message: str | None = None
    last_chain: str = GENESIS


def _fail(checked: int, seq: int, code: str, last_chain: str) -> Verification:
    messages = {
        "edited": _("Event %(seq)s was edited after it was recorded."),
        "deleted_or_reordered": _(
            "The ledger is broken at event %(seq)s: an event was deleted, inserted or moved."
        ),
        "chain_broken": _("The hash chain is broken at event %(seq)s: its link was rewritten."),
    }
    return Verification(False, checked, seq, code, messages[code] % {"seq": seq}, last_chain)


def verify(
    rows: Iterable[LedgerEntry], *, after_seq: int = 0, after_chain: str = GENESIS
) -> Verification:
    """Walk ``rows`` (in ``seq`` order) and report the first problem, in constant memory.

    ``after_seq``/``after_chain`` resume from a row already verified (a checkpoint); by
    default the ledger starts at ``seq`` 1 after :data:`GENESIS`.
    """
    sha256 = hashlib.sha256
    pack = _SEQ.pack
    expected = after_seq + 1
    previous = after_chain
    try:
        prev_raw = bytes.fromhex(previous)
    except ValueError as exc:
        raise ValueError("after_chain must be 64 hex digits") from exc
    checked = 0
    for row in rows:
        checked += 1
        seq = row.seq
        if seq != expected:
            return _fail(checked, min(seq, expected), "deleted_or_reordered", previous)
        if row.prev_chain != previous:
            return _fail(checked, seq, "deleted_or_reordered", previous)
        stored = row.stored_event_hash
        if row.event_hash != stored:
            return _fail(checked, seq, "edited", previous)
        try:
            digest = sha256(TAG + prev_raw + pack(seq) + stored.encode("ascii")).digest()
        except (AttributeError, UnicodeEncodeError, struct.error):
            return _fail(checked, seq, "chain_broken", previous)
        link = digest.hex()
        if row.chain != link:
            return _fail(checked, seq, "chain_broken", previous)
        previous, prev_raw = link, digest
        expected = seq + 1
    return Verification(True, checked, last_chain=previous)


def _leaf(link: str) -> bytes:
    return hashlib.sha256(b"\x00" + bytes.fromhex(link)).digest()


def daily_root(chain_hashes: list[str]) -> str:
    """The RFC 6962 Merkle tree hash (hex) of a day's chain links, in ``seq`` order."""
    if not chain_hashes:
        return hashlib.sha256(b"").hexdigest()
    level = [_leaf(h) for h in chain_hashes]
    sha256 = hashlib.sha256
    while len(level) > 1:
        nxt = [
            sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].hex()


def merkle_proof(chain_hashes: list[str], index: int) -> list[tuple[str, str]]:
    """The audit path of link ``index``: ``[("L" or "R", sibling hex), …]`` leaf to root."""
    if not 0 <= index < len(chain_hashes):
        raise IndexError("index outside the day's links")
    level = [_leaf(h) for h in chain_hashes]
    path: list[tuple[str, str]] = []
    while len(level) > 1:
        sibling = index ^ 1
        if sibling < len(level):
            path.append(("L" if sibling < index else "R", level[sibling].hex()))
        nxt = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            nxt.append(level[-1])
        level, index = nxt, index // 2
    return path


def verify_proof(link: str, path: list[tuple[str, str]], root: str) -> bool:
    """Whether ``link`` with its audit ``path`` leads to the published ``root``."""
    node = _leaf(link)
    for side, sibling in path:
        other = bytes.fromhex(sibling)
        node = hashlib.sha256(b"\x01" + (other + node if side == "L" else node + other)).digest()
    return node.hex() == root


__all__ += ["merkle_proof", "verify_proof"]
