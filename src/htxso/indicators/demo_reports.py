"""Demo of the periodic reports: a 6-month report cycle in Cao Bằng (04) whose offices'
submissions are in every state — accepted, submitted, returned, a draft, not started —
and late or on time; and the EU project's half-year progress report through the same
machinery (a template with the EU framework, both departments' reports accepted and the
report compiled with its logframe table).

Called from ``indicators/demo.py`` (``demo_reports.seed(ctx)``), after the accounts and
registry demos.  Idempotent: a second run finds the cycle and changes nothing.

Who is who (password of the demo accounts):

* ``so.caobang`` (the department viewer of accounts' demo) is a member of the compiling
  office, the Department of Finance;
* ``lm.caobang`` (the alliance officer) defines the report;
* ``bc.caobang.1`` … ``bc.caobang.6`` (no role) are members of the submitting offices.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from htxso.core.actors import OPERATOR
from htxso.core.demodata import DEMO_PASSWORD, DemoContext

from .models import (
    FigureUnit,
    OfficeKind,
    ReportCycle,
    ReportingOffice,
    ReportKind,
    ReportTemplate,
    Submission,
)

PROVINCE = "04"
TEMPLATE_NAME = "Báo cáo tình hình phát triển kinh tế tập thể"
FINANCE = "Sở Tài chính tỉnh Cao Bằng"
DEPARTMENTS = ["Sở Nông nghiệp và Môi trường", "Sở Công Thương"]
RECIPIENTS = "UBND tỉnh Cao Bằng <vanthu@caobang.gov.vn>\nBộ Tài chính <vanthu@mof.gov.vn>"


def _member(username: str, full_name: str):
    from htxso.accounts import services
    from htxso.accounts.models import User

    user = User.objects.filter(username=username).first()
    return user or services.user_create(
        actor=OPERATOR,
        username=username,
        password=DEMO_PASSWORD,
        full_name=full_name,
        email=f"{username}@demo.htxso.vn",
        validate=False,
    )


def _offices() -> tuple[ReportingOffice, list[ReportingOffice]]:
    from htxso.accounts.models import User
    from htxso.geo.models import Ward
    from htxso.registry.models import Organisation

    from . import services_reports as svc

    finance = ReportingOffice.objects.filter(province_id=PROVINCE, compiles=True).first()
    if finance is None:
        finance = svc.office_create(
            actor=OPERATOR,
            province_id=PROVINCE,
            name=FINANCE,
            kind=OfficeKind.DEPARTMENT,
            compiles=True,
            email="stc@caobang.gov.vn",
        )
    viewer = User.objects.filter(username="so.caobang").first()
    if viewer is not None and not finance.members.filter(pk=viewer.pk).exists():
        svc.office_set_members(actor=OPERATOR, office=finance, users=[viewer])
    # the wards with the most organisations, so the pre-filled figures are not all zero
    ward_ids = list(
        Organisation.objects.filter(province_id=PROVINCE, ward__isnull=False)
        .values_list("ward_id", flat=True)
        .order_by("ward_id")
        .distinct()[:4]
    )
    wards = list(Ward.objects.filter(pk__in=ward_ids))
    wards += list(
        Ward.objects.filter(province_id=PROVINCE).exclude(pk__in=ward_ids)[: 4 - len(wards)]
    )
    names = [(n, OfficeKind.DEPARTMENT, None) for n in DEPARTMENTS]
    names += [(f"UBND {w.name}", OfficeKind.WARD, w.pk) for w in wards]
    offices = []
    for i, (name, kind, ward) in enumerate(names, start=1):
        office = ReportingOffice.objects.filter(province_id=PROVINCE, name=name).first()
        if office is None:
            office = svc.office_create(
                actor=OPERATOR, province_id=PROVINCE, name=name, kind=kind, ward_id=ward
            )
        user = _member(f"bc.caobang.{i}", f"Cán bộ báo cáo {i} ({name})")
        if not office.members.filter(pk=user.pk).exists():
            svc.office_set_members(actor=OPERATOR, office=office, users=[user])
        offices.append(office)
    return finance, offices


def _template(finance: ReportingOffice, offices: list[ReportingOffice]) -> ReportTemplate:
    from . import services_reports as svc

    found = ReportTemplate.objects.filter(province_id=PROVINCE, name=TEMPLATE_NAME).first()
    if found is not None:
        return found
    template = svc.template_create(
        actor=OPERATOR,
        province_id=PROVINCE,
        name=TEMPLATE_NAME,
        kind=ReportKind.SEMIANNUAL,
        due_day=15,
        due_month=6,
        compiling_office=finance,
        offices=offices,
        recipients=RECIPIENTS,
    )
    s1 = svc.section_add(
        actor=OPERATOR,
        template=template,
        title="Tình hình phát triển các tổ chức kinh tế tập thể",
        guidance="Số tổ chức đang hoạt động, thành lập mới, giải thể; số thành viên.",
        platform_figures=[
            "organisations_operating",
            "cooperatives_operating",
            "groups_operating",
            "organisations_new",
        ],
    )
    svc.figure_add(
        actor=OPERATOR,
        section=s1,
        key="cooperatives",
        label="Số hợp tác xã đang hoạt động",
        unit=FigureUnit.COUNT,
        max_value=100000,
        platform_key="cooperatives_operating",
    )
    svc.figure_add(
        actor=OPERATOR,
        section=s1,
        key="new_cooperatives",
        label="Số hợp tác xã thành lập mới",
        unit=FigureUnit.COUNT,
        max_value=10000,
    )
    svc.figure_add(
        actor=OPERATOR,
        section=s1,
        key="members",
        label="Tổng số thành viên",
        unit=FigureUnit.PEOPLE,
        max_value=10_000_000,
    )
    s2 = svc.section_add(
        actor=OPERATOR,
        template=template,
        title="Kết quả sản xuất, kinh doanh",
        guidance="Doanh thu, thu nhập bình quân của người lao động.",
        platform_figures=["revenue_reported", "workers_reported"],
    )
    svc.figure_add(
        actor=OPERATOR,
        section=s2,
        key="revenue",
        label="Tổng doanh thu",
        unit=FigureUnit.VND,
        max_value=10**15,
        required=False,
    )
    svc.figure_add(
        actor=OPERATOR,
        section=s2,
        key="income_share",
        label="Tỷ lệ hợp tác xã hoạt động hiệu quả",
        unit=FigureUnit.PERCENT,
        max_value=100,
        required=False,
    )
    svc.section_add(
        actor=OPERATOR,
        template=template,
        title="Khó khăn, vướng mắc và kiến nghị",
        guidance="Nêu cụ thể kiến nghị với UBND tỉnh và các bộ, ngành.",
    )
    return template


NARRATIVES = [
    "Trong kỳ, các hợp tác xã trên địa bàn duy trì hoạt động ổn định; một số hợp tác xã "
    "mở rộng liên kết tiêu thụ sản phẩm.",
    "Doanh thu bình quân tăng so với cùng kỳ; thu nhập của người lao động được cải thiện.",
    "Đề nghị tỉnh hỗ trợ đào tạo chuyển đổi số và kết nối tiêu thụ sản phẩm OCOP.",
]


def _fill(template: ReportTemplate, cycle: ReportCycle, office: ReportingOffice, *, submit: bool):
    from . import selectors_reports as sel
    from . import services_reports as svc

    sections, _defs = svc.template_parts(template)
    platform = sel.platform_figures(office, cycle.period)
    user = office.members.first()
    return svc.submission_save(
        actor=user or OPERATOR,
        cycle=cycle,
        office=office,
        narratives={str(s.pk): NARRATIVES[i % 3] for i, s in enumerate(sections)},
        figures={
            "cooperatives": str(platform.get("cooperatives_operating", 0)),
            "new_cooperatives": "1",
            "members": str(max(platform.get("members_reported", 0), 25)),
            "revenue": str(platform.get("revenue_reported", 0)),
            "income_share": "62,5",
        },
        submit=submit,
    )


def seed(ctx: DemoContext) -> None:
    from htxso.accounts.models import User

    from . import services_reports as svc

    finance, offices = _offices()
    template = _template(finance, offices)
    period = f"{timezone.localdate().year}S1"
    if ReportCycle.objects.filter(template=template, period=period).exists():
        ctx.log("indicators: Cao Bằng's 6-month report cycle already there")
        return
    cycle = svc.cycle_open(actor=OPERATOR, template=template, period=period)
    compiler = User.objects.filter(username="so.caobang").first() or OPERATOR
    # offices: 0 accepted (on time), 1 submitted (late), 2 returned, 3 accepted (late),
    # 4 draft, 5 not started
    on_time = timezone.make_aware(
        dt.datetime.combine(cycle.due_on - dt.timedelta(days=3), dt.time(9))
    )
    states = {}
    for i in (0, 1, 2, 3):
        states[i] = _fill(template, cycle, offices[i], submit=True)
    Submission.objects.filter(pk__in=[states[0].pk, states[2].pk]).update(
        is_late=False, first_submitted_at=on_time, submitted_at=on_time
    )
    for i in (0, 3):
        svc.submission_accept(actor=compiler, submission=states[i], comment="Số liệu đầy đủ.")
    states[2].refresh_from_db()
    svc.submission_return(
        actor=compiler,
        submission=states[2],
        comment="Đề nghị bổ sung số thành viên mới và giải trình số hợp tác xã chênh lệch.",
    )
    if len(offices) > 4:
        _fill(template, cycle, offices[4], submit=False)
    ctx.log(
        f"indicators: Cao Bằng's 6-month report {period} with {len(offices)} offices "
        "(accepted, submitted, returned, draft, not started); compiling office member so.caobang"
    )
    seed_eu_progress(ctx, finance, offices[:2], period)


EU_TEMPLATE_NAME = "Báo cáo tiến độ 6 tháng dự án EU (thanh niên và chuyển đổi số)"
EU_FRAMEWORK = "eu-youth-dx"


def seed_eu_progress(
    ctx: DemoContext, finance: ReportingOffice, offices: list[ReportingOffice], period: str
) -> None:
    """The EU project's half-year progress report: the two departments report on the
    project's activities, the Department of Finance accepts and compiles — the report
    carries the EU framework's logframe (targets and actuals from the dashboard)."""
    from htxso.accounts.models import User

    from . import services_reports as svc
    from .models import Framework

    framework = Framework.objects.filter(code=EU_FRAMEWORK).first()
    if framework is None or not offices:
        return
    template = ReportTemplate.objects.filter(province_id=PROVINCE, name=EU_TEMPLATE_NAME).first()
    if template is None:
        template = svc.template_create(
            actor=OPERATOR,
            province_id=PROVINCE,
            name=EU_TEMPLATE_NAME,
            kind=ReportKind.SEMIANNUAL,
            due_day=10,
            due_month=7,
            compiling_office=finance,
            offices=offices,
            recipients=RECIPIENTS,
            framework=framework,
        )
        svc.section_add(
            actor=OPERATOR,
            template=template,
            title="Tiến độ thực hiện các hoạt động của dự án",
            guidance="Đào tạo thanh niên, xây dựng kế hoạch chuyển đổi số, thí điểm chuỗi cà phê.",
        )
        svc.section_add(
            actor=OPERATOR,
            template=template,
            title="Khó khăn và đề xuất",
        )
    if ReportCycle.objects.filter(template=template, period=period).exists():
        return
    cycle = svc.cycle_open(actor=OPERATOR, template=template, period=period)
    compiler = User.objects.filter(username="so.caobang").first() or OPERATOR
    sections, _defs = svc.template_parts(template)
    texts = [
        "Đã phối hợp tổ chức các lớp đào tạo kỹ năng số cho thanh niên trong hợp tác xã; "
        "hướng dẫn hợp tác xã tự đánh giá mức độ chuyển đổi số và lập kế hoạch.",
        "Đề nghị dự án bổ sung giảng viên nguồn tại các xã vùng cao.",
    ]
    for office in offices:
        sub = svc.submission_save(
            actor=office.members.first() or OPERATOR,
            cycle=cycle,
            office=office,
            narratives={str(s.pk): texts[i % 2] for i, s in enumerate(sections)},
            figures={},
            submit=True,
        )
        svc.submission_accept(actor=compiler, submission=sub)
    svc.cycle_compile(actor=compiler, cycle=cycle)
    ctx.log(f"indicators: the EU project's progress report {period} compiled with its logframe")
