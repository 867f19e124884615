"""What the provincial officer looks at before verifying a store: its products, and
whether the bank account's holder is the store (or its organisation, or household)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch

from htxso.core.text import fold

from .models import Product, ProductImage, Store

REVIEW_PRODUCTS = 6

# Abbreviations banks print on account names, spelled out (folded) before comparing.
_ABBREVIATIONS = {
    "htx": "hop tac xa",
    "thtx": "to hop tac",
    "tht": "to hop tac",
    "cty": "cong ty",
    "ct": "cong ty",
    "dntn": "doanh nghiep tu nhan",
}
# Words of an organisation's kind that a holder name may leave out.
_KIND_WORDS = re.compile(
    r"\b(hop tac xa|to hop tac|lien hiep|cong ty|doanh nghiep tu nhan|ho kinh doanh)\b"
)


def _words(name: str) -> str:
    return " ".join(_ABBREVIATIONS.get(w, w) for w in fold(name).split())


def _core(name: str) -> str:
    return " ".join(_KIND_WORDS.sub(" ", _words(name)).split())


def _contains(longer: str, shorter: str) -> bool:
    return bool(shorter) and f" {shorter} " in f" {longer} "


@dataclass
class HolderCheck:
    """The account holder compared with the names it should be (accents, case, "HTX"
    and the kind of organisation aside). ``matched`` is the name it matches, if any."""

    holder: str
    candidates: list[str] = field(default_factory=list)
    matched: str = ""

    @property
    def mismatch(self) -> bool:
        return bool(self.holder) and not self.matched


def holder_check(store: Store) -> HolderCheck:
    candidates = [
        store.name,
        store.household_name,
        store.organisation.name if store.organisation_id else "",
    ]
    candidates = [c for c in dict.fromkeys(candidates) if c]
    result = HolderCheck(holder=store.bank_account_name, candidates=candidates)
    holder = _words(store.bank_account_name)
    if not holder:
        return result
    for name in candidates:
        words = _words(name)
        core, holder_core = _core(name), _core(store.bank_account_name)
        if (
            holder == words
            or (core and core == holder_core)
            or (len(holder_core.split()) >= 2 and _contains(words, holder_core))
            or (len(core.split()) >= 2 and _contains(holder, core))
        ):
            result.matched = name
            break
    return result


def store_review(store: Store) -> dict:
    """The review page's facts: product count, the newest products with their first
    photo, the holder check, and the pickup ward (with its province)."""
    products = list(
        Product.objects.filter(store=store)
        .select_related("category")
        .prefetch_related(
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
        )
        .order_by("-created_at", "-id")[:REVIEW_PRODUCTS]
    )
    for product in products:
        images = list(product.images.all())
        product.first_image = images[0] if images else None
    return {
        "product_count": Product.objects.filter(store=store).count(),
        "review_products": products,
        "holder": holder_check(store),
    }
