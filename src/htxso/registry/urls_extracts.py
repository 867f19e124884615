"""Extract pages (issue 19): history, upload, review, decisions."""

from django.urls import path

from . import views_extracts as views

urlpatterns = [
    path("doi-soat/", views.extract_history, name="extract_history"),
    path("doi-soat/tai-len/", views.extract_upload, name="extract_upload"),
    path("doi-soat/<id:pk>/", views.extract_review, name="extract_review"),
    path("doi-soat/<id:pk>/quyet-dinh/", views.extract_decide, name="extract_decide"),
]
