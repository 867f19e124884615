"""Reads of the votes part: open votes for a member, results (only once closed), receipt
checks, the quorum and attendance a vote needs.

A secret ballot is read only as counts (``Ballot`` rows grouped by choice) or as the
existence of one receipt hash: nothing here returns a ballot row, and nothing reads a
ballot together with a vote record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

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
    """Online votes by choice: ballots for a secret vote, records for an open one."""
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
    return Ballot.objects.filter(resolution=resolution, receipt_hash=receipt_hash(code)).exists()


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
