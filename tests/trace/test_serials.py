"""Stamp serials: unique, unguessable, self-checking, readable."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from htxso.trace.epcis.documents import parse_digital_link, serial_epc
from htxso.trace.serials import (
    ALPHABET,
    LENGTH,
    display,
    new_serials,
    normalise,
    well_formed,
)

KEY = b"test-key-for-stamps-0123456789ab"


@pytest.fixture(scope="module")
def batch():
    return new_serials(100_000, key=KEY)


def test_unique_and_shaped(batch):
    assert len(batch) == len(set(batch)) == 100_000
    assert all(len(s) == LENGTH and set(s) <= set(ALPHABET) for s in batch)
    assert not set("01OI") & set("".join(batch[:1000]))


def test_all_verify_with_their_key_only(batch):
    assert all(well_formed(s, key=KEY) for s in batch[:20_000])
    other = b"another-key-for-stamps-987654321"
    assert sum(well_formed(s, key=other) for s in batch[:20_000]) < 20 * 2  # ≈ 20000 / 2**20


def test_tampering_is_refused(batch):
    for serial in batch[:500]:
        for pos in (0, 5, 11, 12, 15):
            ch = serial[pos]
            repl = ALPHABET[(ALPHABET.index(ch) + 7) % len(ALPHABET)]
            assert not well_formed(serial[:pos] + repl + serial[pos + 1 :], key=KEY)
    assert not well_formed(batch[0][:-1], key=KEY)
    assert not well_formed(batch[0] + "2", key=KEY)
    assert not well_formed(batch[0].lower(), key=KEY)
    assert not well_formed("", key=KEY)
    assert not well_formed(None, key=KEY)  # type: ignore[arg-type]


def test_guessing_fails():
    """Made-up codes of the right shape: about one in a million passes the check."""
    import secrets

    guesses = ["".join(secrets.choice(ALPHABET) for _ in range(LENGTH)) for _ in range(20_000)]
    assert sum(well_formed(g, key=KEY) for g in guesses) <= 2


def test_character_distribution(batch):
    """Each symbol appears ~1/32 of the time at every body position (χ² sanity check)."""
    n = len(batch)
    expected = n / len(ALPHABET)
    for pos in (0, 6, 11, 12, 15):
        counts = Counter(s[pos] for s in batch)
        chi2 = sum((counts.get(ch, 0) - expected) ** 2 / expected for ch in ALPHABET)
        # 31 degrees of freedom: p(χ² > 70) < 1e-4
        assert chi2 < 70, (pos, chi2)
    # consecutive serials share no structure
    prefixes = Counter(s[:3] for s in batch)
    assert max(prefixes.values()) < 30  # 32**3 = 32768 buckets, mean ≈ 3
    assert math.isclose(len(prefixes), 32768 * (1 - math.exp(-n / 32768)), rel_tol=0.02)


def test_human_forms_and_digital_link(batch):
    serial = batch[0]
    shown = display(serial)
    assert len(shown) == 19 and shown.count("-") == 3
    assert normalise(" " + shown.lower() + " ") == serial
    link = serial_epc("08930000000019", serial)
    assert parse_digital_link(link).serial == serial


def test_bad_arguments():
    with pytest.raises(ValueError):
        new_serials(3, key=b"short")
    with pytest.raises(ValueError):
        new_serials(-1, key=KEY)
    assert new_serials(0, key=KEY) == []
