"""Governance routes (``/quan-tri-htx/…``), one file per part of the app."""

from django.urls import include, path

app_name = "governance"

urlpatterns = [
    path("von/", include("htxso.governance.urls_register")),
    path("dai-hoi/", include("htxso.governance.urls_assemblies")),
    path("bieu-quyet/", include("htxso.governance.urls_votes")),
    path("", include("htxso.governance.urls_portal")),
]
