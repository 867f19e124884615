"""Dashboard pages, their xlsx exports (reopened), the statistics API."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from .test_stats_world import build_stats_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sw(world):
    for user in world.users.values():
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
    return build_stats_world(world)


def _login(client, world, key):
    client.force_login(world.users[key])


def test_province_page_shows_figures_targets_and_charts(client, world, sw):
    _login(client, world, "officer_a")
    response = client.get(reverse("registry:stats_province", kwargs={"code": "04"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Statistics: " in html and "Cao Bằng" in html
    assert "2.000.000.000\u00a0₫" in html  # revenue per cooperative
    assert "4.500.000\u00a0₫" in html  # income per worker
    assert "66,7\u00a0%" in html
    assert 'class="badge badge--met"' in html and "✔ Target met" in html
    assert 'class="badge badge--not_met"' in html and "✘ Target not met" in html
    assert html.count('role="img"') == 4
    assert "<title id=" in html and "<desc id=" in html
    assert "Show the figures as a table" in html
    assert "How the figures are computed" in html
    assert "registry-stats.css" in html


def test_year_selector_and_bad_years(client, world, sw):
    _login(client, world, "vca")
    url = reverse("registry:stats_province", kwargs={"code": "04"})
    for year in ("2023", "abcd", "99999", "-1", "1800"):
        response = client.get(url, {"year": year})
        assert response.status_code == 200, year
    html = client.get(url, {"year": "2023"}).content.decode()
    assert '<option value="2023" selected>' in html, html[html.index("f-year") :][:400]


def test_officer_b_cannot_open_province_04(client, world, sw):
    _login(client, world, "officer_b")
    for name in ("registry:stats_province", "registry:stats_province_xlsx"):
        assert client.get(reverse(name, kwargs={"code": "04"})).status_code == 404
    assert client.get(reverse("registry:stats_national")).status_code == 403
    assert client.get(reverse("registry:stats_province", kwargs={"code": "66"})).status_code == 200


def test_stats_home_sends_each_reader_to_their_scope(client, world):
    _login(client, world, "officer_a")
    response = client.get(reverse("registry:stats_home"))
    assert response.status_code == 302 and response["Location"].endswith("/thong-ke/tinh/04/")
    _login(client, world, "vca")
    response = client.get(reverse("registry:stats_home"))
    assert response["Location"] == reverse("registry:stats_national")
    _login(client, world, "manager_a1")
    assert client.get(reverse("registry:stats_home")).status_code == 403


def test_empty_province_shows_a_friendly_empty_state(client, world):
    _login(client, world, "vca")
    response = client.get(reverse("registry:stats_province", kwargs={"code": "19"}))
    assert response.status_code == 200
    assert 'class="empty"' in response.content.decode()
    response = client.get(reverse("registry:stats_province_xlsx", kwargs={"code": "19"}))
    assert response.status_code == 200


def test_province_without_reports_says_no_data(client, world):
    world.users["vca"].preferred_language = "en"
    world.users["vca"].save()
    _login(client, world, "vca")
    html = client.get(reverse("registry:stats_province", kwargs={"code": "04"})).content.decode()
    assert "No annual report for" in html


def _open(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def test_province_xlsx_reopens_with_the_figures(client, world, sw):
    _login(client, world, "viewer_a")
    response = client.get(reverse("registry:stats_province_xlsx", kwargs={"code": "04"}))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = _open(response)
    assert wb.sheetnames == ["Indicators", "Organisations", "OCOP", "Grades"]
    ws = wb["Indicators"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    revenue = rows["Average revenue per cooperative (VND)"]
    assert revenue[1] == 2_000_000_000 and revenue[3] == 2_600_000_000 and revenue[4] == 2025
    assert revenue[5] == -600_000_000
    assert rows["Share operating effectively (%)"][1] == pytest.approx(66.67)
    assert rows["Cooperatives"][1:5] == (2, ">=", 10, 2030)
    assert rows["Workers (annual reports)"][1] == 45
    ocop = list(wb["OCOP"].iter_rows(min_row=2, values_only=True))
    assert ocop == [(3, 0), (4, 1), (5, 1)]
    grades = dict(wb["Grades"].iter_rows(min_row=2, values_only=True))
    assert grades["Good"] == 1 and grades["Weak"] == 1


def test_national_xlsx_has_the_province_comparison(client, world, sw):
    _login(client, world, "vca")
    wb = _open(client.get(reverse("registry:stats_national_xlsx")))
    assert "Provinces" in wb.sheetnames
    ws = wb["Provinces"]
    header = [c.value for c in ws[1]]
    rows = {
        r[1]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)
    }
    assert set(rows) == {"04", "66"}
    assert rows["66"]["Average revenue per cooperative (VND)"] == 50_000_000_000
    assert rows["04"]["Cooperatives"] == 2


def test_national_page_compares_provinces_and_sorts(client, world, sw):
    _login(client, world, "vca")
    url = reverse("registry:stats_national")
    html = client.get(url).content.decode()
    assert "Provinces compared" in html
    assert html.index('data-province="04"') < html.index('data-province="66"')
    html = client.get(url, {"sort": "-revenue_per_cooperative"}).content.decode()
    assert html.index('data-province="66"') < html.index('data-province="04"')
    assert 'aria-sort="descending"' in html
    html = client.get(url, {"sort": "revenue_per_cooperative"}).content.decode()
    assert html.index('data-province="04"') < html.index('data-province="66"')
    for bad in ("'; drop table", "-", "--name", "x" * 500):
        assert client.get(url, {"sort": bad}).status_code == 200


def test_page_query_count_is_fixed(client, world, sw, django_assert_max_num_queries):
    from htxso.registry.models import AnnualReport, Organisation

    orgs = Organisation.objects.bulk_create(
        Organisation(kind="group", name=f"Tổ {i}", province_id="04") for i in range(150)
    )
    AnnualReport.objects.bulk_create(
        AnnualReport(organisation=o, year=2024, status="submitted", workers_total=2) for o in orgs
    )
    _login(client, world, "officer_a")
    with django_assert_max_num_queries(13):
        assert (
            client.get(reverse("registry:stats_province", kwargs={"code": "04"})).status_code == 200
        )
    _login(client, world, "vca")
    with django_assert_max_num_queries(13):
        assert client.get(reverse("registry:stats_national")).status_code == 200
    # a second view within the cache lifetime costs only the request's own queries
    with django_assert_max_num_queries(4):
        assert client.get(reverse("registry:stats_national")).status_code == 200


# ------------------------------------------------------------------------ API ---


def test_api_statistics_for_a_province(client, world, sw):
    _login(client, world, "officer_a")
    response = client.get("/api/v1/registry/statistics", {"province": "04"})
    assert response.status_code == 200
    data = response.json()
    assert data["province_code"] == "04" and data["year"] == 2024 and data["reports"] == 4
    rows = {r["code"]: r for r in data["indicators"]}
    assert rows["revenue_per_cooperative"]["actual"] == 2_000_000_000
    assert rows["revenue_per_cooperative"]["target"]["value"] == 2_600_000_000
    assert rows["revenue_per_cooperative"]["status"] == "not_met"
    assert rows["share_good_or_fair"]["status"] == "met"
    assert data["ocop_by_stars"] == {"3": 0, "4": 1, "5": 1}
    assert data["grades"]["good"] == 1
    assert {o["kind"]: o["total"] for o in data["organisations"]}["cooperative"] == 3


def test_api_statistics_scoping(client, world, sw):
    _login(client, world, "officer_b")
    response = client.get("/api/v1/registry/statistics", {"province": "04"})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    own = client.get("/api/v1/registry/statistics").json()
    assert [p["code"] for p in own["provinces"]] == ["66"]
    _login(client, world, "manager_a1")
    assert client.get("/api/v1/registry/statistics").status_code == 403
    client.logout()
    assert client.get("/api/v1/registry/statistics").status_code == 401


def test_api_statistics_national_and_bad_input(client, world, sw):
    _login(client, world, "vca")
    data = client.get("/api/v1/registry/statistics", {"year": 2024}).json()
    assert data["province_code"] is None and data["reports"] == 5
    assert {p["code"] for p in data["provinces"]} == {"04", "66"}
    for params in ({"province": "4x"}, {"year": "abc"}, {"year": 1500}, {"province": "123"}):
        response = client.get("/api/v1/registry/statistics", params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "validation_error"
    response = client.get("/api/v1/registry/statistics", {"province": "99"})
    assert response.status_code == 404
