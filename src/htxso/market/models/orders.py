"""Carts, checkouts, orders (one per store), their history and payments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.policy import Policy
from htxso.core.scoping import Scope, ScopedManager


class Cart(models.Model):
    """A shopping cart: a signed-in user's (``user``) or an anonymous session's
    (``session_key``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="market_cart",
    )
    session_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(session_key__isnull=False),
                name="market_cart_has_owner",
            )
        ]

    def __str__(self) -> str:
        return f"cart {self.pk}"


class CartLine(models.Model):
    """A variant in a cart; ``price_seen`` is the price the buyer was shown when adding,
    so a price change before the order is placed can be detected and shown."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "market.Variant", on_delete=models.CASCADE, related_name="cart_lines"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    price_seen = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="market_cartline_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="market_cartline_qty_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant_id}"


class Fulfilment(models.TextChoices):
    DELIVERY = "delivery", _("Delivery")
    PICKUP = "pickup", _("Pickup at the store")


class PaymentMethod(models.TextChoices):
    VIETQR = "vietqr", _("Bank transfer (VietQR)")
    COD = "cod", _("Cash on delivery")


class Checkout(models.Model):
    """One press of "Place order": the buyer's cart split into one order per store.

    ``idempotency_key`` comes from the checkout form; a second submission with the same
    key returns the same orders instead of placing new ones.  ``token`` lets a guest
    buyer open the orders (link kept in the session and shown after placing).
    """

    idempotency_key = models.CharField(max_length=64, unique=True)
    token = models.CharField(max_length=43, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="market_checkouts",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")

    def __str__(self) -> str:
        return f"checkout {self.pk}"


def _store_owned(user: Any, scope: Scope) -> Q:
    return Q(store__owner=user) if user.is_authenticated else Q(pk__in=[])


def _seller_or_buyer(user: Any, scope: Scope) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(store__owner=user) | Q(buyer=user)


class OrderState(models.TextChoices):
    PLACED = "placed", _("Placed")
    CONFIRMED = "confirmed", _("Confirmed by the seller")
    PAID = "paid", _("Paid")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")
    EXPIRED = "expired", _("Expired (not paid in time)")


#: States in which the order still holds stock.
RESERVING_STATES = ("placed", "confirmed", "paid", "shipped", "delivered", "completed")


class Order(models.Model):
    """An order to one store.

    State machine (``services.orders.TRANSITIONS``): placed → confirmed → paid → shipped →
    delivered → completed for VietQR; cash on delivery goes confirmed → shipped →
    delivered → paid → completed.  ``cancelled`` (from placed/confirmed, with a reason),
    ``refunded`` (after payment, with a reason), ``expired`` (an unpaid VietQR order past
    ``expires_at``, by the expiry task).  Each state has its own timestamp; ``OrderEvent``
    keeps the history.  ``code`` ("DH24A7K3") is short, random and shown to buyer and
    seller; it is also the VietQR transfer note.  Prices and totals are kept as at
    placement; stock is given back once (``stock_released``) on cancel/expiry/refund.
    """

    scope_province_path = "store__province"
    scope_organisation_path = "store__organisation"
    #: As its store (the store's owner too); the buyer also sees their own orders.
    policy = Policy(
        view=roles.STAFF_AND_ORGANISATIONS,
        change=roles.EDITORS,
        extra={"view": _seller_or_buyer, "change": _store_owned},
    )

    code = models.CharField(_("order code"), max_length=12, unique=True)
    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="orders")
    store = models.ForeignKey(
        "market.Store", on_delete=models.PROTECT, related_name="orders", verbose_name=_("store")
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="market_orders",
        verbose_name=_("buyer account"),
    )
    buyer_name = models.CharField(_("buyer name"), max_length=120)
    buyer_phone = models.CharField(_("phone"), max_length=15)
    buyer_email = models.EmailField(_("e-mail"), blank=True)
    ward = models.ForeignKey(
        "geo.Ward",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="market_orders",
        verbose_name=_("ward"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    note = models.CharField(_("note to the seller"), max_length=500, blank=True)
    fulfilment = models.CharField(_("receive by"), max_length=10, choices=Fulfilment.choices)
    payment_method = models.CharField(_("payment"), max_length=10, choices=PaymentMethod.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=OrderState.choices, default=OrderState.PLACED
    )
    state_reason = models.CharField(_("reason"), max_length=500, blank=True)
    subtotal = models.PositiveBigIntegerField(_("goods (VND)"))
    delivery_fee = models.PositiveIntegerField(_("delivery fee (VND)"), default=0)
    total = models.PositiveBigIntegerField(_("total (VND)"))
    placed_at = models.DateTimeField(_("placed at"))
    expires_at = models.DateTimeField(_("pay before"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expired at"), null=True, blank=True)
    stock_released = models.BooleanField(default=False)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [
            models.Index(fields=["store", "state", "placed_at"], name="market_order_store_state"),
            models.Index(fields=["state", "expires_at"], name="market_order_state_expiry"),
            models.Index(fields=["buyer", "placed_at"], name="market_order_buyer"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["checkout", "store"], name="market_order_one_per_store"
            ),
            models.CheckConstraint(
                condition=Q(total=F("subtotal") + F("delivery_fee")), name="market_order_total"
            ),
            models.CheckConstraint(condition=Q(subtotal__gt=0), name="market_order_not_empty"),
            models.CheckConstraint(
                condition=Q(
                    state__in=[
                        "placed",
                        "confirmed",
                        "paid",
                        "shipped",
                        "delivered",
                        "completed",
                        "cancelled",
                        "refunded",
                        "expired",
                    ]
                ),
                name="market_order_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(fulfilment="delivery") | ~Q(address=""),
                name="market_order_delivery_address",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.state not in ("completed", "cancelled", "refunded", "expired")


class OrderLine(models.Model):
    """A line of an order, with the title, size and unit price as at placement."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "market.Product", on_delete=models.SET_NULL, null=True, related_name="order_lines"
    )
    variant = models.ForeignKey(
        "market.Variant", on_delete=models.SET_NULL, null=True, related_name="order_lines"
    )
    title = models.CharField(_("product"), max_length=150)
    variant_label = models.CharField(_("size"), max_length=40)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    unit_price = models.PositiveIntegerField(_("unit price (VND)"))
    quantity = models.PositiveIntegerField(_("quantity"))
    line_total = models.PositiveBigIntegerField(_("amount (VND)"))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="market_line_qty_positive"),
            models.CheckConstraint(
                condition=Q(unit_price__gt=0), name="market_line_price_positive"
            ),
            models.CheckConstraint(
                condition=Q(line_total=F("unit_price") * F("quantity")), name="market_line_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title} ({self.variant_label})"


class OrderEvent(models.Model):
    """One state change of an order: who, when, from, to, why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10, choices=OrderState.choices)
    reason = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_state} → {self.to_state}"


class Payment(models.Model):
    """A payment the seller confirms having received (transfer or cash); no bank API."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("payment"), max_length=10, choices=PaymentMethod.choices)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    reference = models.CharField(_("transfer reference"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("received at"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="market_payment_positive"),
            models.UniqueConstraint(fields=["order"], name="market_payment_one_per_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.amount}"
