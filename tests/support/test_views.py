"""Pages of service requests: the cooperative's journey, the centre's queue and report,
and bad input (another cooperative, ids past 2^63, scripts, wrong files, double submit)."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from htxso.support import services
from htxso.support.models import Attachment, Entry, ServiceRequest, Status

from .helpers import pdf, photo, send

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("x")</script>'


def _client(client, world, key):
    client.force_login(world.users[key])
    return client


def test_manager_sends_a_request_with_facts(client, world):
    c = _client(client, world, "manager_a1")
    page = c.get(reverse("support:new"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "HTX Nông nghiệp Hợp Giang" in body and 'id="facts"' in body
    key = page.context["form"].initial["key"]
    data = {
        "org": world.orgs["a1"].pk,
        "key": key,
        "request_type": "dx",
        "title": f"Mở gian hàng {SCRIPT}",
        "description": f"Cần tư vấn chuyển đổi số {SCRIPT}",
        "file": photo(),
    }
    answer = c.post(reverse("support:new"), data)
    req = ServiceRequest.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "support:detail", args=[req.pk]
    )
    assert req.attachments.count() == 1
    detail = c.get(answer["Location"]).content.decode()
    assert SCRIPT not in detail and "&lt;script&gt;" in detail
    # the same form sent again: no second request, sent on to the first
    data["file"] = photo()
    again = c.post(reverse("support:new"), data)
    assert again.status_code == 302 and again["Location"] == reverse(
        "support:detail", args=[req.pk]
    )
    assert ServiceRequest.objects.count() == 1


@pytest.mark.parametrize("org", ["b1", "huge", "text"])
def test_request_for_another_cooperative_is_404(client, world, org):
    c = _client(client, world, "manager_a1")
    value = {"b1": world.orgs.get("b1") and world.orgs["b1"].pk, "huge": 2**64, "text": "abc"}[org]
    assert c.get(reverse("support:new"), {"org": value}).status_code == 404
    answer = c.post(
        reverse("support:new"),
        {"org": value, "key": "k1", "request_type": "dx", "title": "x", "description": "y"},
    )
    assert answer.status_code == 404
    assert ServiceRequest.objects.count() == 0


def test_ids_past_int64_are_404(client, world):
    c = _client(client, world, "officer_a")
    assert c.get("/ho-tro/yeu-cau/9223372036854775808/").status_code == 404
    assert (
        c.post("/ho-tro/yeu-cau/99999999999999999999/phan-hoi/", {"message": "x"}).status_code
        == 404
    )


def test_wrong_file_on_an_answer_saves_nothing(client, world):
    req = send(world.users["manager_a1"], world.orgs["a1"])
    services.request_ask(
        actor=world.users["officer_a"], service_request=req, message="Ảnh sản phẩm?"
    )
    c = _client(client, world, "manager_a1")
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("san-pham.png", b"<?php echo 1; ?>", content_type="image/png")
    before = Entry.objects.count()
    answer = c.post(reverse("support:message", args=[req.pk]), {"message": "Đây ạ", "file": fake})
    assert answer.status_code == 400
    assert "không phải ảnh" in answer.content.decode() or "not a photo" in answer.content.decode()
    assert Entry.objects.count() == before and Attachment.objects.count() == 0
    req.refresh_from_db()
    assert req.status == Status.WAITING


def test_officer_handles_and_manager_rates(client, world):
    req = send(world.users["manager_a1"], world.orgs["a1"])
    c = _client(client, world, "officer_a")
    assert (
        c.post(
            reverse("support:assign", args=[req.pk]), {"assignee": world.users["officer_a"].pk}
        ).status_code
        == 302
    )
    assert (
        c.post(
            reverse("support:note", args=[req.pk]), {"message": "Ghi chú nội bộ XYZ", "file": pdf()}
        ).status_code
        == 302
    )
    assert (
        c.post(
            reverse("support:ask", args=[req.pk]), {"message": "Bao nhiêu thành viên?"}
        ).status_code
        == 302
    )
    assert c.post(reverse("support:ask", args=[req.pk]), {"message": "Lại?"}).status_code == 400
    m = _client(client, world, "manager_a1")
    page = m.get(reverse("support:detail", args=[req.pk])).content.decode()
    assert "Ghi chú nội bộ XYZ" not in page and "Bao nhiêu thành viên?" in page
    internal = Attachment.objects.get(internal=True)
    assert m.get(reverse("support:file", args=[req.pk, internal.pk])).status_code == 404
    assert (
        m.post(reverse("support:message", args=[req.pk]), {"message": "25 thành viên"}).status_code
        == 302
    )
    c = _client(client, world, "officer_a")
    assert (
        c.post(
            reverse("support:close", args=[req.pk]),
            {"outcome": "resolved", "note": "Đã giới thiệu."},
        ).status_code
        == 302
    )
    assert c.get(reverse("support:file", args=[req.pk, internal.pk])).status_code == 200
    m = _client(client, world, "manager_a1")
    assert m.post(reverse("support:message", args=[req.pk]), {"message": "Còn"}).status_code == 400
    assert (
        m.post(
            reverse("support:rate", args=[req.pk]), {"rating": "5", "comment": "Tốt"}
        ).status_code
        == 302
    )
    m.post(reverse("support:rate", args=[req.pk]), {"rating": "1"})
    req.refresh_from_db()
    assert req.status == Status.CLOSED and req.rating == 5


def test_queue_has_a_fixed_query_count(client, world, django_assert_max_num_queries):
    manager = world.users["manager_a1"]
    c = _client(client, world, "officer_a")
    url = reverse("support:queue")
    send(manager, world.orgs["a1"])
    c.get(url)  # the session and the cached fragments
    cache.clear()  # then cold: the counts, calendar and officers are read again
    with django_assert_max_num_queries(14) as few:
        assert c.get(url).status_code == 200
    for i in range(27):
        send(manager, world.orgs["a1"], title=f"Yêu cầu {i}")
    services.request_assign(
        actor=world.users["officer_a"],
        service_request=ServiceRequest.objects.first(),
        assignee=world.users["officer_a"],
    )
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = c.get(url, {"overdue": "", "request_type": "trade"})
    assert page.status_code == 200 and "Yêu cầu 0" in page.content.decode()
    # filters with nonsense are ignored, not 500
    assert c.get(url, {"status": "x", "assignee": "9" * 40, "province": "zz"}).status_code == 200
    send(world.users["manager_b1"], world.orgs["b1"], title="Của Đắk Lắk")
    assert "Của Đắk Lắk" not in c.get(url).content.decode()


def test_report_and_xlsx(client, world):
    from openpyxl import load_workbook

    manager, officer = world.users["manager_a1"], world.users["officer_a"]
    for title in ("Vay vốn mua máy sấy", "Vay vốn làm nhà kính"):
        req = send(manager, world.orgs["a1"], request_type="credit", title=title)
    services.request_close(
        actor=officer, service_request=req, outcome="resolved", note="Đã nối với ngân hàng."
    )
    services.request_rate(actor=manager, service_request=req, rating=4)
    send(world.users["manager_b1"], world.orgs["b1"], request_type="legal", title="Đắk Lắk riêng")
    c = _client(client, world, "viewer_a")
    page = c.get(reverse("support:report"))
    assert page.status_code == 200
    report = page.context["report"]
    assert report.total == 2 and report.average_rating == 4
    assert report.needs[0].count == 2 and "Vay vốn làm nhà kính" in report.needs[0].examples
    assert report.within_sla_pct == 100.0
    xlsx = c.get(reverse("support:report_xlsx"))
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert "Cao Bằng" in rows[0][0]
    assert rows[3][1] == 2 and "máy sấy" in rows[3][4]
    assert not any("Đắk Lắk riêng" in str(cell) for row in rows for cell in row)
    assert c.get(reverse("support:report"), {"year": "99999999999999999999"}).status_code == 200


def test_queue_counts_follow_new_requests_at_once(client, world):
    """The open/overdue counts are cached per scope, and a new or changed request
    forgets them (no stale figure after a write in the same process)."""
    import re

    c = _client(client, world, "officer_a")
    url = reverse("support:queue")

    def open_count() -> int:
        html = c.get(url).content.decode()
        return int(re.search(r'id="count-open">(\d+)<', html).group(1))

    before = open_count()
    assert open_count() == before  # read twice: from the cache
    req = send(world.users["manager_a1"], world.orgs["a1"], title="Yêu cầu mới")
    assert open_count() == before + 1
    # the list's cached total moved too: the new request is listed
    assert "Yêu cầu mới" in c.get(url).content.decode()
    services.request_close(
        actor=world.users["officer_a"],
        service_request=req,
        outcome="resolved",
        note="Đã xong",
    )
    assert open_count() == before
    # the kept lines of the page were forgotten too: the closed request left the queue
    assert "Yêu cầu mới" not in c.get(url).content.decode()


def test_home_counts_of_the_queue_follow_new_requests(client, world):
    """The home page reads the queue's cached counts (or counts them in its one query on
    a cold cache and keeps them); a new request forgets them."""
    import re

    c = _client(client, world, "officer_a")

    def home_open() -> int:
        html = c.get("/").content.decode()
        found = re.search(r"(\d+) yêu cầu hỗ trợ đang mở", html) or re.search(
            r"(\d+) open support request", html
        )
        return int(found.group(1)) if found else 0

    before = home_open()
    assert home_open() == before  # the second read comes from the cache
    send(world.users["manager_a1"], world.orgs["a1"], title="Cần hỗ trợ gấp")
    assert home_open() == before + 1
