"""One authorization policy per protected model.

A model that belongs to an organisation and a province declares where those are
(``scope_province_path``, ``scope_organisation_path``) and its policy: for each action,
the role groups allowed (``core.roles``) and, when ownership matters, a hook::

    class Store(models.Model):
        scope_province_path = "organisation__province"
        scope_organisation_path = "organisation"
        policy = Policy(
            view=roles.STAFF_AND_ORGANISATIONS,
            change=roles.EDITORS,
            own=lambda user, scope: Q(owner=user),   # an owner may view and change
        )

The policy then answers both questions the code asks, from the same rule:

* ``Model.policy.queryset(user, "view")`` — the rows of a list the user may see;
* ``Model.policy.allows(user, "change", obj)`` / ``.check(...)`` — one object;
* ``get_allowed_or_404(Model, user, "change", pk=…)`` — fetch one object for an
  action: 404 for "missing" and "not yours" alike, 403 when the user may see the object
  but not do this to it.

How a role reaches rows is fixed by its :data:`core.roles.REACH`: national roles reach
every row, province roles the rows whose province path is one of their provinces,
organisation roles the rows whose organisation path is one of their organisations.  A
:class:`~htxso.core.actors.SystemActor` is trusted code: every action is allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .actors import Actor, SystemActor
from .errors import not_found, refused
from .roles import GRANTS, REACH, Reach, Role, RoleGroup, as_roles
from .scoping import Scope, get_scope

M = TypeVar("M", bound=models.Model)
#: A hook adding rows by ownership: ``(user, scope) -> Q``.
Hook = Callable[[Any, Scope], Q]

#: The condition of a user who reaches no row (compared by identity).
NOTHING = Q(pk__in=[])

VIEW = "view"
CHANGE = "change"


class Policy:
    """Who may do what to one model's rows.  Declare it on the model as ``policy``."""

    model: type[models.Model]

    def __init__(
        self,
        *,
        extra: dict[str, Hook] | None = None,
        **actions: Iterable[Role],
    ) -> None:
        if VIEW not in actions:
            raise ValueError("Policy(): declare at least who may view")
        self.actions: dict[str, RoleGroup] = {a: as_roles(r) for a, r in actions.items()}
        self.extra: dict[str, Hook] = dict(extra or {})
        unknown = set(self.extra) - set(self.actions)
        if unknown:
            raise ValueError(f"Policy(): hooks for undeclared actions {sorted(unknown)}")

    # Django calls this for class attributes that have it: bind the policy to its model.
    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        self.model = cls
        setattr(cls, name, self)

    def roles(self, action: str) -> RoleGroup:
        try:
            return self.actions[action]
        except KeyError:
            raise ValueError(
                f"{self.model.__name__}.policy has no action {action!r}; "
                f"declared: {sorted(self.actions)}"
            ) from None

    # --- lists --------------------------------------------------------------------
    def condition(self, user: Any, action: str) -> Q | None:
        """The filter for the rows ``user`` may ``action``: ``None`` means every row,
        :data:`NOTHING` no row."""
        roles = self.roles(action)
        if isinstance(user, SystemActor):
            return None
        scope = get_scope(user)
        if scope.national_roles & roles:
            return None
        parts: list[Q] = []
        province_path = getattr(self.model, "scope_province_path", None)
        organisation_path = getattr(self.model, "scope_organisation_path", None)
        provinces: set[str] = set()
        organisations: set[int] = set()
        for role in roles:
            if REACH[role] is Reach.PROVINCE:
                provinces |= scope.provinces_by_role.get(role, frozenset())
            elif REACH[role] is Reach.ORGANISATION:
                organisations |= scope.organisations_by_role.get(role, frozenset())
        if province_path and provinces:
            parts.append(Q(**{f"{province_path}__in": sorted(provinces)}))
        if organisation_path and organisations:
            parts.append(Q(**{f"{organisation_path}__in": sorted(organisations)}))
        hook = self.extra.get(action)
        if hook is not None and getattr(user, "is_authenticated", False):
            parts.append(hook(user, scope))
        if not parts:
            return NOTHING
        q = parts[0]
        for part in parts[1:]:
            q |= part
        return q

    def queryset(
        self, user: Any, action: str = VIEW, qs: models.QuerySet[Any] | None = None
    ) -> models.QuerySet[Any]:
        """The rows (of ``qs``, default all) that ``user`` may ``action``."""
        base = qs if qs is not None else self.model._default_manager.all()
        condition = self.condition(user, action)
        return base if condition is None else base.filter(condition)

    # --- one object ---------------------------------------------------------------
    def allows(self, user: Any, action: str, obj: models.Model) -> bool:
        condition = self.condition(user, action)
        if condition is None:
            return True
        if condition is NOTHING:
            return False
        return self.model._default_manager.filter(condition, pk=obj.pk).exists()

    def check(self, user: Any, action: str, obj: models.Model) -> None:
        """Raise ``Http404`` when the user may not see ``obj``, ``PermissionDenied``
        when they may see it but not ``action`` it."""
        if self.allows(user, action, obj):
            return
        if action != VIEW and VIEW in self.actions and self.allows(user, VIEW, obj):
            raise PermissionDenied
        raise Http404

    def require(
        self,
        actor: Actor,  # check_actors: allow -- positional, like check(user, action, obj)
        action: str,
        obj: models.Model,
    ) -> None:
        """For services: refuse with a :class:`~htxso.core.errors.ServiceError`
        (``not_found`` when the actor may not see ``obj``, ``forbidden`` when they may
        see it but not ``action`` it)."""
        if self.allows(actor, action, obj):
            return
        if action != VIEW and VIEW in self.actions and self.allows(actor, VIEW, obj):
            raise refused(_("Your role may not do this."))
        raise not_found(_("Not found."))

    # --- rows that do not exist yet, and where a user works ------------------------
    def reach(self, user: Any, action: str) -> tuple[bool, frozenset[str], frozenset[int]]:
        """Where ``user``'s roles may ``action``: (everywhere?, provinces, organisations)."""
        return reach_of(user, self.roles(action))

    def allows_at(
        self,
        user: Any,
        action: str,
        *,
        province: str | None = None,
        organisation: int | None = None,
    ) -> bool:
        """Whether ``user`` may ``action`` a row of ``province`` or ``organisation`` that
        does not exist yet (a call's publication in a province, the application an
        organisation starts)."""
        everywhere, provinces, organisations = self.reach(user, action)
        return (
            everywhere
            or (province is not None and province in provinces)
            or (organisation is not None and organisation in organisations)
        )

    def require_at(
        self,
        actor: Actor,  # check_actors: allow -- positional, like allows_at(user, action)
        action: str,
        *,
        province: str | None = None,
        organisation: int | None = None,
        message: Any = None,
    ) -> None:
        """:meth:`allows_at` for services: refuse with ``forbidden``."""
        if not self.allows_at(actor, action, province=province, organisation=organisation):
            raise refused(message or _("Your role may not do this."))

    def get_or_404(
        self,
        user: Any,
        action: str,
        qs: models.QuerySet[Any] | None = None,
        *,
        hide: bool = False,
        **lookup: Any,
    ) -> Any:
        """One object ``user`` may ``action``; see :func:`get_allowed_or_404`."""
        base = qs if qs is not None else self.model._default_manager.all()
        try:
            return self.queryset(user, action, base).get(**lookup)
        except (ObjectDoesNotExist, ValueError, TypeError, OverflowError):
            pass
        if not hide and action != VIEW and VIEW in self.actions:
            try:
                self.queryset(user, VIEW, base).get(**lookup)
            except (ObjectDoesNotExist, ValueError, TypeError, OverflowError):
                raise Http404 from None
            raise PermissionDenied
        raise Http404


