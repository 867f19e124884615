"""Who may open a view: one declaration per view, read by the permission test.

Every view of HTX Số is wrapped by :func:`access`.  The declaration is attached to the
view as ``htxso_access`` so ``tests/test_permissions.py`` can walk every URL pattern and
check each role against it; a view without a declaration fails that test.

Object-level scoping is not declared here: views fetch objects through
``core.policy.get_allowed_or_404`` (the model's policy, ``core.policy``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .roles import RoleGroup, as_roles
from .scoping import get_scope

PUBLIC = "public"
AUTHENTICATED = "authenticated"
ROLES = "roles"


def declaration(*, public: bool, authenticated: bool, roles: Iterable[str]) -> Access:
    """The :class:`Access` of a page or an API operation (exactly one of the three)."""
    group = as_roles(roles)
    if sum([public, authenticated, bool(group)]) != 1:
        raise ValueError("declare exactly one of public, authenticated, roles")
    return Access(PUBLIC if public else AUTHENTICATED if authenticated else ROLES, group)


@dataclass(frozen=True)
class Access:
    kind: str
    roles: RoleGroup = frozenset()

    def allows(self, user: Any) -> bool:
        if self.kind == PUBLIC:
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        if self.kind == AUTHENTICATED:
            return True
        return get_scope(user).has_role(*self.roles)


def access(
    *, public: bool = False, authenticated: bool = False, roles: Iterable[str] = ()
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare who may open a view (exactly one of the three); ``roles`` is a group
    of ``core.roles``."""
    policy = declaration(public=public, authenticated=authenticated, roles=roles)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            if policy.kind != PUBLIC and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not policy.allows(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.htxso_access = policy  # type: ignore[attr-defined]
        return wrapper

    return decorate
