"""Profit distribution: the law's order (funds first, then services used, the rest by
capital), exact đồng, approval by a resolution, each member seeing only their own share."""

from __future__ import annotations

import pytest

from htxso.core.errors import ServiceError
from htxso.governance import services_portal as svc
from htxso.governance.models import ProfitDistribution, ProfitShare, ServiceUse

from .conftest import make_profit_resolution

pytestmark = pytest.mark.django_db


def test_split_adds_up_exactly():
    assert svc.split(100, {1: 1, 2: 1, 3: 1}) == {1: 34, 2: 33, 3: 33}
    assert sum(svc.split(1_000_001, {1: 7, 2: 13, 3: 29}).values()) == 1_000_001
    assert svc.split(100, {}) == {}
    assert svc.split(100, {1: 0}) == {1: 0}


def _calc(world, **kw):
    args = {
        "actor": world.users["manager_a1"],
        "organisation": world.orgs["a1"],
        "year": 2025,
        "profit_after_tax": 100_000_000,
        "indivisible_fund": 5_000_000,
        "development_fund": 10_000_000,
        "reserve_fund": 5_000_000,
        "other_funds": 0,
        "by_services_pct": 60,
    }
    args.update(kw)
    return svc.distribution_calculate(**args)


def test_funds_first_then_services_then_capital(world, gov):
    m = gov.members
    svc.service_use_record(
        actor=world.users["manager_a1"],
        organisation=world.orgs["a1"],
        year=2025,
        amounts={m["member_a1"].pk: 30_000_000, m["a1_o1"].pk: 10_000_000},
    )
    dist = _calc(world)
    assert dist.to_members == 80_000_000
    shares = {s.membership_id: s for s in ProfitShare.objects.filter(distribution=dist)}
    assert sum(s.by_services for s in shares.values()) == 48_000_000
    assert sum(s.by_capital for s in shares.values()) == 32_000_000
    assert shares[m["member_a1"].pk].by_services == 36_000_000
    assert shares[m["a1_o1"].pk].by_services == 12_000_000
    # capital: manager 20M, member 10M, o1..o3 10M each, associate 5M = 65M
    assert shares[m["manager_a1"].pk].by_capital in (9_846_153, 9_846_154)  # 20 of 65 M
    assert sum(s.total for s in shares.values()) == 80_000_000
    assert m["b1_o1"].pk not in shares


def test_funds_larger_than_income_refused(world, gov):
    with pytest.raises(ServiceError) as e:
        _calc(world, profit_after_tax=1_000, development_fund=2_000)
    assert e.value.code == "funds_exceed_income"
    assert not ProfitDistribution.objects.exists()


@pytest.mark.parametrize("bad", [-1, 2**63, 10**16, "1000", 1.5, True])
def test_bad_amounts_refused(world, gov, bad):
    with pytest.raises(ServiceError):
        _calc(world, profit_after_tax=bad)
    assert not ProfitDistribution.objects.exists()


def test_service_use_of_another_cooperative_refused(world, gov):
    with pytest.raises(ServiceError) as e:
        svc.service_use_record(
            actor=world.users["manager_a1"],
            organisation=world.orgs["a1"],
            year=2025,
            amounts={gov.members["member_a1"].pk: 5, gov.members["b1_o1"].pk: 5},
        )
    assert e.value.code == "member_not_found"
    assert not ServiceUse.objects.exists()


def test_only_the_manager_calculates(world, gov):
    for key in ("member_a1", "officer_a", "manager_b1"):
        with pytest.raises(ServiceError):
            _calc(world, actor=world.users[key])
    assert not ProfitDistribution.objects.exists()


def test_approval_needs_an_adopted_profit_resolution(world, gov, profit_resolution):
    dist = _calc(world)
    manager = world.users["manager_a1"]
    other = make_profit_resolution(world.orgs["a1"], manager, matter="other")
    with pytest.raises(ServiceError) as e:
        svc.distribution_approve(actor=manager, distribution=dist, resolution=other)
    assert e.value.code == "resolution_matter"
    b1_res = make_profit_resolution(world.orgs["b1"], world.users["manager_b1"])
    with pytest.raises(ServiceError) as e:
        svc.distribution_approve(actor=manager, distribution=dist, resolution=b1_res)
    assert e.value.code == "resolution_not_found"
    dist = svc.distribution_approve(actor=manager, distribution=dist, resolution=profit_resolution)
    assert dist.status == "approved"
    with pytest.raises(ServiceError) as e:
        _calc(world, profit_after_tax=200_000_000)
    assert e.value.code == "distribution_approved"


def test_a_member_sees_only_their_own_share(world, gov, profit_resolution):
    dist = _calc(world)
    visible = ProfitShare.policy.queryset(world.users["member_a1"], "view").filter(
        distribution=dist
    )
    assert [s.membership_id for s in visible] == [gov.members["member_a1"].pk]
    assert ProfitShare.policy.queryset(world.users["manager_a1"], "view").count() > 1
    assert not ProfitShare.policy.queryset(world.users["manager_b1"], "view").exists()
