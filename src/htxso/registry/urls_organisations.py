from django.urls import path

from . import views_members, views_products, views_public
from . import views_organisations as views

urlpatterns = [
    path("to-chuc/", views.organisation_list, name="organisation_list"),
    path("to-chuc/<id:pk>/", views.organisation_detail, name="organisation_detail"),
    path("to-chuc/<id:pk>/sua/", views.organisation_edit, name="organisation_edit"),
    path("to-chuc/canh-bao/", views.organisation_warnings, name="organisation_warnings"),
    # members and workers
    path("to-chuc/<id:pk>/thanh-vien/", views_members.member_list, name="member_list"),
    path(
        "to-chuc/<id:pk>/thanh-vien/them/",
        views_members.member_register,
        name="member_register",
    ),
    path(
        "to-chuc/<id:pk>/thanh-vien/<id:member_pk>/roi/",
        views_members.member_leave,
        name="member_leave",
    ),
    path("to-chuc/<id:pk>/nguoi-lao-dong/", views_members.worker_list, name="worker_list"),
    path("to-chuc/<id:pk>/nguoi-lao-dong/them/", views_members.worker_add, name="worker_add"),
    path(
        "to-chuc/<id:pk>/nguoi-lao-dong/<id:worker_pk>/nghi/",
        views_members.worker_end,
        name="worker_end",
    ),
    # OCOP, value chains, unions
    path("to-chuc/<id:pk>/ocop/them/", views_products.ocop_add, name="ocop_add"),
    path("to-chuc/<id:pk>/ocop/<id:product_pk>/sua/", views_products.ocop_edit, name="ocop_edit"),
    path(
        "to-chuc/<id:pk>/chuoi-gia-tri/them/",
        views_products.value_chain_add,
        name="value_chain_add",
    ),
    path(
        "to-chuc/<id:pk>/chuoi-gia-tri/<id:link_pk>/ket-thuc/",
        views_products.value_chain_end,
        name="value_chain_end",
    ),
    path("to-chuc/<id:pk>/lien-hiep/them/", views_products.union_add, name="union_add"),
    path(
        "to-chuc/<id:pk>/lien-hiep/<id:membership_pk>/ket-thuc/",
        views_products.union_end,
        name="union_end",
    ),
    # public directory
    path("danh-ba/", views_public.public_directory, name="public_directory"),
    path("danh-ba/<str:key>/", views_public.public_profile, name="public_profile"),
]
