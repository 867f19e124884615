"""Reads of the household store requests, taking the user first."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from htxso.core import roles
from htxso.core.policy import holds

from .models import SellerKind, Store, StoreRequest
from .models.household_stores import OPEN_STATES


def request_queue(user: Any, *, open_only: bool = True) -> QuerySet[StoreRequest]:
    """The requests of the user's provinces (the VCA: all), oldest open first."""
    qs = StoreRequest.objects.allowed(user, "view").select_related("province", "ward")
    if open_only:
        return qs.filter(status__in=OPEN_STATES).order_by("submitted_at", "id")
    return qs.exclude(status__in=OPEN_STATES).order_by("-updated_at", "-id")


def requests_of(user: Any) -> QuerySet[StoreRequest]:
    """The user's own requests, newest first."""
    if not getattr(user, "is_authenticated", False):
        return StoreRequest.objects.none()
    return StoreRequest.objects.filter(requester=user).select_related("store").order_by("-id")


def independent_store_of(user: Any) -> Store | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Store.objects.filter(owner=user, kind=SellerKind.INDEPENDENT).first()


def sees_sensitive(user: Any, req: StoreRequest) -> bool:
    """The ID number and ethnicity in full: only who decides (officer of the province,
    VCA).  A department viewer and the requester see the ID number masked."""
    return holds(user, roles.REVIEWERS) and StoreRequest.policy.allows(user, "decide", req)
