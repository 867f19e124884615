"""Pages of the support-policy catalogue, under /ho-tro/chinh-sach/."""

from django.urls import path

from . import views

app_name = "support_policies"

P = "ho-tro/chinh-sach/"
ONE = P + "<id:pk>/"

urlpatterns = [
    path(P, views.policy_list, name="list"),
    path(P + "moi/", views.policy_create, name="create"),
    path(P + "cua-toi/", views.my_policies, name="mine"),
    path(P + "ban-do/", views.eligibility_map, name="map"),
    path(P + "to-chuc/<id:pk>/", views.organisation_policies, name="organisation"),
    path(ONE, views.policy_detail, name="detail"),
    path(ONE + "sua/", views.policy_edit, name="edit"),
    path(ONE + "tieu-chi/", views.policy_criteria, name="criteria"),
    path(ONE + "tieu-chi/<id:position>/xoa/", views.criterion_delete, name="criterion_delete"),
    path(ONE + "cong-bo/", views.policy_publish, name="publish"),
    path(ONE + "het-hieu-luc/", views.policy_retire, name="retire"),
]
