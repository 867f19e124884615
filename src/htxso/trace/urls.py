"""Trace URLs: the GS1 Digital Link resolver at the site root, the rest under /truy-xuat/."""

from django.urls import path

from . import views_eudr, views_field, views_manage, views_public, views_stamps

app_name = "trace"

urlpatterns = [
    # GS1 Digital Link (consumers scan these)
    path("01/<str:gtin>/10/<str:lot>", views_public.resolve_lot, name="resolve_lot"),
    path("01/<str:gtin>/21/<str:serial>", views_public.resolve_serial, name="resolve_serial"),
    path("truy-xuat/tem/bao-cao/", views_public.stamp_report, name="stamp_report"),
    # public ledger
    path("truy-xuat/so-cai/", views_public.ledger_page, name="ledger"),
    path("truy-xuat/so-cai/goc-hang-ngay.json", views_public.daily_roots, name="daily_roots"),
    # the cooperative's pages
    path("truy-xuat/", views_manage.trace_home, name="home"),
    path("truy-xuat/to-chuc/<id:org_id>/", views_manage.org_home, name="org_home"),
    path("truy-xuat/to-chuc/<id:org_id>/vung-trong/them/", views_manage.plot_add, name="plot_add"),
    path(
        "truy-xuat/to-chuc/<id:org_id>/co-so/them/", views_manage.facility_add, name="facility_add"
    ),
    path(
        "truy-xuat/to-chuc/<id:org_id>/san-pham/them/",
        views_manage.product_add,
        name="product_add",
    ),
    path("truy-xuat/to-chuc/<id:org_id>/ghi/<str:kind>/", views_field.record, name="record"),
    path("truy-xuat/to-chuc/<id:org_id>/tem/dat/", views_stamps.stamp_order, name="stamp_order"),
    path("truy-xuat/su-kien/<id:event_id>/bao-loi/", views_field.event_error, name="event_error"),
    path("truy-xuat/vung-trong/<id:plot_id>/", views_manage.plot_detail, name="plot_detail"),
    path("truy-xuat/lo/<id:lot_id>/", views_manage.lot_detail, name="lot_detail"),
    path("truy-xuat/lo/<id:lot_id>/qr.<str:fmt>", views_manage.lot_qr, name="lot_qr"),
    path("truy-xuat/lo/<id:lot_id>/eudr/", views_eudr.eudr_report, name="eudr_report"),
    path("truy-xuat/lo/<id:lot_id>/eudr.geojson", views_eudr.eudr_geojson, name="eudr_geojson"),
    path("truy-xuat/tem/<id:batch_id>/", views_stamps.stamp_batch, name="stamp_batch"),
    path(
        "truy-xuat/tem/<id:batch_id>/kich-hoat/",
        views_stamps.stamp_activate,
        name="stamp_activate",
    ),
    path("truy-xuat/tem/<id:batch_id>/nhan.pdf", views_stamps.stamp_labels, name="stamp_labels"),
    path("truy-xuat/tem/dang-ngo/", views_stamps.stamp_scans, name="stamp_scans"),
]
