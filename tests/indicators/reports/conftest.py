"""A small reporting world on top of tests/conftest.py's: Cao Bằng (04) with its
Department of Finance (officer_a a member), a ward office (viewer_a a member, the ward of
organisation a1) and a department; Đắk Lắk (66) with its own compiling and ward offices
(officer_b, viewer_b), and a 6-month template and cycle in each province."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from htxso.core.actors import OPERATOR


@dataclass
class Rep:
    w: object
    finance: object
    ward_office: object
    department: object
    template: object
    cycle: object
    section: object
    finance_b: object
    ward_b: object
    cycle_b: object


def build(w, *, due_in_days: int = 30) -> Rep:
    from htxso.geo.models import Ward
    from htxso.indicators import services_reports as svc
    from htxso.indicators.models import ReportCycle

    ward = Ward.objects.filter(province_id="04").order_by("code").first()
    ward_b = Ward.objects.filter(province_id="66").order_by("code").first()
    a1 = w.orgs["a1"]
    a1.ward = ward
    a1.save(update_fields=["ward"])

    def offices(pid, ward_obj, compiler, member):
        fin = svc.office_create(
            actor=OPERATOR, province_id=pid, name="Sở Tài chính", kind="department", compiles=True
        )
        svc.office_set_members(actor=OPERATOR, office=fin, users=[compiler])
        wo = svc.office_create(
            actor=OPERATOR,
            province_id=pid,
            name=f"UBND {ward_obj.name}",
            kind="ward",
            ward_id=ward_obj.pk,
        )
        svc.office_set_members(actor=OPERATOR, office=wo, users=[member])
        dep = svc.office_create(
            actor=OPERATOR, province_id=pid, name="Sở Công Thương", kind="department"
        )
        return fin, wo, dep

    fin, wo, dep = offices("04", ward, w.users["officer_a"], w.users["viewer_a"])
    fin_b, wo_b, dep_b = offices("66", ward_b, w.users["officer_b"], w.users["viewer_b"])

    def template(pid, fin, offs):
        t = svc.template_create(
            actor=OPERATOR,
            province_id=pid,
            name="Báo cáo kinh tế tập thể",
            kind="semiannual",
            due_day=15,
            due_month=6,
            compiling_office=fin,
            offices=offs,
            recipients="UBND tỉnh <vanthu@tinh.gov.vn>\nBộ Tài chính <vanthu@mof.gov.vn>",
        )
        s = svc.section_add(
            actor=OPERATOR,
            template=t,
            title="Tình hình phát triển",
            guidance="Số tổ chức, thành viên.",
            platform_figures=["organisations_operating", "cooperatives_operating"],
        )
        svc.figure_add(
            actor=OPERATOR,
            section=s,
            key="cooperatives",
            label="Số hợp tác xã",
            unit="count",
            max_value=1000,
            platform_key="cooperatives_operating",
        )
        svc.figure_add(
            actor=OPERATOR,
            section=s,
            key="members",
            label="Số thành viên",
            unit="people",
            max_value=10_000_000,
        )
        svc.figure_add(
            actor=OPERATOR,
            section=s,
            key="share",
            label="Tỷ lệ hiệu quả",
            unit="percent",
            max_value=100,
            required=False,
        )
        svc.section_add(actor=OPERATOR, template=t, title="Kiến nghị")
        return t, s

    t, s = template("04", fin, [wo, dep])
    t_b, _s_b = template("66", fin_b, [wo_b, dep_b])
    cycle = svc.cycle_open(actor=OPERATOR, template=t, period="2026S1")
    cycle_b = svc.cycle_open(actor=OPERATOR, template=t_b, period="2026S1")
    # the due date relative to today (Vietnam's day), so "late" does not depend on the clock
    from django.utils import timezone

    due = timezone.localdate() + dt.timedelta(days=due_in_days)
    ReportCycle.objects.filter(pk__in=[cycle.pk, cycle_b.pk]).update(due_on=due)
    cycle.refresh_from_db()
    cycle_b.refresh_from_db()
    return Rep(w, fin, wo, dep, t, cycle, s, fin_b, wo_b, cycle_b)


@pytest.fixture(autouse=True)
def _english():
    """Service messages are checked in English (pages are checked in Vietnamese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def rep(world) -> Rep:
    return build(world)


def answers(rep: Rep, **figures) -> tuple[dict, dict]:
    sections = list(rep.template.sections.all())
    narratives = {str(s.pk): f"Nội dung mục {s.title}" for s in sections}
    values = {"cooperatives": "1", "members": "40", "share": "55,5"}
    values.update(figures)
    return narratives, values
