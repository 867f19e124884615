"""``accounts.services.account_for_phone``: the contract the invitations part calls."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from htxso.accounts import services
from htxso.accounts.models import User
from htxso.core.actors import OPERATOR
from htxso.core.errors import ServiceError

pytestmark = pytest.mark.django_db


def test_phone_kept_in_e164_username_derived_and_password_set():
    user = services.account_for_phone(
        actor=OPERATOR,
        phone="(091) 234-5678",
        full_name=" Hoàng  Văn   Tú ",
        password="Mat-khau-dai-2026",
    )
    assert user.phone == "+84912345678"
    assert user.username == "sdt0912345678"
    assert user.full_name == "Hoàng Văn Tú"
    assert user.check_password("Mat-khau-dai-2026")


def test_without_password_the_account_signs_in_by_code_only():
    user = services.account_for_phone(actor=OPERATOR, phone="0987654321", full_name="Mai")
    assert not user.has_usable_password()


def test_username_taken_gets_a_suffix():
    services.user_create(actor=OPERATOR, username="sdt0912345678", password=None)
    user = services.account_for_phone(actor=OPERATOR, phone="+84 912 345 678", full_name="A")
    assert user.username == "sdt0912345678-2"


@pytest.mark.parametrize(
    ("phone", "code"),
    [
        ("", "phone_invalid"),
        ("abc", "phone_invalid"),
        ("0912", "phone_invalid"),
        ("+1 202 555 0147", "phone_foreign"),
        ("+86 138 0013 8000", "phone_foreign"),
        ("024 3825 1234", "phone_not_mobile"),
        ("0" * 40, "phone_invalid"),
    ],
)
def test_bad_phones_are_refused_with_their_code(phone, code):
    with pytest.raises(ServiceError) as exc:
        services.account_for_phone(actor=OPERATOR, phone=phone, full_name="A")
    assert exc.value.code == code
    assert not User.objects.exists()


def test_one_account_per_phone():
    services.account_for_phone(actor=OPERATOR, phone="0912345678", full_name="A")
    with pytest.raises(ServiceError) as exc:
        services.account_for_phone(actor=OPERATOR, phone="+84912345678", full_name="B")
    assert exc.value.code == "phone_taken"
    assert User.objects.count() == 1


def test_database_refuses_a_second_account_with_the_phone():
    services.account_for_phone(actor=OPERATOR, phone="0912345678", full_name="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="other", phone="+84912345678")
    # many accounts may have no phone
    User.objects.create(username="x1")
    User.objects.create(username="x2")


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "Mai{{ 7*7 }}", "A\x00B"])
def test_script_in_name_is_refused(name):
    with pytest.raises(ServiceError) as exc:
        services.account_for_phone(actor=OPERATOR, phone="0912345678", full_name=name)
    assert exc.value.code == "name_invalid"
    assert not User.objects.exists()


def test_weak_password_creates_nothing():
    with pytest.raises(ServiceError) as exc:
        services.account_for_phone(
            actor=OPERATOR, phone="0912345678", full_name="A", password="123456"
        )
    assert exc.value.code == "password_weak"
    assert not User.objects.exists()
