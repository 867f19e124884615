"""Helpers of the service-request tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def photo(name="anh.jpg", size=(800, 600), fmt="JPEG") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 220, 180)).save(buf, format=fmt)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=f"image/{fmt.lower()}")


def pdf(name="ho-so.pdf", body=b"") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj <<>> endobj\n" + body + b"\ntrailer <<>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def send(user, org, **kw):
    from htxso.support import services

    values = {
        "request_type": "trade",
        "title": "Đưa mật ong đi hội chợ",
        "description": "Chúng tôi cần gian hàng ở hội chợ OCOP Hà Nội tháng 3.",
    }
    values.update(kw)
    return services.request_create(actor=user, organisation=org, **values)
