"""The pages: sign-up in three steps, sign-in by code (staff still owe TOTP), password
sign-in with a phone, password reset by phone, and answers that do not tell whether
an account exists."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import translation

from htxso.accounts import codes_auth, services
from htxso.accounts.models import OneTimeCode, Role, RoleAssignment, User
from htxso.core import messaging
from htxso.core.actors import OPERATOR
from htxso.core.models import ConsentRecord

from .helpers import (
    E164,
    LOGIN,
    LOGIN_CODE,
    LOGIN_CODE_CONFIRM,
    PASSWORD,
    PHONE,
    RESET_PHONE,
    RESET_PHONE_CODE,
    RESET_PHONE_NEW,
    SIGNUP,
    SIGNUP_CODE,
    SIGNUP_PASSWORD,
    last_code,
    sign_up,
    start_signup,
    wrong,
)

pytestmark = pytest.mark.django_db


def _signed_in(client) -> User | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- sign-up ---------------------------------------------------------------------------


def test_buyer_signs_up_with_a_phone_and_lands_home_signed_in(client):
    response = sign_up(client)
    assert response.status_code == 302 and response["Location"] == "/"
    user = _signed_in(client)
    assert user.phone == E164 and user.full_name == "Lò Thị Mai"
    assert user.check_password(PASSWORD)
    assert RoleAssignment.objects.filter(user=user, role=Role.BUYER).exists()
    consent = ConsentRecord.objects.get(user=user)
    assert consent.purpose == "signup" and consent.withdrawn_at is None
    home = client.get("/")
    assert home.status_code == 200
    # the code went by SMS, through the gateway
    assert messaging.sent_to(E164, "code_signup")[0].channel == messaging.Channel.SMS


def test_buyer_signs_up_with_an_e_mail(client, mailoutbox):
    response = sign_up(client, contact="Mai.Lo@Example.vn", to="mai.lo@example.vn")
    assert response.status_code == 302
    user = _signed_in(client)
    assert user.email == "mai.lo@example.vn" and user.phone == ""
    assert user.username == "mai.lo"
    assert len(mailoutbox) == 1


def test_signup_pages_say_what_the_phone_is_for_and_link_sign_in(client):
    page = _text(client.get(SIGNUP))
    assert "/dang-nhap/" in page
    assert "mã 6 chữ số" in page  # what the number is for, in Vietnamese
    assert "/du-lieu-ca-nhan/thong-bao/" in page  # the notice beside the consent box
    login = _text(client.get(LOGIN))
    assert "/dang-ky/" in login and "/dang-nhap/ma/" in login
    assert "/quen-mat-khau/dien-thoai/" in login


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ("abc", "nhập số điện thoại Việt Nam"),
        ("+1 202 555 0147", "+84"),
        ("024 3825 1234", "di động"),
        ("mai@", "e-mail"),
    ],
)
def test_bad_phones_and_addresses_have_precise_messages(client, contact, message):
    response = start_signup(client, contact)
    assert response.status_code == 200
    assert message in _text(response)
    assert not OneTimeCode.objects.exists() and not messaging.outbox


def test_consent_is_required(client):
    response = client.post(SIGNUP, {"full_name": "Mai", "contact": PHONE})
    assert response.status_code == 200
    assert "form" in response.context and response.context["form"].errors["consent"]
    assert not messaging.outbox


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "Mai <b>", "{{ 7*7 }}"])
def test_script_in_name_is_refused(client, name):
    response = start_signup(client, name=name)
    assert response.status_code == 200
    assert response.context["form"].errors["full_name"]
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_wrong_code_keeps_the_step_and_counts_down(client):
    start_signup(client)
    code = last_code(E164)
    response = client.post(SIGNUP_CODE, {"code": wrong(code)})
    assert response.status_code == 200
    assert "Còn 4 lần thử" in _text(response) or "4" in str(response.context["form"].errors)
    assert client.post(SIGNUP_CODE, {"code": code}).status_code == 302


def test_password_step_is_closed_without_a_confirmed_code(client):
    start_signup(client)
    response = client.get(SIGNUP_PASSWORD)
    assert response.status_code == 302 and response["Location"] == SIGNUP_CODE
    assert client.post(SIGNUP_PASSWORD, {"password": PASSWORD}).status_code == 302
    assert not User.objects.exists()


def test_code_steps_without_a_journey_link_their_start(client):
    for step, start in [
        (SIGNUP_CODE, SIGNUP),
        (SIGNUP_PASSWORD, SIGNUP),
        (LOGIN_CODE_CONFIRM, LOGIN_CODE),
        (RESET_PHONE_CODE, RESET_PHONE),
        (RESET_PHONE_NEW, RESET_PHONE),
    ]:
        response = client.get(step)
        assert response.status_code == 200
        assert f'href="{start}"' in response.content.decode()
        assert "Làm lại từ đầu" in _text(response)


def test_weak_password_keeps_the_step(client):
    start_signup(client)
    client.post(SIGNUP_CODE, {"code": last_code(E164)})
    response = client.post(SIGNUP_PASSWORD, {"password": "12345678"})
    assert response.status_code == 200 and response.context["form"].errors["password"]
    assert not User.objects.exists()
    assert client.post(SIGNUP_PASSWORD, {"password": PASSWORD}).status_code == 302
    assert User.objects.count() == 1


def test_double_submit_of_the_last_step_makes_one_account(client):
    start_signup(client)
    client.post(SIGNUP_CODE, {"code": last_code(E164)})
    first = client.post(SIGNUP_PASSWORD, {"password": PASSWORD})
    second = client.post(SIGNUP_PASSWORD, {"password": PASSWORD})
    assert first.status_code == second.status_code == 302
    assert second["Location"] == "/"
    assert User.objects.count() == 1
    assert ConsentRecord.objects.count() == 1
    assert RoleAssignment.objects.count() == 1


def test_replayed_signup_code_in_a_new_session_does_not_work(client, django_user_model):
    from django.test import Client

    start_signup(client)
    code = last_code(E164)
    assert client.post(SIGNUP_CODE, {"code": code}).status_code == 302
    other = Client()
    start_signup(other)  # a new code; the replayed one is used and dead anyway
    response = other.post(SIGNUP_CODE, {"code": code})
    assert response.status_code == 200


def test_signup_with_a_taken_number_answers_like_a_new_one(client):
    """Same redirect, same page; only the SMS (to the owner) differs."""
    fresh = start_signup(client, contact="0987 654 321")
    fresh_page = _text(client.get(SIGNUP_CODE))
    services.account_for_phone(actor=OPERATOR, phone=PHONE, full_name="Chủ")
    from django.test import Client

    other = Client()
    taken = start_signup(other)
    taken_page = _text(other.get(SIGNUP_CODE))
    assert fresh.status_code == taken.status_code == 302
    assert fresh["Location"] == taken["Location"]
    masked = lambda page: page.replace("098•••••21", "X").replace("091•••••78", "X")  # noqa: E731
    strip = lambda page: re.sub(r"[A-Za-z0-9]{64}", "", page)  # noqa: E731  (CSRF tokens)
    assert strip(masked(fresh_page)) == strip(masked(taken_page))
    # a guessed code fails like a wrong one; no second account
    response = other.post(SIGNUP_CODE, {"code": "123456"})
    assert response.status_code == 200
    assert User.objects.filter(phone=E164).count() == 1


def test_guest_checkout_page_still_open(client):
    assert client.get("/cho/gio-hang/").status_code in (200, 302)


# --- sign-in by code -------------------------------------------------------------------


@pytest.fixture
def buyer():
    user = services.account_for_phone(
        actor=OPERATOR, phone=PHONE, full_name="Người mua", password=PASSWORD
    )
    services.role_assign(actor=OPERATOR, user=user, role=Role.BUYER)
    return user


def test_sign_in_with_a_code_sent_to_the_phone(client, buyer):
    response = client.post(LOGIN_CODE, {"contact": "+84 912 345 678"})
    assert response["Location"] == LOGIN_CODE_CONFIRM
    response = client.post(LOGIN_CODE_CONFIRM, {"code": last_code(E164)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert _signed_in(client) == buyer


def test_sign_in_by_code_goes_to_a_safe_next_only(client, buyer):
    client.post(LOGIN_CODE + "?next=/cho/", {"contact": PHONE, "next": "/cho/"})
    response = client.post(LOGIN_CODE_CONFIRM, {"code": last_code(E164)})
    assert response["Location"] == "/cho/"
    client.logout()
    client.post(LOGIN_CODE, {"contact": PHONE, "next": "https://evil.example/"})
    response = client.post(LOGIN_CODE_CONFIRM, {"code": last_code(E164)})
    assert response["Location"] == "/"


def test_code_only_account_signs_in_by_code(client):
    user = services.account_for_phone(actor=OPERATOR, phone=PHONE, full_name="Mai")
    client.post(LOGIN_CODE, {"contact": PHONE})
    client.post(LOGIN_CODE_CONFIRM, {"code": last_code(E164)})
    assert _signed_in(client) == user


def test_unknown_number_gets_the_same_answer_as_a_known_one(client, buyer):
    from django.test import Client

    known, unknown = Client(), Client()
    a = known.post(LOGIN_CODE, {"contact": PHONE})
    b = unknown.post(LOGIN_CODE, {"contact": "0987 654 321"})
    assert a.status_code == b.status_code == 302 and a["Location"] == b["Location"]
    page_a, page_b = _text(known.get(LOGIN_CODE_CONFIRM)), _text(unknown.get(LOGIN_CODE_CONFIRM))
    strip = lambda p: re.sub(r'[A-Za-z0-9]{64}|09\d•+\d\d|value="\d{6}"', "", p)  # noqa: E731
    assert strip(page_a) == strip(page_b)
    wrong_a = _text(known.post(LOGIN_CODE_CONFIRM, {"code": wrong(last_code(E164))}))
    wrong_b = _text(unknown.post(LOGIN_CODE_CONFIRM, {"code": "123456"}))
    assert strip(wrong_a) == strip(wrong_b)
    assert _signed_in(unknown) is None


def test_staff_signed_in_by_code_still_owe_their_totp(client, world):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    officer = world.users["officer_a"]
    officer.phone = E164
    officer.save(update_fields=["phone"])
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    client.post(LOGIN_CODE, {"contact": PHONE})
    client.post(LOGIN_CODE_CONFIRM, {"code": last_code(E164)})
    assert _signed_in(client) == officer
    response = client.get("/to-chuc/")
    assert response.status_code == 302 and response["Location"].startswith("/xac-thuc-2-buoc/")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6):06d}"
    assert client.post("/xac-thuc-2-buoc/", {"code": code}).status_code == 302
    assert client.get("/to-chuc/").status_code == 200


def test_staff_without_device_are_sent_to_enrol_after_code_sign_in(client, world, settings):
    settings.HTXSO_REQUIRE_2FA_FOR_STAFF = True
    officer = world.users["officer_a"]
    officer.phone = E164
    officer.save(update_fields=["phone"])
    client.post(LOGIN_CODE, {"contact": PHONE})
    client.post(LOGIN_CODE_CONFIRM, {"code": last_code(E164)})
    response = client.get("/to-chuc/")
    assert response.status_code == 302 and "/xac-thuc-2-buoc/bat/" in response["Location"]


def test_sixth_try_on_the_page_is_refused_and_the_code_is_dead(client, buyer):
    client.post(LOGIN_CODE, {"contact": PHONE})
    code = last_code(E164)
    for _ in range(5):
        assert client.post(LOGIN_CODE_CONFIRM, {"code": wrong(code)}).status_code == 200
    response = client.post(LOGIN_CODE_CONFIRM, {"code": code})
    assert response.status_code == 200
    assert "không còn dùng được" in _text(response)
    assert _signed_in(client) is None


def test_brute_force_through_the_pages_is_stopped(client, buyer):
    """10,000 guesses posted without pause, asking for a new code whenever one dies:
    stopped after 25 guesses (5 codes an hour × 5 tries); the last right code is dead."""
    client.post(LOGIN_CODE, {"contact": PHONE})
    code = last_code(E164)
    made, guesses = 1, 0
    for guess in range(10_000):
        attempt = f"{guess:06d}"
        if attempt == code:
            attempt = wrong(code)
        page = _text(client.post(LOGIN_CODE_CONFIRM, {"code": attempt}))
        guesses += 1
        if "không còn dùng được" in page or "lần thử cuối" in page:
            response = client.post(LOGIN_CODE_CONFIRM, {"resend": "1"})
            if "quá nhiều mã" in _text(response):
                break
            made += 1
            code = last_code(E164)
    assert made == 5 and guesses == 25
    assert client.post(LOGIN_CODE_CONFIRM, {"code": code}).status_code == 200
    assert _signed_in(client) is None


def test_send_limit_per_ip_on_the_page(client, settings):
    settings.HTXSO_CODES_PER_IP_HOUR = 3
    for i in range(3):
        response = client.post(LOGIN_CODE, {"contact": f"09876543{i:02d}"}, REMOTE_ADDR="10.1.1.1")
        assert response.status_code == 302
    response = client.post(LOGIN_CODE, {"contact": "0987654399"}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 200 and "quá nhiều mã" in _text(response)
    response = client.post(LOGIN_CODE, {"contact": "0987654399"}, REMOTE_ADDR="10.1.1.2")
    assert response.status_code == 302


# --- password sign-in with a phone -----------------------------------------------------


@pytest.mark.parametrize("typed", ["0912 345 678", "+84912345678", "84912345678"])
def test_password_sign_in_accepts_the_phone(client, buyer, typed):
    response = client.post(LOGIN, {"username": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert _signed_in(client) == buyer


def test_password_sign_in_accepts_the_e_mail(client, world):
    world_password = "Mat-khau-rat-dai-2026"
    response = client.post(LOGIN, {"username": "BUYER@example.vn", "password": world_password})
    assert response.status_code == 302 and _signed_in(client) == world.users["buyer"]


def test_wrong_passwords_by_phone_lock_the_account_like_by_username(client, buyer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": PHONE, "password": "sai"})
    # locked: by phone and by username alike
    assert client.post(LOGIN, {"username": buyer.username, "password": PASSWORD}).status_code == 429
    assert client.post(LOGIN, {"username": PHONE, "password": PASSWORD}).status_code == 429


def test_unknown_phone_fails_like_a_wrong_password(client, buyer):
    a = client.post(LOGIN, {"username": "0987654321", "password": PASSWORD})
    b = client.post(LOGIN, {"username": PHONE, "password": "sai-mat-khau"})
    assert a.status_code == b.status_code == 200
    assert a.context["form"].non_field_errors() == b.context["form"].non_field_errors()


def test_argon2_still_hashes_new_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = services.account_for_phone(actor=OPERATOR, phone=PHONE, full_name="A", password=PASSWORD)
    assert user.password.startswith("argon2")


# --- password reset by phone -------------------------------------------------------------


def test_password_reset_by_phone(client, buyer):
    assert client.post(RESET_PHONE, {"contact": PHONE})["Location"] == RESET_PHONE_CODE
    assert client.post(RESET_PHONE_CODE, {"code": last_code(E164)})["Location"] == RESET_PHONE_NEW
    response = client.post(RESET_PHONE_NEW, {"password": "Mot-mat-khau-moi-2027"})
    assert response["Location"] == LOGIN
    buyer.refresh_from_db()
    assert buyer.check_password("Mot-mat-khau-moi-2027")
    assert "Làm lại từ đầu" in _text(client.get(RESET_PHONE_NEW))  # single use
    ok = client.post(LOGIN, {"username": PHONE, "password": "Mot-mat-khau-moi-2027"})
    assert ok.status_code == 302


def test_password_reset_for_an_unknown_phone_answers_the_same(client):
    response = client.post(RESET_PHONE, {"contact": PHONE})
    assert response["Location"] == RESET_PHONE_CODE
    assert last_code(E164) is None
    assert client.post(RESET_PHONE_CODE, {"code": "123456"}).status_code == 200
    assert "Làm lại từ đầu" in _text(client.get(RESET_PHONE_NEW))


def test_password_reset_refuses_e_mail_and_foreign_numbers(client):
    for contact in ("mai@example.vn", "+44 7700 900123"):
        response = client.post(RESET_PHONE, {"contact": contact})
        assert response.status_code == 200 and response.context["form"].errors["contact"]
    assert not messaging.outbox


def test_codes_are_sent_in_vietnamese(client, buyer):
    with translation.override("vi"):
        client.post(LOGIN_CODE, {"contact": PHONE})
    text = messaging.sent_to(E164)[-1].text
    assert "mã" in text.lower() and codes_auth.CODE_TTL == 300


def test_double_submit_of_the_first_step_sends_one_code(client):
    first = start_signup(client)
    second = start_signup(client)
    assert first["Location"] == second["Location"] == SIGNUP_CODE
    assert len(messaging.sent_to(E164)) == 1
    assert OneTimeCode.objects.count() == 1
    assert client.post(SIGNUP_CODE, {"code": last_code(E164)}).status_code == 302


def test_another_number_on_the_first_step_sends_a_new_code(client):
    start_signup(client)
    start_signup(client, contact="0987 654 321")
    assert len(messaging.outbox) == 2
    assert client.post(SIGNUP_CODE, {"code": last_code("+84987654321")}).status_code == 302


def test_resend_sends_a_new_code_and_kills_the_old(client, buyer):
    client.post(LOGIN_CODE, {"contact": PHONE})
    old = last_code(E164)
    response = client.post(LOGIN_CODE_CONFIRM, {"resend": "1"})
    assert response.status_code == 200 and "Mã mới đang được gửi" in _text(response)
    new = last_code(E164)
    assert len(messaging.sent_to(E164)) == 2
    if old != new:
        assert client.post(LOGIN_CODE_CONFIRM, {"code": old}).status_code == 200
    assert client.post(LOGIN_CODE_CONFIRM, {"code": new}).status_code == 302


def test_wrong_code_is_not_shown_back(client, buyer):
    client.post(LOGIN_CODE, {"contact": PHONE})
    guess = wrong(last_code(E164))
    response = client.post(LOGIN_CODE_CONFIRM, {"code": guess})
    assert f'value="{guess}"' not in response.content.decode()


def test_expired_code_on_the_page(client, buyer):
    import datetime as dt

    from django.utils import timezone

    client.post(LOGIN_CODE, {"contact": PHONE})
    OneTimeCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.post(LOGIN_CODE_CONFIRM, {"code": last_code(E164)})
    assert response.status_code == 200 and "đã hết hạn" in _text(response)
    assert _signed_in(client) is None
