"""Who may do what to trace data: the models' policies, and services that refuse an
actor the policy does not allow (a refused write changes nothing)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from htxso.core.actors import OPERATOR
from htxso.core.errors import Kind, ServiceError
from htxso.core.policy import allowed
from htxso.trace.models import Event, Lot, Plot, StampBatch, StampReport, TradeItem
from htxso.trace.services import events, master, stamps
from htxso.trace.services.reports import stamp_report_create

from .helpers import at, make_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(world):
    return make_chain(world.orgs["a1"], plots=1)


@pytest.mark.parametrize(
    "key,sees",
    [
        ("vca", True),
        ("officer_a", True),
        ("viewer_a", True),
        ("manager_a1", True),
        ("member_a1", True),
        ("officer_b", False),
        ("viewer_b", False),
        ("manager_b1", False),
        ("trainer", False),
        ("buyer", False),
        ("norole", False),
    ],
)
def test_who_sees_an_organisations_trace_data(world, chain, key, sees):
    user = world.users[key]
    for model in (Plot, Lot, Event, TradeItem):
        assert allowed(model, user, "view").filter(organisation=chain.org).exists() is sees


@pytest.mark.parametrize(
    "key,changes",
    [
        ("vca", True),
        ("officer_a", True),
        ("manager_a1", True),
        ("viewer_a", False),
        ("member_a1", False),
        ("officer_b", False),
        ("manager_b1", False),
    ],
)
def test_who_changes_an_organisations_trace_data(world, chain, key, changes):
    assert Lot.policy.allows(world.users[key], "change", chain.packaged) is changes


def test_members_do_not_see_consumers_reports(world, chain):
    report = stamp_report_create(
        gtin=chain.packaged.gtin,
        serial="FAKE-1",
        what_happened="Tem lạ",
        where_bought="Chợ",
        phone="0912 345 678",
    )
    assert not allowed(StampReport, world.users["member_a1"], "view").exists()
    assert allowed(StampReport, world.users["manager_a1"], "view").get() == report
    assert allowed(StampReport, world.users["viewer_a"], "view").get() == report
    assert not allowed(StampReport, world.users["officer_b"], "view").exists()


@pytest.mark.parametrize("key,kind", [("viewer_a", Kind.FORBIDDEN), ("manager_b1", Kind.NOT_FOUND)])
def test_recording_services_refuse_who_may_not_change_the_organisation(world, chain, key, kind):
    user = world.users[key]
    before = (Event.objects.count(), Lot.objects.count(), Plot.objects.count())
    with pytest.raises(ServiceError) as err:
        events.harvest_record(
            actor=user,
            organisation=chain.org,
            plot=chain.plots[0],
            trade_item=chain.items["cherry"],
            quantity_kg=Decimal("10"),
            harvested_at=at(1),
        )
    assert err.value.kind is kind
    with pytest.raises(ServiceError) as err:
        events.observation_record(
            actor=user, organisation=chain.org, kind="storage", lots=[chain.packaged], at=at(1)
        )
    assert err.value.kind is kind
    with pytest.raises(ServiceError) as err:
        events.event_error_declare(actor=user, event=chain.events[0], reason="sai")
    assert err.value.kind is kind
    with pytest.raises(ServiceError) as err:
        master.facility_add(actor=user, organisation=chain.org, name="Kho", kind="warehouse")
    assert err.value.kind is kind
    assert (Event.objects.count(), Lot.objects.count(), Plot.objects.count()) == before


def test_stamp_services_refuse_who_may_not_change_the_organisation(world, chain):
    with pytest.raises(ServiceError) as err:
        stamps.stamp_batch_order(
            actor=world.users["member_a1"],
            organisation=chain.org,
            trade_item=chain.items["packaged"],
            quantity=3,
        )
    assert err.value.kind is Kind.FORBIDDEN
    batch = stamps.stamp_batch_order(
        actor=OPERATOR, organisation=chain.org, trade_item=chain.items["packaged"], quantity=3
    )
    with pytest.raises(ServiceError) as err:
        stamps.stamp_batch_activate(
            actor=world.users["manager_b1"], batch=batch, lot=chain.packaged
        )
    assert err.value.kind is Kind.NOT_FOUND
    batch.refresh_from_db()
    assert batch.activated_at is None
    assert StampBatch.objects.count() == 1


def test_services_refuse_no_actor(world, chain):
    nobody: Any = None  # a programming error the services refuse, not "the system"
    with pytest.raises(ServiceError):
        events.observation_record(
            actor=nobody,
            organisation=chain.org,
            kind="storage",
            lots=[chain.packaged],
            at=at(1),
        )
