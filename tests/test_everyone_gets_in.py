"""Issue 12, "done when": a new person goes from nothing to their role's home page
without anyone opening Django admin, for every role of ARCHITECTURE.md's table.

The staff roles and trainers are invited by the VCA from the accounts pages, a
cooperative's manager by the province's officer; each opens the link from the SMS
(the console gateway's memory outbox), sets a password and lands signed in — staff
on the two-factor enrolment their role requires.  (Buyers sign up, members are invited
from the register and managers may also ask for access: tests/accounts_signup,
tests/invitations and tests/onboarding walk those.)
"""

from __future__ import annotations

import pytest
from django.test import Client

from htxso.accounts.models import RoleAssignment, User
from htxso.core import messaging
from htxso.core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-moi-2026!"


def _invite(inviter_client, data, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        response = inviter_client.post("/quan-ly/tai-khoan/moi-nhan-vien/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    (sms,) = messaging.sent_to("+84987650001", "invitation")
    link = sms.text.rsplit(": ", 1)[1].strip()
    return link[link.index("/loi-moi/") :]


@pytest.mark.parametrize(
    ("role", "where", "lands_on"),
    [
        (Role.VCA_ADMIN, {}, "/xac-thuc-2-buoc/bat/"),
        (Role.PROVINCE_OFFICER, {"province": "04"}, "/xac-thuc-2-buoc/bat/"),
        (Role.DEPARTMENT_VIEWER, {"province": "66"}, "/xac-thuc-2-buoc/bat/"),
        (Role.TRAINER, {}, None),
    ],
)
def test_the_vca_brings_in_staff_and_trainers(
    world, role, where, lands_on, django_capture_on_commit_callbacks, settings
):
    vca = Client()
    vca.force_login(world.users["vca"])
    path = _invite(
        vca,
        {
            "role": role.value,
            "full_name": "Lò Văn Mới",
            "phone": "0987 650 001",
            "channel": "sms",
            **where,
        },
        django_capture_on_commit_callbacks,
    )
    settings.HTXSO_REQUIRE_2FA_FOR_STAFF = True  # as in production (the inviter's own
    # two-factor session is tests/accounts' subject)
    newcomer = Client()
    assert newcomer.get(path).status_code == 200
    response = newcomer.post(
        path,
        {"full_name": "Lò Văn Mới", "sign_in": "password", "password": PASSWORD, "consent": "on"},
        follow=True,
    )
    assert response.status_code == 200
    user = User.objects.get(phone="+84987650001")
    assert RoleAssignment.objects.filter(user=user, role=role).count() == 1
    home = newcomer.get("/", follow=True)
    final = home.redirect_chain[-1][0] if home.redirect_chain else "/"
    if lands_on:  # staff owe two-factor sign-in before any page
        assert final.startswith(lands_on), final
    else:
        assert final == "/" and "Lò Văn Mới" in home.content.decode()


def test_the_officer_brings_in_a_cooperative_manager(world, django_capture_on_commit_callbacks):
    officer = Client()
    officer.force_login(world.users["officer_a"])
    path = _invite(
        officer,
        {
            "role": Role.COOP_MANAGER.value,
            "organisation": world.orgs["a2"].pk,
            "full_name": "Hoàng Văn Quản",
            "phone": "0987 650 001",
            "channel": "sms",
        },
        django_capture_on_commit_callbacks,
    )
    newcomer = Client()
    newcomer.post(
        path,
        {
            "full_name": "Hoàng Văn Quản",
            "sign_in": "password",
            "password": PASSWORD,
            "consent": "on",
        },
    )
    user = User.objects.get(phone="+84987650001")
    assert RoleAssignment.objects.get(user=user).organisation == world.orgs["a2"]
    home = newcomer.get("/").content.decode()
    assert world.orgs["a2"].name in home
    # and signs in again later with the phone number and the password
    again = Client()
    assert (
        again.post("/dang-nhap/", {"username": "0987 650 001", "password": PASSWORD}).status_code
        == 302
    )
