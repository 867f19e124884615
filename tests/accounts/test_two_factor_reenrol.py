"""Enrolling a second authenticator must never stand in for the first one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from htxso.accounts import services
from htxso.core.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "Mat-khau-rat-dai-2026"
SETUP = "/xac-thuc-2-buoc/bat/"
VERIFY = "/xac-thuc-2-buoc/"


def _code(device: TOTPDevice, offset: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=6, drift=offset)
    return f"{value:06d}"


def _password_only(client, user) -> None:
    response = client.post("/dang-nhap/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_password_only_session_cannot_enrol_a_new_device(client, world):
    """The attack: password only, then the enrolment page with a code from a new secret."""
    user = world.users["officer_a"]
    owners = TOTPDevice.objects.create(user=user, name="owner's phone", confirmed=True)
    _password_only(client, user)

    page = client.get(SETUP)
    assert page.status_code == 302 and page["Location"].startswith(VERIFY + "?")
    # Whatever secret the attacker holds (one the page handed out, or any other) …
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if pending is None:
        pending = TOTPDevice.objects.create(user=user, name="attacker", confirmed=False)
    posted = client.post(SETUP, {"code": _code(pending)})
    # … the session is sent to the code page, stays unverified, the owner's device stays.
    assert posted.status_code == 302 and posted["Location"].startswith(VERIFY + "?")
    assert TOTPDevice.objects.filter(pk=owners.pk, confirmed=True).exists()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=owners.pk)
    assert not AuditEvent.objects.filter(action="two_factor.enable").exists()
    blocked = client.get("/to-chuc/")
    assert blocked.status_code == 302 and blocked["Location"].startswith(VERIFY + "?")


def test_confirm_service_refuses_when_a_device_is_on(world):
    user = world.users["officer_a"]
    owners = TOTPDevice.objects.create(user=user, name="owner's phone", confirmed=True)
    pending = services.two_factor_start(user=user)
    with pytest.raises(ValidationError) as exc:
        services.two_factor_confirm(actor=user, device=pending, token=_code(pending))
    assert exc.value.code == "two_factor_already_on"
    assert TOTPDevice.objects.filter(pk=owners.pk, confirmed=True).exists()


def _verified(client, user) -> TOTPDevice:
    owners = TOTPDevice.objects.create(user=user, name="owner's phone", confirmed=True)
    _password_only(client, user)
    assert client.post(VERIFY, {"code": _code(owners)}).status_code == 302
    owners.refresh_from_db()
    return owners


def test_replacing_a_device_needs_the_password_and_a_current_code(client, world):
    user = world.users["officer_a"]
    owners = _verified(client, user)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert b'name="password"' in page.content and b'name="current_code"' in page.content
    pending = TOTPDevice.objects.get(user=user, confirmed=False)

    # the new code alone is not enough
    client.post(SETUP, {"code": _code(pending)})
    # nor the new code with a wrong password
    client.post(
        SETUP,
        {"code": _code(pending), "password": "wrong", "current_code": _code(owners, 1)},
    )
    assert TOTPDevice.objects.filter(pk=owners.pk, confirmed=True).exists()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1


def test_replacing_a_device_with_proof_works_and_tells_the_owner(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    user = world.users["officer_a"]
    owners = _verified(client, user)
    client.get(SETUP)
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            SETUP,
            {"code": _code(pending), "password": PASSWORD, "current_code": _code(owners, 1)},
        )
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(pk=owners.pk).exists()
    assert TOTPDevice.objects.get(user=user, confirmed=True).pk == pending.pk
    assert AuditEvent.objects.filter(action="two_factor.replace").exists()
    assert mailoutbox and mailoutbox[-1].to == [user.email]


def test_turning_off_needs_the_password_and_a_current_code(client, world):
    """Otherwise a stolen verified session could turn it off, then enrol its own app."""
    user = world.users["buyer"]
    owners = _verified(client, user)
    client.post("/xac-thuc-2-buoc/tat/")
    client.post("/xac-thuc-2-buoc/tat/", {"password": "wrong", "current_code": _code(owners, 1)})
    assert TOTPDevice.objects.filter(pk=owners.pk, confirmed=True).exists()
    client.post("/xac-thuc-2-buoc/tat/", {"password": PASSWORD, "current_code": _code(owners, 1)})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="two_factor.disable").exists()


def test_profile_offers_replace_and_asks_proof_to_turn_off(client, world):
    user = world.users["buyer"]
    _verified(client, user)
    page = client.get("/tai-khoan/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'href="/xac-thuc-2-buoc/bat/"' in body
    assert 'name="password"' in body and 'name="current_code"' in body
