"""Pages of the knowledge base: public lists and pages, drafts hidden, bad input shown
safely, writes refused across provinces, the API, and the home selector."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from htxso.core.actors import OPERATOR
from htxso.support.knowledge import selectors, services
from htxso.support.knowledge.models import Article, ModelCase
from htxso.support.knowledge.views import REQUEST_URL_NAME

from .helpers import article_data, jpeg, make_article, make_case

pytestmark = pytest.mark.django_db
HUGE = 2**63


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_public_lists_search_accent_free_and_hide_drafts(world):
    make_case(world.orgs["b1"], title="Cà phê Đắk Lắk truy xuất", themes=["traceability"])
    make_case(world.orgs["a1"], title="Bản nháp bí mật", publish=False)
    guide = make_article(title="Mở gian hàng trên Chợ HTX Số")
    make_article(title="Nháp chưa đăng", publish=False)
    client = _client()
    page = client.get(reverse("knowledge:case_list"), {"q": "ca phe dak lak"}).content.decode()
    assert "Cà phê Đắk Lắk truy xuất" in page and "Bản nháp bí mật" not in page
    page = client.get(reverse("knowledge:case_list"), {"theme": "ecommerce"}).content.decode()
    assert "Cà phê Đắk Lắk truy xuất" not in page
    page = client.get(
        reverse("knowledge:case_list"), {"province": "66", "theme": "traceability"}
    ).content.decode()
    assert "Cà phê Đắk Lắk truy xuất" in page
    page = client.get(reverse("knowledge:article_list"), {"q": "mo gian hang"}).content.decode()
    assert "Mở gian hàng trên Chợ HTX Số" in page and "Nháp chưa đăng" not in page
    detail = client.get(reverse("knowledge:article_detail", args=[guide.pk])).content.decode()
    assert 'property="og:title" content="Mở gian hàng trên Chợ HTX Số"' in detail
    assert client.get(reverse("knowledge:case_list"), {"page": str(HUGE)}).status_code == 200
    assert (
        client.get(reverse("knowledge:article_list"), {"page": "abc", "kind": "evil"}).status_code
        == 200
    )


def test_unpublished_items_and_their_pictures_are_404_for_the_public(world):
    case = make_case(world.orgs["a1"], publish=False)
    photo = services.case_photo_add(actor=OPERATOR, case=case, file=jpeg())
    draft = services.article_save(actor=OPERATOR, data=article_data(province="04"), cover=jpeg())
    step = services.step_add(actor=OPERATOR, article=draft, title="Bước", image=jpeg())
    urls = [
        reverse("knowledge:case_detail", args=[case.pk]),
        reverse("knowledge:case_photo", args=[photo.pk]),
        reverse("knowledge:article_detail", args=[draft.pk]),
        reverse("knowledge:article_image", args=[draft.pk]),
        reverse("knowledge:step_image", args=[step.pk]),
    ]
    for user in (
        None,
        world.users["officer_b"],
        world.users["viewer_a"],
        world.users["manager_a1"],
    ):
        client = _client(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    officer = _client(world.users["officer_a"])
    for url in urls:
        response = officer.get(url)
        assert response.status_code == 200, url
    response = officer.get(urls[1])
    assert (
        response["Cache-Control"] == "private, no-store"
        and response["Content-Type"] == "image/jpeg"
    )
    services.case_set_status(actor=OPERATOR, case=case, status="published")
    response = _client().get(urls[1])
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    services.case_set_status(actor=OPERATOR, case=case, status="withdrawn")
    assert _client().get(urls[0]).status_code == 404
    assert _client().get(urls[1]).status_code == 404
    assert _client().get(f"/mo-hinh-htx/{HUGE}/").status_code == 404
    assert _client().get(f"/tin-tuc/{HUGE}/anh/").status_code == 404


def test_script_in_article_is_shown_safely(world):
    vca = world.users["vca"]
    article = services.article_save(
        actor=vca,
        data=article_data(
            kind="news",
            title="<script>alert('t')</script>Tin",
            body='<p>Chào</p><script>alert(1)</script><img src=x onerror="alert(2)">'
            '<a href="javascript:alert(3)">bấm</a><p onclick="x()">đoạn</p>',
        ),
    )
    services.article_set_status(actor=vca, article=article, status="published")
    html = _client().get(reverse("knowledge:article_detail", args=[article.pk])).content.decode()
    body = html.split('id="article-body"', 1)[1].split("</div>", 1)[0]
    assert "<script" not in body and "onerror" not in body and "javascript:" not in body
    assert "onclick" not in body and "Chào" in body and "đoạn" in body
    assert "<script>alert(&#x27;t&#x27;)" not in html.split("<main", 1)[-1].split("<h1", 1)[0]
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;Tin" in html
    assert "<script>alert(" not in html


def test_officer_edit_of_another_province_article_is_refused_nothing_saved(world):
    other = services.article_save(
        actor=world.users["officer_b"], data=article_data(province="66", title="Đắk Lắk")
    )
    client = _client(world.users["officer_a"])
    url = reverse("knowledge:article_edit", args=[other.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {**article_data(province="04", title="Sửa trộm"), "kind": "guide"})
    assert response.status_code == 404
    response = client.post(
        reverse("knowledge:article_status", args=[other.pk]), {"status": "published"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.title == "Đắk Lắk" and other.status == "draft"
    assert _client(world.users["viewer_b"]).get(url).status_code == 403
    assert client.get(f"/quan-ly/kien-thuc/bai/{HUGE}/").status_code == 404


def test_officer_writes_and_publishes_through_the_pages(world):
    client = _client(world.users["officer_a"])
    response = client.post(
        reverse("knowledge:article_create"),
        {**article_data(province="04", title="Hướng dẫn của Cao Bằng"), "cover": jpeg()},
    )
    article = Article.objects.get(title="Hướng dẫn của Cao Bằng")
    assert response.status_code == 302 and article.province_id == "04" and article.cover
    response = client.post(
        reverse("knowledge:article_steps", args=[article.pk]),
        {"action": "add", "title": "Bước một", "text": "Bấm Bán hàng", "image": jpeg()},
    )
    assert response.status_code == 302 and article.steps.count() == 1
    bad = client.post(
        reverse("knowledge:article_steps", args=[article.pk]),
        {"action": "add", "title": "Bước hai", "image": jpeg("x.jpg", (50, 50))},
    )
    assert (
        bad.status_code == 200 and "50 x 50" in bad.content.decode() and article.steps.count() == 1
    )
    client.post(reverse("knowledge:article_status", args=[article.pk]), {"status": "published"})
    article.refresh_from_db()
    assert article.is_public
    # a case: the organisation list offers the province's only; another's is refused
    response = client.get(reverse("knowledge:case_create"))
    page = response.content.decode()
    assert world.orgs["a1"].name in page and world.orgs["b1"].name not in page
    response = client.post(
        reverse("knowledge:case_create"),
        {"organisation": world.orgs["b1"].pk, "title": "Của tỉnh khác", "summary": "x"},
    )
    assert (
        response.status_code == 200 and not ModelCase.objects.filter(title="Của tỉnh khác").exists()
    )
    response = client.post(
        reverse("knowledge:case_create"),
        {"organisation": world.orgs["a1"].pk, "title": "Mô hình Hợp Giang", "summary": "Tóm tắt",
         "themes": ["dx"], "contact_name": "Bà Lan", "contact_consent": "on"},
    )  # fmt: skip
    case = ModelCase.objects.get(title="Mô hình Hợp Giang")
    assert case.contact_consent_by == world.users["officer_a"]
    client.post(
        reverse("knowledge:case_figures", args=[case.pk]),
        {"action": "add", "label": "Thành viên", "value": "1.200", "unit": "people"},
    )
    assert case.figures.get().value == 1200
    client.post(reverse("knowledge:case_status", args=[case.pk]), {"status": "published"})
    html = _client().get(reverse("knowledge:case_detail", args=[case.pk])).content.decode()
    assert "Bà Lan" in html and "1.200" in html and "khai báo" in html.lower()


def test_contact_hidden_without_consent_and_visit_button_guarded(world):
    case = make_case(world.orgs["a1"], contact_consent=False)
    html = (
        _client(world.users["manager_b1"])
        .get(reverse("knowledge:case_detail", args=[case.pk]))
        .content.decode()
    )
    assert "Y Bhim Niê" not in html and "0912 660 101" not in html
    try:
        reverse(REQUEST_URL_NAME)
        expected = True
    except Exception:
        expected = False
    assert ('id="ask-visit"' in html) is expected
    if expected:
        assert f"type=model_visit&amp;case={case.pk}" in html
        # a staff member or a buyer is not offered the button
        html = _client(world.users["buyer"]).get(reverse("knowledge:case_detail", args=[case.pk]))
        assert 'id="ask-visit"' not in html.content.decode()


def test_api_lists_details_and_errors(world):
    case = make_case(world.orgs["a1"], contact_consent=True)
    draft = make_case(world.orgs["a1"], title="Nháp", publish=False)
    guide = make_article()
    services.step_add(actor=OPERATOR, article=guide, title="Bước", image=jpeg())
    client = _client()
    data = client.get("/api/v1/support/knowledge/cases", {"q": "ca phe"}).json()
    assert [c["id"] for c in data] == [case.pk]
    detail = client.get(f"/api/v1/support/knowledge/cases/{case.pk}").json()
    assert detail["contact"]["name"] == "Y Bhim Niê"
    response = client.get(f"/api/v1/support/knowledge/cases/{draft.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = client.get(f"/api/v1/support/knowledge/cases/{HUGE}")
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
    response = client.get("/api/v1/support/knowledge/articles", {"kind": "blog"})
    assert response.json()["code"] == "validation_error"
    detail = client.get(f"/api/v1/support/knowledge/articles/{guide.pk}").json()
    assert detail["steps"][0]["image_url"].endswith("/anh/")
    assert (
        client.get("/api/v1/support/knowledge/articles", {"q": "mo gian hang"}).json()[0]["id"]
        == guide.pk
    )


def test_news_feed(world):
    make_article(kind="news", title="Tin mới về chuyển đổi số")
    response = _client().get(reverse("knowledge:news_feed"))
    assert response.status_code == 200 and "Tin mới về chuyển đổi số" in response.content.decode()


def test_latest_for_is_relevant_cached_and_one_query(
    world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    make_article(kind="news", title="Tin toàn quốc")
    make_article(kind="news", title="Tin Cao Bằng", province="04")
    make_article(kind="news", title="Tin Đắk Lắk", province="66")
    make_case(world.orgs["b1"], title="Mô hình Ea Tu")
    cache.clear()
    officer = world.users["officer_a"]
    from htxso.core.scoping import get_scope

    get_scope(officer)
    with django_assert_num_queries(1):
        items = selectors.latest_for(officer, limit=5)
    titles = [i["title"] for i in items]
    assert "Tin Cao Bằng" in titles and "Tin toàn quốc" in titles and "Tin Đắk Lắk" not in titles
    assert "Mô hình Ea Tu" in titles
    with django_assert_num_queries(0):
        assert selectors.latest_for(officer, limit=5) == items
    manager = world.users["manager_b1"]
    get_scope(manager)
    with django_assert_num_queries(1):
        titles = [i["title"] for i in selectors.latest_for(manager, limit=5)]
    assert "Tin Đắk Lắk" in titles and "Tin Cao Bằng" not in titles
    # a publication forgets the cached lists
    with django_assert_num_queries(1):
        assert selectors.latest_for(None, limit=3)
    with django_capture_on_commit_callbacks(execute=True):
        make_article(kind="news", title="Tin nóng")
    assert selectors.latest_for(None, limit=3)[0]["title"] == "Tin nóng"
    from django.template.loader import render_to_string

    html = render_to_string(
        "support/knowledge/_whats_new.html", {"whats_new": selectors.latest_for(None)}
    )
    assert "Tin nóng" in html


def test_demo_is_idempotent(world):
    from htxso.core.demodata import DemoContext
    from htxso.registry.models import Organisation
    from htxso.support.knowledge import demo

    for code in ("01", "19", "40"):
        Organisation.objects.create(kind="group", name=f"Tổ hợp tác mẫu {code}", province_id=code)
    counts = []
    for _ in range(2):
        demo.seed(DemoContext())
        counts.append((ModelCase.objects.count(), Article.objects.count()))
    assert counts[0] == counts[1]
    assert Article.objects.filter(title="Mở gian hàng trên Chợ HTX Số", status="published").exists()
