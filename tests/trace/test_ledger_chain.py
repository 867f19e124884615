"""The hash chain and its verifier: every kind of tampering is named at the right seq."""

from __future__ import annotations

import hashlib
import tracemalloc
from dataclasses import replace

import pytest

from htxso.trace.ledger import (
    GENESIS,
    TAG,
    LedgerEntry,
    chain_hash,
    daily_root,
    merkle_proof,
    verify,
    verify_proof,
)


def ni(i: int) -> str:
    return f"ni:///sha-256;{hashlib.sha256(str(i).encode()).hexdigest()}?ver=CBV2.0"


def build(n: int) -> list[LedgerEntry]:
    rows, prev = [], GENESIS
    for seq in range(1, n + 1):
        h = ni(seq)
        link = chain_hash(prev, h, seq)
        rows.append(LedgerEntry(seq, h, h, prev, link))
        prev = link
    return rows


def test_layout_is_the_documented_one():
    h = ni(1)
    expected = hashlib.sha256(
        b"htxso-ledger/1" + bytes(32) + (1).to_bytes(8, "big") + h.encode()
    ).hexdigest()
    assert TAG == b"htxso-ledger/1"
    assert chain_hash(GENESIS, h, 1) == expected
    assert chain_hash(GENESIS, h, 2) != expected
    with pytest.raises(ValueError):
        chain_hash("xyz", h, 1)
    with pytest.raises(ValueError):
        chain_hash(GENESIS, h, -1)


def test_intact_ledger():
    rows = build(50)
    result = verify(rows)
    assert result.ok and result.checked == 50 and result.first_bad_seq is None
    assert result.last_chain == rows[-1].chain
    assert verify([]).ok


def test_resume_from_checkpoint():
    rows = build(20)
    assert verify(rows[10:], after_seq=10, after_chain=rows[9].chain).ok
    assert not verify(rows[10:]).ok


def test_edited_event():
    rows = build(20)
    rows[6] = replace(rows[6], event_hash=ni(999))  # the stored event's content changed
    result = verify(rows)
    assert (result.ok, result.first_bad_seq, result.code) == (False, 7, "edited")
    assert "7" in str(result.message)
    assert result.checked == 7


def test_edited_event_and_its_stored_hash():
    rows = build(20)
    rows[6] = replace(rows[6], event_hash=ni(999), stored_event_hash=ni(999))
    result = verify(rows)
    assert (result.first_bad_seq, result.code) == (7, "chain_broken")


def test_rewritten_link_is_caught_at_the_next_row():
    rows = build(20)
    forged = chain_hash(rows[6].prev_chain, ni(999), 7)
    rows[6] = replace(rows[6], event_hash=ni(999), stored_event_hash=ni(999), chain=forged)
    result = verify(rows)
    assert (result.first_bad_seq, result.code) == (8, "deleted_or_reordered")


def test_deleted_row():
    rows = build(20)
    del rows[11]  # seq 12
    result = verify(rows)
    assert (result.first_bad_seq, result.code) == (12, "deleted_or_reordered")


def test_deleted_last_rows_are_not_detectable_without_the_root():
    rows = build(20)
    result = verify(rows[:-1])
    assert result.ok and result.last_chain != rows[-1].chain  # the published root differs


def test_reordered_rows():
    rows = build(20)
    rows[4], rows[5] = rows[5], rows[4]  # read order swapped
    result = verify(rows)
    assert (result.first_bad_seq, result.code) == (5, "deleted_or_reordered")
    rows = build(20)
    # seq numbers swapped in the table: the rows keep their links
    a, b = rows[4], rows[5]
    rows[4], rows[5] = replace(b, seq=5), replace(a, seq=6)
    result = verify(rows)
    assert (result.first_bad_seq, result.code) == (5, "deleted_or_reordered")


def test_inserted_row():
    rows = build(20)
    extra = LedgerEntry(9, ni(500), ni(500), rows[7].chain, chain_hash(rows[7].chain, ni(500), 9))
    tampered = [*rows[:8], extra, *rows[8:]]  # a second seq 9
    result = verify(tampered)
    assert (result.first_bad_seq, result.code) == (9, "deleted_or_reordered")
    # renumbered so that seq stays continuous: caught where the old row follows
    renumbered = [*rows[:8], extra, *(replace(r, seq=r.seq + 1) for r in rows[8:])]
    result = verify(renumbered)
    assert (result.first_bad_seq, result.code) == (10, "deleted_or_reordered")


def test_bad_chain_text_never_raises():
    rows = build(3)
    rows[1] = replace(rows[1], chain="not hex")
    assert verify(rows).code == "chain_broken"
    rows = build(3)
    rows[1] = replace(rows[1], stored_event_hash="ni:///é", event_hash="ni:///é")
    assert verify(rows).code == "chain_broken"


def test_streaming_uses_constant_memory():
    def generate(n):
        prev = GENESIS
        for seq in range(1, n + 1):
            h = ni(seq)
            link = chain_hash(prev, h, seq)
            yield LedgerEntry(seq, h, h, prev, link)
            prev = link

    tracemalloc.start()
    result = verify(generate(20_000))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.ok and result.checked == 20_000
    assert peak < 200_000  # bytes: a handful of rows, never the whole ledger


def _rfc6962(leaves: list[bytes]) -> bytes:
    """RFC 6962 §2.1 MTH, written recursively as in the RFC (independent of the module)."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + _rfc6962(leaves[:k]) + _rfc6962(leaves[k:])).digest()


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 7, 8, 13, 100])
def test_daily_root_is_rfc6962(n):
    links = [r.chain for r in build(n)]
    assert daily_root(links) == _rfc6962([bytes.fromhex(x) for x in links]).hex()


def test_audit_paths():
    links = [r.chain for r in build(13)]
    root = daily_root(links)
    for i, link in enumerate(links):
        assert verify_proof(link, merkle_proof(links, i), root)
    assert not verify_proof(links[0], merkle_proof(links, 1), root)
    changed = list(links)
    changed[3] = GENESIS
    assert daily_root(changed) != root
