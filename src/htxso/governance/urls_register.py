"""Routes of the register part: ``/quan-tri-htx/von/…`` (namespace ``governance``)."""

from django.urls import path

from . import views_register as views

urlpatterns = [
    path("", views.register_index, name="register_index"),
    path("htx/<id:org_pk>/", views.register, name="register"),
    path("htx/<id:org_pk>/ghi/", views.movement_new, name="movement_new"),
    path("buoc/<id:pk>/sua-sai/", views.movement_reverse, name="movement_reverse"),
    path("thanh-vien/<id:pk>/", views.member_capital, name="member_capital"),
    path("thanh-vien/<id:pk>/cap-giay/", views.certificate_new, name="certificate_new"),
    path("thanh-vien/<id:pk>/nuoc-ngoai/", views.foreign_mark, name="foreign_mark"),
    path("cua-toi/", views.my_capital, name="my_capital"),
    path("giay-chung-nhan/<id:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("xac-minh/<str:token>/", views.certificate_verify, name="certificate_verify"),
]
