"""The assembly's lifecycle, quorum, calls, delegates and petitions (services and
selectors), with the bad input the issue names: refused precisely, nothing half-saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from htxso.core import messaging
from htxso.core.actors import OPERATOR
from htxso.core.errors import ServiceError
from htxso.core.models import AuditEvent
from htxso.governance import checkin_assemblies as codes
from htxso.governance import selectors_assemblies as sel
from htxso.governance import services_assemblies as svc
from htxso.governance.models import (
    Assembly,
    Attendance,
    Delegate,
    Petition,
    PetitionSignature,
)

from ..conftest import make_member
from .conftest import make_assembly

pytestmark = pytest.mark.django_db


def _open(world, gov, **kw):
    a = make_assembly(world, status="announced", **kw)
    return svc.open_assembly(actor=world.users["manager_a1"], assembly=a)


def test_create_announce_notifies_members_with_their_personal_link(world, gov):
    m = world.users["manager_a1"]
    a = svc.assembly_create(
        actor=m,
        organisation=world.orgs["a1"],
        kind="annual",
        year=2025,
        mode="hybrid",
        title="Đại hội 2026",
        scheduled_at=timezone.now() + dt.timedelta(days=10),
        place="Nhà văn hoá",
        online_link="https://meet.example.vn/x",
    )
    assert a.status == "draft"
    with pytest.raises(ServiceError) as e:
        svc.announce(actor=m, assembly=a)
    assert e.value.code == "no_agenda"
    svc.agenda_add(actor=m, assembly=a, title="Báo cáo tài chính")
    with pytest.raises(ServiceError) as e:
        svc.announce(actor=world.users["member_a1"], assembly=a)
    assert e.value.code == "forbidden"
    messaging.outbox.clear()
    with django_capture_on_commit():
        svc.announce(actor=m, assembly=a)
    a.refresh_from_db()
    assert a.status == "announced" and a.announced_at
    mine = messaging.sent_to("member_a1@example.vn", svc.PURPOSE)
    assert len(mine) == 1
    token = codes.personal_token(a.pk, gov.members["member_a1"].pk)
    assert token in mine[0].text
    assert AuditEvent.objects.filter(action="assembly.announce", object_id=str(a.pk)).exists()


def django_capture_on_commit():
    """Run on_commit callbacks at once inside the test's transaction."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_create_refuses_incomplete_mode_past_date_and_other_coop(world, gov):
    m = world.users["manager_a1"]
    base = {
        "organisation": world.orgs["a1"],
        "kind": "annual",
        "year": 2025,
        "title": "x",
        "scheduled_at": timezone.now() + dt.timedelta(days=3),
    }
    with pytest.raises(ServiceError) as e:
        svc.assembly_create(actor=m, mode="online", **base)
    assert e.value.code == "mode_incomplete"
    with pytest.raises(ServiceError) as e:
        svc.assembly_create(
            actor=m,
            mode="in_person",
            place="x",
            **{**base, "scheduled_at": timezone.now() - dt.timedelta(hours=1)},
        )
    assert e.value.code == "in_the_past"
    with pytest.raises(ServiceError) as e:
        svc.assembly_create(
            actor=m, mode="in_person", place="x", **{**base, "organisation": world.orgs["b1"]}
        )
    assert e.value.code == "forbidden"
    with pytest.raises(ServiceError) as e:  # 5 official members: no delegate assembly
        svc.assembly_create(actor=m, mode="in_person", place="x", is_delegate=True, **base)
    assert e.value.code == "delegate_not_allowed"
    assert not Assembly.objects.exists()


def test_voters_and_quorum_count_official_members_only(world, gov):
    a = _open(world, gov)
    # five official members in a1; associates have no vote
    assert a.voters_total == 5
    assert set(sel.voters(a)) == {
        gov.members[k] for k in ("manager_a1", "member_a1", "a1_o1", "a1_o2", "a1_o3")
    }
    q = sel.quorum(a)
    assert (q.present, q.total, q.required_pct, q.required, q.met) == (0, 5, Decimal(50), 3, False)
    assert "Điều" in q.article
    mgr = world.users["manager_a1"]
    for k in ("a1_assoc_cap", "a1_assoc", "a1_o1", "a1_o2"):
        svc.desk_check_in(actor=mgr, assembly=a, membership_id=gov.members[k].pk)
    att = sel.attendance_of(a, gov.members["a1_assoc_cap"])
    assert att is not None and att.may_vote is False
    assert sel.quorum(a).present == 2 and not sel.quorum(a).met
    svc.desk_check_in(actor=mgr, assembly=a, membership_id=gov.members["a1_o3"].pk)
    assert sel.quorum(a).met
    a = svc.close_assembly(actor=mgr, assembly=a)
    assert a.status == "closed"


