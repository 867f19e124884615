"""Pages of the programs app, under /chuong-trinh/."""

from django.urls import path

from . import views_applications as apps
from . import views_calls as calls
from . import views_national as national
from . import views_province as province

app_name = "programs"

P = "chuong-trinh/"
CALL = P + "dot/<id:call_id>/"
PROV = CALL + "tinh/<str:province_code>/"
APP = P + "ho-so/<id:application_id>/"

urlpatterns = [
    path(P, calls.call_list, name="call_list"),
    path(P + "thong-bao/da-doc/", calls.notifications_read, name="notifications_read"),
    path(P + "dot/moi/", calls.call_create, name="call_create"),
    path(CALL, calls.call_detail, name="call_detail"),
    path(CALL + "sua/", calls.call_edit, name="call_edit"),
    path(CALL + "tieu-chi/", calls.call_criteria, name="call_criteria"),
    path(P + "tieu-chi/<id:criterion_id>/xoa/", calls.criterion_delete, name="criterion_delete"),
    path(CALL + "mo/", calls.call_open, name="call_open"),
    path(CALL + "dong/", calls.call_close, name="call_close"),
    path(CALL + "cong-van.docx", calls.call_letter, name="call_letter"),
    path(CALL + "dang-ky/", apps.application_start, name="application_start"),
    path(CALL + "toan-quoc/", national.call_national, name="call_national"),
    path(CALL + "ket-qua.xlsx", national.call_results_xlsx, name="call_results_xlsx"),
    path(CALL + "cong-van-ket-qua.docx", national.call_result_letter, name="call_result_letter"),
    path(PROV, province.province_page, name="province_page"),
    path(PROV + "cong-bo/", province.province_publish, name="province_publish"),
    path(PROV + "cong-van.docx", province.province_letter_docx, name="province_letter"),
    path(PROV + "danh-sach.xlsx", province.province_xlsx, name="province_xlsx"),
    path(PROV + "chuyen-vca/", province.province_forward, name="province_forward"),
    path(APP, apps.application_detail, name="application_detail"),
    path(APP + "bao-cao/", apps.application_report, name="application_report"),
    path(APP + "tai-lieu/", apps.application_upload, name="application_upload"),
    path(APP + "tu-khai/<id:criterion_id>/", apps.application_declare, name="application_declare"),
    path(APP + "kiem-tra/<id:criterion_id>/", apps.application_check, name="application_check"),
    path(APP + "nop/", apps.application_submit, name="application_submit"),
    path(APP + "rut/", apps.application_withdraw, name="application_withdraw"),
    path(APP + "xet/", apps.application_review, name="application_review"),
    path(P + "tai-lieu/<id:attachment_id>/", apps.attachment_download, name="attachment_download"),
    path(P + "tai-lieu/<id:attachment_id>/xoa/", apps.attachment_delete, name="attachment_delete"),
]
