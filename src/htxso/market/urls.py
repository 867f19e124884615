from django.urls import path

from . import views_buyer, views_officer, views_public, views_seller, views_stats, views_stores

app_name = "market"

urlpatterns = [
    path("cho/", views_public.market_home, name="home"),
    path("cho/gian-hang/", views_public.store_list, name="store_list"),
    path("cho/gian-hang/<slug:store_slug>/", views_public.store_detail, name="store_detail"),
    path("cho/san-pham/<id:product_id>/", views_public.product_detail, name="product_detail"),
    path("cho/gio-hang/", views_buyer.cart_view, name="cart"),
    path("cho/gio-hang/them/", views_buyer.cart_add, name="cart_add"),
    path("cho/gio-hang/sua/", views_buyer.cart_update, name="cart_update"),
    path("cho/dat-hang/", views_buyer.checkout, name="checkout"),
    path("cho/da-dat/<str:checkout_token>/", views_buyer.checkout_done, name="checkout_done"),
    path("cho/don-hang/", views_buyer.my_orders, name="my_orders"),
    path("cho/don-hang/<str:order_code>/", views_buyer.order_detail, name="order_detail"),
    path("cho/don-hang/<str:order_code>/vietqr.png", views_buyer.order_qr, name="order_qr"),
    path("cho/bao-cao/", views_buyer.report_form, name="report"),
    path("cho/ban-hang/", views_seller.seller_home, name="seller_home"),
    # household / individual producers of no cooperative (views_stores)
    path("cho/cach-ban-hang/", views_stores.sell, name="sell"),
    path("cho/ho-san-xuat/dang-ky/", views_stores.store_request, name="store_request"),
    path(
        "cho/ho-san-xuat/<id:request_id>/",
        views_stores.store_request_detail,
        name="store_request_detail",
    ),
    path(
        "cho/ho-san-xuat/<id:request_id>/anh/",
        views_stores.store_request_photo,
        name="store_request_photo",
    ),
    path(
        "cho/kiem-duyet/ho-san-xuat/",
        views_stores.officer_queue,
        name="officer_store_requests",
    ),
    path(
        "cho/kiem-duyet/ho-san-xuat/<id:request_id>/",
        views_stores.officer_request,
        name="officer_store_request",
    ),
    path("cho/ban-hang/mo-gian-hang/", views_seller.store_create, name="store_create"),
    path("cho/ban-hang/<id:store_id>/", views_seller.seller_store, name="seller_store"),
    path(
        "cho/ban-hang/<id:store_id>/san-pham/",
        views_seller.seller_products,
        name="seller_products",
    ),
    path(
        "cho/ban-hang/<id:store_id>/san-pham/moi/",
        views_seller.seller_product_create,
        name="seller_product_create",
    ),
    path(
        "cho/ban-hang/san-pham/<id:product_id>/",
        views_seller.seller_product_edit,
        name="seller_product_edit",
    ),
    path(
        "cho/ban-hang/san-pham/<id:product_id>/xem-truoc/",
        views_seller.seller_product_preview,
        name="seller_product_preview",
    ),
    path("cho/ban-hang/<id:store_id>/don-hang/", views_seller.seller_orders, name="seller_orders"),
    path("cho/ban-hang/don/<id:order_id>/", views_seller.seller_order, name="seller_order"),
    path("cho/thong-ke/", views_stats.market_stats, name="stats"),
    path(
        "cho/ban-hang/<id:store_id>/don-hang.xlsx",
        views_stats.seller_orders_xlsx,
        name="seller_orders_xlsx",
    ),
    path(
        "cho/ban-hang/<id:store_id>/bieu-do/",
        views_stats.seller_dashboard,
        name="seller_dashboard",
    ),
    path("cho/kiem-duyet/", views_officer.moderation, name="moderation"),
    path(
        "cho/kiem-duyet/gian-hang/<id:store_id>/",
        views_officer.store_review,
        name="officer_store",
    ),
    path(
        "cho/kiem-duyet/bao-cao/<id:report_id>/",
        views_officer.report_decide,
        name="officer_report",
    ),
]
