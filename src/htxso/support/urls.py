"""Service requests of the support centre."""

from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("ho-tro/yeu-cau/", views.my_requests, name="mine"),
    path("ho-tro/yeu-cau/moi/", views.request_new, name="new"),
    path("ho-tro/yeu-cau/<id:pk>/", views.detail, name="detail"),
    path("ho-tro/yeu-cau/<id:pk>/nhan-tin/", views.request_message, name="message"),
    path("ho-tro/yeu-cau/<id:pk>/rut/", views.request_withdraw, name="withdraw"),
    path("ho-tro/yeu-cau/<id:pk>/danh-gia/", views.request_rate, name="rate"),
    path("ho-tro/yeu-cau/<id:pk>/tep/<id:file_pk>/", views.attachment, name="file"),
    path("ho-tro/yeu-cau/<id:pk>/giao/", views.assign, name="assign"),
    path("ho-tro/yeu-cau/<id:pk>/phan-hoi/", views.reply, name="reply"),
    path("ho-tro/yeu-cau/<id:pk>/hoi-them/", views.ask, name="ask"),
    path("ho-tro/yeu-cau/<id:pk>/ghi-chu/", views.note, name="note"),
    path("ho-tro/yeu-cau/<id:pk>/chuyen-vca/", views.escalate, name="escalate"),
    path("ho-tro/yeu-cau/<id:pk>/dong/", views.close, name="close"),
    path("ho-tro/hang-doi/", views.queue, name="queue"),
    path("ho-tro/bao-cao/", views.report, name="report"),
    path("ho-tro/bao-cao/nhu-cau.xlsx", views.report_xlsx, name="report_xlsx"),
]
