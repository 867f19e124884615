"""Demo general assemblies (called by ``governance.demo`` after the register part).

* Cao Bằng and Đắk Lắk demo cooperatives (the ones ``ql.<province>`` runs): last year's
  annual assembly, closed, with the members present checked in at the desk (quorum met);
  Cao Bằng's was held in time, Đắk Lắk's after the deadline (the province's list flags
  it).  The votes part adds its resolutions, ballots and minutes.
* Đắk Lắk's cooperative grows to more than 50 official members (the members it needs
  are created, joined two months ago) and announces an upcoming **hybrid delegate assembly**:
  delegates elected by villages (as many as the law's band asks), an agenda, a document
  sent in advance and a members' petition.
* Cao Bằng announces an upcoming hybrid assembly (its member ``tv.caobang`` sees it).

Idempotent: an assembly with the same title in the cooperative is left alone.  Past
assemblies are written as rows (history); upcoming ones through the services.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from htxso.accounts.models import User
from htxso.core.actors import Actor
from htxso.core.errors import ServiceError
from htxso.registry import demo_data
from htxso.registry.models import Membership, Organisation, Person

from . import selectors_assemblies as sel
from . import services_assemblies as svc
from .models.assemblies import (
    AgendaItem,
    Assembly,
    AssemblyStatus,
    Attendance,
)

PROVINCES = {"04": "caobang", "66": "daklak"}
LATE_PROVINCE = "66"
DELEGATE_PROVINCE = "66"
#: official members the delegate cooperative reaches (51–100: a band of the law)
DELEGATE_COOP_SIZE = 64
VILLAGES = ["Buôn Ea Tu", "Buôn Kô Êmông", "Thôn 3", "Thôn 5"]
FAMILY = ["Nguyễn", "Trần", "Lê", "H'", "Y", "Phạm", "Đinh", "Hoàng"]
GIVEN = ["Văn Bình", "Thị Hoa", "Niê", "Hwing", "Byă", "Văn Tâm", "Thị Lan", "Đức Minh"]


def _org(code: str) -> Organisation | None:
    return Organisation.objects.filter(province_id=code, kind="cooperative").order_by("id").first()


def _manager(slug: str) -> User | None:
    return User.objects.filter(username=f"ql.{slug}").first()


def _docx(title: str, lines: list[str]) -> bytes:
    import docx

    d = docx.Document()
    d.add_heading(title, level=1)
    for line in lines:
        d.add_paragraph(line)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _past_annual(org: Organisation, manager: User, *, late: bool) -> Assembly | None:
    today = timezone.localdate()
    year = today.year - 1
    due, _article = sel.annual_due(org, year)
    if due >= today - dt.timedelta(days=30):
        year -= 1
        due, _article = sel.annual_due(org, year)
    title = f"Đại hội thành viên thường niên năm {year + 1}"
    found = Assembly.objects.filter(organisation=org, title=title).first()
    if found:
        return found
    day = due + dt.timedelta(days=16) if late else due - dt.timedelta(days=40)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))
    with transaction.atomic():
        a = Assembly.objects.create(
            organisation=org,
            kind="annual",
            year=year,
            mode="in_person",
            title=title,
            scheduled_at=start,
            place="Hội trường hợp tác xã",
            status=AssemblyStatus.CLOSED,
            announced_at=start - dt.timedelta(days=15),
            opened_at=start,
            closed_at=start + dt.timedelta(hours=3),
            created_by=manager,
        )
        for n, (t, d) in enumerate(
            [
                ("Báo cáo kết quả sản xuất, kinh doanh năm {y}", "Hội đồng quản trị báo cáo."),
                ("Báo cáo tài chính năm {y}", "Đã được kiểm toán."),
                ("Bầu Hội đồng quản trị", "Nhiệm kỳ mới."),
                ("Sửa đổi Điều lệ", "Về vốn góp tối thiểu."),
            ],
            start=1,
        ):
            AgendaItem.objects.create(assembly=a, position=n, title=t.format(y=year), description=d)
        voters = list(sel.voters(a).order_by("joined_on", "pk"))
        a.voters_total = len(voters)
        a.save(update_fields=["voters_total"])
        present = voters[: max(1, (len(voters) * 4 + 4) // 5)]  # four in five came
        others = Membership.objects.filter(
            organisation=org, left_on__isnull=True, joined_on__lte=day
        ).exclude(kind="official")[:3]
        for i, m in enumerate([*present, *others]):
            att = Attendance.objects.create(
                assembly=a,
                membership=m,
                channel="desk",
                may_vote=m.kind == "official",
                checked_in_by=manager,
            )
            Attendance.objects.filter(pk=att.pk).update(
                checked_in_at=start - dt.timedelta(minutes=30 - i % 30)
            )
    return a


def demo_identity(org: Organisation, i: int, *, block: int = 9) -> dict:
    """Sex, birth date and a valid citizen ID for the ``i``-th demo member this part adds
    (every member of a register has one; serials ``9xxxxx`` stay clear of the registry
    demo's)."""
    sex = "female" if i % 2 else "male"
    born = dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28)
    codes = demo_data.CCCD_BIRTH_CODES.get(org.province_id, ["001"])
    serial = block * 100_000 + (org.pk % 100) * 1_000 + i
    cid = demo_data.citizen_id(codes[0], sex, born, serial)
    return {"sex": sex, "birth_date": born, "citizen_id": cid}