def reach_of(user: Any, group: Iterable[Role]) -> tuple[bool, frozenset[str], frozenset[int]]:
    """Where the roles of ``group`` that ``user`` holds apply: (everywhere?, the
    provinces of its province roles, the organisations of its organisation roles).  A
    system actor reaches everywhere."""
    if isinstance(user, SystemActor):
        return True, frozenset(), frozenset()
    scope = get_scope(user)
    roles = as_roles(group)
    provinces: set[str] = set()
    organisations: set[int] = set()
    for role in roles:
        if REACH[role] is Reach.PROVINCE:
            provinces |= scope.provinces_by_role.get(role, frozenset())
        elif REACH[role] is Reach.ORGANISATION:
            organisations |= scope.organisations_by_role.get(role, frozenset())
    return bool(scope.national_roles & roles), frozenset(provinces), frozenset(organisations)


def holds_at(
    user: Any,
    group: Iterable[Role],
    *,
    province: str | None = None,
    organisation: int | None = None,
) -> bool:
    """Whether a role of ``group`` that ``user`` holds applies to ``province`` or
    ``organisation`` (for pages about a place rather than a row: a province's
    statistics)."""
    everywhere, provinces, organisations = reach_of(user, group)
    return (
        everywhere
        or (province is not None and province in provinces)
        or (organisation is not None and organisation in organisations)
    )


