"""The invitation pages: from the member register to a member who sees her capital."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from htxso.accounts.models import RoleAssignment, User
from htxso.core import messaging
from htxso.core.roles import Role
from htxso.invitations import services
from htxso.invitations.models import Invitation, InvitationState

from .helpers import member

pytestmark = pytest.mark.django_db


def _token(message) -> str:
    return message.text.rsplit("/loi-moi/", 1)[1].strip("/ ")


@pytest.fixture
def people(world):
    org = world.orgs["a1"]
    return [
        member(org, "Hoàng Thị Mai", "0912345601", capital=5_000_000, cert="GCN-07"),
        member(org, "Nông Văn Sáu", "0912345602"),
        member(org, "Lục Thị Bảy"),  # no phone
    ]


def _invite(client, world, people, sends, channel="sms"):
    client.force_login(world.users["manager_a1"])
    url = f"/to-chuc/{world.orgs['a1'].pk}/loi-moi/moi/"
    data = {"people": [p.pk for p in people], "channel": channel, "days": 14}
    with sends():
        return client.post(url, data)


def test_register_has_the_ticks_and_the_invite_button(client, world, people):
    client.force_login(world.users["manager_a1"])
    page = client.get(f"/to-chuc/{world.orgs['a1'].pk}/thanh-vien/").content.decode()
    assert 'form="invite-form"' in page and f'value="{people[0].pk}"' in page
    assert f"/to-chuc/{world.orgs['a1'].pk}/loi-moi/moi/" in page


def test_choosing_shows_who_will_be_left_out(client, world, people):
    linked = member(world.orgs["a1"], "Đã Có Tài Khoản", "0912345609")
    linked.user = world.users["member_a1"]
    linked.save()
    client.force_login(world.users["manager_a1"])
    url = f"/to-chuc/{world.orgs['a1'].pk}/loi-moi/moi/"
    response = client.get(url, {"people": [people[0].pk, linked.pk]})
    page = response.content.decode()
    assert response.status_code == 200 and "Hoàng Thị Mai" in page
    assert "already has an account" in page or "đã có tài khoản" in page


def test_invite_many_by_sms_then_list_resend_revoke(client, world, people, sends):
    response = _invite(client, world, people, sends)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lục Thị Bảy" in page  # left out: no phone
    assert Invitation.objects.filter(state="pending").count() == 2
    assert len(messaging.sent_to("+84912345601", "invitation")) == 1
    org = world.orgs["a1"]
    listing = client.get(f"/to-chuc/{org.pk}/loi-moi/").content.decode()
    assert "Hoàng Thị Mai" in listing and "Nông Văn Sáu" in listing
    inv = Invitation.objects.get(person=people[0])
    with sends():
        client.post(f"/to-chuc/{org.pk}/loi-moi/{inv.pk}/gui-lai/")
    assert len(messaging.sent_to("+84912345601", "invitation")) == 2
    client.post(f"/to-chuc/{org.pk}/loi-moi/{inv.pk}/thu-hoi/")
    inv.refresh_from_db()
    assert inv.state == InvitationState.REVOKED
    revoked = client.get(f"/to-chuc/{org.pk}/loi-moi/?state=revoked").content.decode()
    assert "Hoàng Thị Mai" in revoked and "Nông Văn Sáu" not in revoked


def test_empty_list_says_what_to_do(client, world):
    client.force_login(world.users["manager_a1"])
    page = client.get(f"/to-chuc/{world.orgs['a1'].pk}/loi-moi/").content.decode()
    assert 'class="empty"' in page


def test_manager_of_another_cooperative_gets_404(client, world, people, sends):
    _invite(client, world, people[:1], sends)
    inv = Invitation.objects.get()
    client.force_login(world.users["manager_b1"])
    org = world.orgs["a1"]
    assert client.get(f"/to-chuc/{org.pk}/loi-moi/").status_code == 404
    assert client.get(f"/to-chuc/{org.pk}/loi-moi/moi/?people={people[0].pk}").status_code == 404
    assert client.post(f"/to-chuc/{org.pk}/loi-moi/{inv.pk}/thu-hoi/").status_code == 404
    # b1's own pages do not reach a1's invitation either
    b1 = world.orgs["b1"]
    assert client.post(f"/to-chuc/{b1.pk}/loi-moi/{inv.pk}/thu-hoi/").status_code == 404
    inv.refresh_from_db()
    assert inv.state == InvitationState.PENDING
    client.force_login(world.users["member_a1"])
    assert client.get(f"/to-chuc/{org.pk}/loi-moi/").status_code == 403


def test_foreign_ids_huge_ids_and_huge_batches_are_refused_politely(client, world, people):
    foreign = member(world.orgs["b1"], "Y Bih", "0912345608")
    client.force_login(world.users["manager_a1"])
    url = f"/to-chuc/{world.orgs['a1'].pk}/loi-moi/moi/"
    for bad in ([foreign.pk], [2**63], ["99999999999999999999999"], ["abc"]):
        response = client.get(url, {"people": bad})
        assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    response = client.post(url, {"people": [foreign.pk], "channel": "sms", "days": 14})
    assert response.status_code == 200 and not Invitation.objects.exists()
    many = list(range(1, services.MAX_BATCH + 2))
    response = client.get(url, {"people": many})
    assert "500" in response.content.decode()
    response = client.post(url, {"people": [people[0].pk], "channel": "sms", "days": 10**30})
    assert response.status_code == 200 and not Invitation.objects.exists()
    assert client.get(f"/to-chuc/{2**63}/loi-moi/").status_code == 404


def test_printed_cards_carry_working_links(client, world, people, settings):
    import pypdfium2
    import zxingcpp
    from pypdf import PdfReader

    settings.SITE_URL, settings.SITE_URL_SET = "https://htxso.example.vn", True
    client.force_login(world.users["manager_a1"])
    org = world.orgs["a1"]
    response = client.post(
        f"/to-chuc/{org.pk}/loi-moi/moi/",
        {"people": [p.pk for p in people], "channel": "print", "days": 14},
    )
    assert response.status_code == 200 and messaging.outbox == []
    ids = list(Invitation.objects.values_list("pk", flat=True))
    assert len(ids) == 3  # printed cards need no phone
    pdf_response = client.post(f"/to-chuc/{org.pk}/loi-moi/the-qr.pdf", {"invitations": ids})
    assert pdf_response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf_response.content)).pages[0].extract_text()
    for p in people:
        assert p.full_name in text
    assert org.name in text and "1. Mở camera" in text and "Hiệu lực đến" in text
    image = pypdfium2.PdfDocument(pdf_response.content)[0].render(scale=200 / 72).to_pil()
    links = sorted(r.text for r in zxingcpp.read_barcodes(image) if r.format.name == "QRCode")
    assert len(links) == 3 and all(x.startswith("https://htxso.example.vn/loi-moi/") for x in links)
    client.logout()
    page = client.get(links[0].removeprefix("https://htxso.example.vn"))
    assert page.status_code == 200 and org.name in page.content.decode()
    # printing again issues new links: the old cards stop working
    client.force_login(world.users["manager_a1"])
    client.post(f"/to-chuc/{org.pk}/loi-moi/the-qr.pdf", {"invitations": ids})
    client.logout()
    assert client.get(links[0].removeprefix("https://htxso.example.vn")).status_code == 404


def _sent(client, world, people, sends):
    _invite(client, world, people[:1], sends)
    client.logout()
    return "/loi-moi/" + _token(messaging.sent_to("+84912345601", "invitation")[-1]) + "/"


def test_member_joins_with_a_password_and_sees_her_capital(client, world, people, sends):
    url = _sent(client, world, people, sends)
    page = client.get(url).content.decode()
    assert "HTX Nông nghiệp Hợp Giang" in page and "Người dùng manager_a1" in page
    response = client.post(
        url,
        {
            "full_name": "Hoàng Thị Mai",
            "sign_in": "password",
            "password": "Lua-nuong-Cao-Bang-2026",
            "consent": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/loi-moi/chao-mung/"
    welcome = client.get("/loi-moi/chao-mung/").content.decode()
    assert "5.000.000" in welcome and "GCN-07" in welcome
    user = User.objects.get(phone="+84912345601")
    assert RoleAssignment.objects.filter(user=user, role=Role.COOP_MEMBER).exists()
    members = client.get(f"/to-chuc/{world.orgs['a1'].pk}/thanh-vien/").content.decode()
    assert "5.000.000" in members and "GCN-07" in members
    # a second submit of the same form (the button pressed twice): no second account
    again = client.post(url, {"full_name": "x", "sign_in": "code", "consent": "on"})
    assert again.status_code == 302 and User.objects.filter(phone="+84912345601").count() == 1
    # the link opened later by someone else: already used, never a 500
    client.logout()
    used = client.get(url)
    assert used.status_code == 410
    assert client.post(url, {"sign_in": "code", "consent": "on"}).status_code == 410


def test_code_sign_in_and_bad_input_on_the_accept_form(client, world, people, sends):
    url = _sent(client, world, people, sends)
    bad = client.post(url, {"full_name": "<script>x</script>", "sign_in": "code", "consent": "on"})
    assert bad.status_code == 200 and Invitation.objects.get().state == "pending"
    no_consent = client.post(url, {"full_name": "Hoàng Thị Mai", "sign_in": "code"})
    assert no_consent.status_code == 200 and not User.objects.filter(phone="+84912345601").exists()
    weak = client.post(
        url,
        {"full_name": "Hoàng Thị Mai", "sign_in": "password", "password": "123", "consent": "on"},
    )
    assert weak.status_code == 200 and not User.objects.filter(phone="+84912345601").exists()
    ok = client.post(url, {"full_name": "Hoàng Thị Mai", "sign_in": "code", "consent": "on"})
    assert ok.status_code == 302
    assert not User.objects.get(phone="+84912345601").has_usable_password()


def test_printed_card_without_phone_asks_for_one(client, world, people):
    client.force_login(world.users["manager_a1"])
    org = world.orgs["a1"]
    client.post(
        f"/to-chuc/{org.pk}/loi-moi/moi/",
        {"people": [people[2].pk], "channel": "print", "days": 14},
    )
    inv = Invitation.objects.get()
    cards = services.invitation_print(actor=world.users["manager_a1"], invitations=[inv])
    url = cards[0].link.split("8000", 1)[1] if "8000" in cards[0].link else cards[0].link
    url = "/loi-moi/" + url.rsplit("/loi-moi/", 1)[1]
    client.logout()
    foreign = client.post(
        url,
        {"full_name": "Lục Thị Bảy", "phone": "+33612345678", "sign_in": "code", "consent": "on"},
    )
    assert foreign.status_code == 200 and "+84" in foreign.content.decode()
    ok = client.post(
        url,
        {"full_name": "Lục Thị Bảy", "phone": "0987 654 321", "sign_in": "code", "consent": "on"},
    )
    assert ok.status_code == 302
    people[2].refresh_from_db()
    assert people[2].user.phone == "+84987654321"


def test_other_signed_in_user_gets_a_clear_page_and_changes_nothing(client, world, people, sends):
    url = _sent(client, world, people, sends)
    client.force_login(world.users["buyer"])
    response = client.get(url)
    assert response.status_code == 403 and "/dang-xuat/" in response.content.decode()
    assert client.post(url, {"consent": "on"}).status_code == 403
    assert Invitation.objects.get().state == "pending"


def test_invited_person_signed_in_accepts_into_her_account(client, world, people, sends):
    url = _sent(client, world, people, sends)
    buyer = world.users["buyer"]
    buyer.phone = "+84912345601"
    buyer.save()
    client.force_login(buyer)
    assert client.get(url).status_code == 200
    assert client.post(url, {"consent": "on"}).status_code == 302
    people[0].refresh_from_db()
    assert people[0].user == buyer


@pytest.mark.parametrize("state", ["expired", "revoked"])
def test_expired_and_revoked_links(client, world, people, sends, state):
    url = _sent(client, world, people, sends)
    inv = Invitation.objects.get()
    if state == "expired":
        Invitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    else:
        services.invitation_revoke(actor=world.users["manager_a1"], invitation=inv)
    response = client.get(url)
    assert response.status_code == 410
    post = client.post(url, {"full_name": "x", "sign_in": "code", "consent": "on"})
    assert post.status_code == 410 and not User.objects.filter(phone="+84912345601").exists()


@pytest.mark.parametrize("token", ["nope", "x" * 3000, "%00", "a" * 64])
def test_unknown_links(client, token):
    assert client.get(f"/loi-moi/{token}/").status_code == 404
