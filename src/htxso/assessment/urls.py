"""DX assessment routes (``/chuyen-doi-so/…``), one file per part of the app."""

from django.urls import include, path

app_name = "assessment"

urlpatterns = [
    path("", include("htxso.assessment.urls_survey")),
    path("ke-hoach/", include("htxso.assessment.urls_plans")),
    path("tac-dong/", include("htxso.assessment.urls_impact")),
]
