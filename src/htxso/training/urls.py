"""Training routes (``/dao-tao/…``), one file per part of the app."""

from django.urls import include, path

app_name = "training"

urlpatterns = [
    path("", include("htxso.training.urls_courses")),
    path("", include("htxso.training.urls_attendance")),
    path("", include("htxso.training.urls_certificates")),
    path("", include("htxso.training.urls_people")),
]
