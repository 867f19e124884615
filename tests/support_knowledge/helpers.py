"""Helpers of the knowledge tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from htxso.core.actors import OPERATOR
from htxso.support.knowledge import services


def jpeg(name: str = "anh.jpg", size=(640, 400)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (90, 140, 90)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def case_data(**extra):
    return {
        "title": "Cà phê Ea Tu bán trực tuyến",
        "themes": ["ecommerce", "traceability"],
        "summary": "Hợp tác xã mở gian hàng và gắn tem truy xuất.",
        "what_done": "Ghi nhật ký.\n\nGắn tem QR.",
        "results": "Giá bán cao hơn.",
        "costs": "",
        "lessons": "Bắt đầu nhỏ.",
        "contact_name": "Y Bhim Niê",
        "contact_role": "Giám đốc",
        "contact_phone": "0912 660 101",
        "contact_email": "",
        "contact_consent": False,
        **extra,
    }


def make_case(org, *, publish=True, actor=OPERATOR, **extra):
    case = services.case_save(actor=actor, organisation=org, data=case_data(**extra))
    if publish:
        case = services.case_set_status(actor=actor, case=case, status="published")
    return case


def article_data(**extra):
    return {
        "kind": "guide",
        "province": "",
        "title": "Mở gian hàng trên Chợ HTX Số",
        "summary": "Các bước mở gian hàng.",
        "body": "<p>Chuẩn bị ảnh.</p>",
        "tags": "chợ, bán hàng",
        **extra,
    }


def make_article(*, publish=True, actor=OPERATOR, **extra):
    article = services.article_save(actor=actor, data=article_data(**extra))
    if publish:
        article = services.article_set_status(actor=actor, article=article, status="published")
    return article
