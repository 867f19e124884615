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
    assert names == {"id", "resolution", "choice", "receipt_hash"}
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
    assert columns == {"id", "resolution_id", "choice", "receipt_hash"}
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
    }
    for path in SRC.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if not re.search(r"\bBallot\b", source):
            continue
        assert path.name in allowed, path
        for line in source.splitlines():
            if "Ballot.objects" in line or "ballots__" in line:
                assert not re.search(r"VoteRecord|records__|membership|person|user", line), line
