from django.urls import path

from . import views

app_name = "invitations"

urlpatterns = [
    path("loi-moi/chao-mung/", views.welcome, name="welcome"),
    path("loi-moi/<str:token>/", views.accept, name="accept"),
    path("to-chuc/<id:pk>/loi-moi/", views.invitation_list, name="invitation_list"),
    path("to-chuc/<id:pk>/loi-moi/moi/", views.invite_members, name="invite_members"),
    path("to-chuc/<id:pk>/loi-moi/the-qr.pdf", views.invitation_cards, name="invitation_cards"),
    path(
        "to-chuc/<id:pk>/loi-moi/<id:invitation_pk>/gui-lai/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "to-chuc/<id:pk>/loi-moi/<id:invitation_pk>/thu-hoi/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
