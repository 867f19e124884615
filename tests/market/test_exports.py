"""The seller's orders export: reopened with openpyxl and checked."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from openpyxl import load_workbook

from htxso.market import selectors_stats as sel
from htxso.market.exports import orders_xlsx

from .test_stats import build_market, make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(world):
    return build_market(world)


def _sheets(body: bytes):
    wb = load_workbook(io.BytesIO(body))
    return wb, {ws.title: ws for ws in wb.worksheets}


def _table(ws):
    """(header row number, headers, data rows as dicts)."""
    for row in ws.iter_rows(min_row=1, max_row=10):
        values = [c.value for c in row]
        if values and values[0] == "Mã đơn hàng":
            header_row = row[0].row
            headers = values
            break
    else:
        raise AssertionError("no header row")
    rows = []
    for row in ws.iter_rows(min_row=header_row + 1):
        rows.append(dict(zip(headers, row, strict=False)))
    return header_row, headers, rows


def test_xlsx_download(client, world, market):
    url = reverse("market:seller_orders_xlsx", args=[market["a1"].pk])
    client.force_login(world.users["manager_a1"])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="don-hang-' in response["Content-Disposition"]
    _wb, sheets = _sheets(response.content)
    assert list(sheets) == ["Đơn hàng", "Chi tiết đơn hàng"]
    orders = sheets["Đơn hàng"]
    assert orders["A1"].value == "Đơn hàng của gian hàng Chợ HTX Hợp Giang"
    header_row, headers, rows = _table(orders)
    assert headers[:4] == ["Mã đơn hàng", "Đặt lúc", "Trạng thái", "Người mua"]
    assert "Tổng cộng (đồng)" in headers and "Hình thức nhận hàng" in headers
    assert len(rows) == 6  # every order of the store, in every state; not Đắk Lắk's
    by_state = {r["Trạng thái"].value: r for r in rows}
    from htxso.market.models import OrderState

    with override("vi"):
        labels = {
            str(OrderState(s).label)
            for s in ("completed", "paid", "placed", "cancelled", "refunded")
        }
    assert set(by_state) == labels
    paid = [r for r in rows if r["Tổng cộng (đồng)"].value == 200_000]
    assert len(paid) == 1
    total = paid[0]["Tổng cộng (đồng)"]
    assert isinstance(total.value, int) and total.number_format == "#,##0"
    assert paid[0]["Phí giao hàng (đồng)"].value == 30_000
    assert isinstance(paid[0]["Đặt lúc"].value, dt.datetime)
    assert paid[0]["Đặt lúc"].number_format == "dd/mm/yyyy hh:mm"
    assert "Mật ong bạc hà 500 g × 1" in paid[0]["Hàng đã đặt"].value
    assert orders.freeze_panes == f"A{header_row + 1}"
    _h, line_headers, lines = _table(sheets["Chi tiết đơn hàng"])
    assert line_headers == [
        "Mã đơn hàng",
        "Đặt lúc",
        "Trạng thái",
        "Sản phẩm",
        "Quy cách",
        "Đơn vị tính",
        "Đơn giá (đồng)",
        "Số lượng",
        "Thành tiền (đồng)",
    ]
    assert len(lines) == 6
    assert sum(r["Thành tiền (đồng)"].value for r in lines) == sum(
        r["Tiền hàng (đồng)"].value for r in rows
    )
    assert all(r["Đơn giá (đồng)"].number_format == "#,##0" for r in lines)


def test_state_names_are_the_translated_labels(world, market):
    from htxso.market.models import OrderState

    store = market["a1"]
    with override("vi"):
        body = orders_xlsx(store=store, orders=sel.seller_orders(store=store))
        expected = {str(label) for _v, label in OrderState.choices}
    _wb, sheets = _sheets(body)
    states = {r["Trạng thái"].value for r in _table(sheets["Đơn hàng"])[2]}
    assert states <= expected and len(states) == 5
    assert not any(s in ("placed", "completed", "paid") for s in states)


def test_date_range_and_bad_dates(client, world, market):
    url = reverse("market:seller_orders_xlsx", args=[market["a1"].pk])
    client.force_login(world.users["manager_a1"])
    today = timezone.localdate()
    response = client.get(url, {"from": (today - dt.timedelta(days=30)).isoformat()})
    _wb, sheets = _sheets(response.content)
    assert len(_table(sheets["Đơn hàng"])[2]) == 5  # the 200-day-old order is left out
    assert "Đơn đặt từ" in sheets["Đơn hàng"]["A2"].value
    bad = client.get(url, {"from": "31/01/2026"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert bad.status_code == 400 and "NNNN-TT-NN" in bad.content.decode()
    backwards = client.get(url, {"from": "2026-02-01", "to": "2026-01-01"})
    assert backwards.status_code == 400


def test_formula_injection_is_inert(client, world, market):
    variant = market["v250"]
    make_order(market["a1"], lines=[(variant, 1)], buyer_name='=HYPERLINK("http://x","y")')
    client.force_login(world.users["manager_a1"])
    response = client.get(reverse("market:seller_orders_xlsx", args=[market["a1"].pk]))
    _wb, sheets = _sheets(response.content)
    names = [r["Người mua"].value for r in _table(sheets["Đơn hàng"])[2]]
    assert '\'=HYPERLINK("http://x","y")' in names
    assert not any(str(n).startswith("=") for n in names)


def test_other_sellers_and_officers_cannot_export(client, world, market):
    url = reverse("market:seller_orders_xlsx", args=[market["a1"].pk])
    client.force_login(world.users["manager_b1"])
    assert client.get(url).status_code == 404
    client.force_login(world.users["viewer_a"])
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_export_query_count(client, world, market, django_assert_max_num_queries):
    url = reverse("market:seller_orders_xlsx", args=[market["a1"].pk])
    client.force_login(world.users["manager_a1"])
    client.get(url)
    for _i in range(5):
        make_order(market["a1"], lines=[(market["v250"], 1)])
    with django_assert_max_num_queries(12):
        client.get(url)
