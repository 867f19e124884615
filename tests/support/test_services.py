"""Services of service requests: the SLA clock, refusals that save nothing, notifications."""

from __future__ import annotations

import datetime as dt

import pytest

from htxso.core import messaging
from htxso.core.errors import Kind, ServiceError
from htxso.core.models import AuditEvent
from htxso.support import services
from htxso.support.models import Attachment, CalendarDay, Entry, ServiceRequest, Status

from .helpers import pdf, photo, send

pytestmark = pytest.mark.django_db
D = dt.date


def _counts():
    return (ServiceRequest.objects.count(), Entry.objects.count(), Attachment.objects.count())


def test_send_attaches_facts_and_deadlines_across_tet(world, clock):
    clock.set(2027, 2, 3)  # Wednesday before Tết
    a1 = world.orgs["a1"]
    req = send(world.users["manager_a1"], a1, files=[photo(), pdf()])
    assert req.status == Status.NEW and req.province_id == "04"
    assert req.facts["name"] == a1.name and req.facts["kind"] == "cooperative"
    assert req.facts["province"] and "members" in req.facts
    # trade: 2 working days to answer, 15 to resolve; Tết 4–10/2 is skipped
    assert req.first_response_due == D(2027, 2, 12)
    assert req.resolution_due == D(2027, 3, 3)
    assert req.attachments.count() == 2
    assert {a.content_type for a in req.attachments.all()} == {"image/jpeg", "application/pdf"}
    assert AuditEvent.objects.filter(action="service_request.create").count() == 1


def test_calendar_table_moves_deadlines(world, clock):
    clock.set(2026, 12, 9)  # Wednesday
    CalendarDay.objects.create(day=D(2026, 12, 10), kind="off", name="Nghỉ bù")
    req = send(world.users["manager_a1"], world.orgs["a1"], request_type="dx")
    assert req.first_response_due == D(2026, 12, 14)  # Thu off, Fri, Mon


@pytest.mark.parametrize(
    "who,org,kind",
    [
        ("manager_a1", "b1", Kind.FORBIDDEN),
        ("member_a1", "a1", Kind.FORBIDDEN),
        ("officer_a", "a1", Kind.FORBIDDEN),
    ],
)
def test_request_for_another_cooperative_is_refused(world, who, org, kind):
    before = _counts()
    with pytest.raises(ServiceError) as exc:
        send(world.users[who], world.orgs[org])
    assert exc.value.kind is kind
    assert _counts() == before


def test_vca_sends_for_any_cooperative(world):
    req = send(world.users["vca"], world.orgs["b1"])
    assert req.province_id == "66"


@pytest.mark.parametrize(
    "kw,code",
    [
        ({"request_type": "nonsense"}, "invalid_choice"),
        ({"title": "   "}, "required"),
        ({"description": ""}, "required"),
        ({"related_case_id": 2**63}, "invalid"),
    ],
)
def test_bad_input_saves_nothing(world, kw, code):
    before = _counts()
    with pytest.raises(ServiceError) as exc:
        send(world.users["manager_a1"], world.orgs["a1"], **kw)
    codes = {e.code for errs in exc.value.fields.values() for e in errs}
    assert code in codes
    assert _counts() == before


