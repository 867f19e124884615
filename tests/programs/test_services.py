"""Services of the programs app: the journey and every refusal the issue lists."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from htxso.core.errors import Kind, ServiceError
from htxso.core.models import AuditEvent
from htxso.programs.models import (
    Application,
    ApplicationStatus,
    CallStatus,
    Notification,
    ProvinceCompilation,
)
from htxso.programs.services import applications, attachments, calls, review, selection

from .helpers import apply_and_submit, make_call, make_eligible

pytestmark = pytest.mark.django_db


def codes(exc: ValidationError) -> set:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


@pytest.fixture
def call(world):
    call = make_call(world.users["vca"])
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04")
    calls.call_publish(actor=world.users["officer_b"], call=call, province_id="66")
    return call


def test_journey_to_selection(world, call):
    a1 = world.orgs["a1"]
    make_eligible(a1)
    application = apply_and_submit(world.users["manager_a1"], call, a1)
    assert application.status == ApplicationStatus.SUBMITTED
    results = {r.criterion.kind: r for r in application.results.select_related("criterion")}
    assert results["youth_share"].verdict == "pass"
    assert "6/10 = 60\u00a0% > 40\u00a0% ✔" in results["youth_share"].reason
    assert results["finance"].verdict == "pass"
    assert results["value_chain"].verdict == "pass"
    assert results["declared"].verdict == "pending"
    officer = world.users["officer_a"]
    with pytest.raises(ValidationError) as exc:
        review.application_verify(actor=officer, application=application)
    assert codes(exc.value) == {"criteria_not_met"}
    declared = call.criteria.get(kind="declared")
    review.declared_check(actor=officer, application=application, criterion=declared, accepted=True)
    review.application_verify(actor=officer, application=application, comment="Đủ điều kiện")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.VERIFIED and application.eligible is True
    compilation = review.compilation_forward(actor=officer, call=call, province_id="04")
    assert compilation.eligible_count == 1
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FORWARDED
    # the bound of 12–24 provinces refuses a selection of one
    with pytest.raises(ValidationError) as exc:
        selection.selection_decide(actor=world.users["vca"], call=call, provinces=["04"])
    assert codes(exc.value) == {"selection_bounds"}
    assert "12" in str(exc.value) and "24" in str(exc.value)
    # a province with fewer than min_eligible is refused
    call.provinces_min, call.min_eligible = 1, 5
    call.save()
    with pytest.raises(ValidationError) as exc:
        selection.selection_decide(actor=world.users["vca"], call=call, provinces=["04"])
    assert codes(exc.value) == {"province_not_qualified"}
    call.min_eligible = 1
    call.save()
    selection.selection_decide(actor=world.users["vca"], call=call, provinces=["04"])
    call.refresh_from_db()
    application.refresh_from_db()
    assert call.status == CallStatus.DECIDED
    assert application.status == ApplicationStatus.SELECTED
    history = list(application.events.values_list("to_status", flat=True))
    assert history == ["draft", "submitted", "verified", "forwarded", "selected"]
    manager = world.users["manager_a1"]
    assert Notification.objects.filter(user=manager).count() >= 2
    assert AuditEvent.objects.filter(action="call.decide").count() == 1


def test_applying_twice_is_refused(world, call):
    a1 = world.orgs["a1"]
    applications.application_start(actor=world.users["manager_a1"], call=call, organisation=a1)
    with pytest.raises(ValidationError) as exc:
        applications.application_start(actor=world.users["manager_a1"], call=call, organisation=a1)
    assert codes(exc.value) == {"already_applied"}
    assert Application.objects.filter(call=call, organisation=a1).count() == 1


def test_submitting_after_the_deadline_is_refused_on_the_server_clock(world, call):
    a1 = world.orgs["a1"]
    application = applications.application_start(
        actor=world.users["manager_a1"], call=call, organisation=a1
    )
    criterion = call.criteria.get(kind="declared")
    applications.declaration_save(
        actor=world.users["manager_a1"],
        application=application,
        criterion=criterion,
        statement="Có",
    )
    type(call).objects.filter(pk=call.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError) as exc:
        applications.application_submit(actor=world.users["manager_a1"], application=application)
    assert codes(exc.value) == {"deadline_passed"}
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT and application.submitted_at is None


def test_provincial_deadline_is_earlier(world):
    call = make_call(world.users["vca"])
    early = timezone.now() - dt.timedelta(hours=1)
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04", deadline=early)
    with pytest.raises(ValidationError) as exc:
        applications.application_start(
            actor=world.users["manager_a1"], call=call, organisation=world.orgs["a1"]
        )
    assert codes(exc.value) == {"deadline_passed"}
    with pytest.raises(ValidationError) as exc:
        calls.call_publish(
            actor=world.users["officer_b"],
            call=call,
            province_id="66",
            deadline=call.deadline + dt.timedelta(days=1),
        )
    assert codes(exc.value) == {"deadline_after_call"}


def test_not_published_in_province_cannot_apply(world):
    call = make_call(world.users["vca"])
    with pytest.raises(ValidationError) as exc:
        applications.application_start(
            actor=world.users["manager_a1"], call=call, organisation=world.orgs["a1"]
        )
    assert codes(exc.value) == {"not_published"}


def test_editing_after_submission_is_refused(world, call):
    a1 = world.orgs["a1"]
    application = apply_and_submit(world.users["manager_a1"], call, a1)
    with pytest.raises(ValidationError) as exc:
        applications.application_save_report(
            actor=world.users["manager_a1"], application=application, data={"revenue": 1}
        )
    assert codes(exc.value) == {"not_editable"}
    # after a request for information it opens again, and resubmits
    review.application_request_info(
        actor=world.users["officer_a"],
        application=application,
        comment="Gửi thêm báo cáo tài chính 2023",
    )
    application.refresh_from_db()
    applications.application_save_report(
        actor=world.users["manager_a1"], application=application, data={"revenue": 5}
    )
    applications.application_submit(actor=world.users["manager_a1"], application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.report["revenue"] == 5


def test_request_info_needs_a_comment(world, call):
    application = apply_and_submit(world.users["manager_a1"], call, world.orgs["a1"])
    with pytest.raises(ValidationError) as exc:
        review.application_request_info(
            actor=world.users["officer_a"], application=application, comment="  "
        )
    assert codes(exc.value) == {"comment_required"}


def test_reviewer_from_another_province_is_refused(world, call):
    application = apply_and_submit(world.users["manager_a1"], call, world.orgs["a1"])
    # officer_b may not even see a1's application: refused as not found
    with pytest.raises(ServiceError) as exc:
        review.application_verify(actor=world.users["officer_b"], application=application)
    assert exc.value.kind is Kind.NOT_FOUND
    assert "04" in str(exc.value)
    with pytest.raises(ServiceError) as exc:
        review.compilation_forward(actor=world.users["officer_b"], call=call, province_id="04")
    assert exc.value.kind is Kind.FORBIDDEN
    with pytest.raises(ServiceError) as exc:
        applications.application_start(
            actor=world.users["manager_b1"], call=call, organisation=world.orgs["a1"]
        )
    assert exc.value.kind is Kind.FORBIDDEN


def test_missing_registry_data_is_not_enough_data(world, call):
    application = apply_and_submit(world.users["manager_a1"], call, world.orgs["a1"])
    results = {r.criterion.kind: r for r in application.results.select_related("criterion")}
    assert results["youth_share"].verdict == "no_data"
    assert results["finance"].verdict == "no_data"
    assert "Không đủ dữ liệu" in results["finance"].reason
    assert application.eligible is None


def test_forward_refused_while_reviews_pending_then_once_only(world, call):
    application = apply_and_submit(world.users["manager_a1"], call, world.orgs["a1"])
    with pytest.raises(ValidationError) as exc:
        review.compilation_forward(actor=world.users["officer_a"], call=call, province_id="04")
    assert codes(exc.value) == {"reviews_pending"}
    review.application_reject(
        actor=world.users["officer_a"], application=application, comment="Thiếu số liệu"
    )
    review.compilation_forward(actor=world.users["officer_a"], call=call, province_id="04")
    with pytest.raises(ValidationError) as exc:
        review.compilation_forward(actor=world.users["officer_a"], call=call, province_id="04")
    assert codes(exc.value) == {"already_forwarded"}
    assert ProvinceCompilation.objects.filter(call=call).count() == 1


def test_withdraw(world, call):
    application = apply_and_submit(world.users["manager_a1"], call, world.orgs["a1"])
    applications.application_withdraw(actor=world.users["manager_a1"], application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    with pytest.raises(ValidationError) as exc:
        applications.application_withdraw(actor=world.users["manager_a1"], application=application)
    assert codes(exc.value) == {"not_withdrawable"}


class Upload(io.BytesIO):
    def __init__(self, name, content, size=None):
        super().__init__(content)
        self.name = name
        self.size = size if size is not None else len(content)


def test_uploads(world, call):
    application = applications.application_start(
        actor=world.users["manager_a1"], call=call, organisation=world.orgs["a1"]
    )
    manager = world.users["manager_a1"]
    ok = attachments.attachment_add(
        actor=manager, application=application, upload=Upload("bao-cao.pdf", b"%PDF-1.7\n...")
    )
    assert ok.content_type == "application/pdf"
    with pytest.raises(ValidationError) as exc:
        attachments.attachment_add(
            actor=manager,
            application=application,
            upload=Upload("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100),
        )
    assert codes(exc.value) == {"file_content"}
    with pytest.raises(ValidationError) as exc:
        attachments.attachment_add(
            actor=manager,
            application=application,
            upload=Upload("big.pdf", b"%PDF-", size=50 * 1024 * 1024),
        )
    assert codes(exc.value) == {"file_too_large"}
    with pytest.raises(ValidationError) as exc:
        attachments.attachment_add(
            actor=manager, application=application, upload=Upload("run.exe", b"MZ")
        )
    assert codes(exc.value) == {"file_type"}
    # a real docx passes; a zip renamed .docx does not
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("word/document.xml", "<x/>")
    docx = attachments.attachment_add(
        actor=manager, application=application, upload=Upload("a.docx", buffer.getvalue())
    )
    assert docx.size == len(buffer.getvalue())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.sh", "rm -rf /")
    with pytest.raises(ValidationError):
        attachments.attachment_add(
            actor=manager, application=application, upload=Upload("b.docx", buffer.getvalue())
        )
    assert application.attachments.count() == 2


def test_call_validation(world):
    vca = world.users["vca"]
    with pytest.raises(ValidationError) as exc:
        calls.call_create(
            actor=vca,
            data={
                "title": "",
                "programme": "X",
                "audience_kinds": [],
                "deadline": None,
                "min_eligible": 5,
                "provinces_min": 24,
                "provinces_max": 12,
            },
        )
    assert {"required", "audience_invalid", "deadline_invalid", "bounds_reversed"} <= codes(
        exc.value
    )
    with pytest.raises(ServiceError) as refused:
        make_call(world.users["officer_a"])
    assert refused.value.kind is Kind.FORBIDDEN
    call = make_call(vca, open_=False, criteria=[])
    with pytest.raises(ValidationError) as exc:
        calls.call_open(actor=vca, call=call)
    assert codes(exc.value) == {"no_criteria"}
    with pytest.raises(ValidationError) as exc:
        calls.criterion_add(
            actor=vca, call=call, kind="youth_share", label="x", params={"threshold": 150}
        )
    assert codes(exc.value) == {"params_invalid"}


def test_deadline_reminder_task(world, call, mailoutbox, django_capture_on_commit_callbacks):
    from htxso.programs.tasks import send_call_reminders

    applications.application_start(
        actor=world.users["manager_a1"], call=call, organisation=world.orgs["a1"]
    )
    deadline_day = timezone.localtime(call.deadline).date()
    off_day = (deadline_day - dt.timedelta(days=5)).isoformat()
    assert send_call_reminders.call(today=off_day) == 0
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_call_reminders.call(today=(deadline_day - dt.timedelta(days=3)).isoformat())
    assert sent == 1
    note = Notification.objects.filter(user=world.users["manager_a1"]).latest("id")
    assert world.orgs["a1"].name in note.message
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["manager_a1@example.vn"]
