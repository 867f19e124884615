"""The one scoping mechanism of HTX Số.

Every row of organisation data belongs to an organisation and, through it, to a
province.  A model opts in by using :class:`ScopedQuerySet` (or ``ScopedManager``) and
declaring on the model where its province and organisation are::

    class Organisation(models.Model):
        scope_province_path = "province"
        scope_organisation_path = "pk"
        objects = ScopedManager()

``Model.objects.allowed(user, action)`` then returns only the rows the model's policy
(``core.policy``) lets the user see or change, and ``core.policy.get_allowed_or_404``
answers 404 for "missing" and "not yours" alike, so ids of other provinces' records
cannot be probed.

What a user may reach is computed once per request from their role assignments
(:func:`get_scope`, built by the function ``accounts`` registers with
:func:`register_scope_builder`: ``core`` imports nothing above it).  Who may do what
to a model is its policy (``core.policy``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Scope:
    """What one user may reach.  Built by ``accounts.selectors.scope_for``."""

    roles: frozenset[str] = frozenset()
    national_view: bool = False
    national_edit: bool = False
    view_provinces: frozenset[str] = frozenset()
    edit_provinces: frozenset[str] = frozenset()
    view_organisations: frozenset[int] = frozenset()
    edit_organisations: frozenset[int] = frozenset()
    member_organisations: frozenset[int] = frozenset()
    trainer: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    #: Roles held everywhere (the VCA; a superuser counts as one).
    national_roles: frozenset[str] = frozenset()
    #: For each province role held, the provinces (codes) it applies to.
    provinces_by_role: Mapping[str, frozenset[str]] = field(
        default_factory=dict, compare=False, hash=False
    )
    #: For each organisation role held, the organisations (ids) it applies to.
    organisations_by_role: Mapping[str, frozenset[int]] = field(
        default_factory=dict, compare=False, hash=False
    )

    @property
    def is_staff_scope(self) -> bool:
        """National or provincial staff (VCA, provincial alliance, department)."""
        return self.national_view or bool(self.view_provinces)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


EMPTY_SCOPE = Scope()


_scope_builder: Callable[[Any], Scope] | None = None


def register_scope_builder(builder: Callable[[Any], Scope]) -> None:
    """Called once by ``accounts`` (its ``AppConfig.ready``) with ``scope_for``."""
    global _scope_builder
    _scope_builder = builder


def get_scope(user: Any) -> Scope:
    """The user's scope, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_htxso_scope", None)
    if cached is None:
        if _scope_builder is None:  # pragma: no cover - accounts is always installed
            raise RuntimeError("no scope builder registered (is htxso.accounts installed?)")
        cached = _scope_builder(user)
        user._htxso_scope = cached
    return cached


class ScopedQuerySet(models.QuerySet):
    """QuerySet of an organisation-owned model: ``allowed(user, action)`` asks the
    model's policy (``core.policy``)."""

    def allowed(self, user: Any, action: str = "view") -> ScopedQuerySet:
        from .policy import policy_for

        return policy_for(self.model).queryset(user, action, self)  # type: ignore[return-value]


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
