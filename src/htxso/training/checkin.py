"""Rotating check-in codes of a session (the QR code the trainer shows).

A code binds the session's id, a 30-second time step and a random nonce, signed with
HMAC-SHA256 under the session's ``checkin_secret`` (never shown; rotated when the trainer
opens check-in again, which voids every older code)::

    <session id>.<step>.<nonce>.<signature>

The check-in page accepts the current step and the one before it (a phone's clock and a
slow scan: 30 to 60 seconds), refuses older ones as expired and any change of a character
as tampered.  Whether a participant already used a nonce is the service's question
(``CheckinToken``), not this module's: here only pure functions of text and time.
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

from django.utils import timezone

#: Seconds a code is shown before the next one.
STEP_SECONDS = 30
#: Steps before the current one still accepted (1: a code lives 30 to 60 seconds).
ACCEPT_PAST_STEPS = 1
#: Longest code accepted at all (a URL of garbage is refused before any work).
MAX_TOKEN_LENGTH = 120
_SALT = b"htxso.training.checkin.v1"
_TOKEN = re.compile(r"^(\d{1,19})\.(\d{1,12})\.([A-Za-z0-9_-]{8,32})\.([A-Za-z0-9_-]{20,64})$")
_INT64_MAX = 2**63 - 1


class Problem(Enum):
    MALFORMED = "malformed"
    TAMPERED = "tampered"
    EXPIRED = "expired"
    FUTURE = "future"


@dataclass(frozen=True)
class Parsed:
    session_id: int
    step: int
    nonce: str
    signature: str


def step_of(when: dt.datetime | None = None) -> int:
    """The time step of ``when`` (default: now)."""
    when = when or timezone.now()
    return int(when.timestamp()) // STEP_SECONDS


def seconds_left(when: dt.datetime | None = None) -> int:
    """Seconds until the next step starts (what the trainer's page waits)."""
    when = when or timezone.now()
    return STEP_SECONDS - int(when.timestamp()) % STEP_SECONDS


def _signature(secret: str, session_id: int, step: int, nonce: str) -> str:
    message = f"{session_id}.{step}.{nonce}".encode()
    key = hashlib.sha256(_SALT + b"|" + secret.encode()).digest()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def make_token(session_id: int, secret: str, *, when: dt.datetime | None = None) -> str:
    """A new code of the session for the step of ``when``."""
    step = step_of(when)
    nonce = secrets.token_urlsafe(9)
    return f"{session_id}.{step}.{nonce}.{_signature(secret, session_id, step, nonce)}"


def parse(token: str) -> Parsed | None:
    """The parts of a code, or ``None`` when it is not shaped like one (or its session id
    is past the database's 64-bit integers)."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        return None
    m = _TOKEN.match(token.strip())
    if not m:
        return None
    session_id, step = int(m.group(1)), int(m.group(2))
    if session_id < 1 or session_id > _INT64_MAX:
        return None
    return Parsed(session_id, step, m.group(3), m.group(4))


def check(parsed: Parsed, secret: str, *, when: dt.datetime | None = None) -> Problem | None:
    """``None`` when the code is genuine and fresh, else what is wrong with it."""
    expected = _signature(secret, parsed.session_id, parsed.step, parsed.nonce)
    if not hmac.compare_digest(expected, parsed.signature):
        return Problem.TAMPERED
    now = step_of(when)
    if parsed.step > now + 1:  # one step ahead: a phone whose clock runs fast
        return Problem.FUTURE
    if parsed.step < now - ACCEPT_PAST_STEPS:
        return Problem.EXPIRED
    return None


def online_token() -> str:
    """A personal online-attendance link's secret (shown once; its hash is kept)."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(_SALT + b"|online|" + token.encode()).hexdigest()
