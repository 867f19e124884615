"""The programs card of the home page, by role, in a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from htxso.programs.models import PublicationState
from htxso.programs.services import calls

from .helpers import apply_and_submit, make_call, make_eligible

pytestmark = pytest.mark.django_db

HOME_MAX_QUERIES = 10  # the same bound as tests/test_home.py


def home(client, world, key):
    client.force_login(world.users[key])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


@pytest.fixture
def running(world):
    """One open call published in Cao Bằng with one submitted application, one draft."""
    vca = world.users["vca"]
    call = make_call(vca)
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04")
    make_eligible(world.orgs["a1"])
    application = apply_and_submit(world.users["manager_a1"], call, world.orgs["a1"])
    unpublished = make_call(vca)
    unpublished.title = "Vay vốn chuyển đổi số từ Quỹ KHCN tỉnh"
    unpublished.save()
    draft = make_call(vca, open_=False, criteria=[])
    draft.title = "Hỗ trợ OCOP 2027"
    draft.save()
    return call, unpublished, draft, application


def _more_calls(world, n=4):
    vca = world.users["vca"]
    for i in range(n):
        call = make_call(vca)
        call.title = f"Đợt thêm {i}"
        call.save()
        calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04")
        calls.call_publish(actor=world.users["officer_b"], call=call, province_id="66")


@pytest.mark.parametrize("key", ["vca", "officer_a", "viewer_a", "manager_a1", "member_a1"])
def test_home_queries_bounded_and_constant(client, world, running, key):
    from django.core.cache import cache

    _, before = home(client, world, key)
    assert before <= HOME_MAX_QUERIES, before
    _more_calls(world)
    # both requests on a cold cache (the news card is cached; programme writes only
    # forget the calls' cache), so the counts compare like with like
    cache.clear()
    _, after = home(client, world, key)
    assert after == before, (before, after)


def test_manager_sees_calls_to_apply_to_and_his_applications(client, world, running):
    _call, unpublished, draft, application = running
    body, _ = home(client, world, "manager_a1")
    # already applied: shown with its status, not as an offer
    assert f'href="/chuong-trinh/ho-so/{application.pk}/"' in body
    assert "Đã gửi Liên minh HTX tỉnh" in body
    # not announced in his province, draft: not offered
    assert unpublished.title not in body and draft.title not in body
    calls.call_publish(actor=world.users["officer_a"], call=unpublished, province_id="04")
    body, _ = home(client, world, "manager_a1")
    assert unpublished.title in body
    assert "1 đợt tuyển chọn đang mở mà tổ chức của bạn có thể đăng ký" in body
    assert world.orgs["a1"].name in body


def test_manager_of_another_province_sees_the_empty_state(client, world, running):
    call, *_ = running
    body, _ = home(client, world, "manager_b1")
    assert call.title not in body
    assert "Hiện chưa có đợt tuyển chọn nào dành cho tổ chức của bạn" in body


def test_officer_sees_calls_to_announce_and_applications_to_review(client, world, running):
    call, unpublished, draft, _ = running
    body, _ = home(client, world, "officer_a")
    assert "1 hồ sơ đang chờ bạn xét" in body
    assert "1 đợt tuyển chọn đang mở chưa được thông báo đến các HTX trong tỉnh" in body
    assert call.title in body and unpublished.title in body and draft.title not in body
    with translation.override("vi"):
        published = str(PublicationState.PUBLISHED.label)
        not_published = str(PublicationState.NOT_PUBLISHED.label)
    assert published in body and not_published in body
    # the other province does not count Cao Bằng's applications
    body, _ = home(client, world, "officer_b")
    assert "đang chờ bạn xét" not in body
    assert "2 đợt tuyển chọn đang mở chưa được thông báo" in body


def test_vca_sees_drafts_and_provinces_published_and_forwarded(client, world, running):
    call, _unpublished, draft, _ = running
    body, _ = home(client, world, "vca")
    assert draft.title in body and call.title in body
    assert "Đã thông báo ở 1 tỉnh · 0 tỉnh đã chuyển danh sách" in body
    assert "Bản nháp: thêm tiêu chí rồi mở đợt cho các tỉnh." in body


def test_titles_are_escaped_on_the_home_page(client, world):
    call = make_call(world.users["vca"], open_=False, criteria=[])
    call.title = "<script>alert(1)</script>"
    call.save()
    body, _ = home(client, world, "vca")
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)" in body


def test_manager_sees_the_earlier_provincial_deadline(client, world):
    import datetime as dt

    from django.utils import timezone

    call = make_call(world.users["vca"], days=20)
    early = timezone.localtime(timezone.now() + dt.timedelta(days=5)).replace(
        hour=16, minute=30, second=0, microsecond=0
    )
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04", deadline=early)
    expected = early.strftime("%H:%M %d/%m/%Y")
    late = timezone.localtime(call.deadline).strftime("%H:%M %d/%m/%Y")
    for url in ("/", "/chuong-trinh/"):
        body, _ = home_url(client, world, "manager_a1", url)
        assert expected in body and late not in body, url


def home_url(client, world, key, url):
    client.force_login(world.users[key])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), None


def test_member_home_links_only_to_pages_he_may_open(client, world, running):
    """Issue 13: the member's card listed his organisation's application with a link
    to a page answering 403 to him; now the status shows without the link."""
    _call, _unpublished, _draft, application = running
    body, _ = home(client, world, "member_a1")
    url = f"/chuong-trinh/ho-so/{application.pk}/"
    assert application.call.title in body
    assert f'href="{url}"' not in body
    for href in set(__import__("re").findall(r'href="(/chuong-trinh/[^"]*)"', body)):
        assert client.get(href).status_code == 200, href
    # the manager of the same organisation still gets the link, and it opens
    body, _ = home(client, world, "manager_a1")
    assert f'href="{url}"' in body
    assert client.get(url).status_code == 200
