"""Routes of the plans part (``/chuyen-doi-so/ke-hoach/…``)."""

from django.urls import path

from . import views_plans as views

A = "hanh-dong/<id:pk>/"
N = "mang-luoi/"

urlpatterns = [
    path("", views.plan_home, name="plan_home"),
    path("de-xuat/<id:org_pk>/", views.plan_propose, name="plan_propose"),
    path("<id:pk>/", views.plan_detail, name="plan_detail"),
    path("<id:pk>/sua/", views.plan_edit, name="plan_edit"),
    path("<id:pk>/hanh-dong/them/", views.action_add, name="plan_action_add"),
    path("<id:pk>/gui/", views.plan_submit, name="plan_submit"),
    path("<id:pk>/ke-hoach.docx", views.plan_docx, name="plan_docx"),
    path(A + "sua/", views.action_edit, name="plan_action_edit"),
    path(A + "xoa/", views.action_delete, name="plan_action_delete"),
    path(A + "tien-do/", views.action_progress, name="plan_action_progress"),
    path(A + "y-kien/", views.action_comment, name="plan_action_comment"),
    path("xem-xet/", views.plan_queue, name="plan_queue"),
    path("<id:pk>/tra-lai/", views.plan_return, name="plan_return"),
    path("<id:pk>/thong-qua/", views.plan_approve, name="plan_approve"),
    path("<id:pk>/tham/", views.plan_visit, name="plan_visit"),
    path("danh-muc/", views.catalogue, name="plan_catalogue"),
    path(N, views.network, name="network"),
    path(N + "ho-so-cua-toi/", views.network_me, name="network_me"),
    path(N + "thanh-vien/<id:pk>/", views.network_profile, name="network_profile"),
    path(N + "ke-hoach/<id:pk>/", views.network_plan, name="network_plan"),
    path(N + "chu-de/<id:pk>/", views.network_topic, name="network_topic"),
]
