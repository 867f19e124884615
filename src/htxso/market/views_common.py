"""Helpers shared by the market views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import Kind, ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import holds


def runs_independent_store(user: Any) -> bool:
    """Whether ``user`` runs an independent producer's store (opened by an approved
    store request): such a person holds no role, yet sells."""
    from .models import SellerKind, Store

    return (
        user.is_authenticated
        and Store.objects.filter(owner=user, kind=SellerKind.INDEPENDENT).exists()
    )


def seller_access(view: Callable[..., Any]) -> Callable[..., Any]:
    """The seller pages' gate: a role of ``roles.SELLERS`` (an organisation's people, the
    VCA), or the owner of an independent producer's store; anyone else is refused (403).
    Which store a seller may open is still the policy's answer (404 when not theirs)."""

    @wraps(view)
    def gated(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not (holds(request.user, roles.SELLERS) or runs_independent_store(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return access(authenticated=True)(gated)


def error_dict(exc: ValidationError) -> dict[str, list[str]]:
    """{field: [message, ...]} of a service's ValidationError ("__all__" for general)."""
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errs for m in (e.messages if hasattr(e, "messages") else [e])]
            for field, errs in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}


def service_errors(request: Any, exc: ServiceError) -> dict[str, list[str]]:
    """The service's messages by field name for a page that shows them itself (variant
    rows, "__all__"); a refusal of the actor answers 403/404 (``show_service_error``)."""
    if exc.kind in (Kind.FORBIDDEN, Kind.NOT_FOUND):
        show_service_error(request, exc)  # raises
    return error_dict(exc)


def form_service_error(request: Any, exc: ServiceError, form: forms.BaseForm) -> None:
    """Put a service's refusal on ``form`` (``show_service_error``): the form's own
    reading errors are dropped first, as the service names every such field itself."""
    form.is_valid()
    form._errors = ErrorDict()  # the form read leniently (see MarketForm.values)
    show_service_error(request, exc, form)


def int_or_none(value) -> int | None:
    """A filter's integer, or None when it is not one or does not fit the database."""
    from htxso.core.forms import fits_int64

    try:
        number = int(str(value).replace(".", "").strip())
    except (TypeError, ValueError):
        return None
    return number if fits_int64(number) else None


SORTS = [
    ("relevance", _("Most relevant")),
    ("price_asc", _("Price: low to high")),
    ("price_desc", _("Price: high to low")),
    ("newest", _("Newest")),
]
