"""Who may open a view: one declaration per view, read by the permission test.

Every view of HTX Số is wrapped by :func:`access`.  The declaration is attached to the
view as ``htxso_access`` so ``tests/test_permissions.py`` can walk every URL pattern and
check each role against it; a view without a declaration fails that test.

Object-level scoping is not declared here: views fetch objects through
``core.scoping.get_visible_or_404`` / ``get_editable_or_404``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .scoping import get_scope

PUBLIC = "public"
AUTHENTICATED = "authenticated"
ROLES = "roles"


@dataclass(frozen=True)
class Access:
    kind: str
    roles: frozenset[str] = frozenset()

    def allows(self, user) -> bool:
        if self.kind == PUBLIC:
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        if self.kind == AUTHENTICATED:
            return True
        return get_scope(user).has_role(*self.roles)


def access(
    *, public: bool = False, authenticated: bool = False, roles: Iterable[str] = ()
) -> Callable:
    """Declare who may open a view (exactly one of the three)."""
    roles = frozenset(str(r) for r in roles)
    if sum([public, authenticated, bool(roles)]) != 1:
        raise ValueError("access(): declare exactly one of public, authenticated, roles")
    policy = Access(PUBLIC if public else AUTHENTICATED if authenticated else ROLES, roles)

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if policy.kind != PUBLIC and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not policy.allows(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.htxso_access = policy  # type: ignore[attr-defined]
        return wrapper

    return decorate
