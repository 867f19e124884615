"""The one scoping mechanism of HTX Số.

Every row of organisation data belongs to an organisation and, through it, to a
province.  A model opts in by using :class:`ScopedQuerySet` (or ``ScopedManager``) and
declaring on the model where its province and organisation are::

    class Organisation(models.Model):
        scope_province_path = "province"
        scope_organisation_path = "pk"
        objects = ScopedManager()

``Model.objects.visible_to(user)`` and ``.editable_by(user)`` then return only what the
user may see or change, and :func:`get_visible_or_404` answers 404 for "missing" and
"not yours" alike, so ids of other provinces' records cannot be probed.

What a user may reach is computed once per request from their role assignments
(:func:`get_scope`), see ``accounts.models.Role``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.http import Http404

if TYPE_CHECKING:  # pragma: no cover
    from django.contrib.auth.models import AnonymousUser

    from htxso.accounts.models import User


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

    @property
    def is_staff_scope(self) -> bool:
        """National or provincial staff (VCA, provincial alliance, department)."""
        return self.national_view or bool(self.view_provinces)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


EMPTY_SCOPE = Scope()


def get_scope(user: User | AnonymousUser | None) -> Scope:
    """The user's scope, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_htxso_scope", None)
    if cached is None:
        from htxso.accounts.selectors import scope_for

        cached = scope_for(user)
        user._htxso_scope = cached  # type: ignore[union-attr]
    return cached


def _scope_filter(model: type[models.Model], provinces, organisations) -> Q:
    province_path = getattr(model, "scope_province_path", None)
    organisation_path = getattr(model, "scope_organisation_path", None)
    q = Q(pk__in=[])
    if province_path and provinces:
        q |= Q(**{f"{province_path}__in": sorted(provinces)})
    if organisation_path and organisations:
        q |= Q(**{f"{organisation_path}__in": sorted(organisations)})
    return q


class ScopedQuerySet(models.QuerySet):
    """QuerySet with the two scoping methods every organisation-owned model shares."""

    def visible_to(self, user) -> ScopedQuerySet:
        scope = get_scope(user)
        if scope.national_view:
            return self.all()
        hook = getattr(self.model, "scope_visible_extra", None)
        q = _scope_filter(
            self.model,
            scope.view_provinces,
            scope.view_organisations | scope.member_organisations
            if getattr(self.model, "scope_members_see_organisation", True)
            else scope.view_organisations,
        )
        if hook is not None:
            q |= hook(user, scope)
        return self.filter(q)

    def editable_by(self, user) -> ScopedQuerySet:
        scope = get_scope(user)
        if scope.national_edit:
            return self.all()
        q = _scope_filter(self.model, scope.edit_provinces, scope.edit_organisations)
        hook = getattr(self.model, "scope_editable_extra", None)
        if hook is not None:
            q |= hook(user, scope)
        return self.filter(q)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def get_visible_or_404(model_or_qs, user, **lookup):
    """Fetch one object the user may see; 404 for missing and for not-yours alike."""
    qs = model_or_qs if isinstance(model_or_qs, models.QuerySet) else model_or_qs.objects.all()
    try:
        return qs.visible_to(user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_editable_or_404(model_or_qs, user, **lookup):
    """Fetch one object the user may change.

    An object the user may see but not change answers 403 (PermissionDenied) so the
    page can say why; one they cannot see answers 404.
    """
    from django.core.exceptions import PermissionDenied

    obj = get_visible_or_404(model_or_qs, user, **lookup)
    qs = model_or_qs if isinstance(model_or_qs, models.QuerySet) else model_or_qs.objects.all()
    if not qs.editable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj
