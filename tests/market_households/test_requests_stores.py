"""Household store requests: the service's state machine, its refusals, its notices,
the seller pages of an independent store, the producer badge, the views' answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from htxso.core import messaging
from htxso.core.errors import Kind, ServiceError
from htxso.core.models import AuditEvent, ConsentRecord
from htxso.market.models import SellerKind, Store, StoreRequest, StoreRequestStatus, StoreStatus
from htxso.market.services import household_stores as svc

from .helpers import CCCD, WARD_04, jpeg, request_data, submit

pytestmark = pytest.mark.django_db


def _code(call):
    with pytest.raises(ServiceError) as info:
        call()
    return info.value


# ------------------------------------------------------------------ submit


def test_submit_records_consent_audit_and_sms(world, django_capture_on_commit_callbacks):
    buyer = world.users["buyer"]
    with django_capture_on_commit_callbacks(execute=True):
        req = submit(buyer)
    assert req.status == StoreRequestStatus.SUBMITTED
    assert req.phone == "+84912345678" and req.province_id == "04"
    assert req.photo.name.startswith("market/store-requests/")
    assert ConsentRecord.objects.filter(user=buyer, purpose="store_request").count() == 1
    assert AuditEvent.objects.filter(action="store_request.submit", object_id=str(req.pk)).exists()
    # the trail keeps no ID number
    assert CCCD not in str(AuditEvent.objects.get(action="store_request.submit").after)
    sms = messaging.sent_to("+84912345678", "store_request")
    assert len(sms) == 1 and "Mật ong nhà A Páo" in sms[0].text
    assert messaging.sent_to(buyer.email, "store_request")  # and by e-mail


def test_photo_is_reencoded_without_metadata(world):
    from PIL import Image

    req = submit(world.users["buyer"])
    with req.photo.open("rb") as fh:
        image = Image.open(fh)
        assert image.format == "JPEG" and not image.getexif()


def test_double_submit_is_a_conflict_and_keeps_one(world):
    buyer = world.users["buyer"]
    submit(buyer)
    exc = _code(lambda: submit(buyer))
    assert exc.code == "store_request_open" and exc.kind == Kind.CONFLICT
    assert StoreRequest.objects.filter(requester=buyer).count() == 1


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("producer_name", "<script>alert(1)</script>", "name_markup"),
        ("head_name", "A <b>Páo</b>", "name_markup"),
        ("head_name", "", "required"),
        ("id_number", "12345", "id_format"),
        ("id_number", "00408501234X", "id_format"),
        ("id_number", "999085012345", "cccd_province"),
        ("phone", "+1 202 555 0143", "phone_foreign"),
        ("phone", "12345", "phone_invalid"),
        ("ward", "99999", "required"),
        ("province", "9" * 30, "required"),
        ("ethnicity", "99", "invalid_choice"),
        ("bank_account", "0011009999", "bank_incomplete"),
        ("products", "", "required"),
    ],
)
def test_bad_input_is_refused_on_its_field(world, field, value, code):
    buyer = world.users["buyer"]
    exc = _code(lambda: submit(buyer, **{field: value}))
    codes = {e.code for errors in exc.fields.values() for e in errors}
    assert field in exc.fields or code == "bank_incomplete", exc.fields
    assert code in codes, exc.fields
    assert not StoreRequest.objects.exists()
    assert not ConsentRecord.objects.filter(user=buyer, purpose="store_request").exists()


def test_nine_digit_old_id_card_is_accepted(world):
    assert submit(world.users["buyer"], id_number="012 345 678").id_number == "012345678"


def test_ward_of_another_province_is_refused(world):
    from htxso.geo.models import Ward

    other = Ward.objects.filter(province_id="66").values_list("code", flat=True).first()
    exc = _code(lambda: submit(world.users["buyer"], ward=other))
    assert exc.fields["ward"][0].code == "ward_other_province"


def test_wrong_and_huge_photos_are_refused(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buyer = world.users["buyer"]
    text = SimpleUploadedFile("cccd.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    assert _code(lambda: submit(buyer, photo=text)).fields["photo"][0].code == "image_not_image"
    huge = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (9 * 1024 * 1024))
    assert _code(lambda: submit(buyer, photo=huge)).fields["photo"][0].code == "image_too_big"


def test_consent_is_required(world):
    buyer = world.users["buyer"]
    exc = _code(
        lambda: svc.store_request_submit(
            actor=buyer, requester=buyer, data=request_data(), photo=jpeg(), consent=False
        )
    )
    assert exc.fields["consent"][0].code == "consent_required"


# ------------------------------------------------------------------ decisions


def test_officer_approves_and_the_store_opens(world, django_capture_on_commit_callbacks):
    buyer, officer = world.users["buyer"], world.users["officer_a"]
    req = submit(
        buyer, bank_bin="970436", bank_account="0011009999", bank_account_name="Vang A Pao"
    )
    messaging.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        store = svc.store_request_approve(actor=officer, request=req)
    assert store.kind == SellerKind.INDEPENDENT and store.organisation_id is None
    assert store.province_id == "04" and store.owner == buyer
    assert store.status == StoreStatus.VERIFIED and store.verified_by == officer
    assert store.pickup_ward_id == WARD_04 and store.bank_account == "0011009999"
    req.refresh_from_db()
    assert req.status == StoreRequestStatus.APPROVED and req.store == store
    assert messaging.sent_to("+84912345678", "store_request")
    # approving twice, or refusing after, is a conflict with a message
    exc = _code(lambda: svc.store_request_approve(actor=officer, request=req))
    assert exc.code == "store_request_approved" and "đã được duyệt" in exc.text
    assert _code(lambda: svc.store_request_refuse(actor=officer, request=req, reason="x")).kind == (
        Kind.CONFLICT
    )
    assert Store.objects.filter(owner=buyer).count() == 1


def test_another_province_officer_and_a_viewer_cannot_decide(world):
    req = submit(world.users["buyer"])
    assert (
        _code(lambda: svc.store_request_approve(actor=world.users["officer_b"], request=req)).kind
        == Kind.NOT_FOUND
    )
    assert (
        _code(lambda: svc.store_request_approve(actor=world.users["viewer_a"], request=req)).kind
        == Kind.FORBIDDEN
    )
    assert _code(
        lambda: svc.store_request_approve(actor=world.users["buyer"], request=req)
    ).kind in (Kind.FORBIDDEN, Kind.NOT_FOUND)
    assert not Store.objects.filter(kind=SellerKind.INDEPENDENT).exists()


def test_ask_answer_then_refuse_with_reason(world, django_capture_on_commit_callbacks):
    buyer, officer = world.users["buyer"], world.users["officer_a"]
    req = submit(buyer)
    assert _code(lambda: svc.store_request_ask(actor=officer, request=req, question=" ")).fields
    with django_capture_on_commit_callbacks(execute=True):
        svc.store_request_ask(actor=officer, request=req, question="Gửi ảnh nơi nuôi ong?")
    req.refresh_from_db()
    assert req.status == StoreRequestStatus.INFO_REQUESTED
    assert any("nuôi ong" in m.text for m in messaging.sent_to("+84912345678", "store_request"))
    # another user cannot answer
    assert (
        _code(
            lambda: svc.store_request_answer(actor=world.users["norole"], request=req, answer="x")
        ).kind
        == Kind.NOT_FOUND
    )
    old_photo = req.photo.name
    svc.store_request_answer(actor=buyer, request=req, answer="Đây ạ", photo=jpeg("ong.jpg"))
    req.refresh_from_db()
    assert req.status == StoreRequestStatus.SUBMITTED and req.photo.name != old_photo
    assert _code(lambda: svc.store_request_refuse(actor=officer, request=req, reason="")).fields
    svc.store_request_refuse(actor=officer, request=req, reason="Ảnh CCCD không rõ")
    req.refresh_from_db()
    assert req.status == StoreRequestStatus.REFUSED and req.reason == "Ảnh CCCD không rõ"
    # a refused person may ask again
    assert submit(buyer).status == StoreRequestStatus.SUBMITTED


def test_approving_a_withdrawn_request_is_a_conflict(world):
    buyer = world.users["buyer"]
    req = submit(buyer)
    svc.store_request_withdraw(actor=buyer, request=req)
    exc = _code(lambda: svc.store_request_approve(actor=world.users["vca"], request=req))
    assert exc.code == "store_request_withdrawn" and "đã rút" in exc.text


# ------------------------------------------------------------------ views


def _approved(world):
    req = submit(world.users["buyer"])
    return req, svc.store_request_approve(actor=world.users["officer_a"], request=req)


def test_request_page_flow(world, client):
    buyer = world.users["buyer"]
    client.force_login(buyer)
    url = reverse("market:store_request")
    assert client.get(url).status_code == 200
    bad = client.post(
        url, {**request_data(phone="+44 20 7946 0958"), "consent": "on", "photo": jpeg()}
    )
    assert bad.status_code == 400
    assert "+84" in bad.content.decode() or "Việt Nam" in bad.content.decode()
    ok = client.post(url, {**request_data(), "consent": "on", "photo": jpeg()})
    req = StoreRequest.objects.get(requester=buyer)
    assert ok.status_code == 302 and ok.url == reverse("market:store_request_detail", args=[req.pk])
    # a double submit lands on the request sent first, nothing more is created
    again = client.post(url, {**request_data(), "consent": "on", "photo": jpeg()}, follow=True)
    assert again.status_code == 200 and StoreRequest.objects.filter(requester=buyer).count() == 1
    page = client.get(reverse("market:store_request_detail", args=[req.pk])).content.decode()
    assert CCCD not in page and CCCD[-3:] in page  # masked for the requester
    photo = client.get(reverse("market:store_request_photo", args=[req.pk]))
    assert photo.status_code == 200 and photo["Cache-Control"] == "private, no-store"


def test_officer_pages(world, client):
    req = submit(world.users["buyer"])
    queue, detail = (
        reverse("market:officer_store_requests"),
        reverse("market:officer_store_request", args=[req.pk]),
    )
    client.force_login(world.users["officer_b"])
    assert "Mật ong" not in client.get(queue).content.decode()
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"action": "approve"}).status_code == 404
    client.force_login(world.users["viewer_a"])
    page = client.get(detail).content.decode()
    assert "Mật ong" in page and CCCD not in page
    assert client.post(detail, {"action": "approve"}).status_code == 403
    assert client.get(reverse("market:store_request_photo", args=[req.pk])).status_code == 403
    client.force_login(world.users["officer_a"])
    assert "Mật ong" in client.get(queue).content.decode()
    assert CCCD in client.get(detail).content.decode()
    bad = client.post(detail, {"action": "refuse", "text": ""})
    assert bad.status_code == 400
    client.post(detail, {"action": "approve"})
    assert StoreRequest.objects.get(pk=req.pk).status == StoreRequestStatus.APPROVED
    twice = client.post(detail, {"action": "approve"}, follow=True)
    assert "đã được duyệt" in twice.content.decode() or "already approved" in twice.content.decode()
    assert client.get(f"/cho/kiem-duyet/ho-san-xuat/{2**63}/").status_code == 404
    assert client.get(f"/cho/ho-san-xuat/{2**64}/anh/").status_code == 404


def test_independent_store_runs_through_the_seller_pages(world, client):
    from htxso.market.models import Category
    from htxso.market.services import catalogue
    from tests.market.fixtures_market import ensure_categories

    ensure_categories()
    _req, store = _approved(world)
    buyer = world.users["buyer"]
    product = catalogue.product_save(
        actor=buyer,
        store=store,
        data={
            "title": "Mật ong rừng",
            "category": Category.objects.filter(parent__isnull=False).first().pk,
            "unit": "chai",
            "status": "active",
        },
        variants=[{"label": "500 ml", "price": "180000", "stock": "20"}],
    )
    client.force_login(buyer)
    for name, args in [
        ("market:seller_home", []),
        ("market:seller_store", [store.pk]),
        ("market:seller_products", [store.pk]),
        ("market:seller_product_create", [store.pk]),
        ("market:seller_product_edit", [product.pk]),
        ("market:seller_orders", [store.pk]),
        ("market:seller_dashboard", [store.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    saved = client.post(
        reverse("market:seller_store", args=[store.pk]),
        {
            "name": store.name,
            "offers_pickup": "on",
            "pickup_address": "Bản Khuổi Khon",
            "pickup_ward": WARD_04,
            "phone": "0912345678",
        },
    )
    assert saved.status_code == 302
    # another buyer's store pages are not this buyer's
    client.force_login(world.users["norole"])
    assert client.get(reverse("market:seller_home")).status_code == 403
    # buyers see the producer kind on the store page
    client.logout()
    page = client.get(reverse("market:store_detail", args=[store.slug])).content.decode()
    assert "Hộ sản xuất" in page


def test_sell_page_offers_three_ways(client, world):
    page = client.get(reverse("market:sell")).content.decode()
    assert "/tham-gia/" in page and reverse("market:store_request") in page
    home = client.get(reverse("market:home")).content.decode()
    assert reverse("market:sell") in home


def test_demo_seeds_a_pending_request_and_an_open_store_once(db):
    from htxso.market import demo_households
    from htxso.market.models import Product
    from tests.market.fixtures_market import ensure_categories

    ensure_categories()
    demo_households.seed(None)
    demo_households.seed(None)
    pending = StoreRequest.objects.get(producer_name=demo_households.DEMO_PENDING)
    assert pending.status == StoreRequestStatus.SUBMITTED and pending.province_id == "04"
    store = Store.objects.get(name=demo_households.DEMO_OPEN)
    assert store.kind == SellerKind.INDEPENDENT and store.status == StoreStatus.VERIFIED
    assert Product.objects.filter(store=store, status="active").count() == 2
