"""Routes of the exports part (``/ket-qua/xuat/``)."""

from django.urls import path

from . import views_exports

urlpatterns = [
    path("", views_exports.export, name="export"),
]
