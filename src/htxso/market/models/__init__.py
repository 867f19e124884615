"""Market models, one module per sub-domain.

* :mod:`.stores` — ``Store`` (a seller: a cooperative, a cooperative group or a member
  household attached to an organisation of the registry), ``StoreStatus``.
* :mod:`.catalogue` — ``Category`` (tree), ``Product``, ``Variant`` (price and stock),
  ``ProductImage``, ``SearchTerm`` (vocabulary of folded words for typo tolerance),
  ``ProductTerm`` (inverted index: product ↔ word).
* :mod:`.orders` — ``Cart``/``CartLine``, ``Checkout`` (one submission, idempotency key),
  ``Order`` (one per store, state machine), ``OrderLine``, ``OrderEvent``, ``Payment``.
* :mod:`.reviews` — ``Review`` (verified buyers) and ``Report`` (moderation queue).
* :mod:`.household_stores` — ``StoreRequest`` (a producer of no cooperative asks for
  an independent store; the provincial officer verifies it).
* :mod:`.held_photos` — ``HeldPhoto`` (a checked photo kept while the product form is
  corrected).
"""

from .catalogue import (
    Category,
    Product,
    ProductImage,
    ProductStatus,
    ProductTerm,
    SearchKey,
    SearchTerm,
    Variant,
)
from .held_photos import HeldPhoto
from .household_stores import StoreRequest, StoreRequestStatus
from .orders import (
    Cart,
    CartLine,
    Checkout,
    Fulfilment,
    Order,
    OrderEvent,
    OrderLine,
    OrderState,
    Payment,
    PaymentMethod,
)
from .reviews import Report, ReportReason, ReportStatus, Review, ReviewStatus
from .stores import SellerKind, Store, StoreStatus

__all__ = [
    "Cart",
    "CartLine",
    "Category",
    "Checkout",
    "Fulfilment",
    "HeldPhoto",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderState",
    "Payment",
    "PaymentMethod",
    "Product",
    "ProductImage",
    "ProductStatus",
    "ProductTerm",
    "Report",
    "ReportReason",
    "ReportStatus",
    "Review",
    "ReviewStatus",
    "SearchKey",
    "SearchTerm",
    "SellerKind",
    "Store",
    "StoreRequest",
    "StoreRequestStatus",
    "StoreStatus",
    "Variant",
]
