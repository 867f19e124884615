"""Helpers of the household store request tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

#: A valid 12-digit citizen ID (province 004, born 1985).
CCCD = "004085012345"
#: A ward of Cao Bằng (04) and one of Đắk Lắk (66).
WARD_04 = "01273"


def jpeg(name="cccd.jpg", size=(640, 480), color=(90, 120, 60)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def request_data(**overrides) -> dict:
    data = {
        "producer_name": "Mật ong nhà A Páo",
        "head_name": "Vàng A Páo",
        "id_number": CCCD,
        "ethnicity": "08",
        "phone": "0912 345 678",
        "province": "04",
        "ward": WARD_04,
        "address": "Bản Khuổi Khon",
        "products": "Mật ong rừng, măng khô",
        "bank_bin": "",
        "bank_account": "",
        "bank_account_name": "",
    }
    data.update(overrides)
    return data


def submit(user, **overrides):
    from htxso.market.services import household_stores as svc

    photo = overrides.pop("photo", None) or jpeg()
    return svc.store_request_submit(
        actor=user, requester=user, data=request_data(**overrides), photo=photo, consent=True
    )
