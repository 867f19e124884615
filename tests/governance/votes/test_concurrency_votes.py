"""200 members vote at once in a secret ballot on PostgreSQL: exactly 200 ballots, 200
vote records and a correct tally; each member's second try is refused.

Each voter runs in its own thread with its own connection and votes through the real
service (the resolution's row lock serialises the casts; the unique constraint on
(resolution, membership) refuses a second one).  SQLite serialises writers itself and
its shared in-memory test database cannot hold 200 concurrent writers: PostgreSQL only.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from htxso.core.errors import ServiceError
from htxso.governance import selectors_votes as sel
from htxso.governance import services_votes as svc
from htxso.governance.models import Ballot, Resolution, VoteRecord

from .conftest import open_assembly, voters

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs PostgreSQL"),
]

VOTERS = 200


def test_200_members_vote_at_once(world):
    assembly = open_assembly(world, voters_total=VOTERS)
    users = voters(world, assembly, VOTERS)
    r = Resolution.objects.create(
        assembly=assembly, title="Giải thể", text="Giải thể HTX.", matter="dissolution", secret=True
    )
    majority, inclusive, article = sel.majority_rule(r)
    Resolution.objects.filter(pk=r.pk).update(
        status="open",
        quorum_met=True,
        majority=majority,
        majority_inclusive=inclusive,
        majority_article=article,
        opened_at=timezone.now(),
    )
    choices = ["yes"] * 131 + ["no"] * 60 + ["abstain"] * 9
    barrier = threading.Barrier(VOTERS)
    outcomes: list[str] = []
    receipts: list[str] = []
    lock = threading.Lock()

    def vote(user, choice):
        outcome = "error"
        try:
            resolution = Resolution.objects.get(pk=r.pk)
            barrier.wait(timeout=60)
            receipt = svc.cast(actor=user, resolution=resolution, choice=choice)
            try:
                svc.cast(actor=user, resolution=resolution, choice=choice)
                outcome = "twice"
            except ServiceError as exc:
                outcome = "ok" if exc.code == "already_voted" else exc.code
            with lock:
                receipts.append(receipt.code)
        except ServiceError as exc:
            outcome = exc.code
        except Exception as exc:  # reported in the assertion message
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
            with lock:
                outcomes.append(outcome)

    threads = [
        threading.Thread(target=vote, args=(u, c)) for u, c in zip(users, choices, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert outcomes.count("ok") == VOTERS, sorted(set(outcomes))
    assert Ballot.objects.filter(resolution=r).count() == VOTERS
    assert VoteRecord.objects.filter(resolution=r).count() == VOTERS
    assert len(set(receipts)) == VOTERS
    r = svc.resolution_close(
        actor=world.users["manager_a1"], resolution=Resolution.objects.get(pk=r.pk)
    )
    res = sel.results(r)
    assert (res.yes, res.no, res.abstain, res.voters_present) == (131, 60, 9, VOTERS)
    assert res.passed is True  # 131/200 = 65.5 % ≥ 65 %
