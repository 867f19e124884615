from django.urls import path

from . import views

app_name = "geo"

urlpatterns = [
    path("phuong-xa/", views.ward_options, name="ward_options"),
]