def test_check_in_by_hall_code_and_personal_link_and_bad_cases(world, gov):
    a = _open(world, gov)
    member = world.users["member_a1"]
    hall = codes.hall_token(a.pk, a.checkin_token)
    att = svc.check_in(actor=member, token=hall)
    assert att.channel == "hall" and att.may_vote
    with pytest.raises(ServiceError) as e:  # twice
        svc.check_in(actor=member, token=hall)
    assert e.value.code == "already_checked_in"
    assert Attendance.objects.filter(assembly=a).count() == 1
    # the manager's own personal link works only for the manager
    mine = codes.personal_token(a.pk, gov.members["manager_a1"].pk)
    with pytest.raises(ServiceError) as e:
        svc.check_in(actor=member, token=mine)
    assert e.value.code == "not_your_link"
    assert svc.check_in(actor=world.users["manager_a1"], token=mine).channel == "online"
    # a member of another cooperative
    with pytest.raises(ServiceError) as e:
        svc.check_in(actor=world.users["manager_b1"], token=hall)
    assert e.value.code == "not_found"
    # tampered, expired, malformed, ids past 2^63
    with pytest.raises(ServiceError) as e:
        svc.check_in(actor=member, token=hall[:-3] + "abc")
    assert e.value.code == "code_invalid"
    old = codes.hall_token(a.pk, a.checkin_token, when=timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(ServiceError) as e:
        svc.check_in(actor=member, token=old)
    assert e.value.code == "code_expired"
    for bad in ("x", "<script>alert(1)</script>", f"p.{2**63}.1.{'a' * 43}", "h." * 200):
        with pytest.raises(ServiceError) as e:
            svc.check_in(actor=member, token=bad)
        assert e.value.code == "code_malformed"
    assert Attendance.objects.filter(assembly=a).count() == 2


def test_rotating_the_code_voids_the_codes_shown(world, gov):
    a = _open(world, gov)
    hall = codes.hall_token(a.pk, a.checkin_token)
    svc.rotate_code(actor=world.users["manager_a1"], assembly=a)
    with pytest.raises(ServiceError) as e:
        svc.check_in(actor=world.users["member_a1"], token=hall)
    assert e.value.code == "code_invalid"


def test_check_in_before_open_and_after_close_is_refused(world, gov):
    a = make_assembly(world, status="announced")
    member = world.users["member_a1"]
    link = codes.personal_token(a.pk, gov.members["member_a1"].pk)
    with pytest.raises(ServiceError) as e:
        svc.check_in(actor=member, token=link)
    assert e.value.code == "not_open"
    mgr = world.users["manager_a1"]
    svc.open_assembly(actor=mgr, assembly=a)
    svc.close_assembly(actor=mgr, assembly=a)
    with pytest.raises(ServiceError) as e:
        svc.check_in(actor=member, token=link)
    assert e.value.code == "assembly_closed"
    with pytest.raises(ServiceError) as e:
        svc.desk_check_in(actor=mgr, assembly=a, membership_id=gov.members["a1_o1"].pk)
    assert e.value.code == "assembly_closed"
    assert not Attendance.objects.filter(assembly=a).exists()


def test_desk_refuses_another_coops_member_and_huge_ids(world, gov):
    a = _open(world, gov)
    mgr = world.users["manager_a1"]
    for pk in (gov.members["b1_o1"].pk, 2**63 - 1):
        with pytest.raises(ServiceError) as e:
            svc.desk_check_in(actor=mgr, assembly=a, membership_id=pk)
        assert e.value.code == "not_member"
    with pytest.raises(ServiceError) as e:
        svc.desk_check_in(
            actor=world.users["manager_b1"], assembly=a, membership_id=gov.members["a1_o1"].pk
        )
    assert e.value.code == "not_found"
    assert not Attendance.objects.filter(assembly=a).exists()


def test_no_quorum_adjourns_and_the_next_calls_lower_the_quorum(world, gov):
    mgr = world.users["manager_a1"]
    a = _open(world, gov)
    svc.desk_check_in(actor=mgr, assembly=a, membership_id=gov.members["a1_o1"].pk)
    a = svc.close_assembly(actor=mgr, assembly=a)
    assert a.status == "adjourned"
    day = sel.assembly_day(a)
    # outside the rule's days (30 for the second call)
    too_late = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=31), dt.time(8)))
    with pytest.raises(ServiceError) as e:
        svc.next_call(actor=mgr, assembly=a, scheduled_at=too_late)
    assert e.value.code == "call_out_of_days"
    assert not Assembly.objects.filter(previous_call=a).exists()
    in_time = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=10), dt.time(8)))
    b = svc.next_call(actor=mgr, assembly=a, scheduled_at=in_time)
    assert (b.call_no, b.status, b.previous_call_id) == (2, "announced", a.pk)
    assert b.agenda.count() == a.agenda.count()
    with pytest.raises(ServiceError) as e:
        svc.next_call(actor=mgr, assembly=a, scheduled_at=in_time)
    assert e.value.code in ("already_called", "wrong_status")
    q = sel.quorum(b)
    assert q.required_pct == Decimal(33) and q.required == 2
    # the third call: 20 days, no quorum
    b.scheduled_at = timezone.now() - dt.timedelta(hours=1)
    b.save()
    svc.open_assembly(actor=mgr, assembly=b)
    b = svc.close_assembly(actor=mgr, assembly=b)
    assert b.status == "adjourned"
    day_b = sel.assembly_day(b)
    with pytest.raises(ServiceError) as e:
        svc.next_call(
            actor=mgr,
            assembly=b,
            scheduled_at=timezone.make_aware(
                dt.datetime.combine(day_b + dt.timedelta(days=21), dt.time(8))
            ),
        )
    assert e.value.code == "call_out_of_days"
    c = svc.next_call(
        actor=mgr,
        assembly=b,
        scheduled_at=timezone.make_aware(
            dt.datetime.combine(day_b + dt.timedelta(days=5), dt.time(8))
        ),
    )
    q = sel.quorum(c)
    assert c.call_no == 3 and q.required == 0 and q.met


