"""What the market publishes to other apps: small reads with plain return values.

Other domain apps never import the market (ARCHITECTURE.md "Layout"); they reach these
functions through the hooks in ``core`` that ``MarketConfig.ready()`` fills in.
"""

from __future__ import annotations

from htxso.core.codes import CodeError, to_gtin14

from .search import public_products

__all__ = ["product_url_for_gtin", "runs_a_store"]


def product_url_for_gtin(gtin: str) -> str | None:
    """The public page of the newest product on sale (in a verified store) with this
    GTIN, or ``None`` when there is none or ``gtin`` is not a valid GTIN."""
    try:
        gtin14 = to_gtin14(gtin)
    except CodeError:
        return None
    product = public_products().filter(gtin=gtin14).order_by("-id").only("id").first()
    return product.get_absolute_url() if product is not None else None


def runs_a_store(user: object) -> bool:
    """Whether the signed-in ``user`` owns a market store (so may hold API tokens)."""
    from .models import Store

    return bool(getattr(user, "is_authenticated", False)) and (
        Store.objects.filter(owner=user).exists()
    )
