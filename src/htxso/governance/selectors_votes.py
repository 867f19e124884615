"""Reads of the votes part: open votes for a member, results (only once closed), receipt
checks, the quorum and attendance a vote needs.

A secret ballot is read only as counts (``Ballot`` rows grouped by choice, once the vote
is closed) or as the existence of one receipt hash: nothing here returns a ballot row,
and nothing reads a ballot together with a vote record.

The seal: while a secret vote is open a ballot holds its choice sealed with AES-GCM
(random 96-bit nonce, the resolution and receipt hash as associated data, the choice
padded so every seal has the same length) under a key derived by HKDF-SHA256 from
``settings.GOVERNANCE_BALLOT_KEY`` or, without it, ``SECRET_KEY`` — older keys
(``SECRET_KEY_FALLBACKS``) still open seals and check receipts.  Only the close unseals
(``services_votes.resolution_close``); no page or API reads a seal.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from htxso.core.policy import allowed
from htxso.registry.models import Membership

from . import selectors_assemblies
from .models import (
    Assembly,
    AssemblyStatus,
    Attendance,
    Ballot,
    PaperTally,
    Resolution,
    ResolutionStatus,
    VoteChoice,
    VoteRecord,
)
from .models.votes import SPECIAL_MATTERS
from .rules import rule

#: The receipt alphabet: no 0/O, 1/I/L (read aloud or typed on a phone).
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 12


@dataclass(frozen=True)
class Counts:
    yes: int = 0
    no: int = 0
    abstain: int = 0

    @property
    def total(self) -> int:
        return self.yes + self.no + self.abstain


@dataclass(frozen=True)
class Paper:
    yes: int
    no: int
    abstain: int
    invalid: int
    ballots_issued: int
    teller_1: str
    teller_2: str
    confirmed: bool


@dataclass(frozen=True)
class Results:
    """The result of a closed vote: online and paper apart, their sum, the threshold."""

    online: Counts
    paper: Paper | None
    yes: int
    no: int
    abstain: int
    #: the denominator: members attending with a vote when the vote closed
    voters_present: int
    majority: Decimal
    majority_inclusive: bool
    article: str
    passed: bool

    @property
    def yes_pct(self) -> Decimal:
        if not self.voters_present:
            return Decimal(0)
        return (Decimal(self.yes) * 100 / self.voters_present).quantize(Decimal("0.01"))


def normalise_receipt(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:64]


def receipt_hash(code: str) -> str:
    return hashlib.sha256(normalise_receipt(code).encode()).hexdigest()


def format_receipt(code: str) -> str:
    code = normalise_receipt(code)
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


# --- the seal of an open secret ballot ---------------------------------------------------

#: HKDF ``info`` labels: one key per purpose (a change of format gets a new label)
SEAL_PURPOSE = b"htxso.governance.ballot-seal.v1"
RECEIPT_PURPOSE = b"htxso.governance.ballot-receipt.v1"
NONCE_BYTES = 12
#: every choice is padded to this many bytes: a seal's length says nothing
SEAL_PAD = 16
SEAL_BYTES = NONCE_BYTES + SEAL_PAD + 16  # nonce, padded choice, GCM tag


class SealError(Exception):
    """A sealed ballot that no configured key opens (the key changed, or the row did)."""


def _secrets() -> list[str]:
    """The ballot secrets, newest first: the dedicated setting, ``SECRET_KEY``, then
    ``SECRET_KEY_FALLBACKS`` (a rotated key still opens what it sealed)."""
    found = [
        getattr(settings, "GOVERNANCE_BALLOT_KEY", "") or "",
        settings.SECRET_KEY,
        *getattr(settings, "SECRET_KEY_FALLBACKS", ()),
    ]
    out: list[str] = []
    for secret in found:
        if secret and secret not in out:
            out.append(secret)
    return out


@functools.lru_cache(maxsize=16)
def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        secret.encode()
    )


def _keys(purpose: bytes) -> list[bytes]:
    return [_derive(secret, purpose) for secret in _secrets()]


def _aad(resolution_id: int, receipt_hash_: str) -> bytes:
    # a seal opens only on its own row: moved to another ballot or resolution, it fails
    return f"{resolution_id}:{receipt_hash_}".encode()


def seal_choice(resolution_id: int, receipt_hash_: str, choice: str) -> bytes:
    """The choice sealed for the ballot row (resolution, receipt hash): nonce + ciphertext."""
    if choice not in VoteChoice.values:
        raise ValueError("not a choice")
    nonce = os.urandom(NONCE_BYTES)
    plain = choice.encode().ljust(SEAL_PAD, b"\0")
    key = _keys(SEAL_PURPOSE)[0]
    return nonce + AESGCM(key).encrypt(nonce, plain, _aad(resolution_id, receipt_hash_))


class BallotOpener:
    """Opens the seals of one close and re-keys its receipt hashes, the keys derived
    once (a close of 10,000 ballots opens 10,000 seals)."""

    def __init__(self) -> None:
        self._aeads = [AESGCM(key) for key in _keys(SEAL_PURPOSE)]
        self._receipt_key = _keys(RECEIPT_PURPOSE)[0]

    def choice(self, resolution_id: int, receipt_hash_: str, sealed: bytes | memoryview) -> str:
        """The choice in a seal; :class:`SealError` when no key opens it."""
        sealed = bytes(sealed)
        nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        aad = _aad(resolution_id, receipt_hash_)
        for aead in self._aeads:
            try:
                choice = aead.decrypt(nonce, body, aad).rstrip(b"\0").decode()
            except InvalidTag:
                continue
            if choice in VoteChoice.values:
                return choice
        raise SealError(resolution_id)

    def closed_hash(self, open_hash: str) -> str:
        """The receipt hash a ballot gets at the close: the open one re-keyed (HMAC), so
        the rows before and after the close (dead tuples, WAL, two backups) share no
        value."""
        return _rekey(self._receipt_key, open_hash)


def unseal_choice(resolution_id: int, receipt_hash_: str, sealed: bytes | memoryview) -> str:
    """The choice in one seal (only the close opens seals, through :class:`BallotOpener`)."""
    return BallotOpener().choice(resolution_id, receipt_hash_, sealed)


def _rekey(key: bytes, open_hash: str) -> str:
    return hmac.new(key, open_hash.encode(), hashlib.sha256).hexdigest()


def closed_receipt_hash(open_hash: str) -> str:
    """See :meth:`BallotOpener.closed_hash`."""
    return _rekey(_keys(RECEIPT_PURPOSE)[0], open_hash)


def receipt_hashes(code: str) -> list[str]:
    """Every hash a receipt code's ballot may carry: open (sha256) or closed (re-keyed,
    with each configured key)."""
    open_hash = receipt_hash(code)
    return [open_hash, *(_rekey(key, open_hash) for key in _keys(RECEIPT_PURPOSE))]


# --- who may vote -----------------------------------------------------------------------


def membership_of(user: Any, organisation_id: int) -> Membership | None:
    """The user's active membership in the organisation (``None`` for staff)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(
            organisation_id=organisation_id, person__user=user, left_on__isnull=True
        )
        .order_by("id")
        .first()
    )


