"""The annual-report round trip through HTTP: manager ↔ province, with scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from htxso.core.models import AuditEvent
from htxso.registry.models import (
    AnnualReport,
    Membership,
    Organisation,
    Person,
    ReportStatus,
    Worker,
)

pytestmark = pytest.mark.django_db
YEAR = 2025

FIGURES = {
    "members_official": "12",
    "members_associate": "3",
    "workers_total": "10",
    "workers_youth": "4",
    "workers_female": "5",
    "charter_capital": "1.500.000.000",
    "total_assets": "2.000.000.000",
    "revenue": "2.600.000.000",
    "profit": "-15.000.000",
    "revenue_from_members": "800.000.000",
    "average_income_month": "5.200.000",
    "taxes_paid": "12.000.000",
    "operating_effectively": "yes",
    "uses_high_tech": "no",
    "in_value_chain": "yes",
    "notes": "Cà phê Ea Tu",
}


def english(world, *keys):
    for key in keys:
        user = world.users[key]
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])


def as_user(client, world, key):
    client.logout()
    client.force_login(world.users[key])
    return client


def edit_url(world, year=YEAR):
    return reverse("registry:report_edit", kwargs={"org_pk": world.orgs["a1"].pk, "year": year})


def test_prefill_from_the_register(client, world):
    a1 = world.orgs["a1"]
    a1.charter_capital = 900_000_000
    a1.save()
    end = dt.date(YEAR, 12, 31)
    people = [
        Person.objects.create(organisation=a1, full_name=f"Người {i}", birth_date=b, sex=s)
        for i, (b, s) in enumerate(
            [
                (dt.date(1991, 1, 1), "female"),  # 34 at end of 2025 → youth
                (dt.date(1990, 12, 31), "male"),  # 35 on 31 Dec → not youth
                (dt.date(1970, 5, 5), "female"),
                (None, "male"),
            ]
        )
    ]
    Membership.objects.create(
        organisation=a1, person=people[0], kind="official", joined_on=dt.date(2020, 1, 1)
    )
    Membership.objects.create(
        organisation=a1, person=people[1], kind="official", joined_on=dt.date(2020, 1, 1)
    )
    Membership.objects.create(
        organisation=a1,
        person=people[2],
        kind="capital_associate",
        joined_on=dt.date(2020, 1, 1),
        capital=1,
    )
    # left during the year and joined after the year: not counted
    Membership.objects.create(
        organisation=a1,
        person=people[3],
        kind="official",
        joined_on=dt.date(2020, 1, 1),
        left_on=dt.date(2025, 6, 1),
    )
    Membership.objects.create(
        organisation=a1, person=people[3], kind="official", joined_on=dt.date(2026, 2, 1)
    )
    for p in people[:3]:
        Worker.objects.create(organisation=a1, person=p, started_on=dt.date(2021, 1, 1))
    Worker.objects.create(
        organisation=a1, person=people[3], started_on=dt.date(2021, 1, 1), ended_on=end
    )
    response = as_user(client, world, "manager_a1").get(edit_url(world))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["members_official"] == 2
    assert form.initial["members_associate"] == 1
    assert form.initial["workers_total"] == 3
    assert form.initial["workers_youth"] == 1
    assert form.initial["workers_female"] == 2
    assert form.initial["charter_capital"] == "900.000.000"


def test_round_trip(client, world, django_capture_on_commit_callbacks):
    english(world, "manager_a1", "officer_a", "viewer_a")
    # 1. the manager fills in and submits
    c = as_user(client, world, "manager_a1")
    response = c.post(edit_url(world), {**FIGURES, "then": "submit"})
    report = AnnualReport.objects.get(organisation=world.orgs["a1"], year=YEAR)
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:report_detail", kwargs={"pk": report.pk})
    assert report.status == ReportStatus.SUBMITTED
    assert report.revenue == 2_600_000_000 and report.profit == -15_000_000
    assert report.charter_capital == 1_500_000_000 and report.operating_effectively is True
    detail = reverse("registry:report_detail", kwargs={"pk": report.pk})
    review = reverse("registry:report_review", kwargs={"pk": report.pk})

    # 2. the officer of another province can neither see nor act
    c = as_user(client, world, "officer_b")
    assert c.get(detail).status_code == 404
    assert c.post(review, {"decision": "accept"}).status_code == 404
    # 3. the department viewer sees but cannot act; a manager cannot review
    c = as_user(client, world, "viewer_a")
    page = c.get(detail)
    assert page.status_code == 200 and b"2.600.000.000" in page.content
    assert b'name="decision"' not in page.content
    assert c.post(review, {"decision": "accept"}).status_code == 403
    assert (
        as_user(client, world, "manager_a1").post(review, {"decision": "accept"}).status_code == 403
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    # 4. the officer returns: a comment is required; script is escaped
    c = as_user(client, world, "officer_a")
    assert b'name="decision"' in c.get(detail).content
    c.post(review, {"decision": "return", "comment": "   "})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            review, {"decision": "return", "comment": "Sửa doanh thu <script>alert(1)</script>"}
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["manager_a1@example.vn"]
    assert "returned" in mail.outbox[0].subject and "Sửa doanh thu" in mail.outbox[0].body

    # 5. the manager sees the comment (escaped), corrects and resubmits
    c = as_user(client, world, "manager_a1")
    page = c.get(detail).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    form = c.get(edit_url(world))
    assert form.status_code == 200 and "Sửa doanh thu" in form.content.decode()
    response = c.post(edit_url(world), {**FIGURES, "revenue": "2.700.000.000", "then": "submit"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.revenue == 2_700_000_000

    # 6. the officer accepts; the manager is told
    c = as_user(client, world, "officer_a")
    with django_capture_on_commit_callbacks(execute=True):
        c.post(review, {"decision": "accept"})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by == world.users["officer_a"]
    assert len(mail.outbox) == 2 and "accepted" in mail.outbox[1].subject

    # 7. editing after acceptance is refused with a reason, and nothing changes
    c = as_user(client, world, "manager_a1")
    response = c.post(edit_url(world), {**FIGURES, "revenue": "1"})
    assert response.status_code == 409
    assert b"accepted by the province and can no longer be changed" in response.content
    report.refresh_from_db()
    assert report.revenue == 2_700_000_000

    # history and audit: every transition
    steps = [(e.from_status, e.to_status) for e in report.events.order_by("created_at", "id")]
    assert steps == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "accepted"),
    ]
    actions = list(
        AuditEvent.objects.filter(object_id=str(report.pk), action__startswith="annual_report.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "annual_report.save",
        "annual_report.submit",
        "annual_report.return",
        "annual_report.save",
        "annual_report.submit",
        "annual_report.accept",
    ]


def test_edit_after_submission_refused(client, world):
    english(world, "manager_a1")
    c = as_user(client, world, "manager_a1")
    c.post(edit_url(world), {**FIGURES, "then": "submit"})
    response = c.get(edit_url(world))
    assert response.status_code == 200
    assert b"submitted to the province and can no longer be changed" in response.content
    assert b'name="then"' not in response.content
    response = c.post(edit_url(world), {**FIGURES, "members_official": "99"})
    assert response.status_code == 409
    assert AnnualReport.objects.get(organisation=world.orgs["a1"]).members_official == 12


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("revenue", "-5", "cannot be negative"),
        ("workers_total", "-1", "cannot be negative"),
        ("revenue", "20.000.000.000.000", "implausibly large"),
        ("average_income_month", "1.500.000.000", "implausibly large"),
        ("workers_youth", "11", "Workers under 35 cannot be more than all workers"),
        ("revenue", "abc", "Enter an amount"),
        ("notes", "bad\x07text", "control character"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(client, world, field, value, message):
    english(world, "manager_a1")
    c = as_user(client, world, "manager_a1")
    response = c.post(edit_url(world), {**FIGURES, field: value, "then": "submit"})
    assert response.status_code == 200
    assert message.encode() in response.content
    assert not AnnualReport.objects.exists()


def test_future_year_refused(client, world):
    english(world, "manager_a1")
    future = dt.date.today().year + 1
    c = as_user(client, world, "manager_a1")
    response = c.post(edit_url(world, future), {**FIGURES})
    assert b"has not started yet" in response.content
    assert not AnnualReport.objects.exists()


@pytest.mark.parametrize("year", [99999, 1000])
def test_absurd_years_in_the_address(client, world, year):
    c = as_user(client, world, "manager_a1")
    assert c.get(edit_url(world, year)).status_code == 404
    url = reverse(
        "registry:classification_edit",
        kwargs={"org_pk": world.orgs["a1"].pk, "year": year, "scheme": "tt01-2020"},
    )
    assert c.get(url).status_code == 404


def test_org_list_page_links_and_start(client, world):
    english(world, "manager_a1", "viewer_a")
    AnnualReport.objects.create(organisation=world.orgs["a1"], year=2024)
    url = reverse("registry:report_list_for_org", kwargs={"org_pk": world.orgs["a1"].pk})
    page = as_user(client, world, "manager_a1").get(url)
    assert page.status_code == 200 and b"Start a report" in page.content
    page = as_user(client, world, "viewer_a").get(url)
    assert page.status_code == 200 and b"Start a report" not in page.content
    assert as_user(client, world, "manager_b1").get(url).status_code == 404


def _many_reports(n=30):
    orgs = Organisation.objects.bulk_create(
        [Organisation(kind="group", name=f"Tổ {i}", province_id="04") for i in range(n)]
    )
    AnnualReport.objects.bulk_create(
        [
            AnnualReport(
                organisation=o, year=YEAR, status=("submitted", "draft", "accepted")[i % 3]
            )
            for i, o in enumerate(orgs)
        ]
    )
    return orgs


def test_queue_filters_missing_list_and_query_count(client, world, django_assert_max_num_queries):
    english(world, "officer_a")
    _many_reports()
    c = as_user(client, world, "officer_a")
    url = reverse("registry:report_queue")
    with django_assert_max_num_queries(10):
        page = c.get(url, {"year": YEAR})
    assert page.status_code == 200
    assert page.context["counts"]["submitted"] == 10
    assert "HTX Cà phê Ea Tu" not in page.content.decode()
    # past the deadline: organisations without a submitted report are listed
    missing_names = {o.name for o in page.context["missing"]}
    assert "HTX Nông nghiệp Hợp Giang" in missing_names and "Tổ 1" in missing_names
    assert "Tổ 0" not in missing_names  # submitted
    assert b"Missing after the deadline: 12" in page.content
    filtered = c.get(url, {"year": YEAR, "status": "accepted"})
    assert all(r.status == "accepted" for r, _late in filtered.context["rows"])
    # nonsense filters are ignored, not a 500
    assert c.get(url, {"year": "abc", "status": "<x>", "province": "66"}).status_code == 200


def test_detail_query_count(client, world, django_assert_max_num_queries):
    report = AnnualReport.objects.create(
        organisation=world.orgs["a1"], year=YEAR, status="submitted"
    )
    for i in range(10):
        report.events.create(to_status="submitted", actor=world.users["manager_a1"], comment=str(i))
    c = as_user(client, world, "officer_a")
    with django_assert_max_num_queries(8):
        response = c.get(reverse("registry:report_detail", kwargs={"pk": report.pk}))
    assert response.status_code == 200
