"""The catalogue's writes: criteria in the programme calls' rule language, who writes
what, refusals that save nothing."""

from __future__ import annotations

import pytest
from django.utils import translation

from htxso.core.errors import ServiceError
from htxso.core.models import AuditEvent
from htxso.support.policies import services
from htxso.support.policies.models import PolicyStatus, SupportPolicy

from .helpers import CRITERIA, make_policy

pytestmark = pytest.mark.django_db


def test_vca_creates_and_publishes_a_national_policy(world):
    policy = make_policy(world.users["vca"])
    assert policy.status == PolicyStatus.PUBLISHED
    assert [c["kind"] for c in policy.criteria] == ["operating_months", "finance", "sector"]
    assert policy.sectors == ["agriculture"]
    assert policy.search_text.startswith("cho vay uu dai")
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "support_policy.create" in actions and "support_policy.publish" in actions


def test_officer_writes_own_province_only(world):
    officer = world.users["officer_a"]
    policy = make_policy(officer, level="provincial", province="04")
    assert policy.province_id == "04"
    before = SupportPolicy.objects.count()
    with pytest.raises(ServiceError) as exc:
        make_policy(officer, level="provincial", province="66")
    assert exc.value.code == "forbidden"
    with pytest.raises(ServiceError):
        make_policy(officer, level="national")
    assert SupportPolicy.objects.count() == before


def test_officer_cannot_edit_another_provinces_policy(world):
    other = make_policy(world.users["officer_b"], level="provincial", province="66")
    events = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        services.policy_update(
            actor=world.users["officer_a"], policy=other, data={"name": "Đổi tên"}
        )
    assert exc.value.code == "forbidden"
    other.refresh_from_db()
    assert other.name != "Đổi tên"
    assert AuditEvent.objects.count() == events
    # nor move their own policy to another province
    mine = make_policy(world.users["officer_a"], level="provincial", province="04")
    with pytest.raises(ServiceError):
        services.policy_update(
            actor=world.users["officer_a"], policy=mine, data={"province_id": "66"}
        )
    mine.refresh_from_db()
    assert mine.province_id == "04"


@pytest.mark.parametrize(
    ("criterion", "expected"),
    [
        ({"kind": "moon_phase", "params": {}, "label": "x"}, "unknown kind “moon_phase”"),
        (
            {"kind": "youth_share", "params": {"threshold": 140}, "label": "x"},
            "100",
        ),
        (
            {"kind": "ocop", "params": {"min_stars": 7}, "label": "x"},
            "OCOP stars go from 3 to 5.",
        ),
        ({"kind": "sector", "params": {"sectors": ["space"]}, "label": "x"}, "Sectors"),
        ({"kind": "grade", "params": {"colour": "red"}, "label": "x"}, "unknown setting colour"),
        ({"kind": "finance", "params": {"years": 2}, "label": ""}, "Criterion 1"),
        ("youth_share", "expected an object"),
    ],
)
def test_bad_criteria_are_refused_precisely_and_nothing_saved(world, criterion, expected):
    before = SupportPolicy.objects.count()
    with translation.override("en"), pytest.raises(ServiceError) as exc:
        make_policy(world.users["vca"], criteria=[criterion])
    assert exc.value.code == "criteria_invalid"
    assert expected in exc.value.text
    assert SupportPolicy.objects.count() == before


def test_criterion_add_refused_keeps_criteria(world):
    policy = make_policy(world.users["vca"], publish=False)
    with pytest.raises(ServiceError):
        services.criterion_add(
            actor=world.users["vca"], policy=policy, criterion={"kind": "nope", "label": "x"}
        )
    policy.refresh_from_db()
    assert len(policy.criteria) == len(CRITERIA)
    services.criterion_remove(actor=world.users["vca"], policy=policy, position=1)
    policy.refresh_from_db()
    assert [c["kind"] for c in policy.criteria] == ["finance", "sector"]


def test_script_in_text_is_stored_as_text(world):
    policy = make_policy(world.users["vca"], name="<script>alert(1)</script> Hỗ trợ")
    assert policy.name == "<script>alert(1)</script> Hỗ trợ"


def test_huge_call_id_refused(world):
    with pytest.raises(ServiceError) as exc:
        make_policy(world.users["vca"], call_id=2**63)
    assert exc.value.fields.get("call_id")


def test_publish_twice_and_retire(world):
    vca = world.users["vca"]
    policy = make_policy(vca)
    with pytest.raises(ServiceError) as exc:
        services.policy_publish(actor=vca, policy=policy)
    assert exc.value.code == "already_published"
    services.policy_retire(actor=vca, policy=policy)
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.EXPIRED


def test_demo_is_idempotent(world):
    from htxso.core.demodata import DemoContext
    from htxso.support.policies import demo

    ctx = DemoContext()
    demo.seed(ctx)
    first = SupportPolicy.objects.count()
    demo.seed(ctx)
    assert SupportPolicy.objects.count() == first >= 10
    assert SupportPolicy.objects.filter(status="expired").exists()
    assert SupportPolicy.objects.filter(status="published", level="provincial").exists()


def test_left_out_settings_take_the_engines_defaults(world):
    assert services.clean_criterion({"kind": "ocop", "label": "OCOP"}) == {
        "kind": "ocop",
        "label": "OCOP",
        "params": {"min_stars": 3},
    }
    assert services.clean_criterion({"kind": "finance", "label": "Lãi"})["params"] == {
        "field": "profit",
        "mode": "positive",
        "years": 2,
    }
    with pytest.raises(ServiceError):  # a list has no default: say which sectors
        services.clean_criterion({"kind": "sector", "label": "Ngành"})
