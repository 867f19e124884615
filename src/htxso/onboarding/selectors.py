"""Reads of access requests (the user first) and the cooperative search of the form."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from htxso.registry.models import Organisation
from htxso.registry.selectors import OrganisationFilters, public_directory

from .models import OPEN, AccessRequest, Status

#: Results shown by the cooperative search of the request form.
SEARCH_LIMIT = 10


def find_organisations(*, q: str) -> list[Organisation]:
    """Cooperatives of the public directory matching a tax code or words of the name
    typed with or without accents (the registry's own search); nothing for a query
    shorter than two characters."""
    q = (q or "").strip()[:200]
    if len(q) < 2:
        return []
    return list(public_directory(filters=OrganisationFilters(q=q))[:SEARCH_LIMIT])


def queue(*, user: Any, status: str = "", province: str = "") -> QuerySet[AccessRequest]:
    """The requests of the user's provinces (all for the VCA), newest first; the open
    ones when no status is given."""
    qs = (
        AccessRequest.objects.allowed(user, "queue")
        .select_related("organisation", "province", "requester")
        .order_by("created_at", "pk")
    )
    if province:
        qs = qs.filter(province_id=province)
    if status in Status.values:
        qs = qs.filter(status=status)
        if status not in OPEN:
            qs = qs.order_by("-updated_at", "-pk")
    else:
        qs = qs.filter(status__in=OPEN)
    return qs


def queue_counts(*, user: Any, province: str = "") -> dict[str, int]:
    qs = AccessRequest.objects.allowed(user, "queue")
    if province:
        qs = qs.filter(province_id=province)
    counts = dict.fromkeys(Status.values, 0)
    for row in qs.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    counts["open"] = counts[Status.SUBMITTED] + counts[Status.INFO_REQUESTED]
    return counts


def waiting_count(*, user: Any) -> int:
    """Requests waiting for the user's decision (for the officer's home card)."""
    return AccessRequest.objects.allowed(user, "decide").filter(status=Status.SUBMITTED).count()


def my_requests(*, user: Any) -> QuerySet[AccessRequest]:
    return (
        AccessRequest.objects.filter(requester=user)
        .select_related("organisation", "province")
        .order_by("-created_at", "-pk")
    )


def province_choices(*, user: Any) -> list[tuple[str, str]]:
    """The provinces whose requests the user sees (for the queue's filter)."""
    from htxso.geo.models import Province

    codes = AccessRequest.objects.allowed(user, "queue").values("province_id")
    return list(Province.objects.filter(pk__in=codes).order_by("code").values_list("code", "name"))


def organisations_with_manager(org_ids: list[int]) -> list[int]:
    """Of ``org_ids``, the organisations that already have a manager (one query)."""
    from htxso.accounts.models import RoleAssignment
    from htxso.core.roles import Role

    if not org_ids:
        return []
    return list(
        RoleAssignment.objects.filter(role=Role.COOP_MANAGER, organisation_id__in=org_ids)
        .values_list("organisation_id", flat=True)
        .distinct()
    )


def similar_organisations(req: AccessRequest) -> list[Organisation]:
    """Organisations of the registry a proposal may duplicate: the same tax code, or
    every word of the proposed name (accents ignored) in the same province."""
    from htxso.core.text import fold

    qs = Organisation.objects.select_related("province", "ward")
    found: list[Organisation] = []
    if req.proposed_tax_code:
        found.extend(qs.filter(tax_code=req.proposed_tax_code))
    generic = {"htx", "hop", "tac", "xa", "to", "nong", "nghiep", "dich", "vu"}
    words = [w for w in fold(req.proposed_name).split() if w not in generic][:6]
    if words:
        by_name = qs.filter(province_id=req.province_id)
        for word in words:
            by_name = by_name.filter(search_text__contains=word)
        found.extend(o for o in by_name[:5] if o not in found)
    return found


def requester_roles(user: Any) -> list[Any]:
    """The roles the requester already holds (the officer sees them beside the request)."""
    return list(user.role_assignments.select_related("organisation", "province"))


def resolve_ward(req: AccessRequest):
    """The ward the proposal's address names, when the address resolver finds one ward
    of the request's province; else None."""
    from htxso.geo.resolver import resolve_address

    if not req.proposed_address:
        return None
    resolution = resolve_address(f"{req.proposed_address}, {req.province.name}")
    ward = resolution.ward
    if ward is not None and ward.province_id == req.province_id:
        return ward
    return None
