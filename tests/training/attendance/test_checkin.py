"""Rotating QR check-in: codes, the participant's check-in and its refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from htxso.core.errors import ServiceError
from htxso.core.models import AuditEvent
from htxso.training import checkin
from htxso.training import services_attendance as services
from htxso.training.models import Attendance, CheckinToken

from .helpers import course, enrol, session

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(world):
    c = course(world)
    s = session(c)
    services.checkin_open(s, actor=world.users["trainer"])
    s.refresh_from_db()
    e = enrol(c, world.users["norole"])
    return c, s, e


def code(s, when=None):
    return checkin.make_token(s.pk, s.checkin_secret, when=when)


def refused(code_name, fn, *args, **kwargs):
    before = (Attendance.objects.count(), CheckinToken.objects.count())
    with pytest.raises(ServiceError) as exc:
        fn(*args, **kwargs)
    assert exc.value.code == code_name, exc.value.text
    assert (Attendance.objects.count(), CheckinToken.objects.count()) == before
    return exc.value


# ------------------------------------------------------------------ pure code functions


def test_token_round_trip_and_steps():
    now = timezone.now()
    token = checkin.make_token(7, "secret", when=now)
    parsed = checkin.parse(token)
    assert parsed.session_id == 7 and parsed.step == checkin.step_of(now)
    assert checkin.check(parsed, "secret", when=now) is None
    # the previous step still works (a slow scan), two steps back does not
    assert checkin.check(parsed, "secret", when=now + dt.timedelta(seconds=30)) is None
    late = now + dt.timedelta(seconds=61)
    assert checkin.check(parsed, "secret", when=late) is checkin.Problem.EXPIRED
    assert checkin.check(parsed, "other", when=now) is checkin.Problem.TAMPERED
    early = now - dt.timedelta(seconds=61)
    assert checkin.check(parsed, "secret", when=early) is checkin.Problem.FUTURE


@pytest.mark.parametrize(
    "bad",
    ["", "abc", "1.2.3", "x" * 500, f"{2**63}.1.abcdefghij.{'a' * 43}", "0.1.abcdefghij.aaaa"],
)
def test_malformed_codes_do_not_parse(bad):
    assert checkin.parse(bad) is None


def test_each_character_of_the_signature_matters():
    token = checkin.make_token(3, "k")
    head, sig = token.rsplit(".", 1)
    flipped = head + "." + ("B" if sig[0] != "B" else "C") + sig[1:]
    assert checkin.check(checkin.parse(flipped), "k") is checkin.Problem.TAMPERED
    # another step with the same signature
    sid, step, nonce, _ = token.split(".")
    moved = f"{sid}.{int(step) - 1}.{nonce}.{sig}"
    assert checkin.check(checkin.parse(moved), "k") is checkin.Problem.TAMPERED


# ------------------------------------------------------------------ the participant


def test_checkin_records_once_and_is_idempotent(world, hall):
    _c, s, e = hall
    user = world.users["norole"]
    out = services.checkin_by_code(code(s), actor=user)
    assert out.created and out.attendance.method == "qr" and out.attendance.enrolment == e
    again = services.checkin_by_code(code(s), actor=user)
    assert not again.created and again.attendance.pk == out.attendance.pk
    assert Attendance.objects.filter(session=s).count() == 1
    assert AuditEvent.objects.filter(action="training.attendance.checkin").count() == 1


def test_replayed_code_refused_after_undo(world, hall):
    _c, s, _e = hall
    user = world.users["norole"]
    token = code(s)
    out = services.checkin_by_code(token, actor=user)
    services.attendance_undo(out.attendance, actor=world.users["trainer"])
    assert AuditEvent.objects.filter(action="training.attendance.undo").exists()
    refused("checkin_code_replayed", services.checkin_by_code, token, actor=user)
    # a fresh code works again
    assert services.checkin_by_code(code(s), actor=user).created


def test_expired_code(world, hall):
    _c, s, _e = hall
    old = code(s, when=timezone.now() - dt.timedelta(seconds=95))
    err = refused(
        "checkin_code_expired", services.checkin_by_code, old, actor=world.users["norole"]
    )
    assert "30" in err.text


def test_tampered_signature(world, hall):
    _c, s, _e = hall
    token = code(s)
    bad = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    refused("checkin_code_tampered", services.checkin_by_code, bad, actor=world.users["norole"])


def test_code_of_another_session_by_changing_its_id(world, hall):
    c, s, _e = hall
    other = session(c, title="Buổi 2")
    services.checkin_open(other, actor=world.users["trainer"])
    forged = code(s).replace(f"{s.pk}.", f"{other.pk}.", 1)
    refused("checkin_code_tampered", services.checkin_by_code, forged, actor=world.users["norole"])
    # the API names the session it expects
    refused(
        "checkin_other_session",
        services.checkin_by_code,
        code(s),
        actor=world.users["norole"],
        session_id=other.pk,
    )


def test_code_of_another_course(world, hall):
    _c, _s, _e = hall
    other_course = course(world, code="khac", title="Mở gian hàng trên chợ")
    other = session(other_course)
    services.checkin_open(other, actor=world.users["trainer"])
    other.refresh_from_db()
    err = refused(
        "checkin_not_enrolled", services.checkin_by_code, code(other), actor=world.users["norole"]
    )
    assert "Mở gian hàng" in err.text


def test_not_enrolled(world, hall):
    _c, s, _e = hall
    refused("checkin_not_enrolled", services.checkin_by_code, code(s), actor=world.users["buyer"])


def test_withdrawn_participant_is_not_enrolled(world, hall):
    _c, s, e = hall
    e.status = "withdrawn"
    e.save()
    refused("checkin_not_enrolled", services.checkin_by_code, code(s), actor=world.users["norole"])


def test_outside_time(world):
    c = course(world)
    trainer = world.users["trainer"]
    later = session(c, start=timezone.now() + dt.timedelta(hours=3))
    refused("checkin_too_early", services.checkin_open, later, actor=trainer)
    past = session(c, start=timezone.now() - dt.timedelta(hours=5))
    refused("checkin_too_late", services.checkin_open, past, actor=trainer)
    # opened in time, then the session ends: the code stops working
    s = session(c)
    enrol(c, world.users["norole"])
    services.checkin_open(s, actor=trainer)
    s.refresh_from_db()
    after = s.ends_at + dt.timedelta(minutes=5)
    token = code(s, when=after)
    refused(
        "checkin_too_late",
        services.checkin_by_code,
        token,
        actor=world.users["norole"],
        now=after,
    )


def test_closed_checkin_refuses_and_reopening_voids_old_codes(world, hall):
    _c, s, _e = hall
    trainer = world.users["trainer"]
    token = code(s)
    services.checkin_close(s, actor=trainer)
    refused("checkin_closed", services.checkin_by_code, token, actor=world.users["norole"])
    services.checkin_open(s, actor=trainer)
    refused("checkin_code_tampered", services.checkin_by_code, token, actor=world.users["norole"])


def test_only_the_course_trainer_or_staff_open_checkin(world):
    c = course(world)
    s = session(c)
    for key in ("viewer_a", "buyer", "officer_b", "manager_a1"):
        with pytest.raises(ServiceError):
            services.checkin_open(s, actor=world.users[key])
    s.refresh_from_db()
    assert s.checkin_opened_at is None
    services.checkin_open(s, actor=world.users["officer_a"])


# ------------------------------------------------------------------ pages


def test_checkin_page_one_tap(client, world, hall):
    _c, s, e = hall
    client.force_login(world.users["norole"])
    token = code(s)
    url = f"/dao-tao/diem-danh/{token}/"
    page = client.get(url)
    assert page.status_code == 200 and s.title in page.content.decode()
    done = client.post(url, {"confirm": "on"})
    assert done.status_code == 200
    assert "checkin_done" in done.templates[0].name
    assert Attendance.objects.filter(enrolment=e, session=s, method="qr").exists()


@pytest.mark.parametrize(
    "token",
    [
        f"{2**63}.1.abcdefghij.{'a' * 43}",
        f"{2**64 + 5}.1.abcdefghij.{'a' * 43}",
        "9223372036854775807.1.abcdefghij." + "a" * 43,
        "<script>alert(1)</script>",
    ],
)
def test_checkin_page_refuses_nonsense_codes(client, world, token):
    client.force_login(world.users["norole"])
    for method in (client.get, client.post):
        r = method(f"/dao-tao/diem-danh/{token}/")
        assert r.status_code in (200, 404)
        if r.status_code == 200:
            assert "checkin_code_invalid" in r.content.decode()
    assert Attendance.objects.count() == 0


def test_checkin_page_signs_in_first(client, world, hall):
    _c, s, _e = hall
    r = client.get(f"/dao-tao/diem-danh/{code(s)}/")
    assert r.status_code == 302 and "/dang-nhap/" in r["Location"]


def test_checkin_api(client, world, hall):
    _c, s, _e = hall
    client.force_login(world.users["norole"])
    r = client.post("/api/v1/training/checkin", {"token": code(s)}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["code"] == "checked_in"
    r = client.post("/api/v1/training/checkin", {"token": code(s)}, content_type="application/json")
    assert r.json()["code"] == "already_checked_in"
    bad = client.post(
        "/api/v1/training/checkin",
        {"token": code(s, when=timezone.now() - dt.timedelta(minutes=3))},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "checkin_code_expired"
    big = client.post(
        "/api/v1/training/checkin",
        {"token": code(s), "session_id": 2**63},
        content_type="application/json",
    )
    assert big.status_code == 400 and big.json()["code"] == "invalid"
