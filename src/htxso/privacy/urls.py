from django.urls import path

from . import views_privacy as views

app_name = "privacy"

urlpatterns = [
    path("du-lieu-ca-nhan/thong-bao/", views.notice, name="notice"),
    path("du-lieu-ca-nhan/", views.my_data, name="my_data"),
    path("du-lieu-ca-nhan/tai-ve.json", views.my_data_json, name="my_data_json"),
    path("du-lieu-ca-nhan/sua/", views.correction, name="correction"),
    path("du-lieu-ca-nhan/xoa/", views.deletion, name="deletion"),
    path("du-lieu-ca-nhan/dong-y/", views.consents, name="consents"),
    path("du-lieu-ca-nhan/yeu-cau/", views.request_list, name="requests"),
    path("du-lieu-ca-nhan/yeu-cau/<id:pk>/", views.request_decide, name="request_decide"),
    path("du-lieu-ca-nhan/nhat-ky-xuat/", views.export_log, name="export_log"),
]
