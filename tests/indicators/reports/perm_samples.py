"""Permission-test samples of the periodic reports (tests/permissions/samples.py).

The world: Cao Bằng (04) has a Department of Finance (the compiling office; officer_a is
its member), a ward office (viewer_a is its member) and a department office (no member),
and a 6-month report (template, section, figure) opened for 2026S1.  The ward's report is
submitted (waiting for the compiling office); the department's is accepted and compiled
into the province report (version 1).  Đắk Lắk (66) has the same offices (officer_b,
viewer_b) and report.  For the leak lists, each province's template carries the marker of
a1 (Cao Bằng) or b1 (Đắk Lắk) in its name.
"""

from __future__ import annotations

NAME = "Báo cáo mẫu {tag}"


def _build(w):
    from htxso.core.actors import OPERATOR
    from htxso.geo.models import Ward
    from htxso.indicators import services_reports as svc
    from htxso.indicators.models import ReportCycle, ReportTemplate
    from tests.permissions.perm_samples_lists import TAG

    found = ReportTemplate.objects.filter(name=NAME.format(tag=TAG["a1"])).first()
    if found is not None:
        return found.cycles.get()
    cycles = {}
    for key, pid, compiler, member in (
        ("a1", "04", "officer_a", "viewer_a"),
        ("b1", "66", "officer_b", "viewer_b"),
    ):
        ward = Ward.objects.filter(province_id=pid).order_by("code").first()
        fin = svc.office_create(
            actor=OPERATOR, province_id=pid, name="Sở Tài chính", kind="department", compiles=True
        )
        svc.office_set_members(actor=OPERATOR, office=fin, users=[w.users[compiler]])
        wo = svc.office_create(
            actor=OPERATOR, province_id=pid, name="UBND xã mẫu", kind="ward", ward_id=ward.pk
        )
        svc.office_set_members(actor=OPERATOR, office=wo, users=[w.users[member]])
        dep = svc.office_create(
            actor=OPERATOR, province_id=pid, name="Sở Công Thương", kind="department"
        )
        # a second ward of the same member, whose report is not started yet
        ward2 = Ward.objects.filter(province_id=pid).order_by("code")[1]
        wo2 = svc.office_create(
            actor=OPERATOR, province_id=pid, name="UBND phường mẫu", kind="ward", ward_id=ward2.pk
        )
        svc.office_set_members(actor=OPERATOR, office=wo2, users=[w.users[member]])
        t = svc.template_create(
            actor=OPERATOR,
            province_id=pid,
            name=NAME.format(tag=TAG[key]),
            kind="semiannual",
            due_day=15,
            due_month=6,
            compiling_office=fin,
            offices=[wo, wo2, dep],
            recipients="UBND tỉnh <vanthu@tinh.gov.vn>",
        )
        s = svc.section_add(actor=OPERATOR, template=t, title="Tình hình")
        svc.figure_add(actor=OPERATOR, section=s, key="members", label="Thành viên", unit="people")
        cycle = svc.cycle_open(actor=OPERATOR, template=t, period="2026S1")
        answers = {"narratives": {str(s.pk): "Ổn định"}, "figures": {"members": "10"}}
        svc.submission_save(actor=w.users[member], cycle=cycle, office=wo, submit=True, **answers)
        accepted = svc.submission_save(
            actor=OPERATOR, cycle=cycle, office=dep, submit=True, **answers
        )
        svc.submission_accept(actor=OPERATOR, submission=accepted)
        svc.cycle_compile(actor=OPERATOR, cycle=cycle)
        cycles[key] = cycle
    return ReportCycle.objects.get(pk=cycles["a1"].pk)


def WORLD(w):
    _build(w)


def _cycle(w):
    return _build(w)


def _ward_office(w):
    return _cycle(w).template.offices.get(name="UBND xã mẫu")


def _new_ward_office(w):
    return _cycle(w).template.offices.get(name="UBND phường mẫu")


def _submission(w):
    return _cycle(w).submissions.get(office__name="UBND xã mẫu")


def _compiled(w):
    return _cycle(w).compiled.get()


SAMPLES = {
    "indicators:report_cycle": lambda w: ({"pk": _cycle(w).pk}, None),
    "indicators:report_remind": lambda w: ({"pk": _cycle(w).pk}, None),
    "indicators:report_compile": lambda w: ({"pk": _cycle(w).pk}, None),
    "indicators:report_fill": lambda w: ({"pk": _cycle(w).pk, "office": _ward_office(w).pk}, None),
    "indicators:report_submission": lambda w: ({"pk": _submission(w).pk}, None),
    "indicators:report_return": lambda w: ({"pk": _submission(w).pk}, None),
    "indicators:report_accept": lambda w: ({"pk": _submission(w).pk}, None),
    "indicators:report_send": lambda w: ({"pk": _compiled(w).pk}, None),
    "indicators:report_docx": lambda w: ({"pk": _compiled(w).pk}, None),
    "indicators:report_xlsx": lambda w: ({"pk": _compiled(w).pk}, None),
    "indicators:report_template": lambda w: ({"pk": _cycle(w).template_id}, None),
    "indicators:report_section_add": lambda w: ({"pk": _cycle(w).template_id}, None),
    "indicators:report_cycle_open": lambda w: ({"pk": _cycle(w).template_id}, None),
    "indicators:report_figure_add": lambda w: (
        {"pk": _cycle(w).template.sections.first().pk},
        None,
    ),
    "indicators:report_office_members": lambda w: ({"pk": _ward_office(w).pk}, None),
    "indicators:report_template_edit": lambda w: ({"pk": _cycle(w).template_id}, None),
    "indicators:report_template_copy": lambda w: ({"pk": _cycle(w).template_id}, None),
    "indicators:report_section_edit": lambda w: (
        {"pk": _cycle(w).template.sections.first().pk},
        None,
    ),
    "indicators:report_section_delete": lambda w: (
        {"pk": _cycle(w).template.sections.first().pk},
        None,
    ),
    "indicators:report_figure_delete": lambda w: (
        {"pk": _cycle(w).template.sections.first().figures.first().pk},
        None,
    ),
}

API_SAMPLES = {
    "/api/v1/indicators/reports/cycles/{cycle_id}": lambda w: {"cycle_id": _cycle(w).pk},
    "/api/v1/indicators/reports/cycles/{cycle_id}/offices/{office_id}/submission": lambda w: {
        "cycle_id": _cycle(w).pk,
        "office_id": _new_ward_office(w).pk,
    },
    "/api/v1/indicators/reports/submissions/{submission_id}": lambda w: {
        "submission_id": _submission(w).pk
    },
    "/api/v1/indicators/reports/submissions/{submission_id}/return": lambda w: {
        "submission_id": _submission(w).pk
    },
    "/api/v1/indicators/reports/submissions/{submission_id}/accept": lambda w: {
        "submission_id": _submission(w).pk
    },
}
