from django.urls import path

from . import views_stats as views

urlpatterns = [
    path("thong-ke/", views.stats_home, name="stats_home"),
    path("thong-ke/toan-quoc/", views.stats_national, name="stats_national"),
    path("thong-ke/toan-quoc/xuat.xlsx", views.stats_national_xlsx, name="stats_national_xlsx"),
    path("thong-ke/tinh/<str:code>/", views.stats_province, name="stats_province"),
    path(
        "thong-ke/tinh/<str:code>/xuat.xlsx", views.stats_province_xlsx, name="stats_province_xlsx"
    ),
    path("du-lieu-mo/", views.open_data, name="open_data"),
    path("du-lieu-mo/to-chuc.csv", views.open_data_csv, name="open_data_csv"),
    path("du-lieu-mo/to-chuc.json", views.open_data_json, name="open_data_json"),
]
