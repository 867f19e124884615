"""The trainer's roster, the offline batch, online links and attendance figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from htxso.core.errors import ServiceError
from htxso.core.models import AuditEvent
from htxso.training import selectors_attendance as selectors
from htxso.training import services_attendance as services
from htxso.training.models import Attendance, Enrolment

from .helpers import course, enrol, session

pytestmark = pytest.mark.django_db

BATCH = "/api/v1/training/sessions/{}/attendance/batch"


@pytest.fixture
def hall(world):
    c = course(world)
    s = session(c)
    people = [enrol(c, name=n) for n in ("Lò Văn A", "Nông Thị B", "Hoàng Văn C")]
    return c, s, people


def test_roster_tick_and_undo(client, world, hall):
    _c, s, people = hall
    client.force_login(world.users["trainer"])
    r = client.post(f"/dao-tao/diem-danh/buoi/{s.pk}/danh-sach/", {"enrolment": people[0].pk})
    assert r.status_code == 302
    att = Attendance.objects.get(session=s, enrolment=people[0])
    assert att.method == "roster" and att.recorded_by == world.users["trainer"]
    page = client.get(f"/dao-tao/diem-danh/buoi/{s.pk}/")
    assert page.status_code == 200 and "Lò Văn A" in page.content.decode()
    r = client.post(f"/dao-tao/diem-danh/buoi/{s.pk}/bo/{att.pk}/")
    assert r.status_code == 302 and not Attendance.objects.filter(pk=att.pk).exists()
    event = AuditEvent.objects.get(action="training.attendance.undo")
    assert event.before["enrolment"] == people[0].pk


def test_roster_of_another_course_or_province(client, world, hall):
    c, s, people = hall
    other = course(world, code="dl", title="Cà phê số Đắk Lắk", province="66")
    stranger = enrol(other, name="Y Bih")
    client.force_login(world.users["trainer"])
    client.post(f"/dao-tao/diem-danh/buoi/{s.pk}/danh-sach/", {"enrolment": stranger.pk})
    client.post(f"/dao-tao/diem-danh/buoi/{s.pk}/danh-sach/", {"enrolment": 2**63 + 1})
    assert Attendance.objects.count() == 0
    client.force_login(world.users["officer_b"])
    for url in (
        f"/dao-tao/diem-danh/buoi/{s.pk}/",
        f"/dao-tao/diem-danh/khoa/{c.pk}/",
        f"/api/v1/training/sessions/{s.pk}/attendance",
    ):
        assert client.get(url).status_code == 404, url
    r = client.post(
        BATCH.format(s.pk),
        {"items": [{"enrolment_id": people[0].pk, "client_id": "abcdefgh-1"}]},
        content_type="application/json",
    )
    assert r.status_code == 404
    assert client.get(f"/dao-tao/diem-danh/buoi/{2**63}/").status_code == 404
    assert client.get(f"/api/v1/training/sessions/{2**63}/attendance").status_code in (404, 422)
    assert Attendance.objects.count() == 0


def test_offline_batch_resent_twice_adds_nothing(client, world, hall):
    _c, s, people = hall
    client.force_login(world.users["trainer"])
    taken = (s.starts_at + dt.timedelta(minutes=3)).isoformat()
    body = {
        "method": "offline",
        "items": [
            {"enrolment_id": e.pk, "client_id": f"phone-1-{i:04d}", "taken_at": taken}
            for i, e in enumerate(people)
        ],
    }
    first = client.post(BATCH.format(s.pk), body, content_type="application/json")
    assert first.status_code == 200, first.content
    assert first.json()["created"] == 3
    second = client.post(BATCH.format(s.pk), body, content_type="application/json")
    assert second.json() | {"results": None} == {
        "created": 0,
        "duplicates": 3,
        "refused": 0,
        "results": None,
    }
    rows = Attendance.objects.filter(session=s)
    assert rows.count() == 3 and {a.method for a in rows} == {"offline"}
    assert {a.checked_in_at for a in rows} == {dt.datetime.fromisoformat(taken)}
    # undone by the trainer, the queue sent a third time does not bring it back
    services.attendance_undo(rows.first(), actor=world.users["trainer"])
    third = client.post(BATCH.format(s.pk), body, content_type="application/json")
    assert third.json()["created"] == 0
    assert Attendance.objects.filter(session=s).count() == 2


def test_offline_time_bounds(client, world, hall):
    _c, s, people = hall
    client.force_login(world.users["trainer"])
    future = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    before = (s.starts_at - dt.timedelta(hours=2)).isoformat()
    body = {
        "items": [
            {"enrolment_id": people[0].pk, "client_id": "phone-2-0001", "taken_at": future},
            {"enrolment_id": people[1].pk, "client_id": "phone-2-0002", "taken_at": before},
            {"enrolment_id": people[2].pk, "client_id": "phone-2-0003"},
        ]
    }
    r = client.post(BATCH.format(s.pk), body, content_type="application/json")
    codes = [x["code"] for x in r.json()["results"]]
    assert codes == ["checkin_time_future", "checkin_time_outside", "checked_in"]
    assert list(Attendance.objects.values_list("enrolment_id", flat=True)) == [people[2].pk]


def test_client_id_of_another_participant_is_refused(world, hall):
    _c, s, people = hall
    trainer = world.users["trainer"]
    services.roster_checkin(s, actor=trainer, enrolment_id=people[0].pk, client_id="same-id-01")
    with pytest.raises(ServiceError) as exc:
        services.roster_checkin(s, actor=trainer, enrolment_id=people[1].pk, client_id="same-id-01")
    assert exc.value.code == "client_id_reused"
    assert Attendance.objects.count() == 1


def test_batch_refused_for_a_viewer_changes_nothing(client, world, hall):
    _c, s, people = hall
    client.force_login(world.users["viewer_a"])
    r = client.post(
        BATCH.format(s.pk),
        {"items": [{"enrolment_id": people[0].pk, "client_id": "viewer-0001"}]},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert client.get(f"/api/v1/training/sessions/{s.pk}/attendance").status_code == 200
    assert Attendance.objects.count() == 0


def test_online_link(client, world):
    c = course(world)
    s = session(c, mode="online")
    e = enrol(c, name="Đinh Văn Xa", remote=True)
    client.force_login(world.users["trainer"])
    page = client.post(f"/dao-tao/diem-danh/hoc-vien/{e.pk}/lien-ket/")
    assert page.status_code == 200
    link = page.context["link"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    e.refresh_from_db()
    assert e.online_token_hash and token not in e.online_token_hash
    client.logout()
    assert client.get(f"/dao-tao/diem-danh/truc-tuyen/{token}/").status_code == 200
    done = client.post(f"/dao-tao/diem-danh/truc-tuyen/{token}/")
    assert done.status_code == 200
    att = Attendance.objects.get(enrolment=e)
    assert att.method == "online_link" and att.session == s
    client.post(f"/dao-tao/diem-danh/truc-tuyen/{token}/")
    assert Attendance.objects.filter(enrolment=e).count() == 1
    assert client.get("/dao-tao/diem-danh/truc-tuyen/" + "x" * 32 + "/").status_code == 404
    # a new link voids the old one
    services.online_link_issue(e, actor=world.users["trainer"])
    assert client.get(f"/dao-tao/diem-danh/truc-tuyen/{token}/").status_code == 404


def test_online_link_outside_the_session(world):
    c = course(world)
    session(c, mode="online", start=timezone.now() + dt.timedelta(days=1))
    e = enrol(c, name="Triệu Thị Mai", remote=True)
    token = services.online_link_issue(e, actor=world.users["trainer"])
    with pytest.raises(ServiceError) as exc:
        services.online_checkin(token, actor=world.users["norole"])
    assert exc.value.code == "checkin_too_early"
    assert Attendance.objects.count() == 0


def test_attendance_percent_and_course_page(client, world):
    c = course(world)
    sessions = [session(c, title=f"Buổi {i}") for i in range(1, 5)]
    a, b = enrol(c, name="Lục Văn An"), enrol(c, name="Hà Thị Bình")
    w = enrol(c, name="Rút Lui")
    Enrolment.objects.filter(pk=w.pk).update(status="withdrawn")
    trainer = world.users["trainer"]
    for s in sessions[:3]:
        services.roster_checkin(s, actor=trainer, enrolment_id=a.pk)
    services.roster_checkin(sessions[0], actor=trainer, enrolment_id=b.pk)
    summary = selectors.attendance_by_enrolment(c)
    assert set(summary) == {a.pk, b.pk}
    assert (summary[a.pk].attended, summary[a.pk].total, summary[a.pk].percent) == (3, 4, 75)
    assert summary[a.pk].meets(75) and not summary[a.pk].meets(76)
    assert selectors.attendance_percent(b) == 25
    client.force_login(world.users["viewer_a"])
    page = client.get(f"/dao-tao/diem-danh/khoa/{c.pk}/")
    assert page.status_code == 200 and "75%" in page.content.decode()


def test_a_course_with_two_trainers_is_one_row(client, world, hall):
    """The policy's trainer hook joins the trainers: pages and lists must not see the
    session twice (a province's officer, whose province reaches it too)."""
    from htxso.accounts import services as accounts
    from htxso.core.actors import OPERATOR

    c, s, _people = hall

    second = accounts.user_create(
        actor=OPERATOR, username="u_trainer2", password="Mat-khau-rat-dai-2026", validate=False
    )
    c.trainers.add(second)
    client.force_login(world.users["officer_a"])
    assert client.get(f"/dao-tao/diem-danh/buoi/{s.pk}/").status_code == 200
    assert client.get(f"/dao-tao/diem-danh/khoa/{c.pk}/").status_code == 200
    assert client.get(f"/api/v1/training/sessions/{s.pk}/attendance").status_code == 200
    page = client.get("/dao-tao/diem-danh/")
    assert page.content.decode().count(f"/dao-tao/diem-danh/buoi/{s.pk}/") == 1
