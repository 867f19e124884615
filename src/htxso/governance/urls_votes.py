"""Routes of the votes part (``/quan-tri-htx/bieu-quyet/…``)."""

from django.urls import path

from . import views_votes as v

urlpatterns = [
    path("", v.votes_home, name="votes_home"),
    path("dai-hoi/<id:pk>/", v.assembly_votes, name="assembly_votes"),
    path("dai-hoi/<id:pk>/nghi-quyet-moi/", v.resolution_new, name="resolution_new"),
    path("dai-hoi/<id:pk>/bien-ban.docx", v.minutes_docx, name="minutes_docx"),
    path("<id:pk>/", v.resolution_detail, name="resolution_detail"),
    path("<id:pk>/thao-tac/", v.resolution_action, name="resolution_action"),
    path("<id:pk>/phieu-giay/", v.paper_tally, name="paper_tally"),
    path("<id:pk>/bo-phieu/", v.vote, name="vote"),
    path("<id:pk>/kiem-tra-phieu/", v.receipt_check, name="receipt_check"),
    path("<id:pk>/nghi-quyet.docx", v.resolution_docx, name="resolution_docx"),
]
