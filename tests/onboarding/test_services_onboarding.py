"""The access request's state machine: submit, ask, answer, approve, refuse, withdraw,
and registering a proposed cooperative — with the audit trail, the SMS/e-mail to the
requester and the refusals of bad input."""

from __future__ import annotations

import pytest
from django.db import transaction

from htxso.accounts.models import RoleAssignment
from htxso.core import messaging
from htxso.core.errors import Kind, ServiceError
from htxso.core.models import AuditEvent, ConsentRecord
from htxso.core.roles import Role
from htxso.onboarding import services
from htxso.onboarding.models import AccessRequest, Status
from htxso.registry.models import Organisation

from .helpers import pdf, person, photo, submit

#: messages go out on commit: the tests that read them commit (slower, so only those)
SENDS = pytest.mark.django_db(transaction=True)

PHONE = "+84912345678"


def _actions(req):
    return list(
        AuditEvent.objects.filter(object_id=str(req.pk), action__startswith="access_request.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


@SENDS
def test_submit_stores_the_request_consent_audit_and_tells_the_requester(world):
    user = person()
    req = submit(user, org=world.orgs["a1"])
    assert req.status == Status.SUBMITTED
    assert req.province_id == "04"
    assert req.phone == PHONE
    assert req.document_type == "image/jpeg"
    assert ConsentRecord.objects.filter(user=user, purpose="access_request").count() == 1
    assert _actions(req) == ["access_request.submit"]
    sms = messaging.sent_to(PHONE, "access_request")
    assert len(sms) == 1 and sms[0].channel == "sms"
    assert "HTX Nông nghiệp Hợp Giang" in sms[0].text
    assert "Liên minh" in sms[0].text or "liên minh" in sms[0].text  # Vietnamese
    assert messaging.sent_to("nguoi_xin@example.vn", "access_request")


@SENDS
def test_approve_grants_the_manager_role_of_that_organisation_only(world):
    user = person()
    req = submit(user, org=world.orgs["a1"])
    services.request_approve(actor=world.users["officer_a"], access_request=req)
    req.refresh_from_db()
    assert req.status == Status.APPROVED
    assert req.decided_by == world.users["officer_a"]
    roles = list(RoleAssignment.objects.filter(user=user).values_list("role", "organisation"))
    assert roles == [(Role.COOP_MANAGER, world.orgs["a1"].pk)]
    assert _actions(req) == ["access_request.submit", "access_request.approve"]
    assert AuditEvent.objects.filter(action="role.assign", organisation_id=world.orgs["a1"].pk)
    texts = [m.text for m in messaging.sent_to(PHONE, "access_request")]
    assert len(texts) == 2 and "duyệt" in texts[1]


def test_approve_twice_and_approve_withdrawn_are_conflicts(world):
    user = person()
    req = submit(user, org=world.orgs["a1"])
    services.request_approve(actor=world.users["officer_a"], access_request=req)
    with pytest.raises(ServiceError) as exc:
        services.request_approve(actor=world.users["officer_a"], access_request=req)
    assert exc.value.code == "request_approved" and exc.value.kind is Kind.CONFLICT
    other = submit(person("nguoi2"), org=world.orgs["a2"], phone="0987 654 321")
    services.request_withdraw(actor=other.requester, access_request=other)
    with pytest.raises(ServiceError) as exc:
        services.request_approve(actor=world.users["officer_a"], access_request=other)
    assert exc.value.code == "request_withdrawn"
    assert not RoleAssignment.objects.filter(user=other.requester).exists()


def test_officer_of_another_province_and_viewer_cannot_decide(world):
    req = submit(person(), org=world.orgs["a1"])
    with pytest.raises(ServiceError) as exc:
        services.request_approve(actor=world.users["officer_b"], access_request=req)
    assert exc.value.kind is Kind.NOT_FOUND
    with pytest.raises(ServiceError) as exc:
        services.request_approve(actor=world.users["viewer_a"], access_request=req)
    assert exc.value.kind is Kind.FORBIDDEN
    with pytest.raises(ServiceError):
        services.request_approve(actor=world.users["manager_a1"], access_request=req)
    req.refresh_from_db()
    assert req.status == Status.SUBMITTED
    assert not RoleAssignment.objects.filter(user=req.requester).exists()


@SENDS
def test_refuse_needs_a_reason_and_tells_it(world):
    req = submit(person(), org=world.orgs["a1"])
    with pytest.raises(ServiceError) as exc:
        services.request_refuse(actor=world.users["officer_a"], access_request=req, reason=" ")
    assert "reason" in exc.value.fields
    services.request_refuse(
        actor=world.users["officer_a"], access_request=req, reason="Giấy bổ nhiệm không có dấu."
    )
    req.refresh_from_db()
    assert req.status == Status.REFUSED and req.decision_reason == "Giấy bổ nhiệm không có dấu."
    assert "Giấy bổ nhiệm không có dấu." in messaging.sent_to(PHONE, "access_request")[-1].text


@SENDS
def test_ask_then_answer_returns_to_the_queue(world):
    req = submit(person(), org=world.orgs["a1"])
    services.request_ask(
        actor=world.users["officer_a"], access_request=req, message="Gửi biên bản đại hội."
    )
    req.refresh_from_db()
    assert req.status == Status.INFO_REQUESTED
    last = messaging.sent_to(PHONE, "access_request")[-1].text
    assert "Gửi biên bản đại hội." in last and f"/tham-gia/yeu-cau/{req.pk}/" in last
    # only the requester answers
    with pytest.raises(ServiceError):
        services.request_answer(actor=world.users["officer_a"], access_request=req, answer="x")
    services.request_answer(
        actor=req.requester, access_request=req, answer="Đã gửi bản mới.", document=pdf()
    )
    req.refresh_from_db()
    assert req.status == Status.SUBMITTED and req.document_type == "application/pdf"
    assert [h["event"] for h in req.history] == ["submitted", "asked", "answered"]
    assert _actions(req) == [
        "access_request.submit",
        "access_request.ask",
        "access_request.answer",
    ]
    # answering again when nothing was asked is refused
    with pytest.raises(ServiceError) as exc:
        services.request_answer(actor=req.requester, access_request=req, answer="lại")
    assert exc.value.code == "request_not_asked"


def test_double_submit_is_refused_while_one_is_open(world):
    user = person()
    submit(user, org=world.orgs["a1"])
    with pytest.raises(ServiceError) as exc:
        submit(user, org=world.orgs["a1"])
    assert exc.value.code == "request_duplicate" and exc.value.kind is Kind.CONFLICT
    assert AccessRequest.objects.filter(requester=user).count() == 1
    # after a withdrawal, a new request is fine
    services.request_withdraw(actor=user, access_request=AccessRequest.objects.get())
    submit(user, org=world.orgs["a1"])
    assert AccessRequest.objects.filter(requester=user).count() == 2


def test_request_for_a_cooperative_with_a_manager_is_allowed(world):
    req = submit(person(), org=world.orgs["a1"])  # manager_a1 manages a1
    assert services.existing_managers(world.orgs["a1"]) == [world.users["manager_a1"]]
    assert req.status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("full_name", "<script>alert(1)</script>", "text_markup"),
        ("position", "Giám đốc {{ x }}", "text_markup"),
        ("phone", "+33 6 12 34 56 78", "phone_foreign"),
        ("phone", "12345", "phone_invalid"),
        ("consent", False, "consent_required"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_saved(world, field, value, code):
    with pytest.raises(ServiceError) as exc:
        submit(person(), org=world.orgs["a1"], **{field: value})
    codes = {e.code for e in exc.value.fields[field]}
    assert code in codes
    assert not AccessRequest.objects.exists()
    assert not messaging.outbox


def test_proposal_is_registered_and_approved_in_one_flow(world):
    user = person()
    req = submit(
        user,
        proposal={
            "name": "HTX Chè Shan Tuyết Phia Đén",
            "tax_code": "",
            "kind": "cooperative",
            "province": "04",
            "address": "Xóm Phia Đén, xã Phan Thanh",
        },
    )
    assert req.proposed and req.organisation is None and req.province_id == "04"
    with pytest.raises(ServiceError) as exc:
        services.request_approve(actor=world.users["officer_a"], access_request=req)
    assert exc.value.code == "organisation_not_registered"
    # a cooperative needs a tax code: refused, nothing created
    with pytest.raises(ServiceError) as exc:
        services.proposal_register(
            actor=world.users["officer_a"],
            access_request=req,
            kind="cooperative",
            data={"name": "HTX Chè Shan Tuyết Phia Đén", "tax_code": "0100233489"},
        )
    assert "tax_code" in exc.value.fields
    with pytest.raises(ServiceError) as exc:
        services.proposal_register(
            actor=world.users["officer_a"],
            access_request=req,
            kind="cooperative",
            data={"name": "HTX Chè", "tax_code": "0100233488"},  # a1's
        )
    assert exc.value.fields["tax_code"][0].code == "tax_code_duplicate"
    assert Organisation.objects.count() == 3
    org, done = services.proposal_register(
        actor=world.users["officer_a"],
        access_request=req,
        kind="cooperative",
        data={"name": "HTX Chè Shan Tuyết Phia Đén", "tax_code": "0100109106"},
    )
    assert org.province_id == "04" and done.status == Status.APPROVED
    assert RoleAssignment.objects.get(user=user).organisation_id == org.pk
    assert [h["event"] for h in done.history] == ["submitted", "registered", "approved"]


def test_officer_of_another_province_cannot_register_a_proposal(world):
    req = submit(
        person(),
        proposal={"name": "HTX Mới", "kind": "group", "province": "04", "address": "xã Hòa An"},
    )
    with pytest.raises(ServiceError) as exc:
        services.proposal_register(
            actor=world.users["officer_b"], access_request=req, kind="group", data={"name": "X"}
        )
    assert exc.value.kind is Kind.NOT_FOUND
    assert Organisation.objects.count() == 3


def test_proposal_with_a_registered_tax_code_points_to_it(world):
    with pytest.raises(ServiceError) as exc:
        submit(
            person(),
            proposal={
                "name": "Hợp Giang",
                "tax_code": "0100233488",
                "kind": "cooperative",
                "province": "04",
                "address": "x",
            },
        )
    assert exc.value.fields["proposed_tax_code"][0].code == "tax_code_in_registry"


@SENDS
def test_nothing_is_sent_when_the_transaction_rolls_back(world):
    user = person()
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(user, org=world.orgs["a1"])
        raise RuntimeError
    assert not AccessRequest.objects.exists()
    assert not messaging.outbox


def test_png_photo_is_reencoded_without_metadata(world):
    req = submit(person(), org=world.orgs["a1"], document=photo("anh.png", fmt="PNG"))
    with req.document.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"\xff\xd8\xff") and b"Exif" not in data[:200]
    assert req.document_name == "anh.jpg"
