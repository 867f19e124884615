"""Routes of the reports part (mounted at ``/ket-qua/bao-cao/``, namespace ``indicators``)."""

from django.urls import path

from . import views_reports as v

urlpatterns = [
    path("", v.reports_home, name="reports_home"),
    path("ky/<id:pk>/", v.report_cycle, name="report_cycle"),
    path("ky/<id:pk>/don-vi/<id:office>/", v.report_fill, name="report_fill"),
    path("ky/<id:pk>/nhac-nop/", v.report_remind, name="report_remind"),
    path("ky/<id:pk>/tong-hop/", v.report_compile, name="report_compile"),
    path("ho-so/<id:pk>/", v.report_submission, name="report_submission"),
    path("ho-so/<id:pk>/tra-lai/", v.report_return, name="report_return"),
    path("ho-so/<id:pk>/tiep-nhan/", v.report_accept, name="report_accept"),
    path("tong-hop/<id:pk>/gui/", v.report_send, name="report_send"),
    path("tong-hop/<id:pk>/bao-cao.docx", v.report_docx, name="report_docx"),
    path("tong-hop/<id:pk>/phu-luc.xlsx", v.report_xlsx, name="report_xlsx"),
    path("mau/", v.report_templates, name="report_templates"),
    path("mau/<id:pk>/", v.report_template, name="report_template"),
    path("mau/<id:pk>/them-muc/", v.report_section_add, name="report_section_add"),
    path("mau/<id:pk>/mo-ky/", v.report_cycle_open, name="report_cycle_open"),
    path("mau/<id:pk>/sua/", v.report_template_edit, name="report_template_edit"),
    path("mau/<id:pk>/sao-chep/", v.report_template_copy, name="report_template_copy"),
    path("muc/<id:pk>/them-so-lieu/", v.report_figure_add, name="report_figure_add"),
    path("muc/<id:pk>/sua/", v.report_section_edit, name="report_section_edit"),
    path("muc/<id:pk>/xoa/", v.report_section_delete, name="report_section_delete"),
    path("so-lieu/<id:pk>/xoa/", v.report_figure_delete, name="report_figure_delete"),
    path("don-vi/", v.report_offices, name="report_offices"),
    path("don-vi/<id:pk>/thanh-vien/", v.report_office_members, name="report_office_members"),
]
