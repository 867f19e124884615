"""Reads about users and what they may reach."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from htxso.core.scoping import Scope

from .models import ORGANISATION_ROLES, PROVINCE_ROLES, Role, RoleAssignment, User

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


def scope_for(user: User) -> Scope:
    """Build the user's scope from their role assignments (one query, shared with
    :func:`role_assignments` for the rest of the request)."""
    rows = [(a.role, a.province_id, a.organisation_id) for a in role_assignments(user)]
    roles = {role for role, _p, _o in rows}
    national = Role.VCA_ADMIN in roles or user.is_superuser
    view_provinces = {
        p for r, p, _o in rows if r in (Role.PROVINCE_OFFICER, Role.DEPARTMENT_VIEWER) and p
    }
    edit_provinces = {p for r, p, _o in rows if r == Role.PROVINCE_OFFICER and p}
    managed = {o for r, _p, o in rows if r == Role.COOP_MANAGER and o}
    member_of = {o for r, _p, o in rows if r == Role.COOP_MEMBER and o}
    if user.is_superuser:
        roles.add(Role.VCA_ADMIN)
    by_province: dict[str, set[str]] = {}
    by_organisation: dict[str, set[int]] = {}
    for role, province, organisation in rows:
        if role in PROVINCE_ROLES and province:
            by_province.setdefault(role, set()).add(province)
        elif role in ORGANISATION_ROLES and organisation:
            by_organisation.setdefault(role, set()).add(organisation)
    return Scope(
        national_roles=frozenset({Role.VCA_ADMIN}) if national else frozenset(),
        provinces_by_role={r: frozenset(v) for r, v in by_province.items()},
        organisations_by_role={r: frozenset(v) for r, v in by_organisation.items()},
        roles=frozenset(roles),
        national_view=national,
        national_edit=national,
        view_provinces=frozenset(view_provinces),
        edit_provinces=frozenset(edit_provinces),
        view_organisations=frozenset(managed),
        edit_organisations=frozenset(managed),
        member_organisations=frozenset(member_of),
        trainer=Role.TRAINER in roles,
    )


def role_assignments(user: User) -> list[RoleAssignment]:
    """The user's role assignments with their province and organisation, loaded once
    per request (cached on the user object)."""
    cached = getattr(user, "_htxso_assignments", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user)
            .select_related("province", "organisation", "organisation__province")
            .order_by("role", "id")
        )
        user._htxso_assignments = cached  # type: ignore[attr-defined]  # per-request cache
    return cached


#: What a signed-in session still owes before it may use the site or the API.
TWO_FACTOR_VERIFY = "verify"
TWO_FACTOR_ENROL = "enrol"


def two_factor_pending(user: AbstractBaseUser | AnonymousUser) -> str | None:
    """``"verify"`` when the user has a confirmed device and this session has not given
    its code, ``"enrol"`` when two-factor is mandatory for the user's role and no device
    is confirmed yet, ``None`` when the session may go on.

    Needs ``user.is_verified`` (set by ``django_otp.middleware.OTPMiddleware``); a user
    object without it counts as not verified.
    """
    from django.conf import settings
    from django_otp import user_has_device

    from .models import STAFF_ROLES

    if not getattr(user, "is_authenticated", False):
        return None
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and is_verified():
        return None
    if user_has_device(user, confirmed=True):
        return TWO_FACTOR_VERIFY
    if settings.HTXSO_REQUIRE_2FA_FOR_STAFF:
        from htxso.core.scoping import get_scope

        if get_scope(user).has_role(*STAFF_ROLES):
            return TWO_FACTOR_ENROL
    return None


def may_use_api(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether the user's roles use the API, so may hold API tokens: staff, cooperative
    managers, and sellers (a member household with a market store).  A plain member or
    a buyer does not."""
    from htxso.core.scoping import get_scope

    from .models import API_ROLES

    if not getattr(user, "is_authenticated", False):
        return False
    if get_scope(user).has_role(*API_ROLES):
        return True
    return any(check(user) for check in _api_user_checks)


#: Further reasons a user works through the API, added by higher apps at start-up
#: (the market: a household that runs a store).  ``accounts`` imports no domain app.
_api_user_checks: list[Callable[[Any], bool]] = []


def register_api_user_check(check: Callable[[Any], bool]) -> None:
    """Called from a domain app's ``AppConfig.ready``; registering twice is harmless."""
    if check not in _api_user_checks:
        _api_user_checks.append(check)
