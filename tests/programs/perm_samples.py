"""Permission-test samples for the programs app (read by tests/permissions/samples.py)."""

from __future__ import annotations

A1_APPLICATION_SEERS = {"vca", "officer_a", "viewer_a", "manager_a1"}
A1_APPLICANTS = {"vca", "manager_a1"}
PROVINCE_04_STAFF = {"vca", "officer_a", "viewer_a"}


def sample_call(w):
    """An open call published in Cao Bằng, with a draft application of a1."""
    from htxso.programs.models import Call

    call = Call.objects.filter(title="Đợt mẫu quyền truy cập").first()
    if call is not None:
        return call
    from htxso.programs.services import calls
    from tests.programs.helpers import make_call

    call = make_call(w.users["vca"])
    Call.objects.filter(pk=call.pk).update(title="Đợt mẫu quyền truy cập")
    call.refresh_from_db()
    calls.call_publish(actor=w.users["officer_a"], call=call, province_id="04")
    return call


def sample_application(w):
    from htxso.programs.models import Application
    from htxso.programs.services import applications

    call = sample_call(w)
    existing = Application.objects.filter(call=call, organisation=w.orgs["a1"]).first()
    return existing or applications.application_start(
        actor=w.users["manager_a1"], call=call, organisation=w.orgs["a1"]
    )


def sample_attachment(w):
    import io

    from htxso.programs.services import attachments

    application = sample_application(w)
    upload = io.BytesIO(b"%PDF-1.4 mau")
    upload.name = "mau.pdf"
    upload.size = 12
    return attachments.attachment_add(
        actor=w.users["manager_a1"], application=application, upload=upload
    )


def _call(w):
    return {"call_id": sample_call(w).pk}


def _province(w):
    return {"call_id": sample_call(w).pk, "province_code": "04"}


def _app(w):
    return {"application_id": sample_application(w).pk}


def _declared(w):
    application = sample_application(w)
    return {
        "application_id": application.pk,
        "criterion_id": application.call.criteria.get(kind="declared").pk,
    }


SAMPLES = {
    "programs:call_detail": lambda w: (_call(w), None),
    "programs:call_edit": lambda w: (_call(w), None),
    "programs:call_criteria": lambda w: (_call(w), None),
    "programs:criterion_delete": lambda w: (
        {"criterion_id": sample_call(w).criteria.first().pk},
        None,
    ),
    "programs:call_open": lambda w: (_call(w), None),
    "programs:call_close": lambda w: (_call(w), None),
    "programs:call_letter": lambda w: (_call(w), None),
    "programs:application_start": lambda w: (_call(w), None),
    "programs:call_national": lambda w: (_call(w), None),
    "programs:call_results_xlsx": lambda w: (_call(w), None),
    "programs:call_result_letter": lambda w: (_call(w), None),
    "programs:province_page": lambda w: (_province(w), PROVINCE_04_STAFF),
    "programs:province_publish": lambda w: (_province(w), PROVINCE_04_STAFF),
    "programs:province_letter": lambda w: (_province(w), PROVINCE_04_STAFF),
    "programs:province_xlsx": lambda w: (_province(w), PROVINCE_04_STAFF),
    "programs:province_forward": lambda w: (_province(w), PROVINCE_04_STAFF),
    "programs:application_detail": lambda w: (_app(w), A1_APPLICATION_SEERS),
    "programs:application_report": lambda w: (_app(w), A1_APPLICATION_SEERS),
    "programs:application_upload": lambda w: (_app(w), A1_APPLICATION_SEERS),
    "programs:application_declare": lambda w: (_declared(w), A1_APPLICATION_SEERS),
    "programs:application_check": lambda w: (_declared(w), A1_APPLICATION_SEERS),
    "programs:application_submit": lambda w: (_app(w), A1_APPLICATION_SEERS),
    "programs:application_withdraw": lambda w: (_app(w), A1_APPLICATION_SEERS),
    "programs:application_review": lambda w: (_app(w), A1_APPLICATION_SEERS),
    "programs:attachment_download": lambda w: (
        {"attachment_id": sample_attachment(w).pk},
        A1_APPLICATION_SEERS,
    ),
    # vca (tried first) deletes the sample file, so manager_a1 then finds it gone (404);
    # tests/programs/test_views.py checks the manager's own deletion
    "programs:attachment_delete": lambda w: (
        {"attachment_id": sample_attachment(w).pk},
        {"vca", "officer_a", "viewer_a"},
    ),
}

POST_ONLY = {
    "programs:notifications_read",
    "programs:criterion_delete",
    "programs:call_open",
    "programs:call_close",
    "programs:application_start",
    "programs:province_publish",
    "programs:province_forward",
    "programs:application_upload",
    "programs:application_declare",
    "programs:application_check",
    "programs:application_submit",
    "programs:application_withdraw",
    "programs:application_review",
    "programs:attachment_delete",
}

ALLOWED_STATUS: dict = {}

LIST_LEAKS: dict = {}

API_SAMPLES = {
    "/api/v1/programs/calls/{call_id}": lambda w: {"call_id": sample_call(w).pk},
    "/api/v1/programs/calls/{call_id}/results": lambda w: {"call_id": sample_call(w).pk},
    # a1's application
    "/api/v1/programs/applications/{application_id}": lambda w: {
        "application_id": sample_application(w).pk
    },
    # Cao Bằng's list of the call
    "/api/v1/programs/calls/{call_id}/provinces/{call_province_code}/applications": lambda w: {
        "call_id": sample_call(w).pk,
        "call_province_code": "04",
    },
}
