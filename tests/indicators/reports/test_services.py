"""Services of the periodic reports: the state machine, validation, lateness, warnings,
reminders, compiling and sending, and refusals that change nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from htxso.core import messaging
from htxso.core.errors import Kind, ServiceError
from htxso.core.models import AuditEvent
from htxso.indicators import selectors_reports as sel
from htxso.indicators import services_reports as svc
from htxso.indicators.models import ReportCycle, Submission, SubmissionEvent

from .conftest import answers

pytestmark = pytest.mark.django_db


def _save(rep, user=None, submit=False, **figures):
    narratives, values = answers(rep, **figures)
    return svc.submission_save(
        actor=user or rep.w.users["viewer_a"],
        cycle=rep.cycle,
        office=rep.ward_office,
        narratives=narratives,
        figures=values,
        submit=submit,
    )


def test_full_cycle_draft_submit_return_resubmit_accept_compile_send(rep):
    ward_user, compiler = rep.w.users["viewer_a"], rep.w.users["officer_a"]
    sub = _save(rep)
    assert sub.status == "draft" and sub.figures["share"] == "55.5"
    sub = _save(rep, submit=True)
    assert sub.status == "submitted" and not sub.is_late
    with pytest.raises(ServiceError) as exc:
        svc.submission_return(actor=compiler, submission=sub, comment="  ")
    assert exc.value.code == "invalid"
    sub = svc.submission_return(actor=compiler, submission=sub, comment="Bổ sung số thành viên.")
    assert sub.status == "returned" and sub.last_comment == "Bổ sung số thành viên."
    sub = _save(rep, submit=True, members="45")
    assert sub.status == "submitted"
    sub = svc.submission_accept(actor=compiler, submission=sub)
    assert sub.status == "accepted"
    events = list(SubmissionEvent.objects.filter(submission=sub).order_by("at", "pk"))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "accepted"),
    ]
    assert [e.actor_id for e in events] == [ward_user.pk, compiler.pk, ward_user.pk, compiler.pk]
    assert events[1].comment == "Bổ sung số thành viên."
    assert (
        AuditEvent.objects.filter(action__startswith="report_submission.").count() == 5
    )  # a save, four moves

    compiled = svc.cycle_compile(actor=compiler, cycle=rep.cycle)
    assert compiled.version == 1 and compiled.submission_ids == [sub.pk]
    doc = Document(io.BytesIO(compiled.docx.read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    header = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header and "SỞ TÀI CHÍNH" in header
    assert "BÁO CÁO" in text and "6 tháng đầu năm 2026" in text
    assert "Số thành viên: 45 người" in text
    assert f"{rep.ward_office.name}: Nội dung mục Tình hình phát triển" in text
    assert "UBND tỉnh" in text and "Bộ Tài chính" in text
    wb = load_workbook(io.BytesIO(compiled.xlsx.read()))
    ws = wb["Số liệu theo đơn vị"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header_row = next(r for r in rows if r[0] == "Cơ quan, đơn vị")
    office_row = next(r for r in rows if r[0] == rep.ward_office.name)
    assert office_row[header_row.index("Số thành viên (người)")] == 45
    assert "Tình hình nộp" in wb.sheetnames

    mail.outbox.clear()
    with _commit():
        sent = svc.compiled_send(actor=compiler, compiled=compiled)
    assert [r["email"] for r in sent] == ["vanthu@tinh.gov.vn", "vanthu@mof.gov.vn"]
    compiled.refresh_from_db()
    assert compiled.sent_at and compiled.sent_by_id == compiler.pk
    message = mail.outbox[-1]
    assert sorted(message.to) == ["vanthu@mof.gov.vn", "vanthu@tinh.gov.vn"]
    assert [a[0].rsplit(".", 1)[1] for a in message.attachments] == ["docx", "xlsx"]


class _commit:
    """Run on_commit callbacks of the test's transaction at the end of the block."""

    def __enter__(self):
        from django.test import TestCase

        self._ctx = TestCase.captureOnCommitCallbacks(execute=True)
        return self._ctx.__enter__()

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


