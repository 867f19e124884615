"""Demo accounts for every role in the demo provinces."""

from __future__ import annotations

from typing import Any

from htxso.core.actors import OPERATOR
from htxso.core.demodata import DEMO_PASSWORD, DEMO_PROVINCES, DemoContext
from htxso.geo.models import Province

from . import services
from .models import Role, RoleAssignment, User

#: The organisation model, reached through the role's own foreign key (accounts sits
#: beside registry and does not import it).
Organisation: Any = RoleAssignment._meta.get_field("organisation").related_model

ORDER = 30
#: The demo buyer's phone (sign-in by code; 0912 000 001 as people write it).
DEMO_BUYER_PHONE = "+84912000001"

#: username, full name, role, province code or None, "org" for the province's first org
ACCOUNTS: list[tuple[str, str, str, str | None]] = [
    ("vca.admin", "Nguyễn Văn An (VCA)", Role.VCA_ADMIN, None),
    ("giangvien", "Trần Thị Bình (giảng viên)", Role.TRAINER, None),
    ("nguoimua", "Lê Minh Châu (người mua)", Role.BUYER, None),
]
PEOPLE = {
    "01": ("Phạm Quốc Dũng", "Đỗ Thu Hà", "Vũ Văn Hải", "Ngô Thị Lan"),
    "04": ("Nông Văn Dũng", "Bế Thị Hạnh", "Hoàng Văn Hùng", "Lục Thị Mai"),
    "19": ("Dương Văn Khánh", "Ma Thị Liên", "Lăng Văn Lợi", "Đinh Thị Mơ"),
    "40": ("Hồ Sỹ Nam", "Lữ Thị Nga", "Lô Văn Phong", "Vi Thị Quế"),
    "66": ("Y Sơn Niê", "H'Hoa Mlô", "Y Thành Êban", "H'Uyên Byă"),
}


def _user(ctx: DemoContext, username: str, full_name: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = services.user_create(
            actor=OPERATOR,
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            email=f"{username}@demo.htxso.vn",
            validate=False,
        )
    return user


def seed(ctx: DemoContext) -> None:
    count = 0
    for username, full_name, role, _p in ACCOUNTS:
        user = _user(ctx, username, full_name)
        services.role_assign(actor=OPERATOR, user=user, role=role)
        count += 1
    # The demo buyer signs in with a code too: codes go to the message backend
    # (console or var/messages/outbox.jsonl on a demo server).
    buyer = User.objects.get(username="nguoimua")
    if not buyer.phone and not User.objects.filter(phone=DEMO_BUYER_PHONE).exists():
        buyer.phone = DEMO_BUYER_PHONE
        buyer.save(update_fields=["phone"])
    admin = User.objects.get(username="vca.admin")
    if not admin.is_staff or not admin.is_superuser:
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    for code, slug in DEMO_PROVINCES.items():
        province = Province.objects.get(pk=code)
        officer, viewer, manager, member = PEOPLE[code]
        org = (
            Organisation.objects.filter(province_id=code, kind="cooperative").order_by("id").first()
        )
        services.role_assign(
            actor=OPERATOR,
            user=_user(ctx, f"lm.{slug}", officer),
            role=Role.PROVINCE_OFFICER,
            province=province,
        )
        services.role_assign(
            actor=OPERATOR,
            user=_user(ctx, f"so.{slug}", viewer),
            role=Role.DEPARTMENT_VIEWER,
            province=province,
        )
        mgr = _user(ctx, f"ql.{slug}", manager)
        services.role_assign(actor=OPERATOR, user=mgr, role=Role.COOP_MANAGER, organisation=org)
        services.role_assign(
            actor=OPERATOR,
            user=_user(ctx, f"tv.{slug}", member),
            role=Role.COOP_MEMBER,
            organisation=org,
        )
        count += 4
    # One person with two roles: the Đắk Lắk manager also buys on the market.
    services.role_assign(
        actor=OPERATOR, user=User.objects.get(username="ql.daklak"), role=Role.BUYER
    )
    ctx.log(
        f"accounts: {count} demo accounts (password {DEMO_PASSWORD}; the buyer also signs "
        "in with a code sent to 0912 000 001)"
    )
