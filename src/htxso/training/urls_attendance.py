"""Routes of the attendance part of training (``/dao-tao/diem-danh/…``)."""

from django.urls import path

from . import views_attendance as views

urlpatterns = [
    path("diem-danh/", views.sessions, name="attendance_sessions"),
    path("diem-danh/buoi/<id:pk>/", views.session, name="attendance_session"),
    path("diem-danh/buoi/<id:pk>/ma/", views.code, name="attendance_code"),
    path("diem-danh/buoi/<id:pk>/mo/", views.open_checkin, name="attendance_open"),
    path("diem-danh/buoi/<id:pk>/dong/", views.close_checkin, name="attendance_close"),
    path("diem-danh/buoi/<id:pk>/danh-sach/", views.roster, name="attendance_roster"),
    path("diem-danh/buoi/<id:pk>/bo/<id:attendance>/", views.undo, name="attendance_undo"),
    path("diem-danh/khoa/<id:pk>/", views.course, name="attendance_course"),
    path("diem-danh/hoc-vien/<id:pk>/lien-ket/", views.online_link, name="attendance_online_link"),
    path("diem-danh/truc-tuyen/<str:token>/", views.online, name="attendance_online"),
    # last: what a participant's camera opens (the code's own shape is checked inside,
    # to answer a precise message rather than a 404)
    path("diem-danh/<str:token>/", views.checkin_page, name="attendance_checkin"),
]
