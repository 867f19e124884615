"""Changing, cancelling and trimming an assembly before it opens (session 13): the
create form's checks again, precise refusals once open or closed, nothing half-saved,
every change audited, members of an announced assembly told."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from htxso.core import messaging
from htxso.core.errors import ServiceError
from htxso.core.models import AuditEvent
from htxso.governance import rules
from htxso.governance import services_assemblies as svc
from htxso.governance.models import (
    AgendaItem,
    Assembly,
    AssemblyDocument,
    Petition,
    PetitionSignature,
    Reminder,
)
from htxso.governance.models.rules import RuleKey

from .conftest import make_assembly

pytestmark = pytest.mark.django_db

MEMBER_MAIL = "member_a1@example.vn"


def _edit(a, actor, **kw):
    args = {
        "title": a.title,
        "scheduled_at": a.scheduled_at,
        "mode": a.mode,
        "place": a.place,
        "online_link": a.online_link,
    }
    args.update(kw)
    return svc.assembly_update(actor=actor, assembly=a, **args)


def _snapshot(a):
    a = Assembly.objects.get(pk=a.pk)
    return (a.title, a.scheduled_at, a.mode, a.place, a.online_link, a.status, a.cancel_reason)


def _in(days, hour=9):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


# --- edit --------------------------------------------------------------------------------


def test_edit_a_draft_audits_and_tells_nobody(world, gov, django_capture_on_commit_callbacks):
    a = make_assembly(world)
    mgr = world.users["manager_a1"]
    with django_capture_on_commit_callbacks(execute=True):
        b = _edit(a, mgr, scheduled_at=_in(5), mode="in_person", online_link="", place="Nhà A")
    b.refresh_from_db()
    assert (b.mode, b.place, b.online_link) == ("in_person", "Nhà A", "")
    assert timezone.localtime(b.scheduled_at).hour == 9
    ev = AuditEvent.objects.get(action="assembly.update", object_id=str(a.pk))
    assert ev.before["place"] == "Hội trường xã" and ev.after["place"] == "Nhà A"
    assert "scheduled_at" in ev.after and "title" not in ev.after
    assert messaging.outbox == []  # a draft was never sent to members


def test_edit_an_announced_assembly_tells_members_and_resets_reminders(
    world, gov, django_capture_on_commit_callbacks
):
    a = make_assembly(world, status="announced", announced_at=timezone.now(), when=_in(4))
    Reminder.objects.create(
        kind="assembly_soon",
        organisation=a.organisation,
        assembly=a,
        days_before=3,
        recipient="membership:1",
        sent_on=timezone.localdate(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        _edit(a, world.users["manager_a1"], scheduled_at=_in(6, 14), place="Sân kho")
    mine = messaging.sent_to(MEMBER_MAIL, svc.PURPOSE)
    assert len(mine) == 1 and "Sân kho" in mine[0].text and "14:00" in mine[0].text
    assert not Reminder.objects.filter(assembly=a).exists()


def test_nothing_changed_writes_nothing(world, gov):
    a = make_assembly(world)
    _edit(a, world.users["manager_a1"])
    assert not AuditEvent.objects.filter(action="assembly.update").exists()


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"scheduled_at": "past"}, "in_the_past"),
        ({"mode": "online", "online_link": ""}, "mode_incomplete"),
        ({"mode": "in_person", "place": "  "}, "mode_incomplete"),
        ({"mode": "by_pigeon"}, "invalid"),
        ({"title": "   "}, "title_missing"),
    ],
)
def test_edit_refuses_what_create_refuses(world, gov, kw, code):
    a = make_assembly(world)
    before = _snapshot(a)
    if kw.get("scheduled_at") == "past":
        kw = {"scheduled_at": timezone.now() - dt.timedelta(minutes=5)}
    with pytest.raises(ServiceError) as e:
        _edit(a, world.users["manager_a1"], **kw)
    assert e.value.code == code and e.value.text
    assert _snapshot(a) == before
    assert not AuditEvent.objects.filter(action="assembly.update").exists()


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("open", "already_open"),
        ("closed", "already_closed"),
        ("adjourned", "already_closed"),
        ("cancelled", "cancelled"),
    ],
)
def test_edit_refused_once_open_closed_or_cancelled(world, gov, status, code):
    a = make_assembly(world, status=status)
    before = _snapshot(a)
    with pytest.raises(ServiceError) as e:
        _edit(a, world.users["manager_a1"], place="Nơi khác")
    assert e.value.code == code
    assert "Đại hội" in e.value.text or "đại hội" in e.value.text  # Vietnamese
    assert _snapshot(a) == before


def test_edit_refused_to_others(world, gov):
    a = make_assembly(world)
    for key in ("member_a1", "manager_b1", "officer_a"):
        with pytest.raises(ServiceError) as e:
            _edit(a, world.users[key], place="x")
        assert e.value.code in ("forbidden", "not_found")
    assert Assembly.objects.get(pk=a.pk).place == "Hội trường xã"


def test_next_call_stays_within_the_rules_days(world, gov):
    first = make_assembly(world, status="adjourned", when=timezone.now() - dt.timedelta(days=1))
    second = make_assembly(world, status="announced", call_no=2, previous_call=first, when=_in(3))
    r = rules.rule(RuleKey.SECOND_CALL_DAYS, org_kind=first.organisation.kind)
    last = timezone.localdate(first.scheduled_at) + dt.timedelta(days=int(r.value))
    too_late = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time(9)))
    before = _snapshot(second)
    with pytest.raises(ServiceError) as e:
        _edit(second, world.users["manager_a1"], scheduled_at=too_late)
    assert e.value.code == "call_out_of_days"
    assert last.strftime("%d/%m/%Y") in e.value.text and r.article in e.value.text
    assert "scheduled_at" in e.value.fields
    assert _snapshot(second) == before
    ok = timezone.make_aware(dt.datetime.combine(last, dt.time(9)))
    if ok > timezone.now():
        assert _edit(second, world.users["manager_a1"], scheduled_at=ok).scheduled_at == ok


# --- cancel ------------------------------------------------------------------------------


def test_cancel_a_draft(world, gov, django_capture_on_commit_callbacks):
    a = make_assembly(world)
    with django_capture_on_commit_callbacks(execute=True):
        svc.assembly_cancel(actor=world.users["manager_a1"], assembly=a, reason="Trùng mùa gặt")
    a.refresh_from_db()
    assert a.status == "cancelled" and a.cancelled_at and a.cancel_reason == "Trùng mùa gặt"
    assert a.cancelled_by == world.users["manager_a1"]
    ev = AuditEvent.objects.get(action="assembly.cancel", object_id=str(a.pk))
    assert ev.before == {"status": "draft"} and ev.after["reason"] == "Trùng mùa gặt"
    assert messaging.outbox == []


def test_cancel_an_announced_assembly_tells_members(world, gov, django_capture_on_commit_callbacks):
    a = make_assembly(world, status="announced", announced_at=timezone.now())
    token = a.checkin_token
    with django_capture_on_commit_callbacks(execute=True):
        svc.assembly_cancel(actor=world.users["manager_a1"], assembly=a, reason="Bão lũ")
    mine = messaging.sent_to(MEMBER_MAIL, svc.PURPOSE)
    assert len(mine) == 1 and "Bão lũ" in mine[0].text and a.title in mine[0].text
    a.refresh_from_db()
    assert a.checkin_token != token  # personal links sent before stop working


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("open", "already_open"),
        ("closed", "already_closed"),
        ("adjourned", "already_closed"),
        ("cancelled", "already_cancelled"),
    ],
)
def test_cancel_refused_once_open_or_closed(world, gov, status, code):
    a = make_assembly(world, status=status)
    before = _snapshot(a)
    with pytest.raises(ServiceError) as e:
        svc.assembly_cancel(actor=world.users["manager_a1"], assembly=a, reason="x")
    assert e.value.code == code
    assert _snapshot(a) == before
    assert not AuditEvent.objects.filter(action="assembly.cancel").exists()


def test_cancel_needs_a_reason_and_the_manager(world, gov):
    a = make_assembly(world)
    with pytest.raises(ServiceError) as e:
        svc.assembly_cancel(actor=world.users["manager_a1"], assembly=a, reason="  ")
    assert e.value.code == "reason_missing" and "reason" in e.value.fields
    with pytest.raises(ServiceError) as e:
        svc.assembly_cancel(actor=world.users["manager_a1"], assembly=a, reason="x" * 1001)
    assert e.value.code == "reason_too_long"
    for key in ("member_a1", "manager_b1", "viewer_a"):
        with pytest.raises(ServiceError):
            svc.assembly_cancel(actor=world.users[key], assembly=a, reason="x")
    assert Assembly.objects.get(pk=a.pk).status == "draft"


def test_a_cancelled_assembly_refuses_check_in_and_preparation(world, gov):
    a = make_assembly(world, status="announced", announced_at=timezone.now())
    svc.assembly_cancel(actor=world.users["manager_a1"], assembly=a, reason="Hoãn")
    with pytest.raises(ServiceError) as e:
        svc.desk_check_in(
            actor=world.users["manager_a1"], assembly=a, membership_id=gov.members["a1_o1"].pk
        )
    assert e.value.code == "assembly_closed"
    with pytest.raises(ServiceError):
        svc.agenda_add(actor=world.users["manager_a1"], assembly=a, title="Thêm")
    with pytest.raises(ServiceError):
        svc.open_assembly(actor=world.users["manager_a1"], assembly=a)


# --- remove an agenda item or a document -------------------------------------------------


def test_remove_an_item_renumbers_and_audits(world, gov):
    a = make_assembly(world)
    mgr = world.users["manager_a1"]
    second = svc.agenda_add(actor=mgr, assembly=a, title="Bầu HĐQT")
    third = svc.agenda_add(actor=mgr, assembly=a, title="Kế hoạch năm")
    svc.agenda_remove(actor=mgr, item=second)
    assert list(a.agenda.values_list("title", "position")) == [
        ("Báo cáo kết quả năm", 1),
        ("Kế hoạch năm", 2),
    ]
    ev = AuditEvent.objects.get(action="assembly.agenda_remove")
    assert ev.before["title"] == "Bầu HĐQT"
    assert third.pk in set(a.agenda.values_list("pk", flat=True))


def test_remove_refused_after_opening(world, gov):
    a = make_assembly(world, status="open")
    item = a.agenda.get()
    with pytest.raises(ServiceError) as e:
        svc.agenda_remove(actor=world.users["manager_a1"], item=item)
    assert e.value.code == "already_open"
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def _petitioned_item(world, gov, a):
    p = Petition.objects.create(
        assembly=a, title="Giảm phí dịch vụ", created_by=gov.members["member_a1"]
    )
    for k in ("manager_a1", "member_a1", "a1_o1", "a1_o2", "a1_o3"):
        PetitionSignature.objects.create(petition=p, membership=gov.members[k])
    svc.petition_answer(actor=world.users["manager_a1"], petition=p, add=True)
    return p, AgendaItem.objects.get(petition=p)


def test_a_petitioned_item_needs_the_recorded_reason(world, gov):
    a = make_assembly(world, status="announced", announced_at=timezone.now())
    p, item = _petitioned_item(world, gov, a)
    mgr = world.users["manager_a1"]
    with pytest.raises(ServiceError) as e:
        svc.agenda_remove(actor=mgr, item=item, reason=" ")
    assert e.value.code == "reason_missing" and "reason" in e.value.fields
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    assert Petition.objects.get(pk=p.pk).decision == "added"
    svc.agenda_remove(actor=mgr, item=item, reason="Đã giải quyết tại hội nghị chi bộ")
    p.refresh_from_db()
    assert (p.decision, p.decision_reason) == ("declined", "Đã giải quyết tại hội nghị chi bộ")
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    ev = AuditEvent.objects.get(action="assembly.agenda_remove")
    assert ev.before["petition"] == p.pk and ev.after["reason"]


def test_remove_a_document_before_opening_only(world, gov, django_capture_on_commit_callbacks):
    a = make_assembly(world)
    mgr = world.users["manager_a1"]
    doc = svc.document_add(
        actor=mgr, assembly=a, title="Báo cáo", file=SimpleUploadedFile("b.pdf", b"%PDF-1.4 x")
    )
    storage, name = doc.file.storage, doc.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        svc.document_remove(actor=mgr, document=doc)
    assert not AssemblyDocument.objects.filter(pk=doc.pk).exists()
    assert not storage.exists(name)
    assert AuditEvent.objects.filter(action="assembly.document_remove").exists()
    b = make_assembly(world, status="closed")
    kept = AssemblyDocument(assembly=b, title="Biên bản", uploaded_by=mgr)
    kept.file.save("bb.pdf", SimpleUploadedFile("bb.pdf", b"%PDF-1.4 y"), save=False)
    kept.save()
    with pytest.raises(ServiceError) as e:
        svc.document_remove(actor=mgr, document=kept)
    assert e.value.code == "already_closed"
    assert AssemblyDocument.objects.filter(pk=kept.pk).exists()
    with pytest.raises(ServiceError):
        svc.document_remove(actor=world.users["manager_b1"], document=kept)


# --- pages -------------------------------------------------------------------------------


def _login(client, world, key):
    client.force_login(world.users[key])
    return client


def test_edit_page_saves_and_refuses_precisely(client, world, gov):
    a = make_assembly(world)
    c = _login(client, world, "manager_a1")
    url = reverse("governance:assembly_edit", args=[a.pk])
    page = c.get(url)
    assert page.status_code == 200 and b'name="scheduled_at"' in page.content
    when = _in(7).strftime("%Y-%m-%dT%H:%M")
    data = {
        "title": "Đại hội mới",
        "mode": "hybrid",
        "scheduled_at": when,
        "place": "Nhà văn hoá",
        "online_link": "https://meet.example.vn/n",
    }
    r = c.post(url, data)
    assert r.status_code == 302
    assert Assembly.objects.get(pk=a.pk).title == "Đại hội mới"
    bad = c.post(url, {**data, "mode": "online", "online_link": ""})
    assert bad.status_code == 200 and "Hãy ghi đường liên kết".encode() in bad.content
    assert Assembly.objects.get(pk=a.pk).mode == "hybrid"
    script = c.post(url, {**data, "title": "<script>alert(1)</script>"})
    assert script.status_code == 302
    detail = c.get(reverse("governance:assembly_detail", args=[a.pk]))
    assert b"<script>alert(1)</script>" not in detail.content


def test_edit_and_cancel_pages_explain_when_not_possible(client, world, gov):
    a = make_assembly(world, status="open")
    c = _login(client, world, "manager_a1")
    for name in ("assembly_edit", "assembly_cancel"):
        page = c.get(reverse(f"governance:{name}", args=[a.pk]))
        assert page.status_code == 200 and b"data-not-now" in page.content
        assert b'type="submit"' not in page.content.split(b"data-not-now")[1]
    r = c.post(reverse("governance:assembly_cancel", args=[a.pk]), {"reason": "x"})
    assert r.status_code == 200 and Assembly.objects.get(pk=a.pk).status == "open"
    detail = c.get(reverse("governance:assembly_detail", args=[a.pk]))
    assert b"data-change-closed" in detail.content


def test_cancel_page_confirms_then_shows_cancelled_everywhere(
    client, world, gov, django_capture_on_commit_callbacks
):
    a = make_assembly(world, status="announced", announced_at=timezone.now(), when=_in(5))
    c = _login(client, world, "manager_a1")
    url = reverse("governance:assembly_cancel", args=[a.pk])
    page = c.get(url)
    assert page.status_code == 200 and "Huỷ đại hội".encode() in page.content
    empty = c.post(url, {"reason": ""})
    assert empty.status_code == 200 and Assembly.objects.get(pk=a.pk).status == "announced"
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(url, {"reason": "Mưa bão <b>lớn</b>"})
    assert r.status_code == 302
    assert len(messaging.sent_to(MEMBER_MAIL, svc.PURPOSE)) == 1
    m = _login(client, world, "member_a1")
    detail = m.get(reverse("governance:assembly_detail", args=[a.pk]))
    assert b'id="cancelled"' in detail.content and b"&lt;b&gt;" in detail.content
    listing = m.get(reverse("governance:assembly_list"))
    assert b"assembly-status--cancelled" in listing.content


def test_edit_and_cancel_pages_refused_to_others(client, world, gov):
    a = make_assembly(world)
    for key, status in (("member_a1", 403), ("manager_b1", 404), ("officer_a", 403)):
        c = _login(client, world, key)
        for name in ("assembly_edit", "assembly_cancel"):
            assert c.get(reverse(f"governance:{name}", args=[a.pk])).status_code == status
            assert (
                c.post(reverse(f"governance:{name}", args=[a.pk]), {"reason": "x"}).status_code
                == status
            )
    assert Assembly.objects.get(pk=a.pk).status == "draft"
    c = _login(client, world, "manager_a1")
    assert c.get(f"/quan-tri-htx/dai-hoi/{2**63}/sua/").status_code == 404


def test_remove_pages(client, world, gov):
    a = make_assembly(world, status="announced", announced_at=timezone.now())
    _p, item = _petitioned_item(world, gov, a)
    c = _login(client, world, "manager_a1")
    url = reverse("governance:assembly_agenda_remove", args=[item.pk])
    page = c.get(url)
    assert page.status_code == 200 and b'name="reason"' in page.content
    r = c.post(url, {"reason": ""})
    assert r.status_code == 200 and AgendaItem.objects.filter(pk=item.pk).exists()
    r = c.post(url, {"reason": "Không thuộc thẩm quyền"})
    assert r.status_code == 302 and not AgendaItem.objects.filter(pk=item.pk).exists()
    plain = a.agenda.get()
    assert c.post(reverse("governance:assembly_agenda_remove", args=[plain.pk])).status_code == 302
    assert not a.agenda.exists()