def attendance_of(assembly: Assembly, membership: Membership) -> Attendance | None:
    return selectors_assemblies.attendance_of(assembly, membership)


def voters_present(assembly: Assembly) -> int:
    """Members attending with a vote (the majority's denominator)."""
    return Attendance.objects.filter(assembly=assembly, may_vote=True).count()


def quorum(assembly: Assembly) -> selectors_assemblies.Quorum:
    """The assemblies part's live quorum (present, total, required, met, article)."""
    return selectors_assemblies.quorum(assembly)


def majority_rule(resolution: Resolution) -> tuple[Decimal, bool, str]:
    """(majority %, inclusive?, article) for the resolution's kind of matter, in force on
    the assembly's day."""
    assembly = resolution.assembly
    special = resolution.matter in SPECIAL_MATTERS
    found = rule(
        "special_majority" if special else "ordinary_majority",
        on=timezone.localdate(assembly.scheduled_at),
        org_kind=assembly.organisation.kind,
    )
    return found.value, special, found.article


def passes(yes: int, present: int, majority: Decimal, inclusive: bool) -> bool:
    """``yes`` of ``present`` reaches ``majority`` % (at least, or more than)."""
    if present <= 0:
        return False
    lhs, rhs = Decimal(yes) * 100, majority * present
    return lhs >= rhs if inclusive else lhs > rhs


