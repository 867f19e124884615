"""Routes of the completion and certificates part of training (under ``/dao-tao/``)."""

from django.urls import path

from . import views_certificates as views

urlpatterns = [
    path("khoa-hoc/<id:pk>/hoan-thanh/", views.completion_page, name="completion"),
    path(
        "khoa-hoc/<id:pk>/hoan-thanh/quyet-dinh/",
        views.completion_decide,
        name="completion_decide",
    ),
    path("ghi-danh/<id:pk>/ket-qua/", views.result_record, name="result_record"),
    path("ghi-danh/<id:pk>/cap-chung-chi/", views.certificate_issue, name="certificate_issue"),
    path("chung-chi/cua-toi/", views.my_certificates, name="my_certificates"),
    path("chung-chi/kiem-tra/", views.certificate_check, name="certificate_check"),
    path("chung-chi/nha-cap.json", views.issuer_profile, name="issuer_profile"),
    path("chung-chi/khoa.json", views.jwks, name="jwks"),
    path("chung-chi/so/<id:pk>/", views.certificate_detail, name="certificate"),
    path("ghi-danh/<id:pk>/chung-chi/", views.enrolment_certificate, name="my_certificate"),
    path(
        "chung-chi/so/<id:pk>/chung-chi.pdf", views.certificate_pdf_download, name="certificate_pdf"
    ),
    path("chung-chi/so/<id:pk>/huy-hieu.jwt", views.certificate_jwt, name="certificate_jwt"),
    path("chung-chi/so/<id:pk>/huy-hieu.json", views.certificate_json, name="certificate_json"),
    path("chung-chi/so/<id:pk>/thu-hoi/", views.certificate_revoke, name="certificate_revoke"),
    path("chung-chi/<str:code>/", views.certificate_public, name="certificate_public"),
]
