"""Issue 17: on /thong-ke/ every chart shows the numbers of the indicators table beside
it, from the same rows.

Issue 13 made the chart by kind read the indicator instead of counting every status.
What still differed: the counts by kind (table and chart) took the organisations whose
status is "operating" *today*, while the shares' denominator ("out of all operating
organisations") took those operating *on the reference date* (31 December of the year;
an organisation dissolved after that day still counts, issue 19) — in the demo's Cao Bằng
for 2025 the chart summed 46 + 15 + 3 = 64 organisations and the value-chain share was
computed over 65.  And the grades' donut gave percentages of every graded organisation,
"not graded" included, while the indicator "good or fair" leaves those out.

The world here is demo-like: operating, suspended, dissolving and dissolved
cooperatives (one dissolved after the year), groups and a union, grades including
"not graded", organisations without a grade, draft and returned reports.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from htxso.core.formatting import format_number
from htxso.registry import stats
from htxso.registry.demo_data import valid_tax_code
from htxso.registry.models import (
    AnnualReport,
    ClassificationScheme,
    ClassificationScore,
    Organisation,
    ValueChainLink,
)
from htxso.registry.stats_charts import dashboard_charts

from .test_stats_world import build_stats_world

pytestmark = pytest.mark.django_db
KINDS = {"cooperatives": 0, "groups": 1, "unions": 2}


@pytest.fixture
def demo_like(world):
    extra = build_stats_world(world)

    prefix = 31_550_0000

    def org(name, **values):
        nonlocal prefix
        values.setdefault("kind", "cooperative")
        if values["kind"] != "group":
            values["tax_code"], prefix = valid_tax_code(prefix + 1)
        return Organisation.objects.create(name=name, province_id="04", **values)

    # dissolved in 2025: operating all through 2024, with a link and a report that year
    late = org("HTX giải thể 2025", status="dissolved", dissolved_on=dt.date(2025, 3, 1))
    ValueChainLink.objects.create(
        organisation=late,
        product="Gạo",
        partner_name="Công ty C",
        role="supplier",
        started_on=dt.date(2023, 1, 1),
    )
    AnnualReport.objects.create(organisation=late, year=2024, status="accepted", workers_total=4)
    # dissolved during 2024, suspended, in liquidation: not operating on 31/12/2024
    early = org("HTX giải thể 2024", status="dissolved", dissolved_on=dt.date(2024, 6, 1))
    org("HTX tạm ngừng", status="suspended")
    org("HTX đang giải thể", status="dissolving")
    # more groups, one with only a draft and one with a returned report
    draft = org("Tổ hợp tác nháp", kind="group")
    AnnualReport.objects.create(organisation=draft, year=2024, status="draft", workers_total=50)
    returned = org("Tổ hợp tác bị trả lại", kind="group")
    AnnualReport.objects.create(
        organisation=returned, year=2024, status="returned", in_value_chain=True
    )
    # grades: "not graded" ones and a dissolved one; several organisations have none
    scheme = ClassificationScheme.objects.get(code="test-scheme")
    for o, grade in ((late, "not_graded"), (early, "good"), (draft, "not_graded")):
        ClassificationScore.objects.create(
            organisation=o, scheme=scheme, year=2024, grade=grade, status="published"
        )
    return extra


def _rows(board):
    return {r.code: r for r in board.indicators}


def test_kind_chart_equals_the_table_and_the_shares_denominator(world, demo_like):
    board = stats.dashboard(user=world.users["officer_a"], province="04", use_cache=False)
    assert board.year == 2024 and board.as_of == dt.date(2024, 12, 31)
    rows = _rows(board)
    kinds = dashboard_charts(board)[0].rows
    for code, i in KINDS.items():
        assert (kinds[i].value, kinds[i].display) == (rows[code].actual, rows[code].actual_display)
    # a1, a3, the cooperative dissolved in 2025; a2 and the two new groups; a4
    assert [r.value for r in kinds] == [3, 3, 1]
    # the very organisations the value-chain share is counted over
    operating = sum(r.value for r in kinds)
    assert operating == board.figures.operating
    # in a value chain in 2024: a1 (link), a2 (report), the late one (link)
    assert rows["share_value_chain"].actual == pytest.approx(3 * 100 / operating)


def test_every_chart_shows_the_table_s_numbers(world, demo_like):
    board = stats.dashboard(user=world.users["officer_a"], province="04", use_cache=False)
    rows = _rows(board)
    with translation.override("en"):
        _kinds, shares, ocop, grades = dashboard_charts(board)
    codes = ["share_effective", "youth_share", "share_value_chain", "share_good_or_fair"]
    for row, code in zip(shares.rows, codes, strict=True):
        assert row.display == rows[code].actual_display, code
        assert row.value == pytest.approx(rows[code].actual or 0), code
    assert sum(r.value for r in ocop.rows) == rows["ocop_products"].actual
    # grades: a1 good, a3 fair, a2 weak, the one dissolved in 2024 good; two not graded
    counts = {g: n for g, _label, n in board.grades}
    assert counts == {"good": 2, "fair": 1, "average": 0, "weak": 1, "not_graded": 2}
    by_label = {r.label: r.display for r in grades.rows}
    assert by_label["Good"].endswith("(50,0\u00a0%)")  # 2 of the 4 given a grade
    assert by_label["Fair"].endswith("(25,0\u00a0%)")
    assert by_label["Not graded"] == "2"  # outside the percentages
    assert rows["share_good_or_fair"].actual == pytest.approx(50 + 25)


def _indicator(html: str, code: str) -> str:
    row = re.search(rf'data-indicator="{code}">.*?</tr>', html, re.S).group(0)
    return re.search(r'data-label="Actual"[^>]*>([^<]*)<', row).group(1).strip()


def _chart_table(html: str, title_part: str) -> dict[str, str]:
    for figure in html.split('<figure class="chart">')[1:]:
        figure = figure.split("</figure>")[0]
        if title_part in figure.split("</figcaption>")[0]:
            return dict(re.findall(r'<th scope="row">([^<]*)</th><td class="num">([^<]*)<', figure))
    raise AssertionError(f"no chart {title_part!r}")


def _percent(display: str) -> float:
    """``"2 (50,0 %)"`` → 50.0"""
    return float(display.split("(")[1].split("\u00a0")[0].replace(",", "."))


def test_the_page_shows_the_same_numbers_in_table_and_charts(client, world, demo_like):
    user = world.users["officer_a"]
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    html = client.get(reverse("registry:stats_province", kwargs={"code": "04"})).content.decode()
    kinds = _chart_table(html, "Operating organisations by kind")
    assert kinds == {
        "Cooperative": _indicator(html, "cooperatives"),
        "Cooperative group": _indicator(html, "groups"),
        "Union of cooperatives": _indicator(html, "unions"),
    }
    assert kinds == {"Cooperative": "3", "Cooperative group": "3", "Union of cooperatives": "1"}
    shares = _chart_table(html, "Shares")
    assert shares["Share linked in value chains"] == _indicator(html, "share_value_chain")
    grades = _chart_table(html, "Published grades")
    good, fair = (_percent(grades[k]) for k in ("Good", "Fair"))
    table = _indicator(html, "share_good_or_fair")
    assert table == f"{format_number(good + fair, 1)}\u00a0%"
    # the register's table, by status today, says which date the counts above are for
    assert "count the organisations operating on 31/12/2024" in html
