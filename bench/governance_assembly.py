"""Governance: a 10,000-member assembly — quorum, close, secret-ballot tally vs raw SQL.

Inside a transaction rolled back at the end, one cooperative gets 10,000 official members
(200 with ``--quick``), all checked in at its open annual assembly, and a secret ballot
with one ballot per member (10,000; 200), sealed as an open vote's ballots are, plus
their vote records, then the tables are analysed.

Measured first, once: closing the vote (``services_votes.resolution_close``: the locks,
unsealing the ballots and writing them again shuffled in clear, the tally, the result,
the audit row) with its time and query count; the ballot table is analysed again.  Then,
interleaved, ``REPEAT`` times each: the live quorum (``selectors_assemblies.quorum`` as
the votes part reads it) and the secret-ballot tally of the closed vote
(``selectors_votes.online_counts``: ballots grouped by choice through the ORM) against
the same ``COUNT(*) … GROUP BY choice`` written by hand with a cursor; both must give the
same numbers.

Limit: the tally's median time ≤ ``MAX_RATIO`` × the raw SQL's median (or within
``OVERHEAD_MS`` of it: the ORM's fixed cost on a small count), the same numbers,
and fixed query counts (quorum ≤ ``MAX_QUORUM_QUERIES``, close ≤ ``MAX_CLOSE_QUERIES``,
whatever the number of members).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
import uuid
from typing import Any

from .harness import Context, Result, format_table

NAME = "governance_assembly"
MEMBERS, QUICK_MEMBERS = 10_000, 200
REPEAT, QUICK_REPEAT = 9, 5
MAX_RATIO = 2.0
#: below this many milliseconds over the raw SQL the ratio is the ORM's fixed cost, not
#: the tally's (a 200-ballot count takes 0.05 ms raw): the limit then holds
OVERHEAD_MS = 1.0
MAX_QUORUM_QUERIES = 4
MAX_CLOSE_QUERIES = 16
#: the share of ballots by choice (yes, no, abstain)
SPLIT = (0.7, 0.25)

RAW_TALLY = (
    "SELECT choice, COUNT(*) FROM governance_ballot WHERE resolution_id = %s "
    "GROUP BY choice ORDER BY choice"
)
RAW_PRESENT = "SELECT COUNT(*) FROM governance_attendance WHERE assembly_id = %s AND may_vote"


class _Rollback(Exception):
    pass


def _setup(members: int, rng: random.Random) -> tuple[Any, Any, dict[str, int]]:
    from django.db import connection
    from django.utils import timezone

    from htxso.accounts.models import User
    from htxso.governance.models import (
        Assembly,
        Attendance,
        Ballot,
        Resolution,
        VoteRecord,
    )
    from htxso.governance.selectors_votes import majority_rule, receipt_hash, seal_choice
    from htxso.registry.models import Membership, Organisation, Person

    actor = User.objects.get(username="vca.admin")
    org = Organisation.objects.create(
        kind="cooperative",
        name="HTX Đo lường 10.000 thành viên",
        tax_code="0319999014",
        province_id="04",
    )
    people = Person.objects.bulk_create(
        [
            Person(
                organisation=org,
                full_name=f"Xã viên đo {i}",
                phone="",
                search_text=f"xa vien do {i}",
            )
            for i in range(members)
        ],
        batch_size=2_000,
    )
    joined = dt.date(2020, 1, 1)
    ships = Membership.objects.bulk_create(
        [
            Membership(organisation=org, person=p, kind="official", joined_on=joined, capital=0)
            for p in people
        ],
        batch_size=2_000,
    )
    assembly = Assembly.objects.create(
        organisation=org,
        kind="annual",
        year=2026,
        mode="hybrid",
        title="Đại hội đo lường",
        scheduled_at=timezone.now(),
        status="open",
        voters_total=members,
        created_by=actor,
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                assembly=assembly,
                membership=m,
                channel="online",
                may_vote=True,
                checked_in_by=actor,
            )
            for m in ships
        ],
        batch_size=2_000,
    )
    resolution = Resolution.objects.create(
        assembly=assembly, title="Sửa Điều lệ", text="Sửa Điều lệ.", matter="charter", secret=True
    )
    majority, inclusive, article = majority_rule(resolution)
    Resolution.objects.filter(pk=resolution.pk).update(
        status="open",
        quorum_met=True,
        quorum_present=members,
        majority=majority,
        majority_inclusive=inclusive,
        majority_article=article,
        opened_at=timezone.now(),
    )
    resolution.refresh_from_db()
    VoteRecord.objects.bulk_create(
        [VoteRecord(resolution=resolution, membership=m) for m in ships], batch_size=2_000
    )
    expected = {"yes": 0, "no": 0, "abstain": 0}
    ballots = []
    for _ in range(members):
        r = rng.random()
        choice = "yes" if r < SPLIT[0] else "no" if r < SPLIT[0] + SPLIT[1] else "abstain"
        expected[choice] += 1
        hashed = receipt_hash(f"{rng.getrandbits(64):016X}")
        ballots.append(
            Ballot(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                resolution=resolution,
                choice="",
                sealed=seal_choice(resolution.pk, hashed, choice),
                receipt_hash=hashed,
            )
        )
    Ballot.objects.bulk_create(ballots, batch_size=2_000)
    with connection.cursor() as cursor:
        for table in (
            "registry_person",
            "registry_membership",
            "governance_attendance",
            "governance_voterecord",
            "governance_ballot",
        ):
            cursor.execute(f"ANALYZE {table}")
    return assembly, resolution, expected


def _timed(call) -> tuple[float, Any]:
    t0 = time.perf_counter()
    value = call()
    return time.perf_counter() - t0, value


def run(ctx: Context) -> Result:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from htxso.accounts.models import User
    from htxso.governance import selectors_votes as sel
    from htxso.governance import services_votes as svc

    members = QUICK_MEMBERS if ctx.quick else MEMBERS
    repeat = QUICK_REPEAT if ctx.quick else REPEAT
    data: dict[str, Any] = {"members": members, "ballots": members}
    passed = False
    try:
        with transaction.atomic():
            started = time.perf_counter()
            assembly, resolution, expected = _setup(members, random.Random(14))
            data["setup_seconds"] = round(time.perf_counter() - started, 1)
            ctx.print(f"set-up: {data['setup_seconds']} s ({connection.vendor})")
            actor = User.objects.get(username="vca.admin")
            with CaptureQueriesContext(connection) as qc:
                close_s, closed = _timed(
                    lambda: svc.resolution_close(actor=actor, resolution=resolution)
                )
            close_queries = len(qc.captured_queries)
            resolution = closed
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE governance_ballot")
            tally_t, raw_t, quorum_t, raw_q_t = [], [], [], []
            same = True
            with connection.cursor() as cursor:
                for _i in range(repeat):
                    t, counts = _timed(lambda: sel.online_counts(resolution))
                    tally_t.append(t)
                    t0 = time.perf_counter()
                    cursor.execute(RAW_TALLY, [resolution.pk])
                    raw = dict(cursor.fetchall())
                    raw_t.append(time.perf_counter() - t0)
                    same = same and raw == {k: v for k, v in expected.items() if v}
                    same = same and (counts.yes, counts.no, counts.abstain) == (
                        expected["yes"],
                        expected["no"],
                        expected["abstain"],
                    )
                    t, q = _timed(lambda: sel.quorum(assembly))
                    quorum_t.append(t)
                    t0 = time.perf_counter()
                    cursor.execute(RAW_PRESENT, [assembly.pk])
                    present = cursor.fetchone()[0]
                    raw_q_t.append(time.perf_counter() - t0)
                    same = same and q.present == present == members and q.met
            with CaptureQueriesContext(connection) as qq:
                sel.quorum(assembly)
            quorum_queries = len(qq.captured_queries)
            result = sel.results(closed)
            same = same and result is not None and result.yes == expected["yes"]
            same = same and result.voters_present == members
            med, raw_med = statistics.median(tally_t), statistics.median(raw_t)
            q_med, raw_q_med = statistics.median(quorum_t), statistics.median(raw_q_t)
            ratio = med / raw_med if raw_med else float("inf")
            q_ratio = q_med / raw_q_med if raw_q_med else float("inf")
            ms = lambda seconds: round(seconds * 1000, 2)  # noqa: E731
            rows = [
                ["secret-ballot tally", members, ms(med), ms(raw_med), round(ratio, 2), 1],
                [
                    "quorum (live)",
                    members,
                    ms(q_med),
                    ms(raw_q_med),
                    round(q_ratio, 2),
                    quorum_queries,
                ],
                ["close the vote", members, ms(close_s), "", "", close_queries],
            ]
            ctx.print(
                format_table(["figure", "members", "ours ms", "raw ms", "ratio", "queries"], rows)
            )
            data.update(
                tally_ms=round(med * 1000, 2),
                tally_raw_ms=round(raw_med * 1000, 2),
                ratio=round(ratio, 2),
                quorum_ms=round(q_med * 1000, 2),
                quorum_raw_ms=round(raw_q_med * 1000, 2),
                quorum_ratio=round(q_ratio, 2),
                quorum_queries=quorum_queries,
                close_ms=round(close_s * 1000, 2),
                close_queries=close_queries,
                expected=expected,
                passed_result=bool(result and result.passed),
                same_numbers=same,
                max_ratio=MAX_RATIO,
            )
            passed = (
                same
                and (ratio <= MAX_RATIO or (med - raw_med) * 1000 <= OVERHEAD_MS)
                and quorum_queries <= MAX_QUORUM_QUERIES
                and close_queries <= MAX_CLOSE_QUERIES
            )
            raise _Rollback
    except _Rollback:
        pass
    return Result(NAME, passed, data)
