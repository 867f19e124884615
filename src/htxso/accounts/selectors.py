"""Reads about users and what they may reach."""

from __future__ import annotations

from htxso.core.scoping import Scope

from .models import Role, RoleAssignment, User


def scope_for(user: User) -> Scope:
    """Build the user's scope from their role assignments (one query)."""
    rows = list(
        RoleAssignment.objects.filter(user=user).values_list(
            "role", "province_id", "organisation_id"
        )
    )
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
    return Scope(
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


def role_assignments(user: User):
    return (
        RoleAssignment.objects.filter(user=user)
        .select_related("province", "organisation", "organisation__province")
        .order_by("role", "id")
    )
