"""Counters that slow guessing down without locking out honest users.

* Failed sign-ins per client address and per network (IPv4 /24, IPv6 /64).  Many rural
  users share one carrier-grade NAT address, so only *failures* count — a successful
  sign-in never adds to a count nor is refused because of successes — and the limits
  are far above the per-account lock of django-axes.
* Password-reset mails per account and per client address.

Counts live in the Django cache (LocMem locally, Redis in production) in fixed windows:
a window starts at a multiple of its length, so requests refused during a block do not
make it longer.  Limits are settings (``HTXSO_LOGIN_*``, ``HTXSO_RESET_*``) read at
call time, each with an environment override in ``settings.py``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache

from htxso.core.ratelimit import hit

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpRequest

log = logging.getLogger("htxso.security")

#: Set on a request whose sign-in was refused by these limits (seconds to wait).
REFUSED_ATTR = "htxso_sign_in_refused"


def _now() -> float:
    """The clock of the windows (tests move it)."""
    return time.time()


def client_ip(request: HttpRequest) -> str:
    """The client address as django-axes sees it (same proxy configuration)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "") or ""


def client_network(ip: str) -> str | None:
    """The /24 of an IPv4 address, the /64 of an IPv6 one (IPv4-mapped IPv6 counts as
    IPv4); ``None`` for something that is not an address."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _window(minutes: float) -> tuple[int, int]:
    """(start, length) in seconds of the current fixed window."""
    length = max(1, int(float(minutes) * 60))
    return int(_now() // length) * length, length


def _key(kind: str, value: str, start: int) -> str:
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:24]
    return f"htxso:limit:{kind}:{digest}:{start}"


def _setting(name: str, default: float) -> float:
    return getattr(settings, name, default)


# --- failed sign-ins per address and network ---------------------------------------------


def _sign_in_counters(request: HttpRequest) -> list[tuple[str, int]]:
    """(cache key, limit) for the client's address and network in this window."""
    start, _length = _window(_setting("HTXSO_LOGIN_FAILURE_WINDOW_MINUTES", 15))
    ip = client_ip(request)
    if not ip:
        return []
    counters = [(_key("login-ip", ip, start), int(_setting("HTXSO_LOGIN_IP_FAILURES", 50)))]
    network = client_network(ip)
    if network:
        counters.append(
            (
                _key("login-net", network, start),
                int(_setting("HTXSO_LOGIN_NETWORK_FAILURES", 200)),
            )
        )
    return counters


def sign_in_retry_after(request: HttpRequest) -> int | None:
    """Seconds until the client may try again, or ``None`` when it may try now."""
    counters = _sign_in_counters(request)
    if not counters:
        return None
    values = cache.get_many([key for key, _limit in counters])
    if all(values.get(key, 0) < limit for key, limit in counters):
        return None
    start, length = _window(_setting("HTXSO_LOGIN_FAILURE_WINDOW_MINUTES", 15))
    return max(1, int(start + length - _now()))


def sign_in_failed(request: HttpRequest | None) -> None:
    """Count one failed sign-in for the client's address and network.

    A sign-in these limits refused is not counted: the block ends on time.
    """
    if request is None or getattr(request, REFUSED_ATTR, None):
        return
    _start, length = _window(_setting("HTXSO_LOGIN_FAILURE_WINDOW_MINUTES", 15))
    for key, limit in _sign_in_counters(request):
        if hit(key, length) == limit:
            log.warning("Sign-in failures reached the limit for a client address or network.")


class SignInLimitBackend:
    """First of ``AUTHENTICATION_BACKENDS``: refuses every sign-in from an address or
    network over its failure limit, before any password is checked.

    The refusal is answered by the lockout page (``lockout.lockout_response``) through
    ``axes.middleware.AxesMiddleware``; with
    ``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False`` django-axes does not count
    it against the account either, so a blocked address cannot lock honest users out.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        retry_after = sign_in_retry_after(request)
        if retry_after is None:
            return None
        from django.core.exceptions import PermissionDenied

        setattr(request, REFUSED_ATTR, retry_after)
        request.axes_locked_out = True  # type: ignore[attr-defined]  # read by django-axes
        raise PermissionDenied

    # No ``get_user``: this backend never signs anyone in, and ``Client.force_login``
    # picks the first backend that has one.


def on_user_login_failed(
    sender: Any,
    credentials: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    """``user_login_failed`` receiver (connected in ``AccountsConfig.ready``)."""
    sign_in_failed(request)


# --- password-reset mails ------------------------------------------------------------------


def reset_mail_allowed(*, request: HttpRequest | None, user: AbstractBaseUser) -> bool:
    """Count one reset mail to ``user`` from this client; ``False`` (and nothing
    counted) when the account or the address has had its share in this window."""
    start, length = _window(_setting("HTXSO_RESET_WINDOW_MINUTES", 60))
    counters = [
        (_key("reset-user", str(user.pk), start), int(_setting("HTXSO_RESET_MAILS_PER_ACCOUNT", 3)))
    ]
    ip = client_ip(request) if request is not None else ""
    if ip:
        counters.append(
            (_key("reset-ip", ip, start), int(_setting("HTXSO_RESET_MAILS_PER_IP", 20)))
        )
    values = cache.get_many([key for key, _limit in counters])
    if any(values.get(key, 0) >= limit for key, limit in counters):
        log.warning("Password-reset mail not sent: limit reached for an account or address.")
        return False
    for key, _limit in counters:
        hit(key, length)
    return True
