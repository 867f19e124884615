"""Joining HTX Số and access requests of cooperative managers."""

from django.urls import path

from . import views_onboarding as views

app_name = "onboarding"

urlpatterns = [
    path("tham-gia/", views.join, name="join"),
    path("tham-gia/quan-ly-htx/", views.request_new, name="request_new"),
    path("tham-gia/yeu-cau/", views.my_requests, name="my_requests"),
    path("tham-gia/yeu-cau/<id:pk>/", views.my_request, name="my_request"),
    path("tham-gia/yeu-cau/<id:pk>/tra-loi/", views.request_answer, name="answer"),
    path("tham-gia/yeu-cau/<id:pk>/rut/", views.request_withdraw, name="withdraw"),
    path("tham-gia/yeu-cau/<id:pk>/tai-lieu/", views.request_document, name="document"),
    path("yeu-cau-truy-cap/", views.queue, name="queue"),
    path("yeu-cau-truy-cap/<id:pk>/", views.review, name="review"),
    path("yeu-cau-truy-cap/<id:pk>/duyet/", views.approve, name="approve"),
    path("yeu-cau-truy-cap/<id:pk>/tu-choi/", views.refuse, name="refuse"),
    path("yeu-cau-truy-cap/<id:pk>/hoi-them/", views.ask, name="ask"),
    path("yeu-cau-truy-cap/<id:pk>/dang-ky-htx/", views.register, name="register"),
]
