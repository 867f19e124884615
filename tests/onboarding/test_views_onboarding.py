"""The access-request pages through the test client: the join page, finding a
cooperative without accents, sending a request with a photo, the officer's queue and
decisions, registering a proposed cooperative, and bad input answered in Vietnamese."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from htxso.accounts.models import RoleAssignment
from htxso.core.roles import Role
from htxso.geo.models import Ward
from htxso.onboarding.models import AccessRequest, Status
from htxso.registry.models import Organisation

from .helpers import pdf, person, photo, submit

pytestmark = pytest.mark.django_db

NEW = reverse("onboarding:request_new")


def _post(client, org=None, propose=False, **over):
    data = {
        "full_name": "Nông Văn Xin",
        "phone": "0912 345 678",
        "position": "Giám đốc",
        "consent": "on",
        "photo": photo(),
    }
    if org is not None:
        data["org"] = org.pk
    if propose:
        data["propose"] = "on"
    data.update(over)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(NEW, data)


def test_join_page_explains_every_way_in(client):
    page = client.get(reverse("onboarding:join")).content.decode()
    assert "Tham gia HTX Số" in page
    assert 'href="/dang-ky/"' in page
    assert f'href="{NEW}"' in page
    assert "lời mời" in page  # members: ask your manager for an invitation


def test_finding_a_cooperative_by_name_without_accents_and_by_tax_code(client, world):
    client.force_login(person())
    page = client.get(NEW, {"q": "hop giang"}).content.decode()
    assert "HTX Nông nghiệp Hợp Giang" in page and f"?org={world.orgs['a1'].pk}" in page
    page = client.get(NEW, {"q": "0100 112 437"}).content.decode()
    assert "HTX Cà phê Ea Tu" in page and "Hợp Giang" not in page
    page = client.get(NEW, {"q": "khong co htx nay"}).content.decode()
    assert "Không tìm thấy hợp tác xã nào" in page and "propose=1" in page


def test_sending_a_request_with_a_photo(client, world):
    user = person()
    client.force_login(user)
    form = client.get(NEW, {"org": world.orgs["a1"].pk}).content.decode()
    assert "HTX Nông nghiệp Hợp Giang" in form and 'capture="environment"' in form
    assert "đã có người quản lý" in form  # a1 has manager_a1: the person is told
    response = _post(client, org=world.orgs["a1"])
    req = AccessRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "onboarding:my_request", args=[req.pk]
    )
    assert req.requester == user and req.status == Status.SUBMITTED
    page = client.get(response["Location"]).content.decode()
    assert "Chờ tỉnh xem xét" in page
    # the second submit (double tap, back button) is refused with a clear message
    again = _post(client, org=world.orgs["a1"])
    assert again.status_code == 200
    assert "Bạn đã có một yêu cầu đang chờ xử lý" in again.content.decode()
    assert AccessRequest.objects.count() == 1


def test_proposing_a_cooperative(client, world):
    client.force_login(person())
    form = client.get(NEW, {"propose": "1", "q": "HTX Chè Phia Đén"}).content.decode()
    assert 'value="HTX Chè Phia Đén"' in form
    response = _post(
        client,
        propose=True,
        proposed_name="HTX Chè Phia Đén",
        proposed_kind="cooperative",
        province="04",
        proposed_address="xã Phan Thanh",
        photo=None,
        document=pdf(),
    )
    assert response.status_code == 302
    req = AccessRequest.objects.get()
    assert req.proposed and req.province_id == "04" and req.document_type == "application/pdf"


def _huge_png() -> SimpleUploadedFile:
    """A decompression bomb: 20,000 x 20,000 white pixels in a few hundred kB."""
    buf = io.BytesIO()
    Image.new("1", (20000, 20000), 1).save(buf, format="PNG", optimize=True)
    return SimpleUploadedFile("bom.png", buf.getvalue(), content_type="image/png")


@pytest.mark.parametrize(
    ("upload", "text"),
    [
        (
            lambda: SimpleUploadedFile("lon.jpg", b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024)),
            "Tệp lớn hơn 10 MB",
        ),
        (lambda: SimpleUploadedFile("virus.jpg", b"MZ\x90\x00" * 100), "Hãy gửi ảnh chụp"),
        (lambda: photo("anh.gif", fmt="GIF"), "Hãy gửi ảnh chụp"),
        (lambda: photo("nho.jpg", size=(120, 90)), "Ảnh quá nhỏ"),
        (_huge_png, "quá nhiều điểm ảnh"),
        (lambda: pdf(body=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "mã lệnh"),
        (lambda: SimpleUploadedFile("hong.pdf", b"%PDF-1.4 cut"), "PDF bị hỏng"),
    ],
    ids=["huge", "exe", "gif", "tiny", "bomb", "pdf-js", "pdf-cut"],
)
def test_bad_files_are_refused_with_a_message(client, world, upload, text):
    client.force_login(person())
    response = _post(client, org=world.orgs["a1"], photo=upload())
    assert response.status_code == 200
    assert text in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_bad_names_and_phones_are_shown_on_their_fields(client, world):
    client.force_login(person())
    response = _post(
        client,
        org=world.orgs["a1"],
        full_name="<script>alert(1)</script>",
        phone="+1 202 555 0143",
        consent=None,
    )
    page = response.content.decode()
    assert "không dùng ký hiệu như &lt; &gt; { }" in page
    assert "Chỉ số điện thoại Việt Nam" in page or "+84" in page
    assert "đánh dấu ô đồng ý" in page
    assert "<script>alert(1)</script>" not in page
    assert not AccessRequest.objects.exists()


def test_integers_past_int64_in_urls_and_query(client, world):
    client.force_login(world.users["officer_a"])
    big = "9" * 25
    assert client.get(f"/yeu-cau-truy-cap/{big}/").status_code == 404
    assert client.get(f"/tham-gia/yeu-cau/{big}/").status_code == 404
    assert client.get(NEW, {"org": big}).status_code == 200  # back to the search
    assert client.get(NEW, {"org": 2**62}).status_code == 404


def test_queue_and_review_show_the_registry_facts_and_the_manager_warning(
    client, world, django_assert_max_num_queries
):
    req = submit(person(), org=world.orgs["a1"])
    submit(person("khac", full_name="Y Khác"), org=world.orgs["b1"], phone="0987 654 321")
    client.force_login(world.users["officer_a"])
    with django_assert_max_num_queries(20):
        page = client.get(reverse("onboarding:queue")).content.decode()
    assert "HTX Nông nghiệp Hợp Giang" in page and "Ea Tu" not in page
    assert "Đã có người quản lý" in page
    page = client.get(reverse("onboarding:review", args=[req.pk])).content.decode()
    assert "Hợp tác xã này đã có người quản lý: Người dùng manager_a1." in page
    assert "0100233488" in page and "0912 345 678" in page
    assert reverse("onboarding:document", args=[req.pk]) in page
    assert "Duyệt và cấp quyền" in page
    # the department viewer sees it but is offered no decision
    client.force_login(world.users["viewer_a"])
    page = client.get(reverse("onboarding:review", args=[req.pk])).content.decode()
    assert "Duyệt và cấp quyền" not in page and "Cán bộ Liên minh tỉnh quyết định" in page
    assert client.post(reverse("onboarding:approve", args=[req.pk])).status_code == 403


def test_another_province_gets_404_never_a_decision(client, world):
    req = submit(person(), org=world.orgs["a1"])
    client.force_login(world.users["officer_b"])
    for name in ("review", "approve", "refuse", "ask", "register"):
        method = client.get if name in ("review", "register") else client.post
        assert method(reverse(f"onboarding:{name}", args=[req.pk])).status_code == 404, name
    assert client.get(reverse("onboarding:document", args=[req.pk])).status_code == 404
    req.refresh_from_db()
    assert req.status == Status.SUBMITTED
    assert not RoleAssignment.objects.filter(user=req.requester).exists()


def test_approve_twice_and_approve_withdrawn_say_why(client, world):
    req = submit(person(), org=world.orgs["a2"])
    client.force_login(world.users["officer_a"])
    url = reverse("onboarding:approve", args=[req.pk])
    assert client.post(url).status_code == 302
    page = client.post(url, follow=True).content.decode()
    assert "Yêu cầu này đã được duyệt rồi." in page
    assert RoleAssignment.objects.filter(user=req.requester, role=Role.COOP_MANAGER).count() == 1
    other = submit(person("rut"), org=world.orgs["a1"], phone="0987 654 321")
    client.force_login(other.requester)
    client.post(reverse("onboarding:withdraw", args=[other.pk]))
    client.force_login(world.users["officer_a"])
    page = client.post(reverse("onboarding:approve", args=[other.pk]), follow=True)
    assert "Người gửi đã rút yêu cầu này." in page.content.decode()


def test_refuse_without_reason_and_ask_then_answer(client, world):
    req = submit(person(), org=world.orgs["a1"])
    client.force_login(world.users["officer_a"])
    response = client.post(reverse("onboarding:refuse", args=[req.pk]), {"reason": ""})
    assert response.status_code == 400
    response = client.post(
        reverse("onboarding:ask", args=[req.pk]), {"message": "Xin gửi biên bản có dấu."}
    )
    assert response.status_code == 302
    client.force_login(req.requester)
    page = client.get(reverse("onboarding:my_request", args=[req.pk])).content.decode()
    assert "Xin gửi biên bản có dấu." in page and "Trả lời tỉnh" in page
    response = client.post(
        reverse("onboarding:answer", args=[req.pk]), {"answer": "Đây ạ.", "photo": photo()}
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == Status.SUBMITTED


def test_document_is_served_only_to_the_requester_and_the_province(client, world):
    req = submit(person(), org=world.orgs["a1"])
    url = reverse("onboarding:document", args=[req.pk])
    for user, status in [
        (req.requester, 200),
        (world.users["officer_a"], 200),
        (world.users["viewer_a"], 200),
        (world.users["vca"], 200),
        (world.users["manager_a1"], 404),
        (world.users["officer_b"], 404),
        (world.users["buyer"], 404),
    ]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert response["Content-Type"] == "image/jpeg"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")
    client.logout()
    assert client.get(url).status_code == 302


def test_register_a_proposed_cooperative_and_approve_in_one_step(client, world):
    req = submit(
        person(),
        proposal={
            "name": "HTX Chè Phia Đén",
            "kind": "cooperative",
            "province": "04",
            "address": "xã Phan Thanh",
        },
    )
    client.force_login(world.users["officer_a"])
    url = reverse("onboarding:register", args=[req.pk])
    page = client.get(url).content.decode()
    assert 'value="HTX Chè Phia Đén"' in page
    # a wrong check digit is refused on its field, nothing created
    bad = client.post(
        url, {"name": "HTX Chè Phia Đén", "kind": "cooperative", "tax_code": "0100233489"}
    )
    assert bad.status_code == 200
    assert "chữ số kiểm tra" in bad.content.decode()
    assert Organisation.objects.count() == 3
    ward = Ward.objects.filter(province_id="04").first()
    response = client.post(
        url,
        {
            "name": "HTX Chè Phia Đén",
            "kind": "cooperative",
            "tax_code": "0100109106",
            "ward": ward.code,
            "address": "Xóm Phia Đén",
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(tax_code="0100109106")
    assert org.province_id == "04" and org.ward == ward
    req.refresh_from_db()
    assert req.status == Status.APPROVED and req.organisation == org
    assert RoleAssignment.objects.get(user=req.requester).organisation == org
