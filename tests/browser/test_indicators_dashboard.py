"""A framework's dashboard and an indicator's page in Chromium at 360 px and 1280 px:
the tree with values, targets and status; the chart's figures equal the table's."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from htxso.core.actors import OPERATOR
from htxso.indicators import compute
from htxso.indicators.models import ReferenceValue

from ..indicators.frameworks.helpers import framework, indicator, org, target
from .conftest import SCREENSHOTS, assert_no_horizontal_overflow, shot
from .test_roles import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def board(world):
    from htxso.indicators.models import ResultNode

    for n in range(3):
        org(established_on=dt.date(2020, 1, 1), sector="agriculture" if n else "trade")
    fw = framework(
        "thai-nguyen-thu",
        province="04",
        name="Cao Bằng: phát triển kinh tế tập thể đến năm 2030",
        start_date=dt.date(2025, 1, 1),
    )
    goal = ResultNode.objects.create(framework=fw, level="goal", code="1", title="Phát triển HTX")
    out = ResultNode.objects.create(
        framework=fw, parent=goal, level="outcome", code="1.1", title="Số lượng HTX tăng"
    )
    coops = indicator(
        fw,
        "hop-tac-xa",
        node=out,
        name="Số hợp tác xã",
        disaggregations=["sector"],
        baseline_value=2,
        baseline_period="2024",
    )
    target(coops, "2030", 60)
    share = indicator(
        fw,
        "tot-kha",
        node=goal,
        name="Tỷ lệ tổ chức đạt tốt, khá",
        unit="percent",
        formula="registry.share_good_or_fair",
        denominator_label="tổ chức được xếp loại",
    )
    target(share, "2030", 60, ">")
    ReferenceValue.objects.create(
        indicator=coops,
        label="Nghệ An: số HTX",
        province_id="40",
        period="2025",
        value=935,
        source="Hội nghị Liên minh HTX Việt Nam, 13/10/2025",
    )
    ReferenceValue.objects.create(
        indicator=share,
        label="Thái Nguyên: tỷ lệ tổ chức kinh tế tập thể đạt loại tốt, khá đến năm 2030",
        province_id="19",
        period="2030",
        value=60,
        unit="percent",
        comparison=">",
        source="Kế hoạch phát triển kinh tế tập thể tỉnh Thái Nguyên giai đoạn 2021-2030",
        source_url="https://thainguyen.gov.vn/van-ban/ke-hoach-phat-trien-kinh-te-tap-the-2021-2030",
    )
    compute.refresh(fw, periods=["2025S2", "2026S2"], actor=OPERATOR)
    return fw


def shot_path(name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


@pytest.mark.parametrize("width", ["360", "1280"])
def test_dashboard_and_indicator_page(live_server, world, board, page_factory, width):
    page = page_factory(width)
    sign_in(page, live_server.url, world.users["officer_a"].username)
    page.goto(f"{live_server.url}/ket-qua/khung/{board.code}/?period=2026S2")
    expect(page.get_by_role("heading", name=board.name)).to_be_visible()
    row = page.locator("[data-indicator=hop-tac-xa]")
    value = row.locator("[data-value]").inner_text()
    assert value == "4"  # the three made here and the world's a1
    status = row.locator("[data-status]").get_attribute("data-status")
    assert status in {"on_track", "at_risk", "off_track"}  # a 2030 target: never "not met"
    # the chart's table holds the same strings as the tree
    page.locator("#chart .chart__data summary").click()
    cells = page.locator("#chart .chart__data tbody tr")
    chart = {
        cells.nth(i).locator("th").inner_text(): cells.nth(i).locator("td").first.inner_text()
        for i in range(cells.count())
    }
    assert chart["Số hợp tác xã"] == value  # bars are labelled with names, not codes
    assert "hop-tac-xa" not in page.locator("#chart svg").inner_html()
    expect(page.locator("#chart svg")).to_contain_text("Số hợp tác xã")
    # the reference figures: a table at 1280 px, one card per figure at 360 px (no
    # scrolling inside a box), every value with its label
    refs = page.locator("#reference-table")
    expect(refs).to_contain_text("935")
    first = refs.locator("tbody tr").first
    display = first.evaluate("el => getComputedStyle(el).display")
    assert display == ("block" if width == "360" else "table-row")
    box = refs.bounding_box()
    wrap = page.locator("#references").bounding_box()
    assert box is not None and wrap is not None and box["width"] <= wrap["width"] + 1
    if width == "360":
        label = first.locator("td").first.evaluate("el => getComputedStyle(el, '::before').content")
        assert "Nơi" in label or "Place" in label or "Địa" in label
    assert_no_horizontal_overflow(page)
    shot(page, f"indicators-dashboard-{width}")
    page.locator("#references").screenshot(path=str(shot_path(f"indicators-references-{width}")))

    row.get_by_role("link", name="Số hợp tác xã").click()
    expect(page.get_by_role("heading", name="Số hợp tác xã")).to_be_visible()
    expect(page.locator("#references")).to_contain_text("935")
    expect(page.locator("#references")).to_contain_text("Hội nghị Liên minh HTX Việt Nam")
    expect(page.locator("#targets [data-target-period='2030']")).to_be_visible()
    expect(page.locator("#cells")).to_contain_text("Nông nghiệp")
    assert_no_horizontal_overflow(page)
    shot(page, f"indicators-indicator-{width}")
