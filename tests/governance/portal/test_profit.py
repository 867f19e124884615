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


# ------------------------------------------------------------------ the funds' minimums
# (Luật Hợp tác xã 2023, Điều 86 — rows of migration 0003: the indivisible common fund at
# least 5 % of the income from outside transactions, 10 % in a union; no row for the
# development and reserve funds)


@pytest.fixture
def rules_2023():
    import importlib

    from django.apps import apps

    importlib.import_module("htxso.governance.migrations.0003_rules_2023_text").confirm_rules(
        apps, None
    )


def _refused(world, field, **kw):
    from htxso.core.models import AuditEvent

    before = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as e:
        _calc(world, **kw)
    assert e.value.code == "fund_below_minimum"
    assert field in e.value.fields
    assert not ProfitDistribution.objects.exists() and not ProfitShare.objects.exists()
    assert AuditEvent.objects.count() == before
    return e.value


def test_indivisible_fund_below_its_minimum_is_refused(world, gov, rules_2023):
    err = _refused(world, "indivisible_fund", indivisible_fund=4_999_999)
    text = str(err)
    assert "5.000.000" in text and "Điều 86" in text and "5 %" in text
    [detail] = err.details
    assert detail["fund"] == "indivisible_fund" and detail["minimum"] == 5_000_000
    assert detail["article"] == "Luật Hợp tác xã 2023, Điều 86" and detail["confirmed"] is False


def test_exactly_the_minimum_is_accepted_and_rounded_up(world, gov, rules_2023):
    assert _calc(world, indivisible_fund=5_000_000).indivisible_fund == 5_000_000
    ProfitDistribution.objects.all().delete()
    # 5 % of 99.999.999 is 4.999.999,95: the fund needs 5.000.000 whole đồng
    _refused(world, "indivisible_fund", profit_after_tax=99_999_999, indivisible_fund=4_999_999)
    _calc(world, profit_after_tax=99_999_999, indivisible_fund=5_000_000)


def test_the_base_is_the_income_from_outside_transactions(world, gov, rules_2023):
    _refused(world, "indivisible_fund", outside_income=40_000_000, indivisible_fund=1_999_999)
    dist = _calc(world, outside_income=40_000_000, indivisible_fund=2_000_000)
    assert dist.indivisible_fund == 2_000_000
    # no outside income: no minimum for that fund
    _calc(world, outside_income=0, indivisible_fund=0)


@pytest.mark.parametrize("bad", [-1, 10**16, "5", 1.5, True])
def test_bad_outside_income_refused(world, gov, rules_2023, bad):
    with pytest.raises(ServiceError):
        _calc(world, outside_income=bad)
    assert not ProfitDistribution.objects.exists()


def test_outside_income_above_the_income_refused(world, gov, rules_2023):
    with pytest.raises(ServiceError) as e:
        _calc(world, outside_income=100_000_001)
    assert e.value.code == "outside_income_too_large"
    assert not ProfitDistribution.objects.exists()


def test_a_union_has_its_own_minimum(world, gov, rules_2023):
    org = world.orgs["a1"]
    org.kind = "union"
    org.save(update_fields=["kind"])
    err = _refused(world, "indivisible_fund", indivisible_fund=5_000_000)
    assert "10.000.000" in str(err)
    _calc(world, indivisible_fund=10_000_000)


def test_a_later_row_changes_the_result_without_code(world, gov, rules_2023):
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from htxso.governance.models import Rule, RuleKey

    today = timezone.localdate()
    # a row from tomorrow is not in force yet: the reserve fund has no minimum today
    Rule.objects.create(
        key=RuleKey.RESERVE_FUND_MIN,
        value=Decimal(8),
        unit="percent",
        valid_from=today + dt.timedelta(days=1),
        article="Nghị định giả định, Điều 1",
    )
    dist = _calc(world, reserve_fund=0)
    ProfitDistribution.objects.all().delete()
    # a row in force from today: the same figures are refused, naming the reserve fund
    Rule.objects.create(
        key=RuleKey.RESERVE_FUND_MIN,
        value=Decimal(8),
        unit="percent",
        valid_from=today,
        article="Nghị định giả định, Điều 1",
        confirmed=True,
    )
    err = _refused(world, "reserve_fund", reserve_fund=5_000_000)
    assert "8.000.000" in str(err) and "Nghị định giả định, Điều 1" in str(err)
    assert "not yet checked" not in str(err) and "chưa đối chiếu" not in str(err)
    assert dist.pk is not None
    _calc(world, reserve_fund=8_000_000, development_fund=7_000_000)
    # a corrected value of the indivisible fund from today
    Rule.objects.create(
        key=RuleKey.INDIVISIBLE_FUND_MIN,
        value=Decimal(7),
        unit="percent",
        valid_from=today,
        article="Luật Hợp tác xã 2023, Điều 86",
    )
    ProfitDistribution.objects.all().delete()
    _refused(world, "indivisible_fund", reserve_fund=8_000_000)


def test_a_recalculation_below_the_minimum_keeps_the_saved_figures(world, gov, rules_2023):
    dist = _calc(world)
    with pytest.raises(ServiceError) as e:
        _calc(world, indivisible_fund=0)
    assert e.value.code == "fund_below_minimum"
    dist.refresh_from_db()
    assert dist.indivisible_fund == 5_000_000


def test_fund_rules_for_a_page_that_does_not_know_the_kind(rules_2023):
    found = {fr.fund: fr for fr in svc.fund_rules()}
    ind = found["indivisible_fund"]
    assert ind.rule.value == 5 and [v.value for _k, v in ind.variants] == [10]
    assert found["development_fund"].rule is None and found["reserve_fund"].rule is None
    assert {fr.fund: fr.rule.value for fr in svc.fund_rules(org_kind="union") if fr.rule} == {
        "indivisible_fund": 10
    }


def test_the_form_page_shows_the_minimums_and_refuses_below(client, world, gov, rules_2023):
    from django.urls import reverse

    client.force_login(world.users["manager_a1"])
    url = reverse("governance:distributions", args=[world.orgs["a1"].pk])
    page = client.get(url).content.decode()
    assert 'id="gp-min-indivisible_fund"' in page and "Điều 86" in page
    assert 'id="gp-min-reserve_fund"' in page
    r = client.post(
        url,
        {
            "year": 2025,
            "profit_after_tax": "100.000.000",
            "indivisible_fund": "1.000.000",
            "development_fund": "",
            "reserve_fund": "",
            "other_funds": "",
            "by_services_pct": "60",
        },
    )
    assert r.status_code == 200
    assert "5.000.000" in r.content.decode()
    assert not ProfitDistribution.objects.exists()
