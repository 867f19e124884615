"""Helpers of the onboarding tests: uploads that look like what phones send."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from htxso.accounts import services as account_services
from htxso.core.actors import OPERATOR


def photo(name="giay.jpg", size=(800, 1000), fmt="JPEG", **save) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (240, 240, 230)).save(buf, format=fmt, **save)
    types = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
    return SimpleUploadedFile(name, buf.getvalue(), content_type=types.get(fmt, "image/x"))


def pdf(name="quyet-dinh.pdf", body=b"") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj <<>> endobj\n" + body + b"\ntrailer <<>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def person(username="nguoi_xin", **kw):
    return account_services.user_create(
        actor=OPERATOR,
        username=username,
        password="Mat-khau-rat-dai-2026",
        validate=False,
        full_name=kw.pop("full_name", "Nông Văn Xin"),
        email=kw.pop("email", f"{username}@example.vn"),
        **kw,
    )


def submit(user, org=None, proposal=None, **kw):
    from htxso.onboarding import services

    values = {
        "full_name": "Nông Văn Xin",
        "phone": "0912 345 678",
        "position": "Giám đốc",
        "document": photo(),
        "consent": True,
    }
    values.update(kw)
    return services.request_submit(
        actor=user, requester=user, organisation=org, proposal=proposal, **values
    )
