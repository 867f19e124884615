"""Matching policies to an organisation: eligible / not eligible / cannot check, with the
reason of every criterion; missing data is never "not eligible"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation

from htxso.registry.models import Organisation
from htxso.support.policies import selectors
from htxso.support.policies.models import SupportPolicy

from .helpers import give_facts, make_policy

pytestmark = pytest.mark.django_db


def _by_name(matches):
    return {m.policy.name: m for m in matches}


def test_eligible_with_reasons(world):
    org = world.orgs["a1"]
    give_facts(org)
    make_policy(world.users["vca"], name="Tín dụng")
    with translation.override("en"):
        matches = selectors.policies_for(user=world.users["manager_a1"], organisation=org)
    m = _by_name(matches)["Tín dụng"]
    assert m.verdict == "eligible"
    assert [r.verdict for r in m.results] == ["pass", "pass", "pass"]
    assert "In operation for" in m.results[0].reason


def test_missing_data_is_cannot_check_not_refusal(world):
    org = world.orgs["a1"]  # no reports, no establishment date, no sector
    make_policy(world.users["vca"], name="Tín dụng")
    with translation.override("en"):
        (m,) = selectors.policies_for(user=world.users["manager_a1"], organisation=org)
    assert m.verdict == "cannot_check"
    reasons = [r.reason for r in m.results]
    assert reasons[0] == "Cannot check: missing data: date of establishment"
    assert reasons[1].startswith("Cannot check: missing data: annual report for ")
    assert reasons[2] == "Cannot check: missing data: sector of the cooperative"
    assert m.missing and all(r.verdict == "no_data" for r in m.results)


def test_a_failed_criterion_makes_not_eligible_even_with_missing_data(world):
    org = world.orgs["a1"]
    give_facts(org, profits=(50_000_000, -10_000_000), sector="tourism")
    make_policy(world.users["vca"], name="Tín dụng")
    (m,) = selectors.policies_for(user=world.users["manager_a1"], organisation=org)
    assert m.verdict == "not_eligible"
    assert [r.verdict for r in m.results] == ["pass", "fail", "fail"]


def test_unevaluable_and_declared_criteria_cannot_check(world):
    org = world.orgs["a1"]
    give_facts(org)
    policy = make_policy(world.users["vca"], name="Hỏng")
    # data written before a change of the rules: bypasses the service's validation
    SupportPolicy.objects.filter(pk=policy.pk).update(
        criteria=[
            {"kind": "teleport", "label": "Lạ", "params": {}},
            {"kind": "finance", "label": "Sai", "params": {"years": "many"}},
            {"kind": "declared", "label": "Có người bán hàng online", "params": {}},
            "rubbish",
        ]
    )
    with translation.override("en"):
        (m,) = selectors.policies_for(user=world.users["vca"], organisation=org)
    assert m.verdict == "cannot_check"
    assert [r.verdict for r in m.results] == ["no_data"] * 4
    assert "“teleport” cannot be evaluated" in m.results[0].reason
    assert "Có người bán hàng online" in m.results[2].reason


def test_only_published_in_force_policies_of_the_province(world):
    vca, org = world.users["vca"], world.orgs["a1"]
    today = timezone.localdate()
    make_policy(vca, name="Quốc gia", criteria=[])
    make_policy(world.users["officer_a"], name="Cao Bằng", level="provincial", province="04")
    make_policy(world.users["officer_b"], name="Đắk Lắk", level="provincial", province="66")
    make_policy(vca, name="Nháp", publish=False)
    make_policy(vca, name="Chưa hiệu lực", valid_from=today + dt.timedelta(days=5))
    old = make_policy(vca, name="Hết hạn", valid_until=today + dt.timedelta(days=1))
    SupportPolicy.objects.filter(pk=old.pk).update(valid_until=today - dt.timedelta(days=1))
    names = set(_by_name(selectors.policies_for(user=vca, organisation=org)))
    assert names == {"Quốc gia", "Cao Bằng"}
    # a policy without criteria is open to every organisation of its area
    assert _by_name(selectors.policies_for(user=vca, organisation=org))["Quốc gia"].verdict == (
        "eligible"
    )


def test_nobody_outside_the_organisation_gets_matches(world):
    make_policy(world.users["vca"])
    org = world.orgs["a1"]
    assert selectors.policies_for(user=world.users["manager_b1"], organisation=org) == []
    assert selectors.policies_for(user=world.users["officer_b"], organisation=org) == []
    assert selectors.policies_for(user=world.users["officer_a"], organisation=org)


def test_apply_link_goes_to_the_programme_call(world):
    make_policy(world.users["vca"], call_id=12345, apply_url="https://dichvucong.gov.vn/")
    (m,) = selectors.policies_for(user=world.users["vca"], organisation=world.orgs["a1"])
    assert m.apply_url.endswith("/chuong-trinh/dot/12345/")
    make_policy(world.users["vca"], name="Khác", apply_url="https://dichvucong.gov.vn/")
    urls = {
        x.policy.name: x.apply_url
        for x in selectors.policies_for(user=world.users["vca"], organisation=world.orgs["a1"])
    }
    assert urls["Khác"] == "https://dichvucong.gov.vn/"


def test_include_template_tag(world):
    org = world.orgs["a1"]
    give_facts(org)
    make_policy(world.users["vca"], name="Tín dụng")
    template = Template("{% load support_policies %}{% eligible_policies organisation %}")
    request = RequestFactory().get("/")
    request.user = world.users["manager_a1"]
    html = template.render(Context({"organisation": org, "request": request}))
    assert "Tín dụng" in html and "sp-match--eligible" in html
    request.user = world.users["manager_b1"]
    assert "Tín dụng" not in template.render(Context({"organisation": org, "request": request}))


def test_eligibility_map_counts_in_bulk(world, django_assert_max_num_queries):
    vca = world.users["vca"]
    give_facts(world.orgs["a1"])
    give_facts(world.orgs["b1"], profits=(1, -5))
    for i in range(5):
        Organisation.objects.create(kind="group", name=f"Tổ Thêm {i}", province_id="04")
    national = make_policy(vca, name="Tín dụng")
    local = make_policy(
        world.users["officer_b"], name="Đắk Lắk", level="provincial", province="66", criteria=[]
    )
    with django_assert_max_num_queries(8):
        result = selectors.eligibility_map(user=vca)
    cb, dl = result.counts[national.pk]["04"], result.counts[national.pk]["66"]
    assert cb["eligible"] == 1 and cb["cannot_check"] == 6  # a1; a2 and the five new
    assert dl["not_eligible"] == 1
    assert set(result.counts[local.pk]) == {"66"}
    # an officer's map covers their province only
    officer = selectors.eligibility_map(user=world.users["officer_a"])
    assert set(officer.counts[national.pk]) == {"04"}


def test_eligible_block_for_a_hook(world):
    from htxso.support.policies.views import eligible_block

    org = world.orgs["a1"]
    give_facts(org)
    make_policy(world.users["vca"], name="Tín dụng")
    request = RequestFactory().get("/")
    request.user = world.users["officer_a"]
    assert "Tín dụng" in eligible_block(request, org)
    request.user = world.users["officer_b"]
    assert eligible_block(request, org) == ""
