"""Disclosures (Art. 14): due in working days from the rule, kept at least the rule's
days, late flag, back-dating refused, the capital-holders list, members' requests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from htxso.core.audit import AuditEvent
from htxso.core.errors import ServiceError
from htxso.governance import selectors_disclosures as sel
from htxso.governance import services_disclosures as svc
from htxso.governance.models import Disclosure, DisclosureKind, DisclosureRequest

pytestmark = pytest.mark.django_db

D = dt.date
MONDAY = D(2026, 12, 7)


@pytest.fixture
def today(monkeypatch):
    """The app's day (Vietnam) fixed for the services."""
    box = {"day": MONDAY}
    monkeypatch.setattr(svc, "_today", lambda: box["day"])
    return box


def _record(world, **kw):
    args = {
        "actor": world.users["manager_a1"],
        "organisation": world.orgs["a1"],
        "kind": DisclosureKind.FINANCIAL,
        "title": "Báo cáo tài chính năm 2025",
        "event_on": D(2026, 12, 4),
    }
    args.update(kw)
    return svc.record(**args)


def test_due_in_five_working_days_and_kept_thirty_days(world, gov, today):
    d = _record(world)  # Friday 4/12 → 5 working days → Friday 11/12
    assert d.due_on == D(2026, 12, 11)
    assert d.posted_on == MONDAY and not d.is_late
    assert d.keep_until == MONDAY + dt.timedelta(days=30)
    assert AuditEvent.objects.filter(action="disclosure.record", object_id=str(d.pk)).exists()


def test_tet_is_not_a_working_day(world, gov, today):
    today["day"] = D(2027, 2, 20)
    d = _record(world, event_on=D(2027, 2, 2))  # Tết 2027: 4/2 … 10/2
    assert d.due_on == D(2027, 2, 16)
    assert d.is_late


def test_government_day_off_counts(world, gov, today):
    from htxso.support.models import CalendarDay, DayKind

    CalendarDay.objects.create(day=D(2026, 12, 8), kind=DayKind.DAY_OFF, name="nghỉ bù")
    assert _record(world).due_on == D(2026, 12, 14)


def test_late_when_posted_after_the_due_day(world, gov, today):
    d = _record(world, post=False)
    assert d.posted_on is None
    due = sel.due_and_late(world.orgs["a1"], on=MONDAY)
    assert [x.pk for x in due.due] == [d.pk] and not due.overdue
    later = D(2026, 12, 14)
    assert [x.pk for x in sel.due_and_late(world.orgs["a1"], on=later).overdue] == [d.pk]
    today["day"] = later
    d = svc.post(actor=world.users["manager_a1"], disclosure=d)
    assert d.is_late
    result = sel.due_and_late(world.orgs["a1"], on=later)
    assert [x.pk for x in result.posted_late] == [d.pk] and result.late_count == 1


def test_back_dating_is_refused_and_nothing_is_saved(world, gov, today):
    with pytest.raises(ServiceError) as e:
        _record(world, posted_on=D(2026, 12, 4))
    assert e.value.code == "backdated"
    d = _record(world, post=False)
    with pytest.raises(ServiceError) as e:
        svc.post(actor=world.users["manager_a1"], disclosure=d, posted_on=D(2026, 12, 5))
    assert e.value.code == "backdated"
    d.refresh_from_db()
    assert d.posted_on is None
    assert Disclosure.objects.count() == 1


def test_event_in_the_future_refused(world, gov, today):
    with pytest.raises(ServiceError) as e:
        _record(world, event_on=D(2026, 12, 8))
    assert "event_on" in e.value.fields
    assert not Disclosure.objects.exists()


def test_take_down_only_after_the_days_kept(world, gov, today):
    d = _record(world)
    with pytest.raises(ServiceError) as e:
        svc.take_down(actor=world.users["manager_a1"], disclosure=d)
    assert e.value.code == "kept_too_short"
    today["day"] = MONDAY + dt.timedelta(days=30)
    d = svc.take_down(actor=world.users["manager_a1"], disclosure=d)
    assert d.withdrawn_on == today["day"]