# --- open votes and results ----------------------------------------------------------


def open_for(user: Any) -> list[Resolution]:
    """Open resolutions ``user`` may still vote on: an active member attending with a
    vote, the quorum met when voting opened, no vote yet."""
    if not getattr(user, "is_authenticated", False):
        return []
    mine = Membership.objects.filter(person__user=user, left_on__isnull=True)
    present = Attendance.objects.filter(membership__in=mine, may_vote=True)
    qs = (
        Resolution.objects.filter(
            status=ResolutionStatus.OPEN,
            quorum_met=True,
            assembly__status=AssemblyStatus.OPEN,
            assembly__in=present.values("assembly"),
        )
        .exclude(records__membership__in=mine)
        .select_related("assembly", "assembly__organisation")
        .order_by("assembly_id", "id")
    )
    return list(allowed(qs, user))


def online_counts(resolution: Resolution) -> Counts:
    """Online votes by choice: ballots for a secret vote, records for an open one.

    A secret vote's ballots are counted in clear only once it is closed: while open
    their choice is sealed (blank here), so this counts nothing — nobody tallies seals
    but the close."""
    if resolution.secret:
        rows = (
            Ballot.objects.filter(resolution=resolution)
            .values("choice")
            .annotate(n=Count("*"))  # COUNT(*): the (resolution, choice) index suffices
            .order_by()
        )
    else:
        rows = (
            VoteRecord.objects.filter(resolution=resolution)
            .exclude(choice="")
            .values("choice")
            .annotate(n=Count("id"))
        )
    by = {r["choice"]: r["n"] for r in rows}
    return Counts(
        by.get(VoteChoice.YES, 0), by.get(VoteChoice.NO, 0), by.get(VoteChoice.ABSTAIN, 0)
    )


def turnout(resolution: Resolution) -> int:
    """How many voted online so far (not what they voted)."""
    return VoteRecord.objects.filter(resolution=resolution).count()


def paper_of(resolution: Resolution) -> Paper | None:
    tally = PaperTally.objects.filter(resolution=resolution).first()
    if tally is None:
        return None
    return Paper(
        tally.yes,
        tally.no,
        tally.abstain,
        tally.invalid,
        tally.ballots_issued,
        tally.teller_1,
        tally.teller_2,
        tally.confirmed_by_id is not None,
    )


def results(resolution: Resolution) -> Results | None:
    """The result of a closed vote; ``None`` while it is not closed (for everyone)."""
    if resolution.status != ResolutionStatus.CLOSED or resolution.passed is None:
        return None
    paper = paper_of(resolution)
    p = paper if paper is not None and paper.confirmed else None
    online = Counts(
        (resolution.votes_yes or 0) - (p.yes if p else 0),
        (resolution.votes_no or 0) - (p.no if p else 0),
        (resolution.votes_abstain or 0) - (p.abstain if p else 0),
    )
    return Results(
        online=online,
        paper=p,
        yes=resolution.votes_yes or 0,
        no=resolution.votes_no or 0,
        abstain=resolution.votes_abstain or 0,
        voters_present=resolution.voters_present or 0,
        majority=resolution.majority or Decimal(0),
        majority_inclusive=resolution.majority_inclusive,
        article=resolution.majority_article,
        passed=bool(resolution.passed),
    )


def receipt_counted(resolution: Resolution, code: str) -> bool:
    """Whether a ballot with this receipt is in this resolution's count (never which
    choice)."""
    if not normalise_receipt(code):
        return False
    # open or closed form: a check racing the close still finds the ballot
    return Ballot.objects.filter(
        resolution=resolution, receipt_hash__in=receipt_hashes(code)
    ).exists()


def has_voted(resolution: Resolution, membership: Membership | None) -> bool:
    if membership is None:
        return False
    return VoteRecord.objects.filter(resolution=resolution, membership=membership).exists()


def resolutions_of(assembly: Assembly, user: Any) -> list[Resolution]:
    return list(allowed(Resolution.objects.filter(assembly=assembly), user))


def adopted_count(organisation_id: int, year: int) -> int:
    return Resolution.objects.filter(
        Q(organisation_id=organisation_id) & ~Q(number="") & Q(closed_at__year=year)
    ).count()
