"""The shared server-side SVG charts (``core.charts``), used by the registry's
dashboards and the market's seller statistics."""

from __future__ import annotations

from htxso.core import charts


def test_charts_are_accessible_and_escape_labels():
    rows = [
        charts.Row(label="<script>x</script>", value=40, display="40\u00a0%", target=60),
        charts.Row(label="B & C", value=0, display="0\u00a0%"),
    ]
    chart = charts.bar_chart("Tỷ lệ", rows, max_value=100, target_label="mục tiêu")
    svg = str(chart.svg)
    assert svg.startswith("<svg") and 'role="img"' in svg and "aria-labelledby=" in svg
    assert "<title id=" in svg and "<desc id=" in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "B &amp; C" in svg
    assert "stroke-dasharray" in svg  # the target mark
    donut = charts.donut_chart("Xếp loại", [charts.Row("Tốt", 0, "0")])
    assert donut.empty
    columns = charts.column_chart(
        "OCOP", [charts.Row("3 sao", 2, "2"), charts.Row("4 sao", 0, "0")]
    )
    assert not columns.empty and str(columns.svg).count("<rect") == 2
