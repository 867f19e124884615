"""Changing a report template after creation — THE RULE (services_reports, and written
on the template's page): name, due date, recipients and offices can change at any time
(a new due date applies to cycles opened afterwards); sections, figures and offices can
be added at any time; once an office has submitted against the template, sections and
figures can no longer be changed or removed and an office that reported cannot be
removed — copy the template for the next periods (the old one is retired)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from htxso.core.errors import ServiceError
from htxso.core.models import AuditEvent
from htxso.indicators import services_reports as svc
from htxso.indicators.models import ReportFigure, ReportSection, ReportTemplate

from .conftest import answers

pytestmark = pytest.mark.django_db


def _submit(rep):
    narratives, values = answers(rep)
    return svc.submission_save(
        actor=rep.w.users["viewer_a"],
        cycle=rep.cycle,
        office=rep.ward_office,
        narratives=narratives,
        figures=values,
        submit=True,
    )


def _counts():
    return (
        ReportTemplate.objects.count(),
        ReportSection.objects.count(),
        ReportFigure.objects.count(),
        AuditEvent.objects.count(),
    )


def test_before_anyone_submitted_everything_can_change(rep):
    officer = rep.w.users["officer_a"]
    t = svc.template_update(
        actor=officer,
        template=rep.template,
        name="Báo cáo 6 tháng (sửa)",
        due_day=20,
        due_month=7,
        offices=[rep.ward_office],
        recipients="UBND tỉnh <vanthu@tinh.gov.vn>",
    )
    assert (t.name, t.due_day, t.due_month) == ("Báo cáo 6 tháng (sửa)", 20, 7)
    assert list(t.offices.all()) == [rep.ward_office]
    rep.cycle.refresh_from_db()
    assert rep.cycle.due_on != dt.date(2026, 7, 20)  # the open cycle keeps its due date
    later = svc.cycle_open(actor=officer, template=t, period="2026S2")
    assert later.due_on == dt.date(2026, 7, 20)  # a new cycle follows the new date
    s = svc.section_update(
        actor=officer,
        section=rep.section,
        title="Tình hình <b>mới</b><script>x()</script>",
        guidance="",
        platform_figures=["members_reported"],
    )
    s.refresh_from_db()
    assert s.title == "Tình hình mới" and s.platform_figures == ["members_reported"]
    svc.figure_delete(actor=officer, figure=rep.section.figures.get(key="share"))
    assert not ReportFigure.objects.filter(section=rep.section, key="share").exists()
    other = rep.template.sections.exclude(pk=rep.section.pk).get()
    svc.section_delete(actor=officer, section=other)
    assert list(rep.template.sections.all()) == [rep.section]
    actions = set(
        AuditEvent.objects.filter(action__startswith="report_template.").values_list(
            "action", flat=True
        )
    )
    assert {
        "report_template.update",
        "report_template.section_update",
        "report_template.figure_delete",
        "report_template.section_delete",
    } <= actions


def test_after_a_submission_the_questions_are_fixed_but_additions_are_fine(rep):
    officer = rep.w.users["officer_a"]
    _submit(rep)
    assert svc.template_locked(rep.template)
    before = _counts()
    for call in (
        lambda: svc.section_update(actor=officer, section=rep.section, title="Khác"),
        lambda: svc.section_delete(actor=officer, section=rep.section),
        lambda: svc.figure_delete(actor=officer, figure=rep.section.figures.first()),
    ):
        with pytest.raises(ServiceError) as exc:
            call()
        assert exc.value.code == "template_in_use"
        assert "copy the template" in str(exc.value.message % exc.value.params)
    # the ward office reported: it cannot be removed (nothing changes)
    with pytest.raises(ServiceError) as exc:
        svc.template_update(
            actor=officer,
            template=rep.template,
            name="Khác",
            due_day=1,
            due_month=7,
            offices=[rep.department],
        )
    assert exc.value.fields["offices"]
    assert rep.ward_office.name in str(exc.value.fields["offices"][0])
    assert _counts() == before
    rep.template.refresh_from_db()
    assert rep.template.name == "Báo cáo kinh tế tập thể" and rep.template.due_day == 15
    # additions and the due date / name are fine
    svc.section_add(actor=officer, template=rep.template, title="Mục mới")
    t = svc.template_update(
        actor=officer,
        template=rep.template,
        name="Báo cáo kinh tế tập thể",
        due_day=30,
        due_month=6,
        offices=[rep.ward_office, rep.department],
    )
    assert t.due_day == 30


def test_a_draft_does_not_lock_but_removing_its_office_is_refused(rep):
    narratives, values = answers(rep)
    svc.submission_save(
        actor=rep.w.users["viewer_a"],
        cycle=rep.cycle,
        office=rep.ward_office,
        narratives=narratives,
        figures=values,
    )
    assert not svc.template_locked(rep.template)
    with pytest.raises(ServiceError):
        svc.template_update(
            actor=rep.w.users["officer_a"],
            template=rep.template,
            name=rep.template.name,
            due_day=15,
            due_month=6,
            offices=[rep.department],
        )


def test_copy_for_the_next_periods_retires_the_old_one(rep):
    officer = rep.w.users["officer_a"]
    _submit(rep)
    copy = svc.template_copy(actor=officer, template=rep.template, name="Báo cáo 2027")
    assert copy.pk != rep.template.pk and copy.is_active
    assert [s.title for s in copy.sections.all()] == [s.title for s in rep.template.sections.all()]
    assert set(
        ReportFigure.objects.filter(section__template=copy).values_list("key", flat=True)
    ) == {
        "cooperatives",
        "members",
        "share",
    }
    assert set(copy.offices.all()) == set(rep.template.offices.all())
    rep.template.refresh_from_db()
    assert not rep.template.is_active
    with pytest.raises(ServiceError) as exc:
        svc.cycle_open(actor=officer, template=rep.template, period="2026S2")
    assert exc.value.code == "template_inactive"
    svc.section_delete(actor=officer, section=copy.sections.first())  # the copy is free
    with pytest.raises(ServiceError) as exc:
        svc.template_copy(actor=officer, template=copy, name="Báo cáo 2027")
    assert exc.value.fields["name"]


def test_other_provinces_and_readers_cannot_change(rep):
    with pytest.raises(ServiceError) as exc:
        svc.section_delete(actor=rep.w.users["officer_b"], section=rep.section)
    assert exc.value.code in ("forbidden", "not_found")
    with pytest.raises(ServiceError):
        svc.template_copy(actor=rep.w.users["viewer_a"], template=rep.template, name="X")
    assert rep.template.sections.count() == 2


def test_pages_show_the_rule_and_change_the_template(client, rep):
    officer = rep.w.users["officer_a"]
    client.force_login(officer)
    url = reverse("indicators:report_template", args=[rep.template.pk])
    body = client.get(url).content.decode()
    assert 'id="template-rule"' in body and 'id="template-edit"' in body
    assert reverse("indicators:report_section_delete", args=[rep.section.pk]) in body
    r = client.post(
        reverse("indicators:report_template_edit", args=[rep.template.pk]),
        {
            "name": "Báo cáo đã sửa",
            "due_day": "31",
            "due_month": "2",  # no 31 February: refused, nothing changes
            "offices": [rep.ward_office.pk],
        },
    )
    assert r.status_code == 400
    rep.template.refresh_from_db()
    assert rep.template.name == "Báo cáo kinh tế tập thể"
    r = client.post(
        reverse("indicators:report_template_edit", args=[rep.template.pk]),
        {
            "name": "Báo cáo đã sửa",
            "due_day": "10",
            "due_month": "7",
            "offices": [rep.ward_office.pk],
        },
    )
    assert r.status_code == 302
    rep.template.refresh_from_db()
    assert (rep.template.name, rep.template.due_day) == ("Báo cáo đã sửa", 10)
    r = client.post(
        reverse("indicators:report_section_edit", args=[rep.section.pk]),
        {f"s{rep.section.pk}-title": "Mục đã sửa"},
    )
    assert r.status_code == 302
    rep.section.refresh_from_db()
    assert rep.section.title == "Mục đã sửa"
    # once submitted, the page says so and offers no removal; a forged POST is refused
    rep.template.offices.add(rep.department)
    _submit(rep)
    body = client.get(url).content.decode()
    assert 'id="template-locked"' in body
    assert reverse("indicators:report_section_delete", args=[rep.section.pk]) not in body
    r = client.post(reverse("indicators:report_section_delete", args=[rep.section.pk]), follow=True)
    assert ReportSection.objects.filter(pk=rep.section.pk).exists()
    assert r.status_code == 200
    # another province's officer: 404
    client.force_login(rep.w.users["officer_b"])
    r = client.post(
        reverse("indicators:report_figure_delete", args=[rep.section.figures.first().pk])
    )
    assert r.status_code == 404
