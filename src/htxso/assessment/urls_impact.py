"""Routes of the impact part (``/chuyen-doi-so/tac-dong/…``)."""

from django.urls import path

from . import views_impact as views

urlpatterns: list = [
    path("", views.province_map, name="impact_map"),
    path("nhom/", views.cohorts, name="impact_cohorts"),
    path("nhom/<id:pk>/", views.cohort, name="impact_cohort"),
    path("nhom/<id:pk>/them/", views.cohort_add, name="impact_cohort_add"),
    path(
        "nhom/<id:pk>/bo/<id:member>/",
        views.cohort_remove,
        name="impact_cohort_remove",
    ),
    path("htx/<id:pk>/", views.organisation_change, name="impact_organisation"),
]
