from django.urls import path

from . import views, views_auth

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.login, name="login"),
    # phone-first sign-up, sign-in by code, password reset by phone (issue 12)
    path("dang-ky/", views_auth.signup, name="signup"),
    path("dang-ky/ma/", views_auth.signup_code, name="signup_code"),
    path("dang-ky/mat-khau/", views_auth.signup_password, name="signup_password"),
    path("dang-nhap/ma/", views_auth.login_code, name="login_code"),
    path("dang-nhap/ma/nhap/", views_auth.login_code_confirm, name="login_code_confirm"),
    path(
        "quen-mat-khau/dien-thoai/",
        views_auth.password_reset_phone,
        name="password_reset_phone",
    ),
    path(
        "quen-mat-khau/dien-thoai/ma/",
        views_auth.password_reset_phone_code,
        name="password_reset_phone_code",
    ),
    path(
        "quen-mat-khau/dien-thoai/mat-khau-moi/",
        views_auth.password_reset_phone_new,
        name="password_reset_phone_new",
    ),
    path("dang-xuat/", views.logout, name="logout"),
    path("tai-khoan/", views.profile, name="profile"),
    path("tai-khoan/mat-khau/", views.password_change, name="password_change"),
    path("quen-mat-khau/", views.password_reset, name="password_reset"),
    path("quen-mat-khau/da-gui/", views.password_reset_done, name="password_reset_done"),
    path(
        "quen-mat-khau/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("quen-mat-khau/xong/", views.password_reset_complete, name="password_reset_complete"),
    path("xac-thuc-2-buoc/bat/", views.two_factor_setup, name="two_factor_setup"),
    path("xac-thuc-2-buoc/", views.two_factor_verify, name="two_factor_verify"),
    path("xac-thuc-2-buoc/tat/", views.two_factor_disable, name="two_factor_disable"),
    path("tai-khoan/token/", views.api_token_create, name="api_token_create"),
    path("tai-khoan/token/<id:pk>/thu-hoi/", views.api_token_revoke, name="api_token_revoke"),
    path("ngon-ngu/", views.set_language, name="set_language"),
]