def test_only_the_manager_records(world, gov, today):
    for key, code in (
        ("member_a1", "forbidden"),
        ("officer_a", "forbidden"),
        ("manager_b1", "not_found"),
    ):
        with pytest.raises(ServiceError) as e:
            _record(world, actor=world.users[key])
        assert e.value.code == code, key
    assert not Disclosure.objects.exists()


def test_script_in_title_is_kept_as_text(world, gov, today):
    d = _record(world, title="<script>alert(1)</script> Điều lệ", body="<b>x</b>")
    assert d.title.startswith("<script>")  # stored as text, escaped when shown


def test_wrong_file_refused(world, gov, today):
    bad = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ServiceError) as e:
        _record(world, file=bad)
    assert e.value.code == "file_type"
    assert not Disclosure.objects.exists()


def test_capital_holders_list(world, gov, today):
    d = svc.publish_capital_holders(actor=world.users["manager_a1"], organisation=world.orgs["a1"])
    assert d.kind == DisclosureKind.CAPITAL_MEMBERS and d.posted_on == MONDAY
    assert "Thành viên member_a1" in d.body and "10.000.000" in d.body
    assert "Thành viên b1_o1" not in d.body  # another cooperative's member


def test_a_member_asks_and_the_manager_answers(world, gov, today):
    d = _record(world)
    member = gov.members["member_a1"]
    req = svc.request_create(
        actor=world.users["member_a1"], membership=member, message="Xin bản báo cáo", disclosure=d
    )
    with pytest.raises(ServiceError):
        svc.request_create(
            actor=world.users["member_a1"], membership=gov.members["a1_o1"], message="x"
        )
    with pytest.raises(ServiceError):
        svc.request_answer(actor=world.users["member_a1"], request=req, answer="tự trả lời")
    req = svc.request_answer(actor=world.users["manager_a1"], request=req, answer="Đã gửi bản giấy")
    assert req.answered_at is not None
    with pytest.raises(ServiceError) as e:
        svc.request_answer(actor=world.users["manager_a1"], request=req, answer="lần hai")
    assert e.value.code == "already_answered"
    assert DisclosureRequest.objects.count() == 1


def test_on_time_share_of_a_province(world, gov, today):
    _record(world)  # on time
    today["day"] = D(2026, 12, 21)
    _record(world, event_on=D(2026, 12, 7))  # due 14/12, posted 21/12: late
    _record(world, event_on=D(2026, 12, 18), post=False)  # due 25/12: still open
    assert sel.on_time_share("04", 2026, today=D(2026, 12, 21)) == 50
    assert sel.on_time_share("66", 2026, today=D(2026, 12, 21)) is None
    rows = sel.on_time_table("04", (D(2026, 12, 1), D(2026, 12, 31)), today=D(2026, 12, 21))
    assert [(r.due, r.on_time, r.late, r.open) for r in rows] == [(2, 1, 1, 1)]


def test_members_told_when_a_disclosure_is_posted(
    world, gov, today, django_capture_on_commit_callbacks
):
    from htxso.core import messaging

    # one member reachable by phone only; the others without phone or e-mail are skipped
    o1 = gov.members["a1_o1"].person
    o1.phone = "0912345678"
    o1.save(update_fields=["phone"])
    with django_capture_on_commit_callbacks(execute=True):
        d = _record(world, post=False)
    assert messaging.outbox == []  # recorded, not posted: nobody told yet
    with django_capture_on_commit_callbacks(execute=True):
        svc.post(actor=world.users["manager_a1"], disclosure=d)
    mine = messaging.sent_to("member_a1@example.vn", "governance_disclosure")
    assert len(mine) == 1
    assert "Báo cáo tài chính năm 2025" in mine[0].text
    assert f"/cong-khai/{d.pk}/" in mine[0].text
    by_phone = [m for m in messaging.outbox if m.channel == "sms"]
    assert [m.to for m in by_phone] == ["+84912345678"]
    assert {m.to for m in messaging.outbox} == {
        "member_a1@example.vn",
        "manager_a1@example.vn",
        "+84912345678",
    }
    messaging.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _record(world, title="Nghị quyết đại hội")  # post=True: told at once
    assert len(messaging.sent_to("member_a1@example.vn", "governance_disclosure")) == 1
    messaging.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ServiceError):
        _record(world, posted_on=MONDAY - dt.timedelta(days=1))  # refused: nobody told
    assert messaging.outbox == []
