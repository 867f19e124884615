"""The portal part's pages end to end: the member portal, the manager's home,
disclosures (record, back-dating refused on the form, members see what is posted,
requests), the province's table, questions and the profit distribution."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from htxso.governance import services_disclosures, services_portal
from htxso.governance.models import Disclosure, DisclosureRequest, Question

pytestmark = pytest.mark.django_db


def as_user(client, world, key):
    user = world.users[key]
    if user.preferred_language != "en":
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
    client.logout()
    client.force_login(user)
    return client


def _disclosure(world, **kw):
    args = {
        "actor": world.users["manager_a1"],
        "organisation": world.orgs["a1"],
        "kind": "financial",
        "title": "Báo cáo tài chính 2025",
        "event_on": timezone.localdate(),
    }
    args.update(kw)
    return services_disclosures.record(**args)


def test_member_portal_shows_my_things(client, world, gov):
    posted = _disclosure(world, title="Điều lệ <script>x</script>")
    _disclosure(world, title="Chưa đăng", post=False)
    r = as_user(client, world, "member_a1").get(reverse("governance:portal"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Thành viên member_a1" in html and "HTX Nông nghiệp Hợp Giang" in html
    assert "10,000,000" in html or "10.000.000" in html
    assert reverse("governance:disclosure_detail", args=[posted.pk]) in html
    assert "&lt;script&gt;" in html and "<script>x" not in html
    assert "Chưa đăng" not in html


def test_not_a_member(client, world, gov):
    r = as_user(client, world, "norole").get(reverse("governance:portal"))
    assert r.status_code == 200 and b"not linked" in r.content


def test_manager_home_shows_due_and_late(client, world, gov):
    d = Disclosure.objects.get(
        pk=_disclosure(world, post=False, event_on=timezone.localdate() - dt.timedelta(days=30)).pk
    )
    r = as_user(client, world, "manager_a1").get(reverse("governance:home"))
    assert r.status_code == 200
    html = r.content.decode()
    assert reverse("governance:disclosure_detail", args=[d.pk]) in html
    assert 'id="gp-late-count" class="gp-late">1<' in html


def test_home_sends_members_and_staff_on(client, world, gov):
    r = as_user(client, world, "member_a1").get(reverse("governance:home"))
    assert r.status_code == 302 and r["Location"] == reverse("governance:portal")
    r = as_user(client, world, "officer_a").get(reverse("governance:home"))
    assert r.status_code == 302 and r["Location"] == reverse("governance:on_time")


def test_record_on_the_page_and_back_dating_refused(client, world, gov):
    c = as_user(client, world, "manager_a1")
    url = reverse("governance:disclosure_new", args=[world.orgs["a1"].pk])
    today = timezone.localdate()
    data = {
        "kind": "charter",
        "title": "Điều lệ sửa đổi",
        "event_on": today.isoformat(),
        "post": "on",
        "posted_on": (today - dt.timedelta(days=3)).isoformat(),
    }
    r = c.post(url, data)
    assert r.status_code == 200 and b"Back-dating is not allowed" in r.content
    assert not Disclosure.objects.exists()
    data.pop("posted_on")
    r = c.post(url, data)
    assert r.status_code == 302
    d = Disclosure.objects.get()
    assert d.posted_on == today and d.created_by == world.users["manager_a1"]


def test_other_cooperatives_and_unposted_are_404(client, world, gov):
    hidden = _disclosure(world, post=False)
    shown = _disclosure(world)
    c = as_user(client, world, "member_a1")
    assert c.get(reverse("governance:disclosure_detail", args=[hidden.pk])).status_code == 404
    assert c.get(reverse("governance:disclosure_detail", args=[shown.pk])).status_code == 200
    c = as_user(client, world, "manager_b1")
    assert c.get(reverse("governance:disclosure_detail", args=[shown.pk])).status_code == 404
    url = reverse("governance:disclosure_new", args=[world.orgs["a1"].pk])
    data = {"kind": "charter", "title": "x", "event_on": "2026-01-01"}
    assert c.post(url, data).status_code == 404
    assert Disclosure.objects.count() == 2


def test_member_asks_for_a_document_and_manager_answers(client, world, gov):
    d = _disclosure(world)
    c = as_user(client, world, "member_a1")
    url = reverse("governance:disclosure_request_new", args=[world.orgs["a1"].pk])
    assert c.post(url, {"message": "Xin bản giấy", "disclosure": d.pk}).status_code == 302
    assert c.post(url, {"message": "x", "disclosure": str(2**63)}).status_code in (302, 404)
    req = DisclosureRequest.objects.get()
    assert req.disclosure_id == d.pk
    c = as_user(client, world, "manager_a1")
    page = c.get(reverse("governance:disclosure_list", args=[world.orgs["a1"].pk]))
    assert b"Xin b" in page.content
    r = c.post(reverse("governance:disclosure_request_answer", args=[req.pk]), {"answer": "Đã gửi"})
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.answer == "Đã gửi"


def test_province_table(client, world, gov):
    _disclosure(world)
    r = as_user(client, world, "officer_a").get(reverse("governance:on_time"))
    assert r.status_code == 200
    assert b"HTX N" in r.content and b'id="gt-share">100.0 %' in r.content
    # another province's officer sees only their own province
    r = as_user(client, world, "officer_b").get(reverse("governance:on_time") + "?province=04")
    assert r.status_code == 200 and "Hợp Giang" not in r.content.decode()
    assert as_user(client, world, "member_a1").get(reverse("governance:on_time")).status_code == 403


def test_question_and_answer(client, world, gov):
    c = as_user(client, world, "member_a1")
    url = reverse("governance:question_new", args=[world.orgs["a1"].pk])
    assert c.post(url, {"text": "Khi nào chia lãi?"}).status_code == 302
    q = Question.objects.get()
    assert q.membership_id == gov.members["member_a1"].pk
    other = reverse("governance:question_new", args=[world.orgs["b1"].pk])
    assert c.post(other, {"text": "x"}).status_code == 404
    c = as_user(client, world, "manager_a1")
    r = c.post(reverse("governance:question_answer", args=[q.pk]), {"answer": "Tháng 3"})
    assert r.status_code == 302
    q.refresh_from_db()
    assert q.answer == "Tháng 3"
    c = as_user(client, world, "member_a1")
    assert "Tháng 3" in c.get(reverse("governance:portal")).content.decode()


def test_distribution_pages(client, world, gov, profit_resolution):
    c = as_user(client, world, "manager_a1")
    org = world.orgs["a1"]
    su = reverse("governance:service_use", args=[org.pk]) + "?year=2025"
    m = gov.members["member_a1"]
    r = c.post(su, {f"m{m.pk}": "30.000.000", f"m{gov.members['a1_o1'].pk}": "10.000.000"})
    assert r.status_code == 302
    r = c.post(
        reverse("governance:distributions", args=[org.pk]),
        {
            "year": 2025,
            "profit_after_tax": "100.000.000",
            "indivisible_fund": "5.000.000",
            "development_fund": "10.000.000",
            "reserve_fund": "5.000.000",
            "other_funds": "",
            "by_services_pct": "60",
        },
    )
    assert r.status_code == 302
    dist_url = r["Location"]
    page = c.get(dist_url).content.decode()
    assert services_portal.DISTRIBUTION_ARTICLE in page
    dist_pk = int(dist_url.rstrip("/").split("/")[-1])
    r = c.post(
        reverse("governance:distribution_approve", args=[dist_pk]),
        {"resolution": profit_resolution.pk},
    )
    assert r.status_code == 302
    c = as_user(client, world, "member_a1")
    page = c.get(dist_url).content.decode()
    assert "Thành viên member_a1" in page and "Thành viên a1_o1" not in page
    assert "profit of 2025" in c.get(reverse("governance:portal")).content.decode()
