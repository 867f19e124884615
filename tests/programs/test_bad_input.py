"""Nasty input across the programs pages and API: a precise refusal, never a 500,
nothing half-saved, scripts rendered as text."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from htxso.programs.models import Application, ApplicationStatus, Call, CallStatus
from htxso.programs.services import applications, calls

from .helpers import apply_and_submit, make_call, make_eligible

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("htx")</script>'


def call_data(**changes):
    deadline = (timezone.localtime() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "title": "Vay vốn chuyển đổi số",
        "programme": "Quỹ phát triển KH&CN tỉnh",
        "audience_kinds": ["cooperative"],
        "deadline": deadline,
        "min_eligible": "5",
        "provinces_min": "12",
        "provinces_max": "24",
        "ranking": "eligible_count",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"min_eligible": "99999999999999999999999"}, "min_eligible"),
        ({"min_eligible": "-5"}, "min_eligible"),
        ({"min_eligible": "0"}, "min_eligible"),
        ({"provinces_min": "-1"}, "provinces_min"),
        ({"provinces_max": "35"}, "provinces_max"),
        ({"provinces_min": "24", "provinces_max": "12"}, "provinces_max"),
        ({"deadline": "31/02/2026 17:00"}, "deadline"),
        ({"deadline": ""}, "deadline"),
        ({"audience_kinds": ["<script>"]}, "audience_kinds"),
        ({"ranking": "random"}, "ranking"),
        ({"title": "x" * 300}, "title"),
        ({"title": "   "}, "title"),
    ],
)
def test_call_form_refuses_bad_values_precisely(client, world, changes, field):
    client.force_login(world.users["vca"])
    response = client.post(reverse("programs:call_create"), call_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert Call.objects.count() == 0


def test_forward_deadline_before_the_deadline_is_refused(client, world):
    client.force_login(world.users["vca"])
    early = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("programs:call_create"), call_data(forward_deadline=early))
    assert response.status_code == 200
    assert "forward_deadline" in response.context["form"].errors
    assert Call.objects.count() == 0


def test_scripts_in_call_fields_are_rendered_as_text(client, world):
    client.force_login(world.users["vca"])
    response = client.post(
        reverse("programs:call_create"),
        call_data(title=SCRIPT, programme=SCRIPT, donor=SCRIPT, summary=SCRIPT, contact=SCRIPT),
    )
    assert response.status_code == 302
    call = Call.objects.get()
    assert call.title == SCRIPT  # stored as typed, escaped when shown
    for url in (
        reverse("programs:call_detail", kwargs={"call_id": call.pk}),
        reverse("programs:call_list"),
        reverse("programs:call_criteria", kwargs={"call_id": call.pk}),
        "/",
    ):
        body = client.get(url).content.decode()
        assert SCRIPT not in body, url
        assert "&lt;script&gt;" in body, url


def test_opening_a_call_whose_deadline_has_passed_is_refused_with_the_reason(client, world):
    vca = world.users["vca"]
    call = make_call(vca, open_=False)
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - dt.timedelta(minutes=5))
    client.force_login(vca)
    response = client.post(reverse("programs:call_open", kwargs={"call_id": call.pk}), follow=True)
    assert response.status_code == 200
    assert "đã qua: hãy sửa đợt tuyển chọn và dời hạn nộp" in response.content.decode()
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT and call.opened_at is None


@pytest.fixture
def draft_application(world):
    call = make_call(world.users["vca"])
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04")
    make_eligible(world.orgs["a1"])
    return applications.application_start(
        actor=world.users["manager_a1"], call=call, organisation=world.orgs["a1"]
    )


@pytest.mark.parametrize(
    "data,field",
    [
        ({"workers_total": "10", "workers_youth": "12"}, "workers_youth"),
        ({"workers_total": "-3"}, "workers_total"),
        ({"revenue": "9" * 30}, "revenue"),
        ({"revenue": "-1.000.000"}, "revenue"),
        ({"profit": "mười triệu"}, "profit"),
        ({"report_year": "3000"}, "report_year"),
        ({"report_year": "99999999999999999999"}, "report_year"),
        ({"activities": "x" * 5000}, "activities"),
    ],
)
def test_report_form_refuses_bad_figures_and_keeps_the_report(
    client, world, draft_application, data, field
):
    before = dict(draft_application.report)
    client.force_login(world.users["manager_a1"])
    url = reverse("programs:application_report", kwargs={"application_id": draft_application.pk})
    response = client.post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    draft_application.refresh_from_db()
    assert draft_application.report == before


def test_script_in_the_report_and_statement_is_shown_as_text(client, world, draft_application):
    client.force_login(world.users["manager_a1"])
    url = reverse("programs:application_report", kwargs={"application_id": draft_application.pk})
    assert client.post(url, {"activities": SCRIPT, "value_chain": SCRIPT}).status_code == 302
    criterion = draft_application.call.criteria.get(kind="declared")
    client.post(
        reverse(
            "programs:application_declare",
            kwargs={"application_id": draft_application.pk, "criterion_id": criterion.pk},
        ),
        {"statement": SCRIPT},
    )
    detail = reverse("programs:application_detail", kwargs={"application_id": draft_application.pk})
    for key in ("manager_a1", "officer_a"):
        client.force_login(world.users[key])
        body = client.get(detail).content.decode()
        assert SCRIPT not in body and "&lt;script&gt;" in body


@pytest.fixture
def two_provinces(world):
    call = make_call(world.users["vca"])
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04")
    calls.call_publish(actor=world.users["officer_b"], call=call, province_id="66")
    make_eligible(world.orgs["a1"])
    make_eligible(world.orgs["b1"])
    a1 = apply_and_submit(world.users["manager_a1"], call, world.orgs["a1"])
    b1 = apply_and_submit(world.users["manager_b1"], call, world.orgs["b1"])
    return call, a1, b1


@pytest.mark.parametrize("key", ["officer_a", "viewer_a", "manager_a1", "member_a1"])
def test_api_application_of_another_province_is_404(client, world, two_provinces, key):
    _, a1, b1 = two_provinces
    client.force_login(world.users[key])
    response = client.get(f"/api/v1/programs/applications/{b1.pk}")
    assert response.status_code in (403, 404), response.status_code
    if response.status_code == 404:
        assert response.json()["code"] == "not_found"
    if key.startswith("officer") or key.startswith("viewer"):
        assert response.status_code == 404
        assert client.get(f"/api/v1/programs/applications/{a1.pk}").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/programs/applications/99999999999999999999",
        "/api/v1/programs/applications/-1",
        "/api/v1/programs/applications/abc",
        "/api/v1/programs/calls/99999999999999999999",
        "/api/v1/programs/calls/99999999999999999999/results",
        "/api/v1/programs/calls/1/provinces/%3Cscript%3E/applications",
        "/api/v1/programs/calls/1/provinces/99/applications",
    ],
)
def test_api_bad_ids_never_500(client, world, two_provinces, path):
    client.force_login(world.users["officer_a"])
    response = client.get(path)
    assert response.status_code in (404, 422), (path, response.status_code)
    assert "<script>" not in response.content.decode()
    assert "code" in response.json()


def test_officer_cannot_review_another_province_application_by_id(client, world, two_provinces):
    _, _, b1 = two_provinces
    client.force_login(world.users["officer_a"])
    url = reverse("programs:application_review", kwargs={"application_id": b1.pk})
    assert client.post(url, {"decision": "verify"}).status_code == 404
    b1.refresh_from_db()
    assert b1.status == ApplicationStatus.SUBMITTED
    assert Application.objects.filter(status=ApplicationStatus.VERIFIED).count() == 0


def test_pages_with_huge_ids_are_404(client, world):
    client.force_login(world.users["vca"])
    for url in (
        "/chuong-trinh/dot/99999999999999999999/",
        "/chuong-trinh/ho-so/99999999999999999999/",
        "/chuong-trinh/dot/99999999999999999999/tinh/04/",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    "kind,params",
    [
        ("youth_share", {"threshold": -1}),
        ("youth_share", {"threshold": 100}),
        ("youth_share", {"threshold": 1e400}),
        ("youth_share", {"threshold": float("nan")}),
        ("youth_share", {"threshold": "bốn mươi"}),
        ("youth_share", {"threshold": 40, "as_of": "2024-02-30"}),
        ("finance", {"years": 10**30}),
        ("finance", {"years": "abc"}),
        ("finance", {"field": "<script>"}),
        ("value_chain", {"min_links": -2}),
        ("value_chain", {"min_links": 10**30}),
        ("ocop", {"min_stars": 6}),
        ("operating_months", {"min_months": -1}),
        ("province", {"provinces": ["04", "99"]}),
        ("sector", {"sectors": ["<script>"]}),
        ("nonsense", {}),
    ],
)
def test_service_refuses_bad_criterion_parameters(world, kind, params):
    from django.core.exceptions import ValidationError

    call = make_call(world.users["vca"], open_=False, criteria=[])
    with pytest.raises(ValidationError):
        calls.criterion_add(
            actor=world.users["vca"], call=call, kind=kind, label="x", params=params
        )
    assert call.criteria.count() == 0


@pytest.mark.parametrize(
    "key,expected,absent",
    [
        ("vca", "Chưa có đợt tuyển chọn. Tạo đợt đầu tiên", "dành cho HTX của bạn"),
        ("officer_a", "Khi VCA mở đợt, đợt tuyển chọn sẽ hiện ở đây", "dành cho HTX của bạn"),
        ("manager_a1", "Hiện chưa có đợt tuyển chọn nào dành cho HTX của bạn", "Khi VCA mở đợt"),
    ],
)
def test_call_list_empty_state_speaks_to_each_role(client, world, key, expected, absent):
    client.force_login(world.users[key])
    body = client.get(reverse("programs:call_list")).content.decode()
    assert expected in body and absent not in body
