"""The completion page (trainer), the participant's pages, the API."""

from __future__ import annotations

import json

import pytest

from htxso.training.models import Certificate, Enrolment

from .helpers import enrol, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(world):
    return make_course(trainer=world.users["trainer"], pass_score=70)


def test_completion_page_shows_each_check_and_decides_in_bulk(client, world, course):
    good = enrol(course, "Nông Thị Hoa", user=world.users["member_a1"], attended=4, score=80)
    low = enrol(course, "Hoàng Văn Tư", attended=1, score=90)
    client.force_login(world.users["trainer"])
    page = client.get(f"/dao-tao/khoa-hoc/{course.pk}/hoan-thanh/").content.decode()
    assert "Nông Thị Hoa" in page and "Hoàng Văn Tư" in page
    assert "check--ok" in page and "check--no" in page
    assert "Dự 1/4 buổi (25%), dưới mức 75% cần đạt" in page
    url = f"/dao-tao/khoa-hoc/{course.pk}/hoan-thanh/quyet-dinh/"
    refused = client.post(url, {"decision": "complete", "enrolments": [good.pk, low.pk]})
    assert refused.status_code == 400
    assert "Chưa đạt điều kiện hoàn thành — Hoàng Văn Tư" in refused.content.decode()
    assert not Certificate.objects.exists()
    done = client.post(url, {"decision": "complete", "enrolments": [good.pk]})
    assert done.status_code == 302 and Certificate.objects.count() == 1
    assert (
        client.post(url, {"decision": "not_completed", "enrolments": [low.pk]}).status_code == 302
    )
    low.refresh_from_db()
    assert low.status == "not_completed"
    # ids past 2**63 and other courses' enrolments are refused
    other = enrol(make_course(), "Người Khác", attended=4)
    for bad in (2**63, other.pk, "abc"):
        response = client.post(url, {"decision": "complete", "enrolments": [bad]})
        assert response.status_code == 400
    other.refresh_from_db()
    assert other.status == "enrolled"


def test_results_form_and_certificate_refused_for_a_non_completer(client, world, course):
    e = enrol(course, "Hoàng Văn Tư", attended=1)
    client.force_login(world.users["trainer"])
    r = client.post(f"/dao-tao/ghi-danh/{e.pk}/ket-qua/", {"score": "75", "note": "Khá"})
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.assessment_score == 75 and e.result_note == "Khá"
    client.post(f"/dao-tao/ghi-danh/{e.pk}/ket-qua/", {"score": "1000"})
    e.refresh_from_db()
    assert e.assessment_score == 75
    r = client.post(f"/dao-tao/ghi-danh/{e.pk}/cap-chung-chi/", follow=True)
    assert "Hoàng Văn Tư chưa hoàn thành khoá học" in r.content.decode()
    assert not Certificate.objects.exists()


def test_participant_sees_and_downloads_their_certificate(client, world, course):
    from htxso.training import services_certificates as svc

    e = enrol(course, "Nông Thị Hoa", user=world.users["member_a1"], attended=4, score=80)
    (cert,) = svc.complete(actor=world.users["trainer"], course=course, enrolments=[e])
    client.force_login(world.users["member_a1"])
    mine = client.get("/dao-tao/chung-chi/cua-toi/").content.decode()
    assert cert.code in mine
    # the "my training" page links to an enrolment's certificate
    r = client.get(f"/dao-tao/ghi-danh/{e.pk}/chung-chi/")
    assert r.status_code == 302 and r["Location"] == f"/dao-tao/chung-chi/so/{cert.pk}/"
    detail = client.get(f"/dao-tao/chung-chi/so/{cert.pk}/").content.decode()
    assert "huy-hieu.jwt" in detail and "chung-chi.pdf" in detail and "thu-hoi" not in detail
    jwt_file = client.get(f"/dao-tao/chung-chi/so/{cert.pk}/huy-hieu.jwt")
    assert jwt_file.content.decode() == cert.credential
    api = client.get("/api/v1/training/certificates/mine").json()
    assert [c["code"] for c in api] == [cert.code]
    one = client.get(f"/api/v1/training/certificates/{cert.pk}").json()
    assert one["credential_jwt"] == cert.credential
    assert one["credential"]["type"][1] == "OpenBadgeCredential"
    # the officer revokes through the API
    client.force_login(world.users["officer_a"])
    r = client.post(
        f"/api/v1/training/certificates/{cert.pk}/revoke",
        json.dumps({"reason": "Cấp nhầm"}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["revoked_reason"] == "Cấp nhầm"
    assert Enrolment.objects.get(pk=e.pk).status == "completed"
