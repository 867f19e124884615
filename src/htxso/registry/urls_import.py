from django.urls import path

from . import views_import as views

urlpatterns = [
    path("nhap-du-lieu/", views.import_list, name="import_list"),
    path("nhap-du-lieu/<id:pk>/", views.import_detail, name="import_detail"),
    path("nhap-du-lieu/<id:pk>/cot/", views.import_mapping, name="import_mapping"),
    path("nhap-du-lieu/<id:pk>/nhap/", views.import_run, name="import_run"),
    path("nhap-du-lieu/<id:pk>/tien-do/", views.import_progress, name="import_progress"),
    path("nhap-du-lieu/<id:pk>/huy/", views.import_cancel, name="import_cancel"),
    path(
        "nhap-du-lieu/<id:pk>/bao-cao.xlsx",
        views.import_report_download,
        name="import_report",
    ),
    path("nhap-du-lieu/<id:pk>/tep-goc/", views.import_file_download, name="import_file"),
]
