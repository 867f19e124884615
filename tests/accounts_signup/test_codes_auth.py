"""One-time codes: hashed at rest, 5 minutes, 5 tries, single use, send limits per
address and per IP, and a 10,000-guess brute force stopped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from htxso.accounts import codes_auth, services
from htxso.accounts.codes_auth import MAX_ATTEMPTS, Purpose, Target
from htxso.accounts.models import OneTimeCode
from htxso.core import messaging
from htxso.core.actors import OPERATOR
from htxso.core.errors import Kind, ServiceError

from .helpers import E164, last_code, wrong

pytestmark = pytest.mark.django_db
SMS = messaging.Channel.SMS
TARGET = Target(E164, SMS)


@pytest.fixture
def account():
    return services.account_for_phone(actor=OPERATOR, phone=E164, full_name="Mai")


def _issue(purpose=Purpose.LOGIN, target=TARGET, ip="10.0.0.1"):
    row = codes_auth.issue_code(purpose=purpose, target=target, ip=ip)
    return row, last_code(target.value)


def _check(row, code, purpose=Purpose.LOGIN, target=TARGET):
    return codes_auth.check_code(code_id=row.pk, purpose=purpose, target=target, code=code)


def test_code_is_six_digits_and_only_its_hmac_is_stored(account):
    row, code = _issue()
    assert code is not None and len(code) == 6 and code.isdigit()
    row.refresh_from_db()
    stored = " ".join(str(v) for v in OneTimeCode.objects.values().get(pk=row.pk).values())
    assert code not in stored
    assert E164 not in stored and "912345678" not in stored  # nor the number
    assert len(row.code_hash) == 64
    assert _check(row, code).user == account


def test_right_code_works_once(account):
    row, code = _issue()
    _check(row, code)
    with pytest.raises(ServiceError) as exc:
        _check(row, code)  # replayed
    assert exc.value.code == "code_dead"


def test_expired_code_is_refused(account):
    row, code = _issue()
    OneTimeCode.objects.filter(pk=row.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(ServiceError) as exc:
        _check(row, code)
    assert exc.value.code == "code_expired"


def test_code_lasts_five_minutes(account):
    row, _code = _issue()
    assert (row.expires_at - row.created_at).total_seconds() == 300


def test_sixth_attempt_finds_the_code_dead(account):
    row, code = _issue()
    for i in range(MAX_ATTEMPTS - 1):
        with pytest.raises(ServiceError) as exc:
            _check(row, wrong(code))
        assert exc.value.code == "code_wrong"
        assert exc.value.params["left"] == MAX_ATTEMPTS - 1 - i
    with pytest.raises(ServiceError) as exc:
        _check(row, wrong(code))  # the fifth: the last
    assert exc.value.code == "code_dead"
    with pytest.raises(ServiceError) as exc:
        _check(row, code)  # the sixth, even right, is refused
    assert exc.value.code == "code_dead"


def test_new_code_kills_the_earlier_one(account):
    first, code1 = _issue()
    second, code2 = _issue()
    with pytest.raises(ServiceError):
        _check(first, code1)
    assert _check(second, code2).user == account


def test_code_is_bound_to_its_purpose_and_number(account):
    row, code = _issue(Purpose.LOGIN)
    with pytest.raises(ServiceError):
        _check(row, code, purpose=Purpose.RESET)
    with pytest.raises(ServiceError):
        _check(row, code, target=Target("+84987654321", SMS))


def test_ten_thousand_guesses_are_stopped(account):
    """A script guesses without pause: new code, 5 tries, new code… Each code dies
    after 5 tries and the number gets 5 codes an hour, so the run is stopped after
    25 guesses; the right code of the last round no longer works."""
    per_address, _per_ip = codes_auth.send_limits()
    guesses = stopped_at = 0
    row = code = None
    for guess in range(10_000):
        if row is None:
            try:
                row, code = _issue()
            except ServiceError as exc:
                assert exc.code == "code_throttled" and exc.kind is Kind.THROTTLED
                stopped_at = guess
                break
        try:
            _check(row, f"{guess:06d}" if f"{guess:06d}" != code else wrong(code))
        except ServiceError as exc:
            if exc.code == "code_dead":
                row = None
        guesses += 1
    assert guesses == per_address * MAX_ATTEMPTS == 25
    assert stopped_at == 25
    last = OneTimeCode.objects.order_by("-pk").first()
    with pytest.raises(ServiceError):
        codes_auth.check_code(code_id=last.pk, purpose=Purpose.LOGIN, target=TARGET, code=code)


def test_send_limit_per_address_counts_known_and_unknown_alike(account):
    per_address, _ = codes_auth.send_limits()
    for target in (TARGET, Target("+84987654321", SMS)):  # with and without an account
        for i in range(per_address):
            codes_auth.issue_code(purpose=Purpose.LOGIN, target=target, ip=f"10.0.1.{i}")
        with pytest.raises(ServiceError) as exc:
            codes_auth.issue_code(purpose=Purpose.LOGIN, target=target, ip="10.0.2.1")
        assert exc.value.code == "code_throttled"
        assert exc.value.params["minutes"] == 60


def test_send_limit_per_address_spans_purposes(account):
    per_address, _ = codes_auth.send_limits()
    purposes = [Purpose.LOGIN, Purpose.RESET, Purpose.SIGNUP]
    for i in range(per_address):
        codes_auth.issue_code(purpose=purposes[i % 3], target=TARGET, ip="10.0.0.9")
    with pytest.raises(ServiceError):
        codes_auth.issue_code(purpose=Purpose.RESET, target=TARGET, ip="10.0.0.8")


def test_send_limit_per_ip():
    _, per_ip = codes_auth.send_limits()
    for i in range(per_ip):
        codes_auth.issue_code(
            purpose=Purpose.SIGNUP, target=Target(f"+8491234{i:04d}", SMS), ip="10.9.9.9"
        )
    with pytest.raises(ServiceError) as exc:
        codes_auth.issue_code(
            purpose=Purpose.SIGNUP, target=Target("+84987000000", SMS), ip="10.9.9.9"
        )
    assert exc.value.code == "code_throttled"
    # another address is not held up by it
    codes_auth.issue_code(
        purpose=Purpose.SIGNUP, target=Target("+84987000000", SMS), ip="10.9.9.10"
    )


def test_send_limit_is_a_sliding_hour(account):
    per_address, _ = codes_auth.send_limits()
    for _i in range(per_address):
        codes_auth.issue_code(purpose=Purpose.LOGIN, target=TARGET, ip="10.0.0.1")
    oldest = OneTimeCode.objects.order_by("created_at").first()
    OneTimeCode.objects.filter(pk=oldest.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=61)
    )
    codes_auth.issue_code(purpose=Purpose.LOGIN, target=TARGET, ip="10.0.0.1")


def test_unknown_number_gets_no_code_but_the_same_answer():
    row = codes_auth.issue_code(purpose=Purpose.LOGIN, target=TARGET, ip="10.0.0.1")
    assert row.user is None
    assert last_code(E164) is None  # the SMS says how to sign up, with no code
    assert "/dang-ky/" in messaging.sent_to(E164)[-1].text
    for guess in ("000000", "123456"):
        with pytest.raises(ServiceError) as exc:
            _check(row, guess)
        assert exc.value.code == "code_wrong"


def test_sign_up_code_to_a_taken_number_is_unusable(account):
    row = codes_auth.issue_code(purpose=Purpose.SIGNUP, target=TARGET, ip="10.0.0.1")
    assert last_code(E164) is None
    assert "/dang-nhap/" in messaging.sent_to(E164)[-1].text
    with pytest.raises(ServiceError) as exc:
        _check(row, "123456", purpose=Purpose.SIGNUP)
    assert exc.value.code == "code_wrong"


def test_old_rows_are_deleted(account):
    row, _code = _issue()
    OneTimeCode.objects.filter(pk=row.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    _issue()
    assert not OneTimeCode.objects.filter(pk=row.pk).exists()
