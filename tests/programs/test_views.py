"""Pages of the programs app, through the test client."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from htxso.programs.models import Application, ApplicationStatus, Call
from htxso.programs.services import calls

from .helpers import apply_and_submit, make_call, make_eligible

pytestmark = pytest.mark.django_db


def login(client, world, key):
    client.logout()
    client.force_login(world.users[key])


def test_vca_creates_a_call_with_criteria_and_opens_it(client, world):
    login(client, world, "vca")
    deadline = (timezone.localtime() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("programs:call_create"),
        {
            "title": "Vay vốn chuyển đổi số",
            "programme": "Quỹ phát triển KH&CN tỉnh",
            "audience_kinds": ["cooperative"],
            "deadline": deadline,
            "min_eligible": 5,
            "provinces_min": 12,
            "provinces_max": 24,
            "ranking": "eligible_count",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    call = Call.objects.get()
    # the deadline typed in Vietnam time is stored as the same instant
    assert timezone.localtime(call.deadline).strftime("%Y-%m-%dT%H:%M") == deadline
    response = client.post(
        reverse("programs:call_criteria", kwargs={"call_id": call.pk}),
        {"kind": "ocop", "label": "Có sản phẩm OCOP từ 3 sao", "min_stars": 3},
    )
    assert response.status_code == 302
    assert call.criteria.get().params == {"min_stars": 3}
    response = client.post(
        reverse("programs:call_criteria", kwargs={"call_id": call.pk}),
        {"kind": "youth_share", "label": "x", "threshold": 120},
    )
    assert response.status_code == 200 and call.criteria.count() == 1
    client.post(reverse("programs:call_open", kwargs={"call_id": call.pk}))
    call.refresh_from_db()
    assert call.status == "open"


def test_manager_applies_edits_uploads_and_submits(client, world):
    call = make_call(world.users["vca"])
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04")
    make_eligible(world.orgs["a1"])
    login(client, world, "manager_a1")
    page = client.get(reverse("programs:call_list")).content.decode()
    assert call.title in page
    response = client.post(
        reverse("programs:application_start", kwargs={"call_id": call.pk}),
        {"organisation": world.orgs["a1"].pk},
    )
    application = Application.objects.get()
    assert response.status_code == 302
    form = client.get(
        reverse("programs:application_report", kwargs={"application_id": application.pk})
    )
    assert form.status_code == 200
    response = client.post(
        reverse("programs:application_report", kwargs={"application_id": application.pk}),
        {
            "report_year": 2025,
            "workers_total": 10,
            "workers_youth": 6,
            "revenue": "1.200.000.000",
            "profit": "-5.000.000",
            "activities": "Trồng và chế biến cà phê",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (
        application.report["revenue"] == 1_200_000_000
        and application.report["profit"] == -5_000_000
    )
    exe = io.BytesIO(b"MZ\x90\x00rest")
    exe.name = "hoa-don.pdf"
    response = client.post(
        reverse("programs:application_upload", kwargs={"application_id": application.pk}),
        {"file": exe},
        follow=True,
    )
    assert application.attachments.count() == 0
    pdf = io.BytesIO(b"%PDF-1.4 test")
    pdf.name = "bao-cao.pdf"
    client.post(
        reverse("programs:application_upload", kwargs={"application_id": application.pk}),
        {"file": pdf},
    )
    attachment = application.attachments.get()
    assert (
        client.get(
            reverse("programs:attachment_download", kwargs={"attachment_id": attachment.pk})
        ).content
        == b"%PDF-1.4 test"
    )
    criterion = call.criteria.get(kind="declared")
    client.post(
        reverse(
            "programs:application_declare",
            kwargs={"application_id": application.pk, "criterion_id": criterion.pk},
        ),
        {"statement": "Ban lãnh đạo trẻ"},
    )
    client.post(reverse("programs:application_submit", kwargs={"application_id": application.pk}))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    detail = client.get(
        reverse("programs:application_detail", kwargs={"application_id": application.pk})
    ).content.decode()
    assert "6/10 = 60\u00a0%" in detail
    # editing after submission: refused with a message, nothing changed
    response = client.post(
        reverse("programs:application_report", kwargs={"application_id": application.pk}),
        {"revenue": "1"},
        follow=True,
    )
    application.refresh_from_db()
    assert application.report["revenue"] == 1_200_000_000


def test_officer_reviews_and_forwards_and_gets_the_xlsx_and_letter(client, world):
    from openpyxl import load_workbook

    call = make_call(world.users["vca"])
    calls.call_publish(
        actor=world.users["officer_a"], call=call, province_id="04", letter_number="108/CV-LMHTX"
    )
    make_eligible(world.orgs["a1"])
    application = apply_and_submit(world.users["manager_a1"], call, world.orgs["a1"])
    login(client, world, "officer_a")
    page = client.get(
        reverse("programs:province_page", kwargs={"call_id": call.pk, "province_code": "04"})
    )
    assert page.status_code == 200 and world.orgs["a1"].name in page.content.decode()
    criterion = call.criteria.get(kind="declared")
    client.post(
        reverse(
            "programs:application_check",
            kwargs={"application_id": application.pk, "criterion_id": criterion.pk},
        ),
        {"accepted": "yes"},
    )
    client.post(
        reverse("programs:application_review", kwargs={"application_id": application.pk}),
        {"decision": "verify"},
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.VERIFIED
    response = client.get(
        reverse("programs:province_xlsx", kwargs={"call_id": call.pk, "province_code": "04"})
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert world.orgs["a1"].name in values and "0100233488" in values
    assert any(isinstance(v, str) and "6/10 = 60\u00a0%" in v for v in values)
    client.post(
        reverse("programs:province_forward", kwargs={"call_id": call.pk, "province_code": "04"})
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FORWARDED


def test_other_province_officer_gets_404(client, world):
    call = make_call(world.users["vca"])
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04")
    application = apply_and_submit(world.users["manager_a1"], call, world.orgs["a1"])
    login(client, world, "officer_b")
    url = reverse("programs:application_review", kwargs={"application_id": application.pk})
    assert client.post(url, {"decision": "verify"}).status_code == 404
    assert (
        client.get(
            reverse("programs:province_page", kwargs={"call_id": call.pk, "province_code": "04"})
        ).status_code
        == 404
    )


def test_national_page_query_count_is_fixed(client, world, django_assert_max_num_queries):
    from htxso.registry.models import Organisation

    call = make_call(world.users["vca"], min_eligible=1, provinces_min=1)
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04")
    login(client, world, "vca")
    url = reverse("programs:call_national", kwargs={"call_id": call.pk})

    def add(n):
        for i in range(n):
            org = Organisation.objects.create(
                kind="cooperative",
                name=f"HTX thử {Organisation.objects.count()}",
                tax_code=f"01{Organisation.objects.count():08d}"[:10],
                province_id="04",
            )
            Application.objects.create(
                call=call,
                organisation=org,
                status=ApplicationStatus.FORWARDED,
                eligible=True,
                youth_share=50.0,
            )

    add(2)
    from htxso.programs.models import ProvinceCompilation

    ProvinceCompilation.objects.create(
        call=call, province_id="04", eligible_count=2, applications_count=2
    )
    client.get(url)  # warm caches (session, user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count("exclude_") >= 32


def test_upload_over_10_mb_through_the_page_is_refused_with_the_reason(client, world):
    call = make_call(world.users["vca"])
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04")
    login(client, world, "manager_a1")
    client.post(
        reverse("programs:application_start", kwargs={"call_id": call.pk}),
        {"organisation": world.orgs["a1"].pk},
    )
    application = Application.objects.get()
    big = io.BytesIO(b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024))
    big.name = "quet-ho-so.pdf"
    url = reverse("programs:application_upload", kwargs={"application_id": application.pk})
    page = client.post(url, {"file": big}, follow=True).content.decode()
    assert "10 MB" in page and application.attachments.count() == 0
    # evidence for a declared criterion, then removed by the manager
    criterion = call.criteria.get(kind="declared")
    small = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    small.name = "anh.png"
    client.post(url, {"file": small, "criterion": criterion.pk})
    attachment = application.attachments.get()
    assert attachment.criterion == criterion and attachment.content_type == "image/png"
    delete = reverse("programs:attachment_delete", kwargs={"attachment_id": attachment.pk})
    assert client.post(delete).status_code == 302
    assert application.attachments.count() == 0


def test_a_refused_write_answers_403_and_changes_nothing(client, world):
    """Issue 11: a POST the services refuse is a 403, never a flash message and a 302.

    The department viewer of Cao Bằng is also the officer of Đắk Lắk: the pages let
    her in (she is a reviewer somewhere and sees Cao Bằng), the services do not let her
    publish, forward or review in Cao Bằng."""
    from htxso.accounts import services as accounts
    from htxso.core.actors import OPERATOR
    from htxso.geo.models import Province
    from htxso.programs.models import CallProvince, ProvinceCompilation

    user = world.users["viewer_a"]
    accounts.role_assign(
        actor=OPERATOR,
        user=user,
        role="province_officer",
        province=Province.objects.get(pk="66"),
    )
    call = make_call(world.users["vca"])
    login(client, world, "viewer_a")
    publish = reverse("programs:province_publish", args=[call.pk, "04"])
    assert client.post(publish, {"letter_number": "1/CV"}).status_code == 403
    assert not CallProvince.objects.filter(call=call, province_id="04").exists()
    forward = reverse("programs:province_forward", args=[call.pk, "04"])
    assert client.post(forward, {"note": "x"}).status_code == 403
    assert not ProvinceCompilation.objects.filter(call=call).exists()
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04")
    application = apply_and_submit(world.users["manager_a1"], call, world.orgs["a1"])
    review = reverse("programs:application_review", args=[application.pk])
    response = client.post(review, {"decision": "reject", "comment": "Không đạt"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
