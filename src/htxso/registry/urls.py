"""Registry URLs, one module per area."""

from django.urls import include, path

app_name = "registry"

urlpatterns = [
    path("", include("htxso.registry.urls_organisations")),
    path("", include("htxso.registry.urls_reports")),
    path("", include("htxso.registry.urls_import")),
    path("", include("htxso.registry.urls_stats")),
    path("", include("htxso.registry.urls_sync")),  # issue 19: bulk export for sync
    path("", include("htxso.registry.urls_extracts")),
]
