"""Account management (issue 12): include with ``path("", include(...))`` in the root
urls; the names are ``accounts_admin:…``."""

from django.urls import path

from . import views_accounts as views

app_name = "accounts_admin"

urlpatterns = [
    path("quan-ly/tai-khoan/", views.user_list, name="user_list"),
    path("quan-ly/tai-khoan/moi-nhan-vien/", views.staff_invite, name="staff_invite"),
    path("quan-ly/tai-khoan/<id:pk>/", views.user_detail, name="user_detail"),
    path("quan-ly/tai-khoan/<id:pk>/vai-tro/", views.role_add, name="role_add"),
    path(
        "quan-ly/tai-khoan/<id:pk>/vai-tro/<id:assignment_pk>/go/",
        views.role_remove,
        name="role_remove",
    ),
    path("quan-ly/tai-khoan/<id:pk>/khoa/", views.user_deactivate, name="user_deactivate"),
    path("quan-ly/tai-khoan/<id:pk>/mo-khoa/", views.user_reactivate, name="user_reactivate"),
    path(
        "quan-ly/tai-khoan/<id:pk>/xac-thuc-hai-buoc/dat-lai/",
        views.two_factor_reset,
        name="two_factor_reset",
    ),
]
