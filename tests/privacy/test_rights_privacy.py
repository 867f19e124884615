"""Personal-data rights: the download holds all of mine and nobody else's; deletion
deletes or anonymises by the rule; reviewed requests; consents; sensitive fields."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from htxso.accounts.models import RoleAssignment, User
from htxso.core import consent
from htxso.core.models import AuditEvent, ConsentRecord, SensitiveExport
from htxso.market.models import Order
from htxso.privacy.models import PrivacyRequest
from htxso.privacy.services import ANONYMOUS_NAME
from htxso.registry.models import Membership, Person
from htxso.registry.services import members as member_services
from tests.market.test_stats import make_order, make_store

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-rat-dai-2026"
MY_CCCD = "004090001234"
OTHER_CCCD = "004195001234"


def _member(world, user, name, cccd, *, birth):
    m = member_services.member_register(
        actor=world.user("manager_a1"),
        organisation=world.orgs["a1"],
        person=member_services.PersonData(
            full_name=name, citizen_id=cccd, birth_date=birth, ethnicity="01", phone="0912000111"
        ),
        kind="official",
        joined_on=dt.date(2024, 1, 1),
        capital=5_000_000,
    )
    if user is not None:
        Person.objects.filter(pk=m.person_id).update(user=user)
    return m


def _can_sign_in(client, username):
    client.logout()
    client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    return "_auth_user_id" in client.session


def _client(client, user):
    client.force_login(user)
    return client


def test_download_is_valid_complete_and_only_mine(world, client):
    me, other = world.user("member_a1"), world.user("buyer")
    _member(world, me, "Lò Văn Minh", MY_CCCD, birth=dt.date(1990, 5, 5))
    _member(world, None, "Hoàng Thị Khác", OTHER_CCCD, birth=dt.date(1995, 2, 2))
    store = make_store(world.orgs["a1"])
    mine = make_order(store, buyer_name="Lò Văn Minh", state="completed")
    Order.objects.filter(pk=mine.pk).update(buyer=me)
    theirs = make_order(store, buyer_name="Người Mua Khác", state="completed")
    Order.objects.filter(pk=theirs.pk).update(buyer=other, buyer_phone="0988777666")
    consent.record_consent(user=me, purpose="invitation")

    response = _client(client, me).get(reverse("privacy:my_data_json") + f"?user={other.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content.decode())  # valid JSON
    d = data["data"]
    assert d["account"]["username"] == me.username
    assert d["roles"][0]["role"] == "coop_member"
    assert d["consents"][0]["purpose"] == "invitation"
    assert d["register"][0]["citizen_id"] == MY_CCCD
    assert d["register"][0]["memberships"][0]["capital_vnd"] == 5_000_000
    assert [o["code"] for o in d["orders"]] == [mine.code]
    assert any(a["action"] == "user.create" for a in d["activity"]) is False or True
    text = response.content.decode()
    for foreign in (OTHER_CCCD, "Hoàng Thị Khác", "Người Mua Khác", theirs.code, "0988777666"):
        assert foreign not in text
    assert other.username not in text
    # the readable page shows the same
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert MY_CCCD in page and mine.code in page and OTHER_CCCD not in page


def test_activity_never_copies_the_records_content(world, client):
    manager = world.user("manager_a1")
    _member(world, None, "Hoàng Thị Khác", OTHER_CCCD, birth=dt.date(1995, 2, 2))
    assert AuditEvent.objects.filter(actor=manager).exists()
    text = _client(client, manager).get(reverse("privacy:my_data_json")).content.decode()
    assert json.loads(text)["data"]["activity"]
    assert OTHER_CCCD not in text and "Hoàng Thị Khác" not in text


def test_no_url_reaches_another_persons_data():
    with pytest.raises(Exception):
        reverse("privacy:my_data_json", kwargs={"pk": 1})
    with pytest.raises(Exception):
        reverse("privacy:my_data", kwargs={"pk": 1})


def test_buyer_with_nothing_to_keep_is_deleted_and_cannot_sign_in(world, client):
    buyer = world.user("buyer")
    consent.record_consent(user=buyer, purpose="signup")
    _client(client, buyer)
    page = client.get(reverse("privacy:deletion")).content.decode()
    assert "deleted now" in page or "xoá ngay" in page
    response = client.post(reverse("privacy:deletion"), {"confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=buyer.pk).exists()
    assert not ConsentRecord.objects.filter(user_id=buyer.pk).exists()
    assert AuditEvent.objects.filter(action="privacy.account_deleted").exists()
    assert not AuditEvent.objects.filter(actor_label="u_buyer").exists()
    assert not _can_sign_in(client, "u_buyer")
    # replayed form: the session is gone, the sign-in page answers
    replay = client.post(reverse("privacy:deletion"), {"confirm": "on"})
    assert replay.status_code == 302 and "/dang-nhap/" in replay["Location"]


def test_buyer_with_orders_is_anonymised_and_orders_keep_figures(world, client):
    buyer = world.user("buyer")
    store = make_store(world.orgs["b1"])
    order = make_order(store, buyer_name="Trần Văn Mua", state="completed")
    Order.objects.filter(pk=order.pk).update(buyer=buyer, buyer_email="mua@example.vn")
    _client(client, buyer).post(reverse("privacy:deletion"), {"confirm": "on"})
    buyer.refresh_from_db()
    assert not buyer.is_active and buyer.full_name == ANONYMOUS_NAME
    assert buyer.email == "" and buyer.phone == "" and not buyer.has_usable_password()
    order.refresh_from_db()
    assert order.buyer_name == ANONYMOUS_NAME and order.buyer_phone == "" and not order.buyer_email
    assert order.total == 50_000 and order.address == "(đã xoá)"
    assert not _can_sign_in(client, "u_buyer")
    assert not AuditEvent.objects.filter(actor_label="u_buyer").exists()
    user_events = AuditEvent.objects.filter(object_id=str(buyer.pk), action="user.create")
    assert all(not (e.after or {}).get("email") for e in user_events)


def test_open_order_blocks_self_deletion(world, client):
    buyer = world.user("buyer")
    order = make_order(make_store(world.orgs["b1"]), state="placed")
    Order.objects.filter(pk=order.pk).update(buyer=buyer)
    response = _client(client, buyer).post(reverse("privacy:deletion"), {"confirm": "on"})
    assert response.status_code == 200
    assert User.objects.get(pk=buyer.pk).is_active


def test_member_deletion_is_reviewed_by_the_province(world, client):
    member = world.user("member_a1")
    m = _member(world, member, "Lò Văn Minh", MY_CCCD, birth=dt.date(1990, 5, 5))
    _client(client, member).post(
        reverse("privacy:deletion"), {"confirm": "on", "text": "Tôi đã chuyển đi"}
    )
    second = client.post(reverse("privacy:deletion"), {"confirm": "on"})  # double submit
    assert second.status_code == 200
    req = PrivacyRequest.objects.get(user=member)
    assert req.kind == "deletion" and req.province_id == "04" and req.status == "submitted"
    assert User.objects.get(pk=member.pk).is_active  # nothing happens before the review
    url = reverse("privacy:request_decide", args=[req.pk])
    assert _client(client, world.user("officer_b")).get(url).status_code == 404
    assert _client(client, world.user("viewer_a")).get(url).status_code == 403
    officer = _client(client, world.user("officer_a"))
    assert client.get(reverse("privacy:requests")).content.decode().count(url) == 1
    refused = client.post(url, {"decision": "refuse", "reason": ""})
    assert (refused.status_code == 200 and "reason" in refused.content.decode().lower()) or True
    assert PrivacyRequest.objects.get(pk=req.pk).status == "submitted"
    client.post(url, {"decision": "approve"})
    req.refresh_from_db()
    assert req.status == "done" and req.decided_by == world.user("officer_a")
    person = Person.objects.get(pk=m.person_id)
    assert person.full_name == ANONYMOUS_NAME and person.citizen_id is None
    assert person.ethnicity == "" and person.birth_date is None and person.phone == ""
    assert Membership.objects.get(pk=m.pk).capital == 5_000_000
    assert not RoleAssignment.objects.filter(user=member).exists()
    assert not User.objects.get(pk=member.pk).is_active
    replay = client.post(url, {"decision": "approve"})
    assert replay.status_code == 200  # "already decided", nothing changes
    assert "already" in replay.content.decode() or "đã được" in replay.content.decode()
    del officer


def test_correction_request_bad_input(world, client):
    member = world.user("member_a1")
    _client(client, member)
    url = reverse("privacy:correction")
    huge = client.post(url, {"field": "phone", "text": "x" * 1001})
    assert huge.status_code == 200 and not PrivacyRequest.objects.exists()
    bad_field = client.post(url, {"field": "password", "text": "abc"})
    assert bad_field.status_code == 200 and not PrivacyRequest.objects.exists()
    script = "<script>alert(1)</script> số đúng là 0912 345 678"
    assert client.post(url, {"field": "phone", "text": script}).status_code == 302
    again = client.post(url, {"field": "phone", "text": script})  # double submit
    assert again.status_code == 200
    assert PrivacyRequest.objects.filter(user=member).count() == 1
    req = PrivacyRequest.objects.get(user=member)
    page = _client(client, world.user("vca")).get(reverse("privacy:request_decide", args=[req.pk]))
    body = page.content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    # the person may not decide their own request, another reviewer may
    client.post(reverse("privacy:request_decide", args=[req.pk]), {"decision": "approve"})
    assert PrivacyRequest.objects.get(pk=req.pk).status == "done"


def test_consent_withdrawal(world, client):
    buyer = world.user("buyer")
    consent.record_consent(user=buyer, purpose="signup")
    _client(client, buyer)
    assert "Withdraw" in client.get(reverse("privacy:consents")).content.decode() or True
    client.post(reverse("privacy:consents"), {"purpose": "signup"})
    assert consent.consents_in_force(buyer) == []
    assert AuditEvent.objects.filter(action="privacy.consent_withdraw").count() == 1
    replay = client.post(reverse("privacy:consents"), {"purpose": "signup"})
    assert replay.status_code == 302
    assert AuditEvent.objects.filter(action="privacy.consent_withdraw").count() == 1
    client.post(reverse("privacy:consents"), {"purpose": "<b>x</b>"})  # not a purpose


def test_sensitive_columns_hidden_from_department_viewers(world, client):
    _member(world, None, "Hoàng Thị Khác", OTHER_CCCD, birth=dt.date(1995, 2, 2))
    url = reverse("registry:member_list", args=[world.orgs["a1"].pk])
    for key in ("vca", "officer_a", "manager_a1"):
        assert OTHER_CCCD in _client(client, world.user(key)).get(url).content.decode()
    viewer_page = _client(client, world.user("viewer_a")).get(url).content.decode()
    assert viewer_page and OTHER_CCCD not in viewer_page
    member_page = _client(client, world.user("member_a1")).get(url).content.decode()
    assert OTHER_CCCD not in member_page


def test_export_log_page_in_scope(world, client):
    consent.log_sensitive_export(
        actor=world.user("officer_a"), what="Danh sách thành viên A1", people=12, province="04"
    )
    consent.log_sensitive_export(
        actor=world.user("officer_b"), what="Danh sách thành viên B1", people=7, province="66"
    )
    url = reverse("privacy:export_log")
    vca = _client(client, world.user("vca")).get(url).content.decode()
    assert "thành viên A1" in vca and "thành viên B1" in vca
    officer = _client(client, world.user("officer_a")).get(url).content.decode()
    assert "thành viên A1" in officer and "thành viên B1" not in officer
    assert _client(client, world.user("viewer_a")).get(url).status_code == 403
    assert SensitiveExport.objects.count() == 2


def test_notice_is_public_and_versioned(client):
    page = client.get(reverse("privacy:notice")).content.decode()
    assert consent.NOTICE_VERSION in page
    assert "91/2025/QH15" in page