def _big_coop(world, n):
    org = world.orgs["a2"]
    org.kind = "cooperative"
    org.tax_code = "0100100079"
    org.save()
    return org, [make_member(org, f"d{i}") for i in range(n)]


def test_delegate_assembly_band_and_election(world, gov):
    org, members = _big_coop(world, 60)  # 51–100 → at least 50 %: 30 delegates
    need = sel.delegate_need(org)
    assert need.allowed and need.required == 30
    a = Assembly.objects.create(
        organisation=org,
        kind="annual",
        year=2025,
        mode="hybrid",
        is_delegate=True,
        title="Đại hội đại biểu",
        scheduled_at=timezone.now() + dt.timedelta(days=5),
        place="x",
        online_link="https://x.example.vn",
        created_by=world.users["vca"],
    )
    vca = world.users["vca"]
    with pytest.raises(ServiceError) as e:
        svc.delegates_elect(
            actor=vca,
            assembly=a,
            membership_ids=[m.pk for m in members[:29]],
            elected_on=timezone.localdate(),
        )
    assert e.value.code == "too_few_delegates"
    assert not Delegate.objects.filter(assembly=a).exists()
    with pytest.raises(ServiceError) as e:  # another coop's member among them
        svc.delegates_elect(
            actor=vca,
            assembly=a,
            membership_ids=[m.pk for m in members[:30]] + [gov.members["b1_o1"].pk],
            elected_on=timezone.localdate(),
        )
    assert e.value.code == "not_official_member"
    svc.delegates_elect(
        actor=vca,
        assembly=a,
        membership_ids=[m.pk for m in members[:30]],
        elected_on=timezone.localdate(),
        constituency="Thôn 1",
    )
    assert sel.voters(a).count() == 30
    assert not sel.may_vote(a, members[45])


