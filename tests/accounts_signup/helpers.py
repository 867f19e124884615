"""Shared steps of the sign-up and code tests."""

from __future__ import annotations

import re

from htxso.core import messaging

PHONE = "0912 345 678"
E164 = "+84912345678"
PASSWORD = "Mua-hang-cho-que-2026"
SIGNUP = "/dang-ky/"
SIGNUP_CODE = "/dang-ky/ma/"
SIGNUP_PASSWORD = "/dang-ky/mat-khau/"
LOGIN = "/dang-nhap/"
LOGIN_CODE = "/dang-nhap/ma/"
LOGIN_CODE_CONFIRM = "/dang-nhap/ma/nhap/"
RESET_PHONE = "/quen-mat-khau/dien-thoai/"
RESET_PHONE_CODE = "/quen-mat-khau/dien-thoai/ma/"
RESET_PHONE_NEW = "/quen-mat-khau/dien-thoai/mat-khau-moi/"


def last_code(to: str) -> str | None:
    """The 6-digit code in the last message to ``to`` (None when it holds none)."""
    sent = messaging.sent_to(to)
    assert sent, f"nothing was sent to {to}"
    found = re.search(r"\b(\d{6})\b", sent[-1].text)
    return found.group(1) if found else None


def wrong(code: str) -> str:
    """A 6-digit code that is not ``code``."""
    return f"{(int(code) + 1) % 10**6:06d}"


def start_signup(client, contact=PHONE, name="Lò Thị Mai", **extra):
    return client.post(SIGNUP, {"full_name": name, "contact": contact, "consent": "on"}, **extra)


def sign_up(client, contact=PHONE, to=E164, name="Lò Thị Mai", password=PASSWORD):
    """The whole sign-up: returns the last response (home page redirect)."""
    assert start_signup(client, contact, name).status_code == 302
    assert client.post(SIGNUP_CODE, {"code": last_code(to)}).status_code == 302
    return client.post(SIGNUP_PASSWORD, {"password": password})
