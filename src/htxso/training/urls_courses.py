"""Routes of the courses part of training (``/dao-tao/…``)."""

from django.urls import path

from . import views_courses as views

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("cua-toi/", views.my_training, name="my_training"),
    path("<id:pk>/", views.public_course, name="public_course"),
    path("<id:pk>/dang-ky/", views.enrol, name="enrol"),
    path("<id:pk>/dang-ky-thanh-vien/", views.enrol_members, name="enrol_members"),
    path("dang-ky/<id:pk>/rut/", views.enrolment_withdraw, name="enrolment_withdraw"),
    path("khoa-hoc/", views.course_list, name="courses"),
    path("khoa-hoc/moi/", views.course_new, name="course_new"),
    path("khoa-hoc/<id:pk>/", views.course_detail, name="course_detail"),
    path("khoa-hoc/<id:pk>/sua/", views.course_edit, name="course_edit"),
    path("khoa-hoc/<id:pk>/trang-thai/", views.course_status, name="course_status"),
    path("khoa-hoc/<id:pk>/hoc-phan/", views.module_add, name="module_add"),
    path("khoa-hoc/<id:pk>/hoc-phan/xoa/", views.module_remove, name="module_remove"),
    path("khoa-hoc/<id:pk>/buoi-hoc/", views.session_add, name="session_add"),
    path("khoa-hoc/<id:pk>/buoi-hoc/xoa/", views.session_remove, name="session_remove"),
    path("khoa-hoc/<id:pk>/giang-vien/", views.course_trainers, name="course_trainers"),
    path("khoa-hoc/<id:pk>/nhap-danh-sach/", views.course_import, name="course_import"),
    path(
        "khoa-hoc/<id:pk>/nhap-danh-sach/xac-nhan/",
        views.course_import_confirm,
        name="course_import_confirm",
    ),
]
