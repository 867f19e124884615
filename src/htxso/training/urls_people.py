"""Routes of the people part of training: duplicate review and the figures."""

from django.urls import path

from . import views_people as views

urlpatterns: list = [
    path("trung-lap/", views.duplicates, name="duplicates"),
    path("trung-lap/<id:pk>/", views.duplicate, name="duplicate"),
    path("trung-lap/<id:pk>/quyet-dinh/", views.duplicate_decide, name="duplicate_decide"),
    path("so-lieu/", views.figures, name="figures"),
    path("so-lieu/xlsx/", views.figures_xlsx, name="figures_xlsx"),
]
