"""Routes of the portal part: ``/quan-tri-htx/`` (the manager's home), the member portal,
disclosures, questions to the board and the profit distribution."""

from django.urls import path

from . import views_disclosures as d
from . import views_imports as im
from . import views_portal as p

urlpatterns = [
    path("", p.home, name="home"),
    path("thanh-vien/", p.portal, name="portal"),
    # disclosures (Art. 14)
    path("cong-khai/htx/<id:pk>/", d.disclosure_list, name="disclosure_list"),
    path("cong-khai/htx/<id:pk>/moi/", d.disclosure_new, name="disclosure_new"),
    path(
        "cong-khai/htx/<id:pk>/danh-sach-von/",
        d.capital_holders_publish,
        name="capital_holders_publish",
    ),
    path("cong-khai/htx/<id:pk>/xin/", d.request_new, name="disclosure_request_new"),
    path("cong-khai/tinh/", d.on_time, name="on_time"),
    path("cong-khai/<id:pk>/", d.disclosure_detail, name="disclosure_detail"),
    path("cong-khai/<id:pk>/tep/", d.disclosure_file, name="disclosure_file"),
    path("cong-khai/<id:pk>/dang/", d.disclosure_post, name="disclosure_post"),
    path("cong-khai/<id:pk>/go/", d.disclosure_take_down, name="disclosure_take_down"),
    path("yeu-cau/<id:pk>/tra-loi/", d.request_answer, name="disclosure_request_answer"),
    # questions to the board
    path("cau-hoi/htx/<id:pk>/", p.questions, name="questions"),
    path("cau-hoi/htx/<id:pk>/hoi/", p.question_new, name="question_new"),
    path("cau-hoi/<id:pk>/tra-loi/", p.question_answer, name="question_answer"),
    # profit distribution
    path("loi-nhuan/htx/<id:pk>/", p.distributions, name="distributions"),
    path("loi-nhuan/htx/<id:pk>/dich-vu/", p.service_use, name="service_use"),
    path("loi-nhuan/htx/<id:pk>/dich-vu/nhap/", im.service_use_import, name="service_use_import"),
    path(
        "loi-nhuan/htx/<id:pk>/dich-vu/nhap/ghi/",
        im.service_use_import_confirm,
        name="service_use_import_confirm",
    ),
    path(
        "loi-nhuan/htx/<id:pk>/dich-vu/nhap/mau.xlsx",
        im.service_use_import_template,
        name="service_use_import_template",
    ),
    path("loi-nhuan/<id:pk>/", p.distribution, name="distribution"),
    path("loi-nhuan/<id:pk>/duyet/", p.distribution_approve, name="distribution_approve"),
]
