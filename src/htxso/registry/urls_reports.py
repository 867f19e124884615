"""Annual reports and classification pages."""

from django.urls import path

from . import views_classification as cls
from . import views_reports as views

urlpatterns = [
    path("bao-cao-nam/", views.report_queue, name="report_queue"),
    path("bao-cao-nam/<id:pk>/", views.report_detail, name="report_detail"),
    path("bao-cao-nam/<id:pk>/gui/", views.report_submit, name="report_submit"),
    path("bao-cao-nam/<id:pk>/duyet/", views.report_review, name="report_review"),
    path("to-chuc/<id:org_pk>/bao-cao-nam/", views.report_list_for_org, name="report_list_for_org"),
    path("to-chuc/<id:org_pk>/bao-cao-nam/<id:year>/", views.report_edit, name="report_edit"),
    path("xep-loai/", cls.classification_queue, name="classification_queue"),
    path("xep-loai/<id:pk>/", cls.classification_detail, name="classification_detail"),
    path("xep-loai/<id:pk>/gui/", cls.classification_submit, name="classification_submit"),
    path("xep-loai/<id:pk>/danh-gia/", cls.classification_review, name="classification_review"),
    path("xep-loai/<id:pk>/cong-bo/", cls.classification_publish, name="classification_publish"),
    path(
        "to-chuc/<id:org_pk>/xep-loai/",
        cls.classification_list_for_org,
        name="classification_list_for_org",
    ),
    path(
        "to-chuc/<id:org_pk>/xep-loai/<id:year>/<slug:scheme>/",
        cls.classification_edit,
        name="classification_edit",
    ),
]
