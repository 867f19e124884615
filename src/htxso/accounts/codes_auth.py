"""One-time codes sent to a phone (SMS) or an e-mail address: sign-up, sign-in by code
and password reset by phone.

Rules (issue 12):

* 6 digits, drawn with :mod:`secrets`; stored only as an HMAC with the server's secret
  and a per-row salt (a plain hash of 10⁶ possible codes would be read back at once);
* valid for :data:`CODE_TTL` (5 minutes), at most :data:`MAX_ATTEMPTS` (5) tries, then
  dead; a new code closes the earlier open ones for the same purpose and address;
* sending is limited per address (phone or e-mail) and per client IP over the last
  hour (:func:`send_limits`), counted from the code rows themselves — a sliding hour,
  the same for known and unknown addresses;
* the answer never tells whether an address has an account: an unknown address for
  sign-in or reset, or a known one for sign-up, gets a row (with a code nobody knows)
  and a message saying what to do instead, and the page goes on to "enter the code".
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from htxso.core import messaging
from htxso.core.errors import Kind, ServiceError

from .models import OneTimeCode, User

if TYPE_CHECKING:
    from htxso.core.actors import Actor

Purpose = OneTimeCode.Purpose

#: Seconds a code stays valid.
CODE_TTL = 5 * 60
#: Tries per code; the last wrong one kills it.
MAX_ATTEMPTS = 5
#: The window the send limits count over.
SEND_WINDOW = dt.timedelta(hours=1)
#: Rows older than this are deleted when a new code is made.
KEEP_ROWS = dt.timedelta(days=1)


def send_limits() -> tuple[int, int]:
    """(codes per phone or e-mail, codes per client IP) in any hour (settings
    ``HTXSO_CODES_PER_ADDRESS_HOUR`` / ``HTXSO_CODES_PER_IP_HOUR``)."""
    return (
        int(getattr(settings, "HTXSO_CODES_PER_ADDRESS_HOUR", 5)),
        int(getattr(settings, "HTXSO_CODES_PER_IP_HOUR", 30)),
    )


def _key(kind: str, value: str) -> str:
    return salted_hmac(f"htxso.accounts.code.{kind}", value, algorithm="sha256").hexdigest()


def target_key(target: str) -> str:
    return _key("target", target.strip().lower())


def _code_hash(salt: str, code: str) -> str:
    return salted_hmac(
        "htxso.accounts.code.value", f"{salt}:{code}", algorithm="sha256"
    ).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


@dataclass(frozen=True)
class Target:
    """Where a code goes: a phone in E.164 (SMS) or a lower-case e-mail address."""

    value: str
    channel: str

    @property
    def is_phone(self) -> bool:
        return self.channel != messaging.Channel.EMAIL


def account_for(target: Target) -> User | None:
    """The active account the address signs in (``None`` when none, or when several
    accounts share an e-mail address: a code cannot choose between them)."""
    if target.is_phone:
        return User.objects.filter(phone=target.value, is_active=True).first()
    users = list(User.objects.filter(email__iexact=target.value, is_active=True)[:2])
    return users[0] if len(users) == 1 else None


def address_taken(target: Target) -> bool:
    if target.is_phone:
        return User.objects.filter(phone=target.value).exists()
    return User.objects.filter(email__iexact=target.value).exists()


def _throttled(minutes: int) -> ServiceError:
    return ServiceError(
        "code_throttled",
        ngettext(
            "Too many codes were asked for this number or from your connection. "
            "Try again in %(minutes)s minute.",
            "Too many codes were asked for this number or from your connection. "
            "Try again in %(minutes)s minutes.",
            minutes,
        ),
        {"minutes": minutes},
        kind=Kind.THROTTLED,
    )


def _check_send_limits(tkey: str, ikey: str, now: dt.datetime) -> None:
    per_address, per_ip = send_limits()
    since = now - SEND_WINDOW
    recent = OneTimeCode.objects.filter(created_at__gt=since)
    waits = []
    for field, value, limit in (("target_key", tkey, per_address), ("ip_key", ikey, per_ip)):
        if not value:
            continue
        rows = recent.filter(**{field: value}).order_by("-created_at")
        times = list(rows.values_list("created_at", flat=True)[:limit])
        if len(times) >= limit:
            # free again when the oldest of the last ``limit`` leaves the window
            waits.append(times[-1] + SEND_WINDOW - now)
    if waits:
        minutes = max(1, -(-int(max(waits).total_seconds()) // 60))
        raise _throttled(minutes)


def issue_code(*, purpose: str, target: Target, ip: str) -> OneTimeCode:
    """Make a code for ``purpose`` and send it to ``target`` (or, where a code would
    not help, a message saying what to do instead).  Raises ``code_throttled`` over the
    send limits — the same for addresses with and without an account."""
    purpose = Purpose(purpose)
    now = timezone.now()
    tkey, ikey = target_key(target.value), _key("ip", ip) if ip else ""
    _check_send_limits(tkey, ikey, now)
    user = account_for(target) if purpose != Purpose.SIGNUP else None
    # sign-up to a taken address, sign-in or reset for an unknown one: a row with a
    # code nobody is told (every try is wrong), and a message with the way forward
    useful = address_taken(target) is False if purpose == Purpose.SIGNUP else user is not None
    code = _new_code()
    salt = secrets.token_hex(16)
    with transaction.atomic():
        OneTimeCode.objects.filter(created_at__lt=now - KEEP_ROWS).delete()
        OneTimeCode.objects.filter(purpose=purpose, target_key=tkey, closed_at__isnull=True).update(
            closed_at=now
        )
        row = OneTimeCode.objects.create(
            purpose=purpose,
            target_key=tkey,
            ip_key=ikey,
            user=user,
            salt=salt,
            code_hash=_code_hash(salt, code if useful else _new_code() + "x"),
            created_at=now,
            expires_at=now + dt.timedelta(seconds=CODE_TTL),
        )
    # sent at once, not after commit: a code for a row that was rolled back is dead
    # anyway, and a person waiting for an SMS should not wait for an outer transaction
    messaging.send_message(
        channel=target.channel,
        to=target.value,
        text=_code_text(purpose, code) if useful else _no_code_text(purpose),
        purpose=f"code_{purpose}",
        subject=_("HTX Số: your code") if useful else _("HTX Số: about your account"),
    )
    return row


def _code_text(purpose: str, code: str) -> str:
    what = {
        Purpose.SIGNUP: _("to confirm your sign-up"),
        Purpose.LOGIN: _("to sign in"),
        Purpose.RESET: _("to choose a new password"),
    }[Purpose(purpose)]
    return _(
        "HTX Số: your code %(what)s is %(code)s. It is valid for 5 minutes. "
        "Never give it to anyone, not even to staff."
    ) % {"what": what, "code": code}


def _no_code_text(purpose: str) -> str:
    site = settings.SITE_URL.rstrip("/")
    if purpose == Purpose.SIGNUP:
        return _(
            "HTX Số: someone tried to sign up with this number or address, but it already "
            "has an account. Sign in or choose a new password at %(url)s"
        ) % {"url": site + reverse("accounts:login")}
    return _(
        "HTX Số: someone asked for a code with this number or address, but it has no "
        "account. You can sign up at %(url)s"
    ) % {"url": site + reverse("accounts:signup")}


def is_fresh(code_id: int | None, *, seconds: int) -> bool:
    """Whether the code ``code_id`` is open, unused and younger than ``seconds``."""
    return OneTimeCode.objects.filter(
        pk=code_id or 0,
        closed_at__isnull=True,
        attempts=0,
        created_at__gt=timezone.now() - dt.timedelta(seconds=seconds),
    ).exists()


def _wrong(code: str, message: str, params: dict[str, object] | None = None) -> ServiceError:
    return ServiceError(code, message, params or {}, fields={"code": [message % (params or {})]})


def check_code(*, code_id: int | None, purpose: str, target: Target, code: str) -> OneTimeCode:
    """The code row when ``code`` is right; it is closed (single use).  Otherwise a
    ServiceError: ``code_wrong`` (tries left), ``code_dead`` (used, replaced or out of
    tries), ``code_expired``.  Every try counts, the right one included, so no more than
    :data:`MAX_ATTEMPTS` comparisons are ever made against one code."""
    now = timezone.now()
    rows = OneTimeCode.objects.filter(
        pk=code_id or 0, purpose=purpose, target_key=target_key(target.value)
    )
    # claim a try atomically: two requests at once cannot both have the fifth
    claimed = rows.filter(closed_at__isnull=True, attempts__lt=MAX_ATTEMPTS).update(
        attempts=F("attempts") + 1
    )
    row = rows.first()
    if row is None or not claimed:
        raise _wrong("code_dead", _("This code can no longer be used. Ask for a new code."))
    if row.expires_at <= now:
        rows.update(closed_at=now)
        raise _wrong(
            "code_expired", _("This code has expired (codes last 5 minutes). Ask for a new code.")
        )
    if constant_time_compare(row.code_hash, _code_hash(row.salt, code.strip())):
        if rows.filter(closed_at__isnull=True).update(closed_at=now, used_at=now):
            row.closed_at = row.used_at = now
            return row
        raise _wrong("code_dead", _("This code can no longer be used. Ask for a new code."))
    left = MAX_ATTEMPTS - row.attempts
    if left <= 0:
        rows.update(closed_at=now)
        raise _wrong("code_dead", _("Wrong code, and that was the last try. Ask for a new code."))
    raise _wrong(
        "code_wrong",
        ngettext("Wrong code. %(left)s try left.", "Wrong code. %(left)s tries left.", left),
        {"left": left},
    )


def password_set_by_code(*, actor: Actor, user: User, password: str) -> None:
    """A new password after a code sent to the phone proved the person holds it."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from htxso.core import audit

    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(
            "password_weak", " ".join(exc.messages), fields={"password": exc.messages}
        ) from exc
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(actor=actor, action="user.password_reset_by_code", instance=user)
