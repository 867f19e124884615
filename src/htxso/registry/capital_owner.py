"""Who keeps a member's capital: the registry's own forms, or another app's register.

``Membership.capital`` has one source of truth.  Until a cooperative's capital register
has started, the registry's member form and Excel import write the capital as before;
once it has (governance: at least one capital movement), the register's services keep
``Membership.capital`` equal to the paid capital and the registry refuses to change it.

The registry does not know the register: the app that owns it fills the hook from its
``AppConfig.ready()`` with :func:`register_capital_owner` (governance does, see
``governance.checks_register.connect_capital_owner``).  Without an owner nothing is
managed and the registry edits the capital freely.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from htxso.core.errors import Kind, ServiceError

#: The stable code of a refused capital change (forms, API, import rows).
CODE = "capital_managed_by_register"
MESSAGE = _(
    "The capital of this cooperative is recorded in the capital register: record a"
    " contribution there, not here."
)


@dataclass(frozen=True)
class _Owner:
    managed: Callable[[int], bool]  # organisation id → its capital is kept elsewhere
    url: Callable[[int], str]  # organisation id → the page where it is kept


_OWNERS: list[_Owner] = []


def register_capital_owner(managed: Callable[[int], bool], url: Callable[[int], str]) -> None:
    """Called once from an ``AppConfig.ready()`` (repeated calls add nothing)."""
    owner = _Owner(managed, url)
    if owner not in _OWNERS:
        _OWNERS.append(owner)


def capital_managed(organisation_id: int | None) -> bool:
    """Whether this organisation's member capital is kept by another app's register."""
    if not organisation_id:
        return False
    return any(o.managed(organisation_id) for o in _OWNERS)


def managed_among(organisation_ids: Iterable[int]) -> set[int]:
    """The organisations, among these, whose capital is kept by a register."""
    return {pk for pk in set(organisation_ids) if capital_managed(pk)}


def register_url(organisation_id: int) -> str:
    """The page of the register that keeps this organisation's capital ("" if none)."""
    for owner in _OWNERS:
        if owner.managed(organisation_id):
            return owner.url(organisation_id)
    return ""


def refusal(field: str = "capital") -> ServiceError:
    """The refusal of a capital change for a managed organisation (kind CONFLICT)."""
    return ServiceError(
        CODE, MESSAGE, fields={field: [ServiceError(CODE, MESSAGE)]}, kind=Kind.CONFLICT
    )
