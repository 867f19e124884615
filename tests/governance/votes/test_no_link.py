"""No query or export can join a secret ballot to its voter.

The schema: ``Ballot`` has no column that names a member, a user, a person or a time,
and no table has a key to a ballot; ``VoteRecord`` has no key to a ballot and no choice
for a secret vote.  The audit rows of a secret vote carry no choice.  No page or API
lists ballots.  Nothing in the code reads the two tables together.
"""

from __future__ import annotations

import pathlib
import re

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import get_resolver

from htxso.core.models import AuditEvent
from htxso.governance import services_votes as svc
from htxso.governance.models import Ballot, VoteRecord

pytestmark = pytest.mark.django_db

SRC = pathlib.Path(__file__).resolve().parents[3] / "src" / "htxso"


def test_ballot_columns_name_no_person_and_no_time():
    names = {f.name for f in Ballot._meta.get_fields()}
    assert names == {"id", "resolution", "choice", "sealed", "receipt_hash"}
    for f in Ballot._meta.concrete_fields:
        assert not isinstance(f, models.DateField | models.DateTimeField | models.TimeField)
        if f.is_relation:
            assert f.related_model.__name__ == "Resolution"
    # the database table itself (not only the model)
    with connection.cursor() as cursor:
        columns = {
            c.name
            for c in connection.introspection.get_table_description(cursor, Ballot._meta.db_table)
        }
    assert columns == {"id", "resolution_id", "choice", "sealed", "receipt_hash"}
    # a random key: nothing to order ballots by the time they were cast
    assert isinstance(Ballot._meta.pk, models.UUIDField)


def test_no_table_points_at_a_ballot_or_links_a_vote_record_to_one():
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if f.is_relation:
                assert f.related_model is not Ballot, f"{model.__name__}.{f.name}"
    assert all(
        not (f.is_relation and f.related_model is Ballot) for f in VoteRecord._meta.get_fields()
    )


def test_secret_vote_rows_and_audit_carry_no_choice(hall):
    r = hall.resolution(secret=True)
    receipt = svc.cast(actor=hall.world.users["member_a1"], resolution=r, choice="abstain")
    record = VoteRecord.objects.get(resolution=r)
    assert record.choice == ""
    ballot = Ballot.objects.get(resolution=r)
    events = list(AuditEvent.objects.all())
    for event in events:
        blob = f"{event.before} {event.after} {event.object_repr} {event.object_id}"
        assert "abstain" not in blob
        assert str(ballot.pk) not in blob and ballot.receipt_hash not in blob
        assert receipt.code not in blob
    # the ballot itself is never audited
    assert not any(e.content_type and e.content_type.model == "ballot" for e in events)


def test_no_page_or_api_lists_ballots():
    patterns = []

    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            if hasattr(p, "url_patterns"):
                walk(p, prefix + str(p.pattern))
            else:
                patterns.append((prefix + str(p.pattern), getattr(p, "name", "") or ""))

    walk(get_resolver())
    for path, name in patterns:
        assert "ballot" not in name.lower() or name in {"paper_tally"}, (path, name)
    from htxso.governance import api_votes

    for route_path in api_votes.router.path_operations:
        assert "ballot" not in route_path.lower()


def test_no_code_reads_ballots_with_vote_records():
    """Only the votes part touches ballots, and no expression reads a ballot together
    with a vote record or a member (there is no relation to follow but the resolution)."""
    allowed = {
        "services_votes.py",
        "selectors_votes.py",
        "demo_votes.py",
        "votes.py",
        "0001_initial.py",
        "0005_ballots_sealed.py",
    }
    for path in SRC.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if not re.search(r"\bBallot\b", source):
            continue
        assert path.name in allowed, path
        for line in source.splitlines():
            if "Ballot.objects" in line or "ballots__" in line:
                assert not re.search(r"VoteRecord|records__|membership|person|user", line), line


# --- the database's own columns: sealed while open, rewritten shuffled at the close -------
# Casting writes the vote record (who) and the ballot (what) in one transaction: on
# PostgreSQL both rows get that transaction's ``xmin`` and both tables grow in the order
# of voting (``ctid``); on SQLite the ballot's implicit ``rowid`` (a UUID-keyed table is
# not WITHOUT ROWID) follows the order of voting too.  So an open ballot holds only a seal,
# and the close rewrites the ballots shuffled, in clear, in its own transaction.

