"""Demo access requests in Cao Bằng (04): two waiting (a cooperative of the registry and
a proposed one), one refused, one asking for more information."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from htxso.accounts import services as account_services
from htxso.accounts.models import User
from htxso.core.actors import OPERATOR
from htxso.core.demodata import DEMO_PASSWORD, DemoContext
from htxso.registry.models import Organisation

from . import services
from .models import AccessRequest

ORDER = 70
PROVINCE = "04"

#: username, full name, phone, position, what happens
PEOPLE = [
    ("xin.quanly1", "Hoàng Văn Thạch", "0912 400 011", "Giám đốc", "waiting"),
    ("xin.quanly2", "Nông Thị Huệ", "0912 400 012", "Chủ tịch Hội đồng quản trị", "proposal"),
    ("xin.quanly3", "Lương Văn Bảo", "0912 400 013", "Phó giám đốc", "refused"),
    ("xin.quanly4", "Đàm Thị Xuân", "0912 400 014", "Giám đốc", "asked"),
]


def _paper(title: str) -> SimpleUploadedFile:
    """A photo-like page with a few lines, as a phone would send."""
    image = Image.new("RGB", (900, 1200), (248, 246, 238))
    draw = ImageDraw.Draw(image)
    draw.text((80, 80), "CONG HOA XA HOI CHU NGHIA VIET NAM", fill=(20, 20, 20))
    draw.text((80, 160), "QUYET DINH", fill=(20, 20, 20))
    draw.text((80, 220), title, fill=(20, 20, 20))
    for y in range(300, 900, 40):
        draw.line((80, y, 820, y), fill=(170, 170, 170), width=2)
    draw.ellipse((600, 950, 800, 1150), outline=(190, 30, 30), width=6)
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=80)
    return SimpleUploadedFile("quyet-dinh.jpg", buf.getvalue(), content_type="image/jpeg")


def _user(username: str, full_name: str) -> User:
    user = User.objects.filter(username=username).first()
    return user or account_services.user_create(
        actor=OPERATOR,
        username=username,
        password=DEMO_PASSWORD,
        full_name=full_name,
        email=f"{username}@demo.htxso.vn",
        validate=False,
    )


def seed(ctx: DemoContext) -> None:
    coops = list(
        Organisation.objects.filter(province_id=PROVINCE, kind="cooperative")
        .exclude(tax_code=None)
        .order_by("name")[:3]
    )
    if len(coops) < 3:
        ctx.log("onboarding: fewer than 3 cooperatives in Cao Bằng, no access requests")
        return
    made = 0
    for (username, full_name, phone, position, what), org in zip(
        PEOPLE, [coops[0], None, coops[1], coops[2]], strict=True
    ):
        user = _user(username, full_name)
        if AccessRequest.objects.filter(requester=user).exists():
            continue
        common = {
            "actor": OPERATOR,
            "requester": user,
            "full_name": full_name,
            "phone": phone,
            "position": position,
            "document": _paper(f"Bo nhiem {position}"),
            "consent": True,
        }
        if org is None:
            req = services.request_submit(
                proposal={
                    "name": "HTX Nông sản Phia Oắc",
                    "tax_code": "",
                    "kind": "cooperative",
                    "province": PROVINCE,
                    "address": "Xóm Nà Kéo, xã Thành Công",
                },
                **common,
            )
        else:
            req = services.request_submit(organisation=org, **common)
        if what == "refused":
            services.request_refuse(
                actor=OPERATOR,
                access_request=req,
                reason="Giấy bổ nhiệm đã hết hiệu lực; xin gửi quyết định mới của đại hội.",
            )
        elif what == "asked":
            services.request_ask(
                actor=OPERATOR,
                access_request=req,
                message="Xin gửi thêm biên bản đại hội thành viên có đóng dấu.",
            )
        made += 1
    ctx.log(f"onboarding: {made} access requests in Cao Bằng")
