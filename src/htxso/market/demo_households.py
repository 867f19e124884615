"""Demo data of the household store requests: a pending request in Cao Bằng (04) and an
approved independent producer's store with two products.  Idempotent; called from
``market.demo.seed``."""

from __future__ import annotations

import io

DEMO_PENDING = "Chè Shan tuyết nhà Lý Thị Mai"
DEMO_OPEN = "Mật ong bạc hà nhà Vàng A Páo"


def _photo(color):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (800, 600), color).save(buf, "JPEG")
    return SimpleUploadedFile("demo.jpg", buf.getvalue(), content_type="image/jpeg")


def _user(username, full_name):
    from htxso.accounts import services
    from htxso.accounts.models import User
    from htxso.core.actors import OPERATOR
    from htxso.core.demodata import DEMO_PASSWORD

    user = User.objects.filter(username=username).first()
    if user is None:
        user = services.user_create(
            actor=OPERATOR,
            username=username,
            password=DEMO_PASSWORD,
            validate=False,
            full_name=full_name,
            email="",
        )
    return user


def _ward(province: str) -> str:
    from htxso.geo.models import Ward

    return (
        Ward.objects.filter(province_id=province)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )


def seed(ctx=None) -> None:
    from htxso.core.actors import OPERATOR
    from htxso.market.models import Category, Store, StoreRequest
    from htxso.market.services import catalogue
    from htxso.market.services import household_stores as svc

    ward = _ward("04")
    if ward is None:
        return
    data = {
        "ethnicity": "",
        "province": "04",
        "ward": ward,
        "bank_bin": "",
        "bank_account": "",
        "bank_account_name": "",
    }
    mai = _user("ho_lythimai", "Lý Thị Mai")
    if not StoreRequest.objects.filter(requester=mai).exists():
        svc.store_request_submit(
            actor=OPERATOR,
            requester=mai,
            data={
                **data,
                "producer_name": DEMO_PENDING,
                "head_name": "Lý Thị Mai",
                "id_number": "004190012345",
                "ethnicity": "09",
                "phone": "0912 000 401",
                "address": "Bản Phja Đén",
                "products": "Chè Shan tuyết, chè búp khô",
            },
            photo=_photo((90, 130, 70)),
            consent=True,
        )
    pao = _user("ho_vangapao", "Vàng A Páo")
    store = Store.objects.filter(owner=pao, name=DEMO_OPEN).first()
    if store is None:
        req = StoreRequest.objects.filter(requester=pao).first() or svc.store_request_submit(
            actor=OPERATOR,
            requester=pao,
            data={
                **data,
                "producer_name": DEMO_OPEN,
                "head_name": "Vàng A Páo",
                "id_number": "004085012345",
                "ethnicity": "08",
                "phone": "0912 000 402",
                "address": "Bản Khuổi Khon",
                "products": "Mật ong hoa bạc hà, sáp ong",
                "bank_bin": "970436",
                "bank_account": "0011004020",
                "bank_account_name": "VANG A PAO",
            },
            photo=_photo((200, 160, 40)),
            consent=True,
        )
        store = svc.store_request_approve(actor=OPERATOR, request=req)
    if store.products.exists():
        return
    category = Category.objects.filter(parent__isnull=False).order_by("position", "id").first()
    if category is None:
        return
    for title, label, price in (
        ("Mật ong hoa bạc hà Đồng Văn", "500 ml", 250_000),
        ("Sáp ong nguyên chất", "200 g", 90_000),
    ):
        catalogue.product_save(
            actor=OPERATOR,
            store=store,
            data={
                "title": title,
                "category": category.pk,
                "unit": "chai" if "ml" in label else "gói",
                "status": "active",
                "ethnic_minority_producer": True,
            },
            variants=[{"label": label, "price": str(price), "stock": "30"}],
        )