def test_files_that_are_not_what_they_claim(world, private_storage_files):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    active = pdf(body=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    for upload, code in ((fake, "file_type"), (active, "file_pdf_active")):
        before = _counts()
        with pytest.raises(ServiceError) as exc:
            send(world.users["manager_a1"], world.orgs["a1"], files=[photo(), upload])
        assert exc.value.fields["file"][0].code == code
        assert _counts() == before
    assert private_storage_files() == []


def test_double_submit_is_refused_with_the_first_request(world):
    user, org = world.users["manager_a1"], world.orgs["a1"]
    first = send(user, org, submit_key="abc123")
    with pytest.raises(ServiceError) as exc:
        send(user, org, submit_key="abc123")
    assert exc.value.code == "request_duplicate" and exc.value.details == {"id": first.pk}
    assert ServiceRequest.objects.count() == 1


def test_question_pauses_the_clock_and_answer_moves_the_deadline(
    world, clock, django_capture_on_commit_callbacks
):
    clock.set(2027, 4, 26)  # Monday
    manager, officer = world.users["manager_a1"], world.users["officer_a"]
    req = send(manager, world.orgs["a1"], request_type="legal")  # 2 / 10 working days
    assert req.first_response_due == D(2027, 4, 28)
    assert req.resolution_due == D(2027, 5, 12)  # 30/4 and Mon 3/5 (1/5 observed) skipped
    clock.set(2027, 4, 27)
    with django_capture_on_commit_callbacks(execute=True):
        req = services.request_ask(
            actor=officer, service_request=req, message="Gửi giấy phép kinh doanh?"
        )
    assert req.status == Status.WAITING and req.paused_since == D(2027, 4, 27)
    assert req.first_response_days == 1
    sent = [m for m in messaging.outbox if m.purpose == "service_request"]
    assert sent and "giấy phép" in sent[0].text and sent[0].to == "manager_a1@example.vn"
    clock.set(2027, 5, 5)  # answered: 28, 29/4, 4, 5/5 = 4 working days of waiting
    req = services.request_message(
        actor=manager, service_request=req, message="Đã gửi ạ.", files=[pdf()]
    )
    assert req.status == Status.IN_PROGRESS and req.paused_since is None
    assert req.paused_working_days == 4
    assert req.resolution_due == D(2027, 5, 18)
    clock.set(2027, 5, 14)
    with django_capture_on_commit_callbacks(execute=True):
        req = services.request_close(
            actor=officer, service_request=req, outcome="resolved", note="Xong."
        )
    assert req.status == Status.CLOSED and req.within_sla is True
    # (26/4, 14/5] holds 12 working days, 4 of them waiting for the cooperative
    assert req.resolution_days == 12 - 4
    assert any("đã đóng" in m.text or "closed" in m.text for m in messaging.outbox[1:])


def test_overdue_close_is_outside_sla(world, clock):
    clock.set(2026, 11, 2)
    req = send(world.users["manager_a1"], world.orgs["a1"], request_type="dx")
    clock.set(2026, 12, 1)
    req = services.request_close(
        actor=world.users["officer_a"],
        service_request=req,
        outcome="not_possible",
        note="Hết kinh phí.",
    )
    assert req.within_sla is False and req.first_response_days == req.resolution_days


def test_closed_request_refuses_more(world):
    manager, officer = world.users["manager_a1"], world.users["officer_a"]
    req = send(manager, world.orgs["a1"])
    services.request_close(
        actor=officer, service_request=req, outcome="resolved", note="Đã hỗ trợ."
    )
    entries = Entry.objects.count()
    for call in (
        lambda: services.request_message(actor=manager, service_request=req, message="Còn nữa"),
        lambda: services.request_reply(actor=officer, service_request=req, message="Thêm"),
        lambda: services.request_ask(actor=officer, service_request=req, message="?"),
        lambda: services.request_withdraw(actor=manager, service_request=req),
    ):
        with pytest.raises(ServiceError) as exc:
            call()
        assert exc.value.code == "request_closed"
    assert Entry.objects.count() == entries
    services.request_rate(actor=manager, service_request=req, rating=5, comment="Rất tốt")
    with pytest.raises(ServiceError) as exc:
        services.request_rate(actor=manager, service_request=req, rating=1)
    assert exc.value.code == "already_rated"
    req.refresh_from_db()
    assert req.rating == 5


def test_rating_rules(world):
    manager = world.users["manager_a1"]
    req = send(manager, world.orgs["a1"])
    with pytest.raises(ServiceError) as exc:
        services.request_rate(actor=manager, service_request=req, rating=4)
    assert exc.value.code == "request_not_closed"
    for bad in (0, 6, "x", 2**70):
        with pytest.raises(ServiceError):
            services.request_rate(actor=manager, service_request=req, rating=bad)
    services.request_withdraw(actor=manager, service_request=req, reason="Không cần nữa")
    with pytest.raises(ServiceError) as exc:
        services.request_rate(actor=manager, service_request=req, rating=4)
    assert exc.value.code == "request_withdrawn"


def test_other_province_and_viewer_cannot_handle(world):
    req = send(world.users["manager_a1"], world.orgs["a1"])
    with pytest.raises(ServiceError) as exc:
        services.request_reply(actor=world.users["officer_b"], service_request=req, message="x")
    assert exc.value.kind is Kind.NOT_FOUND
    with pytest.raises(ServiceError) as exc:
        services.request_reply(actor=world.users["viewer_a"], service_request=req, message="x")
    assert exc.value.kind is Kind.FORBIDDEN
    with pytest.raises(ServiceError) as exc:
        services.request_message(actor=world.users["manager_b1"], service_request=req, message="x")
    assert exc.value.kind is Kind.NOT_FOUND
    assert Entry.objects.filter(request=req).count() == 1


def test_assign_escalate_and_internal_notes(world):
    officer = world.users["officer_a"]
    req = send(world.users["manager_a1"], world.orgs["a1"])
    with pytest.raises(ServiceError) as exc:
        services.request_assign(
            actor=officer, service_request=req, assignee=world.users["officer_b"]
        )
    assert exc.value.code == "assignee_invalid"
    req = services.request_assign(actor=officer, service_request=req, assignee=officer)
    assert req.assignee == officer and req.status == Status.IN_PROGRESS
    services.request_note(actor=officer, service_request=req, message="Gọi điện cho HTX trước.")
    req = services.request_escalate(actor=officer, service_request=req, reason="Quỹ KH&CN quốc gia")
    assert req.status == Status.ESCALATED
    with pytest.raises(ServiceError) as exc:
        services.request_escalate(actor=officer, service_request=req, reason="lại")
    assert exc.value.code == "already_escalated"
    from htxso.support.selectors import timeline

    mine = timeline(user=world.users["manager_a1"], req=req)
    staff = timeline(user=world.users["viewer_a"], req=req)
    assert not any(e.internal for e in mine)
    assert any(e.kind == "note" for e in staff)
    # an answer to a question of an escalated request goes back to the VCA
    services.request_ask(actor=world.users["vca"], service_request=req, message="Số lao động?")
    req = services.request_message(
        actor=world.users["manager_a1"], service_request=req, message="12"
    )
    assert req.status == Status.ESCALATED
