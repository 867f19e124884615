"""Reads of organisation data, always scoped to the acting user."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from htxso.core.scoping import get_visible_or_404
from htxso.core.text import fold

from .models import Organisation


def organisation_list(*, user, q: str = "", province: str = "", kind: str = "") -> QuerySet:
    qs = Organisation.objects.visible_to(user).select_related("province", "ward")
    folded = fold(q)
    if folded:
        qs = qs.filter(search_text__contains=folded)
    if province:
        qs = qs.filter(province_id=province)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def organisation_get(*, user, pk: int) -> Organisation:
    return get_visible_or_404(Organisation.objects.select_related("province", "ward"), user, pk=pk)


def organisation_counts(*, user) -> dict:
    """Counts by kind and status over what the user may see (one query)."""
    return Organisation.objects.visible_to(user).aggregate(
        total=Count("id"),
        cooperatives=Count("id", filter=Q(kind="cooperative")),
        groups=Count("id", filter=Q(kind="group")),
        unions=Count("id", filter=Q(kind="union")),
        active=Count("id", filter=Q(status="active")),
    )


def organisation_counts_by_province(*, user) -> list[dict]:
    return list(
        Organisation.objects.visible_to(user)
        .values("province_id", "province__name")
        .annotate(
            total=Count("id"),
            cooperatives=Count("id", filter=Q(kind="cooperative")),
            active=Count("id", filter=Q(status="active")),
        )
        .order_by("province_id")
    )
