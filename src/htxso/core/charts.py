"""Small server-rendered SVG charts: horizontal bars, columns and a donut.

No JavaScript and no library.  Each chart is drawn in a 320-unit-wide box (a phone's
width, so its text stays readable there) that CSS scales up to a sensible maximum.
Every chart has a ``<title>`` and a ``<desc>`` listing the values, every value is also
written as text (colour is never the only carrier), and ``Chart.rows`` feeds the data
table shown under it (``templates/includes/chart.html``).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 320
FONT = 13
PALETTE = ["#0b6b3a", "#4f9d69", "#f4c430", "#b3261e", "#8a958f", "#1a5fd0", "#7b4fa0"]
_ids = itertools.count(1)


@dataclass
class Row:
    label: str
    value: float
    display: str
    target: float | None = None
    target_display: str = ""
    colour: str = ""


@dataclass
class Chart:
    title: str
    rows: list[Row]
    svg: SafeString
    value_heading: str = ""
    has_target: bool = False
    empty: bool = False
    notes: list[str] = field(default_factory=list)


def _open(height: int, title: str, desc: str) -> tuple[str, str]:
    n = next(_ids)
    tid, did = f"chart-{n}-title", f"chart-{n}-desc"
    head = format_html(
        '<svg class="chart__svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{tid} {did}" xmlns="http://www.w3.org/2000/svg" '
        'font-size="{f}"><title id="{tid}">{title}</title><desc id="{did}">{desc}</desc>',
        w=WIDTH,
        h=height,
        tid=tid,
        did=did,
        f=FONT,
        title=title,
        desc=desc,
    )
    return head, "</svg>"


def _describe(rows: list[Row]) -> str:
    parts = []
    for r in rows:
        text = f"{r.label}: {r.display}"
        if r.target_display:
            text += f" ({r.target_display})"
        parts.append(text)
    return "; ".join(parts)


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def bar_chart(
    title: str,
    rows: list[Row],
    *,
    max_value: float | None = None,
    value_heading: str = "",
    target_label: str = "",
) -> Chart:
    """Horizontal bars: label and value on one line, the bar below, an optional dashed
    target mark across the bar."""
    top = max([max_value or 0] + [r.value for r in rows] + [r.target or 0 for r in rows])
    top = top or 1
    row_h = 40
    has_target = any(r.target is not None for r in rows)
    height = row_h * len(rows) + (22 if has_target else 4)
    head, tail = _open(height, title, _describe(rows))
    parts = [head]
    for i, r in enumerate(rows):
        y = i * row_h
        width = max(0.0, min(1.0, r.value / top)) * WIDTH
        parts.append(
            format_html(
                '<text x="0" y="{ty}" fill="#1b1f1d">{label}</text>'
                '<text x="{w}" y="{ty}" text-anchor="end" font-weight="700" '
                'fill="#1b1f1d">{display}</text>'
                '<rect x="0" y="{by}" width="{w}" height="16" rx="3" fill="#e7f3ec"/>'
                '<rect x="0" y="{by}" width="{bw}" height="16" rx="3" fill="{c}"/>',
                ty=y + 14,
                by=y + 19,
                w=WIDTH,
                bw=_num(width),
                label=r.label,
                display=r.display,
                c=r.colour or PALETTE[0],
            )
        )
        if r.target is not None:
            tx = max(1.5, min(1.0, r.target / top) * WIDTH - 1.5)
            parts.append(
                format_html(
                    '<line x1="{x}" x2="{x}" y1="{y1}" y2="{y2}" stroke="#1b1f1d" '
                    'stroke-width="3" stroke-dasharray="4 2"/>',
                    x=_num(tx),
                    y1=y + 16,
                    y2=y + 38,
                )
            )
    if has_target:
        y = row_h * len(rows) + 6
        parts.append(
            format_html(
                '<line x1="1.5" x2="1.5" y1="{y}" y2="{y2}" stroke="#1b1f1d" stroke-width="3" '
                'stroke-dasharray="4 2"/><text x="10" y="{ty}" fill="#55605a">{t}</text>',
                y=y,
                y2=y + 14,
                ty=y + 12,
                t=target_label,
            )
        )
    parts.append(tail)
    return Chart(
        title=title,
        rows=rows,
        svg=mark_safe("".join(parts)),  # every piece is format_html-escaped
        value_heading=value_heading,
        has_target=has_target,
        empty=not rows,
    )


def column_chart(title: str, rows: list[Row], *, value_heading: str = "") -> Chart:
    """Vertical columns with the value above and the label below each column."""
    height, base, top_pad = 180, 150, 22
    top = max([r.value for r in rows] + [0]) or 1
    slot = WIDTH / max(1, len(rows))
    col_w = min(64.0, slot * 0.6)
    head, tail = _open(height, title, _describe(rows))
    parts = [
        head,
        format_html('<line x1="0" x2="{w}" y1="{y}" y2="{y}" stroke="#d5ddd8"/>', w=WIDTH, y=base),
    ]
    for i, r in enumerate(rows):
        h = (r.value / top) * (base - top_pad)
        cx = slot * i + slot / 2
        parts.append(
            format_html(
                '<rect x="{x}" y="{y}" width="{cw}" height="{h}" rx="3" fill="{c}"/>'
                '<text x="{cx}" y="{vy}" text-anchor="middle" font-weight="700" '
                'fill="#1b1f1d">{display}</text>'
                '<text x="{cx}" y="{ly}" text-anchor="middle" fill="#1b1f1d">{label}</text>',
                x=_num(cx - col_w / 2),
                y=_num(base - h),
                cw=_num(col_w),
                h=_num(h),
                c=r.colour or PALETTE[i % len(PALETTE)],
                cx=_num(cx),
                vy=_num(base - h - 6),
                ly=base + 18,
                display=r.display,
                label=r.label,
            )
        )
    parts.append(tail)
    return Chart(
        title=title,
        rows=rows,
        svg=mark_safe("".join(parts)),  # every piece is format_html-escaped
        value_heading=value_heading,
        empty=not any(r.value for r in rows),
    )


def donut_chart(
    title: str, rows: list[Row], *, value_heading: str = "", total_display: str = ""
) -> Chart:
    """A donut with a legend that writes each slice's label, count and share."""
    total = sum(r.value for r in rows)
    entry_h = 34
    legend_h = entry_h * len(rows)
    height = max(150, legend_h + 10)
    cx, cy, radius, stroke = 60, height / 2, 46, 24
    circumference = 2 * math.pi * radius
    head, tail = _open(height, title, _describe(rows))
    parts = [
        head,
        format_html(
            '<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="#e7f3ec" stroke-width="{s}"/>',
            cx=cx,
            cy=_num(cy),
            r=radius,
            s=stroke,
        ),
    ]
    offset = 0.0
    for i, r in enumerate(rows):
        colour = r.colour or PALETTE[i % len(PALETTE)]
        if total and r.value:
            length = r.value / total * circumference
            parts.append(
                format_html(
                    '<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="{c}" '
                    'stroke-width="{s}" stroke-dasharray="{a} {b}" stroke-dashoffset="{o}" '
                    'transform="rotate(-90 {cx} {cy})"/>',
                    cx=cx,
                    cy=_num(cy),
                    r=radius,
                    c=colour,
                    s=stroke,
                    a=_num(length),
                    b=_num(circumference - length),
                    o=_num(-offset),
                )
            )
            offset += length
        # legend: the label on one line, the value under it (fits a phone's width)
        ly = (height - legend_h) / 2 + entry_h * i
        parts.append(
            format_html(
                '<rect x="128" y="{ry}" width="12" height="12" rx="2" fill="{c}"/>'
                '<text x="146" y="{ty}" fill="#1b1f1d">{label}</text>'
                '<text x="146" y="{vy}" fill="#1b1f1d" font-weight="700">{display}</text>',
                ry=_num(ly + 3),
                ty=_num(ly + 14),
                vy=_num(ly + 29),
                c=colour,
                label=r.label,
                display=r.display,
            )
        )
    parts.append(
        format_html(
            '<text x="{cx}" y="{y}" text-anchor="middle" font-size="18" font-weight="700" '
            'fill="#1b1f1d">{t}</text>',
            cx=cx,
            y=_num(cy + 6),
            t=total_display or escape(_num(total)),
        )
    )
    parts.append(tail)
    return Chart(
        title=title,
        rows=rows,
        svg=mark_safe("".join(parts)),  # every piece is format_html-escaped
        value_heading=value_heading,
        empty=not total,
    )