def _snapshot():
    return (
        list(Submission.objects.values_list("pk", "status", "figures", "narratives")),
        SubmissionEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def test_illegal_transitions_are_refused_precisely_and_change_nothing(rep):
    compiler = rep.w.users["officer_a"]
    draft = _save(rep)
    before = _snapshot()
    for run, code in (
        (svc.submission_accept, "submission_draft"),
        (svc.submission_return, "submission_draft"),
    ):
        with pytest.raises(ServiceError) as exc:
            run(actor=compiler, submission=draft, comment="x")
        assert exc.value.code == code and exc.value.kind is Kind.CONFLICT
        assert "draft" in exc.value.text
    assert _snapshot() == before
    sub = _save(rep, submit=True)
    with pytest.raises(ServiceError) as exc:
        _save(rep, submit=True)  # a replayed submit
    assert exc.value.code == "submission_submitted"
    assert "waits for the compiling office" in exc.value.text
    svc.submission_accept(actor=compiler, submission=sub)
    before = _snapshot()
    for run in (svc.submission_accept, svc.submission_return):
        with pytest.raises(ServiceError) as exc:
            run(actor=compiler, submission=sub, comment="x")
        assert exc.value.code == "submission_accepted"
    with pytest.raises(ServiceError) as exc:
        _save(rep, members="1")
    assert exc.value.code == "submission_accepted"
    assert _snapshot() == before


def test_only_the_compiling_office_decides_and_only_members_fill(rep):
    sub = _save(rep, submit=True)
    before = _snapshot()
    # the ward's member may see the report but not decide on it
    with pytest.raises(ServiceError) as exc:
        svc.submission_accept(actor=rep.w.users["viewer_a"], submission=sub)
    assert exc.value.kind is Kind.FORBIDDEN
    # another province's compiling office does not even see it
    with pytest.raises(ServiceError) as exc:
        svc.submission_accept(actor=rep.w.users["officer_b"], submission=sub)
    assert exc.value.kind is Kind.NOT_FOUND
    # the province's officer sees it (staff) but is not the office's member
    narratives, values = answers(rep)
    with pytest.raises(ServiceError) as exc:
        svc.submission_save(
            actor=rep.w.users["officer_b"],
            cycle=rep.cycle,
            office=rep.ward_office,
            narratives=narratives,
            figures=values,
        )
    assert exc.value.kind is Kind.NOT_FOUND
    with pytest.raises(ServiceError) as exc:
        svc.submission_save(
            actor=rep.w.users["viewer_a"],
            cycle=rep.cycle_b,
            office=rep.ward_b,
            narratives=narratives,
            figures=values,
        )
    assert exc.value.kind is Kind.NOT_FOUND
    # a department the user is not a member of
    with pytest.raises(ServiceError) as exc:
        svc.submission_save(
            actor=rep.w.users["viewer_a"],
            cycle=rep.cycle,
            office=rep.department,
            narratives=narratives,
            figures=values,
        )
    assert exc.value.kind is Kind.FORBIDDEN
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("field", "raw", "code"),
    [
        ("members", str(2**63), "figure_invalid"),
        ("members", "9" * 45, "figure_invalid"),
        ("members", "20000000", "figure_bounds"),
        ("members", "-3", "figure_bounds"),
        ("members", "12.5", "figure_invalid"),
        ("members", "mười", "figure_invalid"),
        ("share", "100,01", "figure_bounds"),
        ("share", "1e5", "figure_invalid"),
    ],
)
def test_figures_are_checked_and_nothing_is_saved(rep, field, raw, code):
    with pytest.raises(ServiceError) as exc:
        _save(rep, submit=True, **{field: raw})
    assert code in [e.code for e in exc.value.fields[f"figure_{field}"]]
    assert not Submission.objects.exclude(status="draft").exists()
    assert not SubmissionEvent.objects.exists()


def test_grouped_numbers_are_read(rep):
    sub = _save(rep, members="1.250")
    assert sub.figures["members"] == "1250"


def test_submit_needs_every_narrative_and_required_figure(rep):
    narratives, values = answers(rep)
    narratives[str(rep.section.pk)] = ""
    del values["members"]
    with pytest.raises(ServiceError) as exc:
        svc.submission_save(
            actor=rep.w.users["viewer_a"],
            cycle=rep.cycle,
            office=rep.ward_office,
            narratives=narratives,
            figures=values,
            submit=True,
        )
    assert exc.value.code == "submission_invalid"
    assert set(exc.value.fields) == {f"narrative_{rep.section.pk}", "figure_members"}
    # a draft may be incomplete
    sub = svc.submission_save(
        actor=rep.w.users["viewer_a"],
        cycle=rep.cycle,
        office=rep.ward_office,
        narratives=narratives,
        figures=values,
    )
    assert sub.status == "draft"


def test_scripts_in_text_are_taken_out(rep):
    narratives, values = answers(rep)
    narratives[str(rep.section.pk)] = 'Tốt <script>alert("x")</script><b>lắm</b> & 3 < 5'
    sub = svc.submission_save(
        actor=rep.w.users["viewer_a"],
        cycle=rep.cycle,
        office=rep.ward_office,
        narratives=narratives,
        figures=values,
    )
    text = sub.narratives[str(rep.section.pk)]
    assert "<script" not in text and "alert" not in text
    assert text == "Tốt lắm & 3 < 5"


def test_a_figure_that_contradicts_the_platform_is_warned_with_both_numbers(rep):
    assert sel.platform_figures(rep.ward_office, "2026S1")["cooperatives_operating"] == 1
    sub = _save(rep, submit=True, cooperatives="7")
    assert sub.status == "submitted"
    [w] = sub.warnings
    text = svc.warning_text(w)
    assert "7" in text and "1" in text and "Số hợp tác xã" in text


