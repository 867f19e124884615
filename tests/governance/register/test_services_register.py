"""The capital register's services: numbered append-only movements, pledges with their
deadline, transfers as pairs, refunds, corrections, limits of the law (refused or
warned), certificates, and refused writes that change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from htxso.core.actors import OPERATOR
from htxso.core.errors import ServiceError
from htxso.core.models import AuditEvent
from htxso.governance import selectors_register, services_register
from htxso.governance.checks_register import organisation_findings
from htxso.governance.models import (
    CapitalCertificate,
    CapitalMovement,
    MovementKind,
    RegisterAppendOnly,
)
from htxso.registry.models import Membership

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 1)


def _state():
    return (
        CapitalMovement.objects.count(),
        CapitalCertificate.objects.count(),
        AuditEvent.objects.count(),
        tuple(Membership.objects.order_by("pk").values_list("capital", flat=True)),
    )


def _record(gov, world, key="member_a1", kind="payment", amount=1_000_000, **kw):
    kw.setdefault("on", DAY)
    return services_register.record_movement(
        actor=world.users["manager_a1"], membership=gov.members[key], kind=kind, amount=amount, **kw
    )


def _charter(world, amount):
    org = world.orgs["a1"]
    org.charter_capital = amount
    org.save(update_fields=["charter_capital"])
    for m in Membership.objects.filter(organisation=org):
        m.organisation = org


def test_movements_are_numbered_and_keep_membership_capital(gov, world):
    first = _record(gov, world, amount=2_000_000)
    second = _record(gov, world, key="a1_o1", amount=3_000_000)
    assert (first.number, second.number) == (1, 2)
    gov.members["member_a1"].refresh_from_db()
    assert gov.members["member_a1"].capital == 12_000_000
    assert AuditEvent.objects.filter(action="capital.movement").count() == 2
    # another cooperative numbers from 1
    b = services_register.record_movement(
        actor=OPERATOR, membership=gov.members["b1_o1"], kind="payment", amount=5, on=DAY
    )
    assert b.number == 1


def test_movements_are_never_updated_or_deleted(gov, world):
    row = _record(gov, world)
    row.amount = 5
    with pytest.raises(RegisterAppendOnly):
        row.save()
    with pytest.raises(RegisterAppendOnly):
        row.delete()
    with pytest.raises(RegisterAppendOnly):
        CapitalMovement.objects.filter(pk=row.pk).update(amount=5)
    with pytest.raises(RegisterAppendOnly):
        CapitalMovement.objects.filter(pk=row.pk).delete()
    row.refresh_from_db()
    assert row.amount == 1_000_000


def test_number_unique_and_amount_positive_in_the_database(gov, world):
    row = _record(gov, world)
    with pytest.raises(IntegrityError), transaction.atomic():
        CapitalMovement.objects.create(
            organisation=row.organisation,
            number=row.number,
            membership=row.membership,
            kind="payment",
            amount=1,
            on=DAY,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CapitalMovement.objects.create(
            organisation=row.organisation,
            number=99,
            membership=row.membership,
            kind="payment",
            amount=-1,
            on=DAY,
        )


def test_pledge_has_the_rule_deadline_and_payment_settles_it(gov, world):
    pledge = _record(gov, world, kind="pledge", amount=4_000_000, on=dt.date(2025, 1, 31))
    assert pledge.due_on == dt.date(2025, 7, 31)  # 6 months (rule CAPITAL_PAYMENT_MONTHS)
    m = gov.members["member_a1"]
    pos = selectors_register.capital_position(m, on=dt.date(2025, 8, 1))
    assert (pos.paid, pos.pledged_unpaid, pos.overdue) == (10_000_000, 4_000_000, 4_000_000)
    _record(gov, world, kind="payment", amount=1_500_000, on=dt.date(2025, 2, 10))
    m.refresh_from_db()
    pos = selectors_register.capital_position(m, on=dt.date(2025, 3, 1))
    assert (pos.paid, pos.pledged_unpaid, pos.overdue) == (11_500_000, 2_500_000, 0)
    pos = selectors_register.capital_position(m, on=dt.date(2025, 8, 1))
    assert pos.overdue == 2_500_000


def test_transfer_is_a_pair_and_its_correction_reverses_both(gov, world):
    out = _record(gov, world, kind="transfer_out", amount=4_000_000, target=gov.members["a1_o1"])
    out.refresh_from_db()
    leg = out.counterpart
    assert leg.kind == MovementKind.TRANSFER_IN and leg.counterpart_id == out.pk
    assert leg.number == out.number + 1
    capitals = dict(Membership.objects.values_list("pk", "capital"))
    assert capitals[gov.members["member_a1"].pk] == 6_000_000
    assert capitals[gov.members["a1_o1"].pk] == 14_000_000
    fix = services_register.reverse_movement(
        actor=world.users["manager_a1"], movement=out, note="Ghi nhầm người nhận"
    )
    assert fix.kind == MovementKind.REVERSAL and fix.reverses_id == out.pk
    capitals = dict(Membership.objects.values_list("pk", "capital"))
    assert capitals[gov.members["member_a1"].pk] == 10_000_000
    assert capitals[gov.members["a1_o1"].pk] == 10_000_000
    with pytest.raises(ServiceError) as e:
        services_register.reverse_movement(
            actor=world.users["manager_a1"], movement=out, note="lại"
        )
    assert e.value.code == "capital_already_reversed"
    with pytest.raises(ServiceError) as e:
        services_register.reverse_movement(actor=world.users["manager_a1"], movement=fix, note="x")
    assert e.value.code == "capital_reversal_of_reversal"


def test_refund_more_than_paid_is_refused(gov, world):
    before = _state()
    with pytest.raises(ServiceError) as e:
        _record(gov, world, kind="withdrawal", amount=10_000_001)
    assert e.value.code == "capital_more_than_paid"
    assert _state() == before


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        (0, "capital_amount"),
        (-5, "capital_amount"),
        (2**63, "capital_amount"),
        ("5", "capital_amount"),
    ],
)
def test_bad_amounts_are_refused_and_change_nothing(gov, world, amount, code):
    before = _state()
    with pytest.raises(ServiceError) as e:
        _record(gov, world, amount=amount)
    assert e.value.code == code
    assert _state() == before


def test_future_date_and_before_joining_are_refused(gov, world):
    with pytest.raises(ServiceError) as e:
        _record(gov, world, on=timezone.localdate() + dt.timedelta(days=1))
    assert e.value.code == "capital_future"
    with pytest.raises(ServiceError) as e:
        _record(gov, world, on=dt.date(2019, 1, 1))
    assert e.value.code == "capital_before_joining"


def test_script_in_the_note_is_refused(gov, world):
    with pytest.raises(ServiceError) as e:
        _record(gov, world, note="<script>alert(1)</script>")
    assert e.value.code == "capital_note"


def test_another_cooperatives_manager_and_a_member_are_refused(gov, world):
    before = _state()
    for user in ("manager_b1", "member_a1", "officer_a"):
        with pytest.raises(ServiceError) as e:
            services_register.record_movement(
                actor=world.users[user],
                membership=gov.members["member_a1"],
                kind="payment",
                amount=1,
                on=DAY,
            )
        assert e.value.code == "forbidden"
    # a transfer to another cooperative's member
    with pytest.raises(ServiceError) as e:
        _record(gov, world, kind="transfer_out", amount=1, target=gov.members["b1_o1"])
    assert e.value.code == "capital_transfer_target"
    assert _state() == before


def test_service_associate_contributes_no_capital(gov, world):
    with pytest.raises(ServiceError) as e:
        _record(gov, world, key="a1_assoc")
    assert e.value.code == "capital_no_capital_member"


def test_contribution_over_the_member_cap_is_refused_against_the_charter_capital(gov, world):
    _charter(world, 100_000_000)
    m = Membership.objects.get(pk=gov.members["member_a1"].pk)
    before = _state()
    # 10M + 21M = 31M > 30 % of 100M
    with pytest.raises(ServiceError) as e:
        services_register.record_movement(
            actor=world.users["manager_a1"], membership=m, kind="payment", amount=21_000_000, on=DAY
        )
    assert e.value.code == "capital_limit"
    assert "member_capital_max" in e.value.details["limits"]
    assert _state() == before
    # exactly 30 % is allowed
    services_register.record_movement(
        actor=world.users["manager_a1"], membership=m, kind="payment", amount=20_000_000, on=DAY
    )
    m.refresh_from_db()
    assert m.capital == 30_000_000


def test_pledges_count_towards_the_cap(gov, world):
    _charter(world, 100_000_000)
    m = Membership.objects.get(pk=gov.members["member_a1"].pk)
    services_register.record_movement(
        actor=world.users["manager_a1"], membership=m, kind="pledge", amount=15_000_000, on=DAY
    )
    with pytest.raises(ServiceError) as e:
        services_register.record_movement(
            actor=world.users["manager_a1"], membership=m, kind="pledge", amount=6_000_000, on=DAY
        )
    assert e.value.code == "capital_limit"


def test_associates_cap(gov, world):
    _charter(world, 20_000_000)
    m = Membership.objects.get(pk=gov.members["a1_assoc_cap"].pk)
    # associates 5M + 2M = 7M > 30 % of 20M = 6M
    check = services_register.check_movement(membership=m, kind="payment", amount=2_000_000)
    assert check.refused
    assert [f.code for f in check.findings if f.blocking] == ["associate_capital_max"]


def test_refund_leaving_someone_over_the_cap_is_a_warning_not_a_refusal(gov, world):
    # no charter capital: the base is the capital paid; manager_a1 has 20M of 65M
    check = services_register.check_movement(
        membership=gov.members["a1_o1"], kind="withdrawal", amount=10_000_000
    )
    assert not check.refused
    assert any(f.code == "member_capital_max" and f.over for f in check.findings)
    _record(gov, world, key="a1_o1", kind="withdrawal", amount=10_000_000)
    _record(gov, world, key="a1_o2", kind="withdrawal", amount=10_000_000)
    findings = organisation_findings(world.orgs["a1"])
    assert [f.code for f in findings] == ["member_capital_max"]
    assert findings[0].share == Decimal("44.44")


def test_the_hook_puts_overdue_pledges_and_foreign_limits_in_the_registry_warnings(gov, world):
    from htxso.registry import selectors

    org = world.orgs["a1"]
    _record(gov, world, kind="pledge", amount=1_000_000, on=dt.date(2024, 1, 2))
    services_register.mark_foreign(
        actor=world.users["manager_a1"], membership=gov.members["a1_o1"], country="la"
    )
    org = selectors.organisation_get_detailed(user=world.users["vca"], pk=org.pk)
    codes = [w.code for w in selectors.warnings_for(org)]
    assert "capital_pledge_overdue" in codes
    # 1 foreign official member of 5 = 20 % < 35 %: no warning; the foreign capital
    # 10M of 65M = 15.38 % < 30 %: none either
    assert "foreign_members_max" not in codes
    services_register.mark_foreign(
        actor=world.users["manager_a1"], membership=gov.members["a1_o2"], country="KH"
    )
    codes = [w.code for w in selectors.warnings_for(org)]
    assert "foreign_members_max" in codes


def test_certificate_numbers_are_unique_and_a_new_one_replaces_the_old(gov, world):
    m = gov.members["member_a1"]
    first = services_register.issue_certificate(
        actor=world.users["manager_a1"], membership=m, number="GCN-01", issued_on=DAY
    )
    before = _state()
    with pytest.raises(ServiceError) as e:
        services_register.issue_certificate(
            actor=world.users["manager_a1"], membership=gov.members["a1_o1"], number="GCN-01"
        )
    assert e.value.code == "certificate_number_used"
    assert _state() == before
    # the same number in another cooperative is fine
    services_register.issue_certificate(
        actor=world.users["manager_b1"], membership=gov.members["b1_o1"], number="GCN-01"
    )
    second = services_register.issue_certificate(
        actor=world.users["manager_a1"], membership=m, number="GCN-02"
    )
    first.refresh_from_db()
    assert first.replaced_by_id == second.pk and not first.is_current and second.is_current
    assert list(selectors_register.certificates(m)) == [second, first]
    m.refresh_from_db()
    assert m.capital_certificate_no == "GCN-02"


def test_certificate_refused_without_capital_or_with_markup(gov, world):
    with pytest.raises(ServiceError) as e:
        services_register.issue_certificate(
            actor=world.users["manager_a1"], membership=gov.members["a1_assoc"], number="X1"
        )
    assert e.value.code == "certificate_no_capital"
    with pytest.raises(ServiceError) as e:
        services_register.issue_certificate(
            actor=world.users["manager_a1"], membership=gov.members["member_a1"], number="<b>"
        )
    assert e.value.code == "certificate_number"


def test_capital_holders_shows_names_and_shares_only(gov, world):
    holders = selectors_register.capital_holders(world.orgs["a1"])
    assert [h.paid for h in holders] == [
        20_000_000,
        10_000_000,
        10_000_000,
        10_000_000,
        10_000_000,
        5_000_000,
    ]
    assert holders[0].share_pct == Decimal("30.77")
    assert set(holders[0].__dict__) == {"membership_id", "name", "kind", "paid", "share_pct"}
    # a past day: from the movements recorded by then
    _record(gov, world, amount=1_000_000, on=dt.date(2025, 1, 5))
    past = selectors_register.capital_holders(world.orgs["a1"], on=dt.date(2025, 1, 6))
    assert [(h.membership_id, h.paid) for h in past] == [(gov.members["member_a1"].pk, 1_000_000)]
