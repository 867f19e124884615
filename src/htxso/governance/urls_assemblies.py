"""Routes of general assemblies (``/quan-tri-htx/dai-hoi/…``)."""

from django.urls import path

from . import views_assemblies as views

urlpatterns = [
    path("", views.assembly_list, name="assembly_list"),
    path("moi/", views.assembly_new, name="assembly_new"),
    path("<id:pk>/", views.assembly_detail, name="assembly_detail"),
    path("<id:pk>/sua/", views.assembly_edit, name="assembly_edit"),
    path("<id:pk>/huy/", views.assembly_cancel, name="assembly_cancel"),
    path("chuong-trinh/<id:pk>/xoa/", views.agenda_remove, name="assembly_agenda_remove"),
    path("tai-lieu/<id:pk>/xoa/", views.document_remove, name="assembly_document_remove"),
    path("<id:pk>/trang-thai/", views.assembly_action, name="assembly_action"),
    path("<id:pk>/chuong-trinh/", views.agenda_add, name="assembly_agenda_add"),
    path("<id:pk>/tai-lieu/", views.document_add, name="assembly_document_add"),
    path("<id:pk>/dai-bieu/", views.delegates, name="assembly_delegates"),
    path("<id:pk>/trieu-tap-lai/", views.next_call, name="assembly_next_call"),
    path("<id:pk>/ban-diem-danh/", views.desk, name="assembly_desk"),
    path("<id:pk>/hoi-truong/", views.hall, name="assembly_hall"),
    path("<id:pk>/ma/", views.hall_code, name="assembly_hall_code"),
    path("<id:pk>/so-nguoi/", views.quorum_json, name="assembly_quorum"),
    path("<id:pk>/kien-nghi/", views.petition_add, name="assembly_petition_add"),
    path("tai-lieu/<id:pk>/", views.document_file, name="assembly_document"),
    path("kien-nghi/<id:pk>/ky/", views.petition_sign, name="assembly_petition_sign"),
    path("kien-nghi/<id:pk>/tra-loi/", views.petition_answer, name="assembly_petition_answer"),
    # what a phone's camera or the personal link opens (the code's shape checked inside)
    path("vao/<str:token>/", views.checkin, name="checkin"),
]
