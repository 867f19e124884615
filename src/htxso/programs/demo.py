"""Demo: the EU youth-DX call of source 000 in the five demo provinces, and a second call
(DX loans from Nghệ An's S&T development fund) with other criteria.

Youth-DX: Thái Nguyên, Nghệ An and Đắk Lắk forward 5–6 eligible cooperatives each and
qualify; Cao Bằng forwards 3 (does not qualify); Hà Nội is still reviewing, and the
demo manager of its first cooperative has a draft application.  Three
qualifying provinces are fewer than the 12 the project needs, so the national page shows
why no selection can be recorded yet.  Idempotent: a call that exists is left alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from htxso.core.actors import Actor
from htxso.core.demodata import DEMO_PROVINCES, DemoContext

ORDER = 40

YOUTH_TITLE = "Lựa chọn HTX tham gia Dự án thanh niên chuyển đổi số (EU)"
LOAN_TITLE = "Vay vốn chuyển đổi số từ Quỹ phát triển KH&CN tỉnh Nghệ An"

YOUTH_CRITERIA = [
    (
        "youth_share",
        "Có trên 40% thanh niên (dưới 35 tuổi) đang làm việc tại HTX",
        {"threshold": 40},
    ),
    (
        "finance",
        "HTX hoạt động sản xuất, kinh doanh hiệu quả, ổn định (có lãi 2 năm gần nhất)",
        {"field": "profit", "years": 2, "mode": "positive"},
    ),
    ("value_chain", "HTX tham gia sản xuất theo chuỗi giá trị sản phẩm", {"min_links": 1}),
    (
        "declared",
        "Ban lãnh đạo HTX năng động, sáng tạo, sẵn sàng tiếp nhận kiến thức mới về chuyển đổi số",
        {},
    ),
]
LOAN_CRITERIA = [
    ("province", "HTX đăng ký trên địa bàn tỉnh Nghệ An", {"provinces": ["40"]}),
    ("operating_months", "Hoạt động liên tục từ 24 tháng trở lên", {"min_months": 24}),
    (
        "finance",
        "Doanh thu tăng trong 2 năm gần nhất",
        {"field": "revenue", "years": 2, "mode": "growing"},
    ),
    ("grade", "Được xếp loại từ khá trở lên", {"at_least": "fair"}),
    ("declared", "Có phương án chuyển đổi số được Hội đồng quản trị thông qua", {}),
]
#: province → (verified applications, extra state) for the youth-DX call
YOUTH_PLAN = {
    "04": (3, "forward"),
    "19": (6, "forward"),
    "40": (5, "forward"),
    "66": (6, "forward"),
    "01": (2, "review"),
}
STATEMENT = (
    "Ban giám đốc dưới 40 tuổi, đã dùng phần mềm kế toán và bán hàng trên sàn thương mại điện tử."
)


def seed(ctx: DemoContext) -> None:
    from htxso.accounts.models import User

    from .models import Call

    if not User.objects.filter(username="vca.admin").exists():
        ctx.log("programs: no demo accounts, skipped")
        return
    made = []
    if not Call.objects.filter(title=YOUTH_TITLE).exists():
        _youth_call(ctx)
        made.append("youth-DX call")
    if not Call.objects.filter(title=LOAN_TITLE).exists():
        _loan_call(ctx)
        made.append("DX loan call")
    ctx.log(f"programs: {', '.join(made) or 'nothing new'}")


def _users():
    from htxso.accounts.models import User

    vca = User.objects.get(username="vca.admin")
    officers = {
        code: User.objects.filter(username=f"lm.{slug}").first() or vca
        for code, slug in DEMO_PROVINCES.items()
    }
    return vca, officers


def _deadline(days: int) -> dt.datetime:
    local = timezone.localtime() + dt.timedelta(days=days)
    return local.replace(hour=17, minute=0, second=0, microsecond=0)


def _create(vca, title, criteria, **extra):
    from .services import calls

    data = {
        "title": title,
        "audience_kinds": ["cooperative"],
        "ranking": "eligible_count",
        **extra,
    }
    call = calls.call_create(actor=vca, data=data)
    for kind, label, params in criteria:
        calls.criterion_add(actor=vca, call=call, kind=kind, label=label, params=params)
    return calls.call_open(actor=vca, call=call)


def _passing(call, province: str) -> tuple[list, list]:
    """Cooperatives of ``province`` meeting every computed criterion, and the others."""
    from htxso.registry.models import Organisation
    from htxso.registry.rules import engine as rules
    from htxso.registry.rules.facts import load_facts, needs_for

    criteria = [c for c in call.criteria.all() if not c.is_declared]
    orgs = Organisation.objects.filter(
        province_id=province, kind="cooperative", status="active"
    ).order_by("id")
    facts = load_facts(orgs, needs=needs_for(c.kind for c in criteria))
    on = timezone.localdate()
    good, bad = [], []
    for org in orgs:
        verdicts = [
            rules.evaluate(
                c.kind, facts[org.pk], c.params, rules.reference_date(c.params, on)
            ).verdict
            for c in criteria
        ]
        (good if rules.combine(verdicts) else bad).append(org)
    return good, bad


def _apply(call, organisation, *, actor: Actor, submit: bool = True) -> Any:
    from .services import applications

    application = applications.application_start(actor=actor, call=call, organisation=organisation)
    declared = call.criteria.filter(kind="declared").first()
    if declared is not None:
        applications.declaration_save(
            actor=actor, application=application, criterion=declared, statement=STATEMENT
        )
    if submit:
        applications.application_submit(actor=actor, application=application)
    return application


def _verify(officer, application):
    from .services import review

    for criterion in application.call.criteria.filter(kind="declared"):
        review.declared_check(
            actor=officer, application=application, criterion=criterion, accepted=True
        )
    return review.application_verify(
        actor=officer, application=application, comment="Đã đối chiếu hồ sơ."
    )


def _youth_call(ctx) -> None:
    from htxso.registry.models import Organisation

    from .services import calls, review

    vca, officers = _users()
    call = _create(
        vca,
        YOUTH_TITLE,
        YOUTH_CRITERIA,
        programme="Dự án “Thanh niên trong HTX là chủ thể của chuyển đổi số tại địa phương”",
        donor="Liên minh châu Âu (EU); Liên minh HTX Việt Nam và Halieus/Legacoop",
        period="2024–2027 (42 tháng)",
        summary=(
            "600 thanh niên trong các HTX được đào tạo trực tiếp về số hoá; "
            "400 thanh niên tham gia xây dựng kế hoạch chuyển đổi số; "
            "450 thành viên và người lao động của HTX cà phê tham gia "
            "thí điểm chuyển đổi số trong chuỗi giá trị."
        ),
        deadline=_deadline(21),
        forward_deadline=_deadline(35),
        min_eligible=5,
        provinces_min=12,
        provinces_max=24,
        reference="205/CQLMHTXVN-HTQT",
        contact="Ban Hợp tác quốc tế, Liên minh HTX Việt Nam",
    )
    for code, (verified, state) in YOUTH_PLAN.items():
        officer = officers[code]
        calls.call_publish(
            actor=officer,
            call=call,
            province_id=code,
            deadline=_deadline(14),
            letter_number="108/CV-LMHTX" if code == "04" else "",
            contact="Đ/c Nguyễn Thị Hương, phòng Tư vấn hỗ trợ, 0983 920 883"
            if code == "04"
            else "",
        )
        good, bad = _passing(call, code)
        for organisation in good[:verified]:
            _verify(officer, _apply(call, organisation, actor=vca))
        if bad:
            application = _apply(call, bad[0], actor=vca)
            if state == "forward":
                review.application_reject(
                    actor=officer,
                    application=application,
                    comment="Tỷ lệ thanh niên hoặc kết quả kinh doanh chưa đạt.",
                )
        if state == "review":
            rest = good[verified:]
            if rest:
                application = _apply(call, rest[0], actor=vca)
                review.application_request_info(
                    actor=officer,
                    application=application,
                    comment="Đề nghị gửi báo cáo tài chính năm gần nhất có xác nhận.",
                )
            first = (
                Organisation.objects.filter(province_id=code, kind="cooperative")
                .order_by("id")
                .first()
            )
            if first is not None and not call.applications.filter(organisation=first).exists():
                _apply(call, first, actor=vca, submit=False)
        else:
            review.compilation_forward(
                actor=officer,
                call=call,
                province_id=code,
                note="Danh sách HTX đăng ký tham gia dự án.",
            )
    ctx.log("programs: youth-DX call with applications in 5 provinces")


def _loan_call(ctx) -> None:
    from .services import calls

    vca, officers = _users()
    call = _create(
        vca,
        LOAN_TITLE,
        LOAN_CRITERIA,
        programme="Cho vay dự án chuyển đổi số của HTX từ Quỹ phát triển KH&CN tỉnh",
        donor="Quỹ phát triển khoa học và công nghệ tỉnh Nghệ An",
        period="2026",
        deadline=_deadline(30),
        min_eligible=1,
        provinces_min=1,
        provinces_max=1,
        contact="Quỹ phát triển KH&CN tỉnh Nghệ An",
    )
    calls.call_publish(actor=officers["40"], call=call, province_id="40")
    good, bad = _passing(call, "40")
    for organisation in good[:2] + bad[:1]:
        _apply(call, organisation, actor=vca)