def test_a_figure_equal_to_the_platform_gives_no_warning(rep):
    assert _save(rep, submit=True, cooperatives="1").warnings == []


def test_platform_figures_follow_the_office_scope(rep):
    ward = sel.platform_figures(rep.ward_office, "2026S1")
    province = sel.platform_figures(rep.department, "2026S1")
    assert ward["organisations_operating"] == 1  # a1 only (a2 has no ward)
    assert province["organisations_operating"] == 2  # a1 and a2
    assert province["cooperatives_operating"] == 1


def test_late_submission_and_overview(rep):
    ReportCycle.objects.filter(pk=rep.cycle.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    rep.cycle.refresh_from_db()
    view = sel.overview(rep.cycle)
    assert view.counts["not_started"] == 2 and view.counts["late"] == 2
    sub = _save(rep, submit=True)
    assert sub.is_late
    view = sel.overview(rep.cycle)
    assert view.counts["submitted"] == 1 and view.counts["late"] == 2


def test_on_time_when_submitted_on_the_due_day(rep):
    ReportCycle.objects.filter(pk=rep.cycle.pk).update(due_on=timezone.localdate())
    rep.cycle.refresh_from_db()
    assert not _save(rep, submit=True).is_late


def test_reminders_go_to_members_of_offices_that_have_not_submitted(rep):
    messaging.outbox.clear()
    mail.outbox.clear()
    _save(rep, submit=True)
    dep_user = rep.w.users["manager_a1"]
    svc.office_set_members(actor=svc_operator(), office=rep.department, users=[dep_user])
    with _commit():
        n = svc.cycle_remind(actor=rep.w.users["officer_a"], cycle=rep.cycle)
    assert n == 1
    assert [m.to for m in messaging.outbox if m.purpose == "report_reminder"] == [dep_user.email]
    with pytest.raises(ServiceError) as exc:
        svc.cycle_remind(actor=rep.w.users["viewer_a"], cycle=rep.cycle)
    assert exc.value.kind is Kind.FORBIDDEN


def svc_operator():
    from htxso.core.actors import OPERATOR

    return OPERATOR


def test_compile_needs_an_accepted_submission(rep):
    _save(rep, submit=True)
    with pytest.raises(ServiceError) as exc:
        svc.cycle_compile(actor=rep.w.users["officer_a"], cycle=rep.cycle)
    assert exc.value.code == "nothing_accepted"
    with pytest.raises(ServiceError) as exc:
        svc.cycle_compile(actor=rep.w.users["officer_b"], cycle=rep.cycle)
    assert exc.value.kind is Kind.NOT_FOUND


def test_compile_uses_accepted_submissions_only(rep):
    compiler = rep.w.users["officer_a"]
    sub = _save(rep, submit=True, members="77")
    svc.submission_accept(actor=compiler, submission=sub)
    dep = rep.department
    svc.office_set_members(actor=svc_operator(), office=dep, users=[rep.w.users["manager_a1"]])
    narratives, values = answers(rep, members="999")
    svc.submission_save(
        actor=rep.w.users["manager_a1"],
        cycle=rep.cycle,
        office=dep,
        narratives=narratives,
        figures=values,
        submit=True,
    )
    compiled = svc.cycle_compile(actor=compiler, cycle=rep.cycle)
    text = "\n".join(p.text for p in Document(io.BytesIO(compiled.docx.read())).paragraphs)
    assert "77 người" in text and "999" not in text
    again = svc.cycle_compile(actor=compiler, cycle=rep.cycle)
    assert again.version == 2
    with pytest.raises(ServiceError) as exc:
        svc.compiled_send(actor=compiler, compiled=compiled)
    assert exc.value.code == "not_latest"


def test_cycle_open_checks_the_period(rep):
    op = svc_operator()
    for period, code in (
        ("2026", "period_kind"),
        ("2026S3", "period_invalid"),
        ("2026S1", "cycle_exists"),
    ):
        with pytest.raises(ServiceError) as exc:
            svc.cycle_open(actor=op, template=rep.template, period=period)
        assert exc.value.code == code
    cycle = svc.cycle_open(actor=op, template=rep.template, period="2027S1")
    assert cycle.due_on == dt.date(2027, 6, 15)
    with pytest.raises(ServiceError) as exc:
        svc.cycle_open(actor=rep.w.users["officer_b"], template=rep.template, period="2028S1")
    assert exc.value.kind is Kind.NOT_FOUND


def test_recipients_are_checked():
    with pytest.raises(ServiceError) as exc:
        svc.parse_recipients("UBND tỉnh vanthu@x.vn")
    assert exc.value.code == "recipient_invalid"
    assert svc.parse_recipients(" A <a@b.vn>\n\n") == [{"name": "A", "email": "a@b.vn"}]
