"""Check-in codes of an assembly: the hall's rotating QR code and the personal link.

* Hall code (shown on the screen of the hall, a new one every 30 seconds)::

      h.<assembly id>.<step>.<nonce>.<signature>

  signed with HMAC-SHA256 under the assembly's ``checkin_token`` (never shown; the
  manager rotates it, which voids every older code).  The current step and the one
  before it are accepted (a slow scan), older ones are expired.

* Personal link (sent to an online member)::

      p.<assembly id>.<membership id>.<signature>

  signed under the server's key only (rotating the hall code does not void the links
  already sent): it names one member and works only for the account behind that member.

Pure functions of text and time; the service decides what a valid code allows.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.utils import timezone

STEP_SECONDS = 30
ACCEPT_PAST_STEPS = 1
MAX_TOKEN_LENGTH = 140
_SALT = b"htxso.governance.assembly-checkin.v1"
_INT64_MAX = 2**63 - 1
_HALL = re.compile(r"^h\.(\d{1,19})\.(\d{1,12})\.([A-Za-z0-9_-]{8,32})\.([A-Za-z0-9_-]{20,64})$")
_PERSONAL = re.compile(r"^p\.(\d{1,19})\.(\d{1,19})\.([A-Za-z0-9_-]{20,64})$")


class Problem(Enum):
    MALFORMED = "malformed"
    TAMPERED = "tampered"
    EXPIRED = "expired"


class Kind(Enum):
    HALL = "hall"
    PERSONAL = "personal"


@dataclass(frozen=True)
class Parsed:
    kind: Kind
    assembly_id: int
    #: the time step (hall) or the membership id (personal)
    value: int
    nonce: str
    signature: str


def step_of(when: dt.datetime | None = None) -> int:
    return int((when or timezone.now()).timestamp()) // STEP_SECONDS


def seconds_left(when: dt.datetime | None = None) -> int:
    return STEP_SECONDS - int((when or timezone.now()).timestamp()) % STEP_SECONDS


def _sign(secret: str, message: str) -> str:
    key = hashlib.sha256(_SALT + b"|" + secret.encode() + b"|" + settings.SECRET_KEY.encode())
    digest = hmac.new(key.digest(), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hall_token(assembly_id: int, secret: str, *, when: dt.datetime | None = None) -> str:
    step = step_of(when)
    nonce = secrets.token_urlsafe(9)
    return f"h.{assembly_id}.{step}.{nonce}.{_sign(secret, f'h.{assembly_id}.{step}.{nonce}')}"


def personal_token(assembly_id: int, membership_id: int) -> str:
    body = f"p.{assembly_id}.{membership_id}"
    return f"{body}.{_sign('personal', body)}"


def parse(token: object) -> Parsed | None:
    """The parts of a code, or ``None`` when it is not shaped like one (ids past the
    database's 64-bit integers included)."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        return None
    token = token.strip()
    m = _HALL.match(token)
    if m:
        parsed = Parsed(Kind.HALL, int(m.group(1)), int(m.group(2)), m.group(3), m.group(4))
    else:
        m = _PERSONAL.match(token)
        if not m:
            return None
        parsed = Parsed(Kind.PERSONAL, int(m.group(1)), int(m.group(2)), "", m.group(3))
    if not 1 <= parsed.assembly_id <= _INT64_MAX:
        return None
    if parsed.kind is Kind.PERSONAL and not 1 <= parsed.value <= _INT64_MAX:
        return None
    return parsed


def check(parsed: Parsed, secret: str, *, when: dt.datetime | None = None) -> Problem | None:
    if parsed.kind is Kind.HALL:
        body = f"h.{parsed.assembly_id}.{parsed.value}.{parsed.nonce}"
    else:
        body = f"p.{parsed.assembly_id}.{parsed.value}"
        secret = "personal"
    if not hmac.compare_digest(_sign(secret, body), parsed.signature):
        return Problem.TAMPERED
    if parsed.kind is Kind.HALL:
        now = step_of(when)
        if parsed.value > now + 1:
            return Problem.TAMPERED
        if parsed.value < now - ACCEPT_PAST_STEPS:
            return Problem.EXPIRED
    return None
