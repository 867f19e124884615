"""Model cases, news and guides: public pages and the staff pages that write them."""

from django.urls import path

from . import feeds, views

app_name = "knowledge"

urlpatterns = [
    path("mo-hinh-htx/", views.case_list, name="case_list"),
    path("mo-hinh-htx/<id:pk>/", views.case_detail, name="case_detail"),
    path("mo-hinh-htx/anh/<id:pk>/", views.case_photo, name="case_photo"),
    path("tin-tuc/", views.article_list, name="article_list"),
    path("tin-tuc/rss/", feeds.news_feed, name="news_feed"),
    path("tin-tuc/<id:pk>/", views.article_detail, name="article_detail"),
    path("tin-tuc/<id:pk>/anh/", views.article_image, name="article_image"),
    path("tin-tuc/buoc/<id:pk>/anh/", views.step_image, name="step_image"),
    path("quan-ly/kien-thuc/", views.manage, name="manage"),
    path("quan-ly/kien-thuc/mo-hinh/moi/", views.case_create, name="case_create"),
    path("quan-ly/kien-thuc/mo-hinh/<id:pk>/", views.case_edit, name="case_edit"),
    path("quan-ly/kien-thuc/mo-hinh/<id:pk>/so-lieu/", views.case_figures, name="case_figures"),
    path("quan-ly/kien-thuc/mo-hinh/<id:pk>/anh/", views.case_photos, name="case_photos"),
    path("quan-ly/kien-thuc/mo-hinh/<id:pk>/trang-thai/", views.case_status, name="case_status"),
    path("quan-ly/kien-thuc/bai/moi/", views.article_create, name="article_create"),
    path("quan-ly/kien-thuc/bai/<id:pk>/", views.article_edit, name="article_edit"),
    path("quan-ly/kien-thuc/bai/<id:pk>/buoc/", views.article_steps, name="article_steps"),
    path("quan-ly/kien-thuc/bai/<id:pk>/trang-thai/", views.article_status, name="article_status"),
]