VOTERS = 20
#: the order of voting: voter i casts CHOICES[i] (11 yes, 6 no, 3 abstain)
CHOICES = [{"Y": "yes", "N": "no", "A": "abstain"}[c] for c in "YNYAYYNYNY" + "AYNYYNAYNY"]


def _open_secret(assembly, *, matter="other"):
    from django.utils import timezone

    from htxso.governance import selectors_votes as sel
    from htxso.governance.models import Resolution

    r = Resolution.objects.create(
        assembly=assembly,
        title="Bầu Hội đồng quản trị",
        text="Bầu HĐQT.",
        matter=matter,
        secret=True,
    )
    majority, inclusive, article = sel.majority_rule(r)
    Resolution.objects.filter(pk=r.pk).update(
        status="open",
        quorum_met=True,
        quorum_present=VOTERS,
        majority=majority,
        majority_inclusive=inclusive,
        majority_article=article,
        opened_at=timezone.now(),
    )
    r.refresh_from_db()
    return r


def _twenty_secret_votes(world):
    """20 members cast a secret vote one after the other; their receipts in that order."""
    from .conftest import open_assembly, voters

    assembly = open_assembly(world, voters_total=VOTERS)
    users = voters(world, assembly, VOTERS, prefix="secret")
    r = _open_secret(assembly)
    receipts = [
        svc.cast(actor=u, resolution=r, choice=c).code for u, c in zip(users, CHOICES, strict=True)
    ]
    return r, receipts


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _assert_sealed_while_open(r, receipts):
    from htxso.governance import selectors_votes as sel

    rows = _raw(
        "SELECT choice, sealed, receipt_hash FROM governance_ballot WHERE resolution_id = %s",
        [r.pk],
    )
    assert len(rows) == VOTERS
    for choice, sealed, hashed in rows:
        assert choice == ""  # no clear choice in the table while the vote is open
        sealed = bytes(sealed)
        assert len(sealed) == sel.SEAL_BYTES  # every choice seals to the same length
        assert b"yes" not in sealed and b"abstain" not in sealed
    assert {h for _c, _s, h in rows} == {sel.receipt_hash(code) for code in receipts}
    # nothing tallies seals: the count of an open secret vote is empty
    assert sel.online_counts(r).total == 0
    assert sel.results(r) is None
    assert all(sel.receipt_counted(r, code) for code in receipts)


def _voting_positions(order_sql, r, receipts, *, closed):
    """The ballots in the table's own order, as the positions of their voters."""
    from htxso.governance import selectors_votes as sel

    by_hash = {}
    for i, code in enumerate(receipts):
        h = sel.receipt_hash(code)
        by_hash[sel.closed_receipt_hash(h) if closed else h] = i
    return [by_hash[h] for (h,) in _raw(order_sql, [r.pk])]


