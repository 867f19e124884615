"""Registry URLs, one module per area."""

from django.urls import include, path

app_name = "registry"

urlpatterns = [
    path("", include("htxso.registry.urls_organisations")),
    path("", include("htxso.registry.urls_reports")),
    path("", include("htxso.registry.urls_import")),
    path("", include("htxso.registry.urls_stats")),
]
