from django.urls import path

from . import views_documents as views

app_name = "documents"

urlpatterns = [
    path("mau/", views.template_list, name="template_list"),
    path("mau/<slug:code>/", views.template_edit, name="template_edit"),
    path("mau/<slug:code>/xem-thu.docx", views.template_preview, name="template_preview"),
]
