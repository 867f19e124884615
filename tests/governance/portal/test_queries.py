"""The member portal's home and the manager's home run a fixed number of queries: the
same count with 1 or 40 disclosures, questions, members and shares; the first view
after a change (nothing cached) and a view served from the cache."""

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

#: the budget of each page, nothing cached (the bench counts the same on the demo data):
#: session, user, device, my memberships; then the member's own figures (one query; one
#: more for the paid capital of all when the charter capital is not recorded), the
#: upcoming assemblies (and the documents of the next), resolutions, my roles,
#: disclosures, questions
MAX_PORTAL_QUERIES = 11
#: session, user, device, roles, my organisations; then the counts (one query),
#: assemblies, the annual assembly, the disclosures due and posted late
MAX_HOME_QUERIES = 10
#: either page served from the cache: the request's own queries and the memberships
MAX_CACHED_QUERIES = 5


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
        actor=manager,
        organisation=world.orgs["a1"],
        year=2025,
        profit_after_tax=10**9,
        indivisible_fund=5 * 10**7,  # the indivisible fund's minimum (migration 0003)
    )
    client.force_login(member)
    portal_big = _count(client, reverse("governance:portal"))
    client.force_login(manager)
    home_big = _count(client, reverse("governance:home"))
    assert portal_small == portal_big <= MAX_PORTAL_QUERIES
    assert home_small == home_big <= MAX_HOME_QUERIES
    # the same pages again, from the cache
    client.force_login(member)
    assert _count(client, reverse("governance:portal")) <= MAX_CACHED_QUERIES
    client.force_login(manager)
    assert _count(client, reverse("governance:home")) <= MAX_CACHED_QUERIES
