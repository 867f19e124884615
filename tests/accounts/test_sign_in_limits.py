"""Locks that end on time, limits per address and network, capped reset mails."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail

pytestmark = pytest.mark.django_db
PASSWORD = "Mat-khau-rat-dai-2026"
LOGIN = "/dang-nhap/"
RESET = "/quen-mat-khau/"


def _age_attempts(minutes: float) -> None:
    """Time travel: make every stored failure ``minutes`` older."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= dt.timedelta(minutes=minutes)
        attempt.save(update_fields=["attempt_time"])


def _sign_in(client, username, password, ip="127.0.0.1", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


# --- the per-account lock ------------------------------------------------------------


def test_lock_does_not_extend_when_attempts_continue(client, world, settings):
    settings.AXES_COOLOFF_TIME = 0.25  # 15 minutes
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "u_vca", "x")
    assert _sign_in(client, "u_vca", PASSWORD).status_code == 429
    # ten minutes into the lock the attacker keeps knocking, right and wrong passwords
    _age_attempts(10)
    assert _sign_in(client, "u_vca", "x").status_code == 429
    assert _sign_in(client, "u_vca", PASSWORD).status_code == 429
    # sixteen minutes after the lock began, the owner's right password passes
    _age_attempts(6)
    response = _sign_in(client, "u_vca", PASSWORD)
    assert response.status_code == 302


def test_correct_password_and_code_after_the_window_sign_in(client, world, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = world.users["vca"]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        _sign_in(client, "u_vca", "x")
    _age_attempts(float(settings.AXES_COOLOFF_TIME) * 60 + 1)
    assert _sign_in(client, "u_vca", PASSWORD).status_code == 302
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6):06d}"
    assert client.post("/xac-thuc-2-buoc/", {"code": code}).status_code == 302
    assert client.get("/to-chuc/").status_code == 200


# --- per address and per network -------------------------------------------------------


@pytest.fixture
def low_limits(settings):
    settings.HTXSO_LOGIN_IP_FAILURES = 6
    settings.HTXSO_LOGIN_NETWORK_FAILURES = 10
    settings.HTXSO_LOGIN_FAILURE_WINDOW_MINUTES = 15
    return settings


SPRAY = ["u_vca", "u_officer_a", "u_officer_b", "u_viewer_a", "u_buyer", "nobody-1"]


def test_an_address_failing_on_many_usernames_is_refused(client, world, low_limits):
    for username in SPRAY:  # one guess each: no account reaches its own limit
        assert _sign_in(client, username, "guess", ip="203.0.113.7").status_code == 200
    refused = _sign_in(client, "u_trainer", PASSWORD, ip="203.0.113.7")
    assert refused.status_code == 429
    assert b'data-code="too_many_failures"' in refused.content
    assert refused["Retry-After"]
    as_json = _sign_in(
        client, "u_trainer", "guess", ip="203.0.113.7", HTTP_ACCEPT="application/json"
    )
    assert as_json.status_code == 429 and as_json.json()["code"] == "too_many_failures"
    # the refused attempts did not count against the accounts themselves
    assert not AccessAttempt.objects.filter(username="u_trainer").exists()
    # another network is not affected
    assert _sign_in(client, "u_trainer", PASSWORD, ip="198.51.100.9").status_code == 302


def test_address_block_ends_with_its_window(client, world, low_limits, monkeypatch):
    from htxso.accounts import limits

    for username in SPRAY:
        _sign_in(client, username, "guess", ip="203.0.113.7")
    assert _sign_in(client, "u_trainer", PASSWORD, ip="203.0.113.7").status_code == 429
    later = limits._now() + 16 * 60
    monkeypatch.setattr(limits, "_now", lambda: later)
    assert _sign_in(client, "u_trainer", PASSWORD, ip="203.0.113.7").status_code == 302


def test_a_network_is_counted_together(client, world, low_limits):
    # IPv4: the /24 shares one count, each address staying under its own limit
    for i in range(10):
        _sign_in(client, SPRAY[i % len(SPRAY)], "guess", ip=f"203.0.113.{10 + i}")
    assert _sign_in(client, "u_trainer", PASSWORD, ip="203.0.113.250").status_code == 429
    assert _sign_in(client, "u_trainer", PASSWORD, ip="203.0.114.1").status_code == 302
    client.logout()
    # IPv6: the /64
    for i in range(10):
        _sign_in(client, SPRAY[i % len(SPRAY)], "guess", ip=f"2001:db8:1:2::{i + 1:x}")
    assert _sign_in(client, "u_buyer", PASSWORD, ip="2001:db8:1:2:ffff::1").status_code == 429
    assert _sign_in(client, "u_buyer", PASSWORD, ip="2001:db8:1:3::1").status_code == 302


def test_many_successful_sign_ins_from_one_address_are_never_blocked(client, world, low_limits):
    users = ["u_vca", "u_officer_a", "u_trainer", "u_buyer", "u_member_a1"]
    for i in range(40):
        response = _sign_in(client, users[i % len(users)], PASSWORD, ip="203.0.113.7")
        assert response.status_code == 302, i
        client.logout()
    # a few honest typos among them do not block the address either
    for username in users[:3]:
        _sign_in(client, username, "typo", ip="203.0.113.7")
    assert _sign_in(client, "u_vca", PASSWORD, ip="203.0.113.7").status_code == 302


# --- password reset mails ---------------------------------------------------------------


def test_reset_mails_are_capped_per_account(client, world, settings):
    settings.HTXSO_RESET_MAILS_PER_ACCOUNT = 3
    for _ in range(20):
        response = client.post(RESET, {"email": "buyer@example.vn"})
        assert response.status_code == 302 and response["Location"] == "/quen-mat-khau/da-gui/"
    assert len(mail.outbox) == 3


def test_reset_mails_are_capped_per_address(client, world, settings):
    settings.HTXSO_RESET_MAILS_PER_ACCOUNT = 3
    settings.HTXSO_RESET_MAILS_PER_IP = 4
    keys = ["vca", "officer_a", "officer_b", "viewer_a", "viewer_b", "trainer", "buyer"]
    for key in keys:
        response = client.post(RESET, {"email": f"{key}@example.vn"}, REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 302 and response["Location"] == "/quen-mat-khau/da-gui/"
    assert len(mail.outbox) == 4
    # another address is served
    client.post(RESET, {"email": "buyer@example.vn"}, REMOTE_ADDR="198.51.100.9")
    assert len(mail.outbox) == 5


def test_reset_link_uses_site_url_not_the_host_header(client, world, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://htxso.example"
    client.post(RESET, {"email": "buyer@example.vn"}, HTTP_HOST="evil.example")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "evil.example" not in body
    assert re.search(r"https://htxso\.example/quen-mat-khau/[^/\s]+/[^/\s]+/", body)
