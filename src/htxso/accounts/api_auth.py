"""What ``core.api`` asks ``accounts`` about a request (registered at start-up)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core.errors import Kind, ServiceError

from .models import ApiToken
from .selectors import TWO_FACTOR_VERIFY, two_factor_pending


def token_user(raw: str) -> Any:
    """The active user of a usable bearer token, or ``None``."""
    row = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(raw)).first()
    if row is None or not row.is_usable or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    # which token (its field scope, issue 19) the request came with: registry.sync_feed
    row.user.htxso_api_token = row  # type: ignore[attr-defined]
    return row.user


def session_check(user: Any) -> ServiceError | None:
    """403 ``two_factor_required`` while the session owes a two-factor step."""
    pending = two_factor_pending(user)
    if not pending:
        return None
    return ServiceError(
        "two_factor_required",
        _("Enter the code from your authenticator app on the sign-in page first.")
        if pending == TWO_FACTOR_VERIFY
        else _("Turn on two-factor sign-in for your account first."),
        details={"action": pending},
        kind=Kind.FORBIDDEN,
    )
