"""Template helpers of the market: VND amounts, stars, form errors, query strings."""

from __future__ import annotations

from django import template

from htxso.core.formatting import format_vnd

register = template.Library()


@register.filter
def vnd(value) -> str:
    """120000 → "120.000 ₫"."""
    try:
        return format_vnd(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def star_text(n) -> str:
    try:
        n = int(n)
    except (TypeError, ValueError):
        return ""
    return "★" * n + "☆" * (5 - n)


@register.filter
def errors_for(errors, field: str):
    return (errors or {}).get(field, [])


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (and ``page`` dropped)."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()