def _close_and_check(world, r, receipts):
    from htxso.governance import selectors_votes as sel

    ids_before = {pk for (pk,) in _raw("SELECT id FROM governance_ballot", [])}
    closed = svc.resolution_close(actor=world.users["manager_a1"], resolution=r)
    res = sel.results(closed)
    assert (res.yes, res.no, res.abstain, res.voters_present) == (11, 6, 3, VOTERS)
    assert res.passed is True  # 11 of 20 > 50 %
    assert sel.online_counts(closed) == sel.Counts(11, 6, 3)
    rows = _raw(
        "SELECT id, choice, sealed, receipt_hash FROM governance_ballot WHERE resolution_id = %s",
        [r.pk],
    )
    assert sorted(c for _i, c, _s, _h in rows) == sorted(CHOICES)
    assert all(s is None for _i, _c, s, _h in rows)
    # nothing of the rows written at voting time survives: new keys, re-keyed receipts
    assert not ids_before & {pk for pk, _c, _s, _h in rows}
    assert not {sel.receipt_hash(code) for code in receipts} & {h for *_x, h in rows}
    # and every voter still finds their ballot counted; a made-up code does not
    assert all(sel.receipt_counted(closed, code) for code in receipts)
    assert not sel.receipt_counted(closed, "AAAA-BBBB-CCCC")
    return closed


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's rowid")
def test_sqlite_ballot_rowid_order_is_not_the_voting_order_after_close(world, gov):
    # the table has a rowid (a UUID primary key does not make it WITHOUT ROWID)
    assert _raw("SELECT COUNT(rowid) FROM governance_ballot", []) == [(0,)]
    r, receipts = _twenty_secret_votes(world)
    _assert_sealed_while_open(r, receipts)
    order = "SELECT receipt_hash FROM governance_ballot WHERE resolution_id = %s ORDER BY rowid"
    # what the seal is for: while open, the rowid order IS the order of voting
    assert _voting_positions(order, r, receipts, closed=False) == list(range(VOTERS))
    _close_and_check(world, r, receipts)
    after = _voting_positions(order, r, receipts, closed=True)
    assert sorted(after) == list(range(VOTERS))
    assert after != list(range(VOTERS))  # a chance match is 1 in 20!


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's xmin and ctid")
def test_postgres_no_ballot_shares_xmin_or_physical_order_with_vote_records(world, gov):
    r, receipts = _twenty_secret_votes(world)  # each cast commits its own transaction
    _assert_sealed_while_open(r, receipts)
    record_xmins = _raw(
        "SELECT xmin::text FROM governance_voterecord WHERE resolution_id = %s ORDER BY ctid",
        [r.pk],
    )
    ballot_xmins = _raw(
        "SELECT xmin::text FROM governance_ballot WHERE resolution_id = %s ORDER BY ctid",
        [r.pk],
    )
    # what the seal is for: while open, xmin pairs each ballot with its vote record: the
    # casts commit one after another, so each ballot's transaction id comes right before
    # or with its record's (a savepoint's own id) and before the next ballot's.  (Ids are
    # shared by the whole cluster: another test database's transactions may take ids in
    # between, so only the order is certain, not the distance.)
    assert len(set(ballot_xmins)) == VOTERS
    bal = [int(b) for (b,) in ballot_xmins]
    rec = [int(x) for (x,) in record_xmins]
    assert len(rec) == VOTERS
    for i in range(VOTERS):
        assert bal[i] <= rec[i]
        if i + 1 < VOTERS:
            assert rec[i] < bal[i + 1]
    order = "SELECT receipt_hash FROM governance_ballot WHERE resolution_id = %s ORDER BY ctid"
    # …and the physical order is the order of voting
    assert _voting_positions(order, r, receipts, closed=False) == list(range(VOTERS))
    _close_and_check(world, r, receipts)
    ballot_xmins = {
        x
        for (x,) in _raw(
            "SELECT xmin::text FROM governance_ballot WHERE resolution_id = %s", [r.pk]
        )
    }
    record_xmins = {
        x
        for (x,) in _raw(
            "SELECT xmin::text FROM governance_voterecord WHERE resolution_id = %s", [r.pk]
        )
    }
    assert len(ballot_xmins) == 1  # all written by the closing transaction
    (closing,) = ballot_xmins
    assert not {int(closing), int(closing) + 1} & {int(x) for x in record_xmins}
    after = _voting_positions(order, r, receipts, closed=True)
    assert sorted(after) == list(range(VOTERS))
    assert after != list(range(VOTERS))  # a chance match is 1 in 20!


def test_cast_and_close_of_a_secret_vote_audit_and_log_no_choice(hall, caplog):
    import logging

    from htxso.governance import selectors_votes as sel

    caplog.set_level(logging.DEBUG)
    r = hall.resolution(secret=True)
    receipt = svc.cast(actor=hall.world.users["member_a1"], resolution=r, choice="abstain")
    open_ballot = Ballot.objects.get(resolution=r)
    closed = svc.resolution_close(actor=hall.world.users["manager_a1"], resolution=r)
    closed_ballot = Ballot.objects.get(resolution=r)
    assert closed.votes_abstain == 1 and closed_ballot.choice == "abstain"
    secrets_ = {
        receipt.code,
        sel.normalise_receipt(receipt.code),
        str(open_ballot.pk),
        str(closed_ballot.pk),
        open_ballot.receipt_hash,
        closed_ballot.receipt_hash,
        bytes(open_ballot.sealed).hex(),
    }
    events = list(AuditEvent.objects.filter(action__in=["vote.cast", "resolution.close"]))
    assert {e.action for e in events} == {"vote.cast", "resolution.close"}
    for event in events:
        blob = f"{event.before} {event.after} {event.object_repr} {event.object_id}"
        assert not any(s in blob for s in secrets_)
        if event.action == "vote.cast":
            assert "abstain" not in blob and "choice" not in event.after
        else:  # the close records the totals only
            assert set(event.after) == {"yes", "no", "abstain", "voters_present", "passed"}
    for record in caplog.records:
        message = record.getMessage()
        assert "abstain" not in message
        assert not any(s in message for s in secrets_)


