"""The votes demo: last year's closed assembly gets its record (a secret ballot among
its votes, numbered resolutions, archived minutes); the upcoming one draft resolutions;
a second run adds nothing."""

from __future__ import annotations

import pytest

from htxso.core.actors import OPERATOR
from htxso.governance import demo_votes
from htxso.governance.models import Ballot, GovernanceRecord, Resolution, VoteRecord

from .conftest import open_assembly

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent(hall, world):
    past = hall.assembly
    past.status = "closed"
    past.save(update_fields=["status"])
    upcoming = open_assembly(world, status="announced")
    demo_votes.seed(actor=OPERATOR)
    demo_votes.seed(actor=OPERATOR)
    past_r = Resolution.objects.filter(assembly=past)
    assert past_r.count() == 3 and all(r.status == "closed" for r in past_r)
    secret = past_r.filter(secret=True)
    assert Ballot.objects.filter(resolution__in=secret).count() == 4 * secret.count()
    assert VoteRecord.objects.filter(resolution__in=secret, choice="").count() == 4 * secret.count()
    assert any(r.number for r in past_r)
    assert GovernanceRecord.objects.filter(assembly=past, kind="minutes").count() == 1
    drafts = Resolution.objects.filter(assembly=upcoming)
    assert drafts.count() == 3 and {r.status for r in drafts} == {"draft"}
