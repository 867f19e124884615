"""The member portal's home and the manager's home run a fixed number of queries: the
same count with 1 or 40 disclosures, questions, members and shares."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from htxso.governance import services_disclosures, services_portal
from htxso.governance.models import Question

from ..conftest import make_member
from .conftest import make_profit_resolution

pytestmark = pytest.mark.django_db

#: the budget of each page (the bench holds the same numbers on the demo data)
MAX_PORTAL_QUERIES = 30
MAX_HOME_QUERIES = 30


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as q:
        r = client.get(url)
    assert r.status_code == 200
    return len(q.captured_queries)


def _grow(world, gov, n):
    org, manager = world.orgs["a1"], world.users["manager_a1"]
    today = timezone.localdate()
    for i in range(n):
        services_disclosures.record(
            actor=manager,
            organisation=org,
            kind="other",
            title=f"Thông tin {i}",
            event_on=today - dt.timedelta(days=i % 20),
            post=i % 3 != 0,
        )
        make_member(org, f"extra{i}", capital=1_000_000)
        Question.objects.create(
            organisation=org, membership=gov.members["member_a1"], text=f"Câu hỏi {i}"
        )
    make_profit_resolution(org, manager)


def test_portal_and_home_fixed_queries(client, world, gov):
    member, manager = world.users["member_a1"], world.users["manager_a1"]
    _grow(world, gov, 1)
    client.force_login(member)
    portal_small = _count(client, reverse("governance:portal"))
    client.force_login(manager)
    home_small = _count(client, reverse("governance:home"))
    _grow(world, gov, 40)
    services_portal.distribution_calculate(
        actor=manager, organisation=world.orgs["a1"], year=2025, profit_after_tax=10**9
    )
    client.force_login(member)
    portal_big = _count(client, reverse("governance:portal"))
    client.force_login(manager)
    home_big = _count(client, reverse("governance:home"))
    assert portal_small == portal_big <= MAX_PORTAL_QUERIES
    assert home_small == home_big <= MAX_HOME_QUERIES
