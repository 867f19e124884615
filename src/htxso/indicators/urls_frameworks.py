"""Routes of the frameworks part (mounted at ``/ket-qua/``).  Frameworks live under
``khung/`` so their codes never shadow the other parts' paths (``bao-cao/``, ``xuat/``)."""

from django.urls import path

from . import views_frameworks as views

urlpatterns = [
    path("", views.framework_list, name="frameworks"),
    path("khung/moi/", views.framework_create, name="framework_create"),
    path("khung/<slug:code>/", views.framework_dashboard, name="framework"),
    path("khung/<slug:code>/sua/", views.framework_edit, name="framework_edit"),
    path("khung/<slug:code>/tinh-lai/", views.framework_recompute, name="framework_recompute"),
    path("khung/<slug:code>/ket-qua/moi/", views.node_form, name="node_create"),
    path("khung/<slug:code>/ket-qua/<id:pk>/", views.node_form, name="node_edit"),
    path("khung/<slug:code>/chi-so/moi/", views.indicator_form, name="indicator_create"),
    path("khung/<slug:code>/chi-so/<slug:indicator>/", views.indicator_detail, name="indicator"),
    path(
        "khung/<slug:code>/chi-so/<slug:indicator>/sua/",
        views.indicator_form,
        name="indicator_edit",
    ),
    path(
        "khung/<slug:code>/chi-so/<slug:indicator>/muc-tieu/",
        views.target_save,
        name="target_save",
    ),
    path("khung/<slug:code>/muc-tieu/<id:pk>/xoa/", views.target_delete, name="target_delete"),
]