def test_delegate_bands_from_the_rules(world, gov):
    _org, _ = _big_coop(world, 0)
    from htxso.governance import rules
    from htxso.governance.models import RuleKey

    assert rules.band(RuleKey.DELEGATES, 240).value == Decimal(30)
    assert rules.band(RuleKey.DELEGATES, 500).value == Decimal(20)
    assert rules.band(RuleKey.DELEGATES, 5000).unit == "count"


def test_petition_needs_a_third_and_an_answer_before_opening(world, gov):
    a = make_assembly(world, status="announced")
    member, mgr = world.users["member_a1"], world.users["manager_a1"]
    p = svc.petition_create(actor=member, assembly=a, title="Bầu lại kiểm soát viên")
    with pytest.raises(ServiceError) as e:
        svc.petition_sign(actor=member, petition=p)
    assert e.value.code == "already_signed"
    with pytest.raises(ServiceError) as e:  # another coop's member
        svc.petition_sign(actor=world.users["manager_b1"], petition=p)
    assert e.value.code == "not_found"
    st = sel.petitions(a)[0]
    assert (st.signed, st.required, st.enough) == (1, 2, False)  # ⌈5/3⌉
    svc.petition_sign(actor=mgr, petition=p)
    assert sel.petitions(a)[0].enough
    with pytest.raises(ServiceError) as e:
        svc.open_assembly(actor=mgr, assembly=a)
    assert e.value.code == "petition_unanswered"
    with pytest.raises(ServiceError) as e:
        svc.petition_answer(actor=mgr, petition=p, add=False, reason="  ")
    assert e.value.code == "reason_missing"
    svc.petition_answer(actor=mgr, petition=p, add=True)
    assert a.agenda.filter(petition=p).exists()
    with pytest.raises(ServiceError) as e:
        svc.petition_answer(actor=mgr, petition=p, add=True)
    assert e.value.code == "petition_answered"
    assert svc.open_assembly(actor=mgr, assembly=a).status == "open"


def test_an_associate_cannot_petition(world, gov):
    a = make_assembly(world, status="announced")
    assoc = gov.members["a1_assoc_cap"]
    from htxso.accounts.models import User

    user = User.objects.create_user(username="assoc", password="x" * 20)
    assoc.person.user = user
    assoc.person.save()
    with pytest.raises(ServiceError) as e:
        svc.petition_create(actor=user, assembly=a, title="x")
    assert e.value.code in ("not_official", "not_found")
    assert not Petition.objects.exists() and not PetitionSignature.objects.exists()


def test_annual_deadline_reminder_and_late_flag(world, gov):
    org = world.orgs["a1"]
    on = dt.date(2026, 3, 1)
    st = sel.annual_status(org, on)
    assert (st.year, st.due_on, st.late) == (2025, dt.date(2026, 4, 30), False)
    st = sel.annual_status(org, dt.date(2026, 5, 2))
    assert st.late and st.held is None
    late = sel.late_annual(world.users["officer_a"], dt.date(2026, 5, 2))
    assert [o.pk for o, _ in late] == [org.pk]
    assert sel.late_annual(world.users["officer_b"], dt.date(2026, 5, 2))[0][0].pk == (
        world.orgs["b1"].pk
    )
    a = make_assembly(world, status="closed", year=2025)
    a.closed_at = timezone.make_aware(dt.datetime(2026, 4, 20, 10))
    a.save()
    assert not sel.annual_status(org, dt.date(2026, 5, 2)).late
    assert sel.late_annual(world.users["officer_a"], dt.date(2026, 5, 2)) == []


def test_upcoming_for_the_member_only(world, gov):
    a = make_assembly(world, status="announced")
    make_assembly(world, status="draft")
    assert sel.upcoming_for(world.users["member_a1"]) == [a]
    assert sel.upcoming_for(world.users["manager_b1"]) == []
    assert sel.upcoming_for(world.users["officer_a"]) == []


def test_system_actor_may_not_prepare(world, gov):
    with pytest.raises(ServiceError):
        svc.assembly_create(
            actor=OPERATOR,
            organisation=world.orgs["a1"],
            kind="annual",
            year=2025,
            mode="in_person",
            title="x",
            place="x",
            scheduled_at=timezone.now() + dt.timedelta(days=1),
        )
