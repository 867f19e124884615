"""Pages of general assemblies through the HTTP client: the member's phone flow, the
manager's actions, private documents, and bad input refused with nothing saved."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from htxso.governance import checkin_assemblies as codes
from htxso.governance.models import AssemblyDocument, Attendance

from .conftest import make_assembly

pytestmark = pytest.mark.django_db


def _client(client, world, key):
    client.force_login(world.users[key])
    return client


def test_member_checks_in_with_the_personal_link_in_one_tap(client, world, gov):
    a = make_assembly(world, status="open", voters_total=5)
    c = _client(client, world, "member_a1")
    page = c.get(reverse("governance:assembly_detail", args=[a.pk]))
    assert page.status_code == 200
    assert b"data-i-am-here" in page.content
    token = codes.personal_token(a.pk, gov.members["member_a1"].pk)
    r = c.post(reverse("governance:checkin", args=[token]))
    assert r.status_code == 200
    att = Attendance.objects.get(assembly=a)
    assert (att.membership, att.channel, att.may_vote) == (gov.members["member_a1"], "online", True)
    again = c.post(reverse("governance:checkin", args=[token]))
    assert again.status_code == 409 and b"already_checked_in" in again.content
    q = c.get(reverse("governance:assembly_quorum", args=[a.pk])).json()
    assert (q["present"], q["total"], q["required"], q["met"]) == (1, 5, 3, False)


def test_another_coops_member_gets_404_and_nothing_is_saved(client, world, gov):
    a = make_assembly(world, status="open")
    token = codes.hall_token(a.pk, a.checkin_token)
    c = _client(client, world, "manager_b1")
    assert c.post(reverse("governance:checkin", args=[token])).status_code == 404
    assert c.get(reverse("governance:assembly_detail", args=[a.pk])).status_code == 404
    assert not Attendance.objects.exists()
    huge = f"p.{2**63}.1.{'a' * 43}"
    c = _client(client, world, "member_a1")
    assert c.get(reverse("governance:checkin", args=[huge])).status_code == 404


def test_manager_runs_the_assembly_and_the_hall_shows_a_qr(client, world, gov):
    a = make_assembly(world, status="draft")
    c = _client(client, world, "manager_a1")
    url = reverse("governance:assembly_action", args=[a.pk])
    c.post(url, {"action": "announce"})
    a.refresh_from_db()
    assert a.status == "announced"
    r = c.post(url, {"action": "open"})
    assert r.status_code == 302 and r["Location"].endswith(
        reverse("governance:assembly_hall", args=[a.pk])
    )
    hall = c.get(r["Location"])
    assert b"<svg" in hall.content and b"data-code-url" in hall.content
    code = c.get(reverse("governance:assembly_hall_code", args=[a.pk])).json()
    assert "/dai-hoi/vao/h." in code["url"]
    desk = reverse("governance:assembly_desk", args=[a.pk])
    c.post(desk, {"membership": gov.members["a1_o1"].pk})
    c.post(desk, {"membership": gov.members["b1_o1"].pk})  # another coop's: refused
    c.post(desk, {"membership": str(2**64)})  # past 64 bits: refused by the form
    assert list(Attendance.objects.values_list("membership_id", flat=True)) == [
        gov.members["a1_o1"].pk
    ]
    # a member may not run it
    m = _client(client, world, "member_a1")
    assert m.post(url, {"action": "close"}).status_code == 403


def test_documents_are_private_and_checked(client, world, gov):
    a = make_assembly(world, status="draft")
    c = _client(client, world, "manager_a1")
    add = reverse("governance:assembly_document_add", args=[a.pk])
    fake = SimpleUploadedFile("bao-cao.pdf", b"<html>not a pdf</html>", "application/pdf")
    c.post(add, {"title": "Giả", "file": fake})
    exe = SimpleUploadedFile("x.exe", b"MZ....", "application/octet-stream")
    c.post(add, {"title": "Chương trình", "file": exe})
    assert not AssemblyDocument.objects.exists()
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    c.post(add, {"title": "<script>alert(1)</script>", "file": pdf})
    doc = AssemblyDocument.objects.get()
    page = _client(client, world, "member_a1").get(
        reverse("governance:assembly_detail", args=[a.pk])
    )
    assert b"<script>alert(1)" not in page.content and b"&lt;script&gt;" in page.content
    r = client.get(reverse("governance:assembly_document", args=[doc.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    other = _client(client, world, "manager_b1")
    assert other.get(reverse("governance:assembly_document", args=[doc.pk])).status_code == 404


def test_list_shows_the_reminder_to_the_manager_and_late_list_to_staff(client, world, gov):
    make_assembly(world, status="announced")
    page = _client(client, world, "manager_a1").get(reverse("governance:assembly_list"))
    assert page.status_code == 200 and b"data-annual-reminder" in page.content
    staff = _client(client, world, "officer_a").get(reverse("governance:assembly_list"))
    assert b'id="late"' in staff.content


def test_petition_flow_on_pages(client, world, gov):
    a = make_assembly(world, status="announced")
    m = _client(client, world, "member_a1")
    m.post(reverse("governance:assembly_petition_add", args=[a.pk]), {"title": "Giá thu mua"})
    p = a.petitions.get()
    mgr = _client(client, world, "manager_a1")
    mgr.post(reverse("governance:assembly_petition_sign", args=[p.pk]))
    r = mgr.post(reverse("governance:assembly_petition_answer", args=[p.pk]), {"add": "no"})
    p.refresh_from_db()
    assert r.status_code == 302 and p.decision == ""  # a reason is required
    mgr.post(
        reverse("governance:assembly_petition_answer", args=[p.pk]),
        {"add": "no", "reason": "Đã bàn ở đại hội trước"},
    )
    p.refresh_from_db()
    assert p.decision == "declined"


def test_manager_prepares_an_assembly_with_the_form(client, world, gov):
    c = _client(client, world, "manager_a1")
    url = reverse("governance:assembly_new")
    page = c.get(url)
    assert page.status_code == 200 and "Điều 61".encode() in page.content
    bad = c.post(
        url,
        {
            "title": "x",
            "kind": "annual",
            "year": "2025",
            "mode": "online",
            "scheduled_at": "2099-01-01T08:00",
        },
    )
    assert bad.status_code == 200 and not a_exists()
    r = c.post(
        url,
        {
            "title": "Đại hội 2099",
            "kind": "annual",
            "year": "2025",
            "mode": "hybrid",
            "scheduled_at": "2099-01-01T08:00",
            "place": "Hội trường",
            "online_link": "https://meet.example.vn/a",
        },
    )
    assert r.status_code == 302
    delegates = c.get(reverse("governance:assembly_delegates", args=[a_last().pk]))
    assert delegates.status_code == 200


def a_exists():
    from htxso.governance.models import Assembly

    return Assembly.objects.exists()


def a_last():
    from htxso.governance.models import Assembly

    return Assembly.objects.latest("id")
