"""Results and reports routes (``/ket-qua/…``), one file per part of the app."""

from django.urls import include, path

app_name = "indicators"

urlpatterns = [
    path("", include("htxso.indicators.urls_frameworks")),
    path("bao-cao/", include("htxso.indicators.urls_reports")),
    path("xuat/", include("htxso.indicators.urls_exports")),
]
