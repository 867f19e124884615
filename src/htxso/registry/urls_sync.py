"""Bulk export of the public registry for other systems (issue 19)."""

from django.urls import path

from . import views_sync as views

urlpatterns = [
    path("du-lieu-mo/dong-bo/htxso-registry.zip", views.sync_export, name="sync_export"),
    path(
        "du-lieu-mo/dong-bo/manifest.json",
        views.sync_export_manifest,
        name="sync_export_manifest",
    ),
]
