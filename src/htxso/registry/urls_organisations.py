from django.urls import path

from . import views_organisations as views

urlpatterns = [
    path("to-chuc/", views.organisation_list, name="organisation_list"),
    path("to-chuc/<int:pk>/", views.organisation_detail, name="organisation_detail"),
]