def test_the_migration_seals_open_ballots_as_the_app_does(hall):
    """0005's data step (a frozen copy of the seal) and the app read each other."""
    import importlib

    from django.apps import apps as django_apps

    from htxso.governance import selectors_votes as sel

    mig = importlib.import_module("htxso.governance.migrations.0005_ballots_sealed")
    h = "a" * 64
    assert sel.unseal_choice(7, h, mig.seal(7, h, "abstain")) == "abstain"
    assert mig.unseal(7, h, sel.seal_choice(7, h, "no")) == "no"
    # a ballot written in clear before 0005 on a vote still open, one on a closed vote
    open_r = hall.resolution(secret=True)
    closed_r = hall.resolution(secret=True, status="closed")
    legacy = Ballot.objects.create(
        resolution=open_r, choice="yes", receipt_hash=sel.receipt_hash("LEGACY2345AB")
    )
    kept = Ballot.objects.create(
        resolution=closed_r, choice="no", receipt_hash=sel.receipt_hash("CLOSED2345AB")
    )
    mig.seal_open_ballots(django_apps, None)
    legacy.refresh_from_db()
    kept.refresh_from_db()
    assert (
        legacy.choice == ""
        and sel.unseal_choice(open_r.pk, legacy.receipt_hash, legacy.sealed) == "yes"
    )
    assert kept.choice == "no" and kept.sealed is None
    assert sel.receipt_counted(closed_r, "CLOSED2345AB")
    closed = svc.resolution_close(actor=hall.world.users["manager_a1"], resolution=open_r)
    assert closed.votes_yes == 1 and sel.receipt_counted(closed, "LEGACY2345AB")
    # and back: 0004's schema reads every choice in clear again
    r = hall.resolution(secret=True)
    svc.cast(actor=hall.world.users["member_a1"], resolution=r, choice="no")
    mig.unseal_ballots(django_apps, None)
    assert list(Ballot.objects.filter(resolution=r).values_list("choice", "sealed")) == [
        ("no", None)
    ]


def test_a_seal_no_key_opens_keeps_the_vote_open_and_old_keys_still_open(hall, settings):
    from htxso.core.errors import ServiceError
    from htxso.governance import selectors_votes as sel

    r = hall.resolution(secret=True)
    svc.cast(actor=hall.world.users["member_a1"], resolution=r, choice="yes")
    svc.cast(actor=hall.world.users["manager_a1"], resolution=r, choice="no")
    one, two = Ballot.objects.filter(resolution=r)
    # a seal moved onto another row does not open there
    with pytest.raises(sel.SealError):
        sel.unseal_choice(r.pk, two.receipt_hash, one.sealed)
    old = settings.SECRET_KEY
    settings.GOVERNANCE_BALLOT_KEY = ""
    settings.SECRET_KEY = "another secret key, long enough to be a real one 0123456789"
    settings.SECRET_KEY_FALLBACKS = []
    before = sorted(Ballot.objects.filter(resolution=r).values_list("receipt_hash", "choice"))
    with pytest.raises(ServiceError) as err:
        svc.resolution_close(actor=hall.world.users["manager_a1"], resolution=r)
    assert err.value.code == "ballot_unreadable"
    r.refresh_from_db()
    assert r.status == "open"
    assert sorted(Ballot.objects.filter(resolution=r).values_list("receipt_hash", "choice")) == (
        before
    )
    # a rotated key kept in SECRET_KEY_FALLBACKS still opens the seals
    settings.SECRET_KEY_FALLBACKS = [old]
    closed = svc.resolution_close(actor=hall.world.users["manager_a1"], resolution=r)
    assert (closed.votes_yes, closed.votes_no) == (1, 0 + 1)
