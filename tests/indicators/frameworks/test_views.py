"""Pages: the list scoped by role, the dashboard (tree, values, status, chart equal to the
table), the indicator page, the staff's forms and the recompute button."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from htxso.core.models import AuditEvent
from htxso.indicators import selectors_frameworks as sel
from htxso.indicators.models import Framework, Indicator, IndicatorValue, ReferenceValue
from htxso.indicators.periods import parse

from .helpers import cached, framework, indicator, org, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def frameworks(world):
    nat = framework("eu", name="Khung EU", start_date=dt.date(2024, 7, 1))
    cb = framework("cb", province="04", name="Khung Cao Bằng")
    dl = framework("dl", province="66", name="Khung Đắk Lắk")
    a = indicator(
        nat, "youth", formula="training.youth_digital_completed", unit="people", name="Thanh niên"
    )
    b = indicator(nat, "coops", formula="registry.cooperatives", name="Số HTX")
    indicator(nat, "empty", formula="registry.unions", name="Liên hiệp")
    target(a, "2027", 600)
    target(b, "2027", 10)
    cached(a, "2025S2", 12)
    cached(b, "2025S2", 4)
    cached(b, "2025S2", 3, cell="province=04")
    return {"nat": nat, "cb": cb, "dl": dl, "a": a, "b": b}


def get(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, response.status_code
    return response.content.decode()


def test_list_is_scoped(client, world, frameworks):
    url = reverse("indicators:frameworks")
    body = get(client, world.users["officer_a"], url)
    assert "Khung EU" in body and "Khung Cao Bằng" in body and "Khung Đắk Lắk" not in body
    body = get(client, world.users["viewer_b"], url)
    assert "Khung EU" in body and "Khung Đắk Lắk" in body and "Khung Cao Bằng" not in body
    body = get(client, world.users["vca"], url)
    assert all(n in body for n in ("Khung EU", "Khung Cao Bằng", "Khung Đắk Lắk"))
    get(client, world.users["manager_a1"], url, 403)


def test_another_provinces_framework_is_404(client, world, frameworks):
    get(client, world.users["officer_a"], reverse("indicators:framework", args=["dl"]), 404)
    get(client, world.users["officer_a"], reverse("indicators:indicator", args=["dl", "x"]), 404)
    get(client, world.users["officer_a"], reverse("indicators:framework_edit", args=["dl"]), 404)
    # a national framework: staff see it, a provincial officer may not change it
    get(client, world.users["officer_a"], reverse("indicators:framework_edit", args=["eu"]), 403)


def test_dashboard_values_status_and_chart_equal_the_table(client, world, frameworks):
    url = reverse("indicators:framework", args=["eu"]) + "?period=2025S2"
    body = get(client, world.users["viewer_a"], url)
    assert "Thanh niên" in body and 'data-status="off_track"' in body
    assert "not_met" not in re.findall(r'data-status="([a-z_]+)"', body)
    board = sel.dashboard(frameworks["nat"], period=parse("2025S2"))
    table = {r.indicator.name: (r.value_display, r.target_display) for r in board.rows}
    chart = {row.label: (row.display, row.target_display) for row in board.chart.rows}
    assert chart == {k: v for k, v in table.items() if k in chart}
    names = {r.indicator.code: r.indicator.name for r in board.rows}
    # bars are labelled with the indicators' names (not their codes); no value: no bar
    assert set(chart) == {names["youth"], names["coops"]}
    svg = str(board.chart.svg)
    assert ">youth<" not in svg and ">coops<" not in svg
    for name in chart:
        assert sel.bar_label(name, chart[name][0]) in svg
    # the page shows the same strings in the tree and in the chart's table
    for display, _target in chart.values():
        assert body.count(f">{display}<") >= 2
    empty = next(r for r in board.rows if r.indicator.code == "empty")
    assert empty.status == "no_target" and empty.value_display == "—"


def test_bar_label_shortens_long_names_only():
    assert sel.bar_label("Hợp tác xã", "12") == "Hợp tác xã"
    long = "Số thanh niên hoàn thành khoá kỹ năng số dưới 35 tuổi tại thời điểm bắt đầu"
    short = sel.bar_label(long, "1.234")
    assert short.endswith("…") and len(short) <= sel.BAR_LINE_CHARS - len("1.234") - 2
    assert long.startswith(short[:-1])


def test_status_for_the_targets_date_not_met_never_early(frameworks):
    board = sel.dashboard(frameworks["nat"], period=parse("2025S2"))
    statuses = {r.indicator.code: r.status for r in board.rows}
    # youth: 12 by Dec 2025 from 0 in July 2024, 600 by 2027 → off track, not "not met"
    assert statuses["youth"] == "off_track"


def test_dashboard_by_province(client, world, frameworks):
    url = reverse("indicators:framework", args=["eu"]) + "?period=2025S2&province=04"
    body = get(client, world.users["officer_a"], url)
    assert "have not been computed" in body or "chưa được tính" in body
    url = reverse("indicators:framework", args=["eu"]) + "?period=2025S2&province=66"
    get(client, world.users["officer_a"], url, 404)  # not his province


def test_indicator_page(client, world, frameworks):
    ReferenceValue.objects.create(
        indicator=frameworks["b"],
        label="Nghệ An: số HTX",
        province_id="40",
        period="2025",
        value=935,
        source="Hội nghị 13/10/2025",
    )
    url = reverse("indicators:indicator", args=["eu", "coops"]) + "?period=2025S2"
    body = get(client, world.users["viewer_a"], url)
    assert "Nghệ An: số HTX" in body and "935" in body and "Hội nghị 13/10/2025" in body
    assert "registry.cooperatives" in body
    assert "province=04" not in body and "Cao Bằng" in body  # the cell, labelled
    assert 'id="targets"' in body


def test_recompute_button_is_audited(client, world, frameworks):
    org(established_on=dt.date(2020, 1, 1))
    client.force_login(world.users["viewer_a"])
    url = reverse("indicators:framework_recompute", args=["eu"])
    response = client.post(url, {"period": "2025S2"})
    assert response.status_code == 302
    row = IndicatorValue.objects.get(
        indicator=frameworks["b"], period="2025S2", cell="", province=None
    )
    assert row.value == 3  # a1 and b1 of the world, and this one
    assert AuditEvent.objects.filter(
        action="indicators.refresh", actor=world.users["viewer_a"]
    ).exists()
    response = client.post(url, {"period": "2025S9"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="indicators.refresh").count() == 1


def test_staff_create_framework_and_indicator_with_forms(client, world):
    client.force_login(world.users["officer_a"])
    response = client.post(
        reverse("indicators:framework_create"),
        {"code": "cb-2030", "name": "Cao Bằng 2030", "province": "04"},
    )
    assert response.status_code == 302
    fw = Framework.objects.get(code="cb-2030")
    url = reverse("indicators:indicator_create", args=["cb-2030"])
    bad = client.post(
        url,
        {
            "code": "htx",
            "name": "HTX",
            "unit": "count",
            "formula": "khong.co",
            "baseline_period": "2024S9",
        },
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "khong.co" in text and "2024S9" in text
    assert not Indicator.objects.exists()
    too_big = client.post(
        url,
        {
            "code": "htx",
            "name": "HTX",
            "unit": "count",
            "formula": "registry.cooperatives",
            "order": str(2**63),
        },
    )
    assert too_big.status_code == 200 and not Indicator.objects.exists()
    ok = client.post(
        url,
        {
            "code": "htx",
            "name": "HTX",
            "unit": "count",
            "formula": "registry.cooperatives",
            "disaggregations": ["sector"],
            "params": "",
        },
    )
    assert ok.status_code == 302
    ind = Indicator.objects.get(framework=fw)
    t_url = reverse("indicators:target_save", args=["cb-2030", "htx"])
    assert (
        client.post(
            t_url, {"t-period": "2030Q", "t-value": "1000", "t-comparison": ">="}
        ).status_code
        == 400
    )
    assert (
        client.post(
            t_url, {"t-period": "2030", "t-value": "1000", "t-comparison": ">="}
        ).status_code
        == 302
    )
    assert ind.targets.get().value == 1000


def test_script_in_names_is_refused_and_escaped(client, world, frameworks):
    client.force_login(world.users["vca"])
    url = reverse("indicators:framework_edit", args=["eu"])
    response = client.post(url, {"name": '<script>alert("x")</script>'})
    assert response.status_code == 200
    body = response.content.decode()
    assert '<script>alert("x")</script>' not in body
    assert Framework.objects.get(code="eu").name == "Khung EU"