def require_role(
    actor: Actor,  # check_actors: allow -- positional, like holds(user, group)
    group: Iterable[Role],
) -> None:
    """For services whose rule is a role, not an object (creating a national call):
    refuse an actor who holds none of ``group``.  A system actor is trusted."""
    if isinstance(actor, SystemActor):
        return
    if not get_scope(actor).roles & as_roles(group):
        raise refused(_("Your role may not do this."))


def holds(user: Any, group: Iterable[Role]) -> bool:
    """Whether ``user`` holds one of the roles of ``group`` (anywhere)."""
    return bool(get_scope(user).roles & as_roles(group))


def policy_for(model: type[models.Model]) -> Policy:
    policy = getattr(model, "policy", None)
    if not isinstance(policy, Policy):
        raise TypeError(f"{model.__name__} declares no policy (core.policy.Policy)")
    return policy


def allowed(
    model_or_qs: type[M] | models.QuerySet[M], user: Any, action: str = VIEW
) -> models.QuerySet[M]:
    """The rows of a model or queryset ``user`` may ``action``."""
    if isinstance(model_or_qs, models.QuerySet):
        return policy_for(model_or_qs.model).queryset(user, action, model_or_qs)
    return policy_for(model_or_qs).queryset(user, action)


def get_allowed_or_404(
    model_or_qs: type[M] | models.QuerySet[M],
    user: Any,
    action: str = VIEW,
    *,
    hide: bool = False,
    **lookup: Any,
) -> M:
    """Fetch one object ``user`` may ``action``: 404 for missing and not-yours alike,
    403 for an object the user may see but not ``action`` — unless ``hide``: then 404
    too (an owner's work page, e.g. a seller's store, where "someone else's" is best
    answered as "no such page")."""
    if isinstance(model_or_qs, models.QuerySet):
        return policy_for(model_or_qs.model).get_or_404(
            user, action, model_or_qs, hide=hide, **lookup
        )
    return policy_for(model_or_qs).get_or_404(user, action, hide=hide, **lookup)


def may_grant(
    actor: Actor,  # check_actors: allow -- positional, like holds(user, group)
    role: Role | str,
    *,
    province: str | None = None,
    organisation: int | None = None,
) -> bool:
    """Whether ``actor`` may give ``role`` to someone, at ``province`` (a provincial
    role) or at ``organisation`` of ``province`` (an organisation's role: pass both).

    A granter's own role must list ``role`` in ``roles.GRANTS`` and reach the place:
    the VCA everywhere, an officer his provinces (and their organisations), a manager
    his organisation.  A system actor may grant anything."""
    if isinstance(actor, SystemActor):
        return True
    role = Role(role)
    if REACH[role] is Reach.PROVINCE and not province:
        return False
    if REACH[role] is Reach.ORGANISATION and not organisation:
        return False
    for held, grantable in GRANTS.items():
        if role not in grantable:
            continue
        if holds_at(actor, {held}, province=province, organisation=organisation) or (
            REACH[held] is Reach.NATIONAL and holds(actor, {held})
        ):
            return True
    return False


def grantable_roles(actor: Actor) -> RoleGroup:  # check_actors: allow -- like holds()
    """The roles ``actor`` may grant somewhere (to build a form's choices)."""
    if isinstance(actor, SystemActor):
        return frozenset(Role)
    held = get_scope(actor).roles
    return frozenset(r for h in held for r in GRANTS.get(Role(h), frozenset()))


def require_grant(
    actor: Actor,  # check_actors: allow -- positional, like require_role
    role: Role | str,
    *,
    province: str | None = None,
    organisation: int | None = None,
) -> None:
    """:func:`may_grant` or a FORBIDDEN :class:`ServiceError`."""
    if not may_grant(actor, role, province=province, organisation=organisation):
        raise refused(_("You may not give this role here."))