def _grow(org: Organisation, size: int) -> None:
    """Add official members (joined two months ago) until the cooperative has ``size``."""
    have = sel.official_members(org).count()
    joined = timezone.localdate() - dt.timedelta(days=60)
    for i in range(have, size):
        name = f"{FAMILY[i % len(FAMILY)]} {GIVEN[(i // len(FAMILY)) % len(GIVEN)]} {i + 1}"
        person = Person.objects.create(organisation=org, full_name=name, **demo_identity(org, i))
        Membership.objects.create(
            organisation=org, person=person, kind="official", joined_on=joined
        )


def _upcoming(
    org: Organisation, manager: User, slug: str, *, actor: Actor, delegate: bool
) -> Assembly | None:
    year = timezone.localdate().year
    title = (
        f"Đại hội đại biểu thành viên năm {year + 1}"
        if delegate
        else f"Đại hội thành viên bất thường năm {year}"
    )
    found = Assembly.objects.filter(organisation=org, title=title).first()
    if found:
        return found
    when = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=20), dt.time(8, 0))
    )
    a = svc.assembly_create(
        actor=manager,
        organisation=org,
        kind="annual" if delegate else "extraordinary",
        year=year if delegate else year - 1,
        mode="hybrid",
        title=title,
        scheduled_at=when,
        place="Hội trường hợp tác xã",
        online_link=f"https://meet.htxso.vn/{slug}-{year}",
        is_delegate=delegate,
    )
    for t, d in [
        ("Báo cáo kết quả năm và kế hoạch năm sau", "Hội đồng quản trị trình bày."),
        ("Phân phối thu nhập", "Theo mức sử dụng dịch vụ và vốn góp."),
        ("Bầu Ban kiểm soát", "Bỏ phiếu kín."),
    ]:
        svc.agenda_add(actor=actor, assembly=a, title=t, description=d)
    doc = ContentFile(
        _docx(
            "Báo cáo tình hình hoạt động",
            [
                f"{org.name}",
                "Doanh thu, chi phí và kết quả kinh doanh trong năm.",
                "Đề xuất phân phối thu nhập cho thành viên.",
            ],
        ),
        name="bao-cao.docx",
    )
    svc.document_add(actor=manager, assembly=a, title="Báo cáo tình hình hoạt động", file=doc)
    if delegate:
        need = sel.delegate_need(org, sel.assembly_day(a))
        ids = list(
            sel.official_members(org).order_by("joined_on", "pk").values_list("pk", flat=True)
        )
        chosen = ids[: need.required or len(ids)]
        svc.delegates_elect(
            actor=actor,
            assembly=a,
            membership_ids=chosen,
            elected_on=timezone.localdate() - dt.timedelta(days=3),
            constituency=", ".join(VILLAGES),
        )
    svc.announce(actor=actor, assembly=a)
    member = User.objects.filter(username=f"tv.{slug}").first()
    if member is not None and sel.membership_of(member, org.pk) is not None:
        with contextlib.suppress(ServiceError):
            svc.petition_create(
                actor=member,
                assembly=a,
                title="Bàn về giá thu mua sản phẩm của thành viên",
                reason="Nhiều hộ đề nghị đại hội thảo luận giá thu mua năm tới.",
            )
    return a


def seed(*, actor: Actor) -> None:
    for code, slug in PROVINCES.items():
        org = _org(code)
        manager = _manager(slug)
        if org is None or manager is None:
            continue
        _past_annual(org, manager, late=code == LATE_PROVINCE)
        if code == DELEGATE_PROVINCE:
            _grow(org, DELEGATE_COOP_SIZE)
        _upcoming(org, manager, slug, actor=actor, delegate=code == DELEGATE_PROVINCE)
