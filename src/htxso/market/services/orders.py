"""Placing orders (stock reserved atomically, one order per store, idempotent) and
moving them through their states."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core import audit
from htxso.core.actors import SCHEDULER, Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.codes import CodeError, validate_vn_phone
from htxso.core.errors import Kind, ServiceError, refused
from htxso.core.notify import email_after_commit
from htxso.geo.models import Ward

from ..models import (
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
    Product,
    ProductStatus,
    StoreStatus,
    Variant,
)
from .common import Errors, text

ACTION_LABELS.update(
    {
        "order.place": _("Order placed"),
        "order.transition": _("Order state changed"),
        "order.expire": _("Unpaid order expired"),
    }
)

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#: Hours a buyer has to pay a VietQR order before it expires and its stock is released.
PAYMENT_HOURS = getattr(settings, "MARKET_PAYMENT_HOURS", 24)

S = OrderState
#: state -> states it may go to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.PLACED: (S.CONFIRMED, S.CANCELLED, S.EXPIRED),
    S.CONFIRMED: (S.PAID, S.SHIPPED, S.CANCELLED, S.EXPIRED),
    S.PAID: (S.SHIPPED, S.COMPLETED, S.REFUNDED),
    S.SHIPPED: (S.DELIVERED,),
    S.DELIVERED: (S.PAID, S.COMPLETED, S.REFUNDED),
    S.COMPLETED: (S.REFUNDED,),
    S.CANCELLED: (),
    S.REFUNDED: (),
    S.EXPIRED: (),
}
NEEDS_REASON = (S.CANCELLED, S.REFUNDED)
PRICE_CHANGED = _(
    "A price changed while you were ordering. Check the new prices and place the order again."
)
TIMESTAMP = {
    S.CONFIRMED: "confirmed_at",
    S.PAID: "paid_at",
    S.SHIPPED: "shipped_at",
    S.DELIVERED: "delivered_at",
    S.COMPLETED: "completed_at",
    S.CANCELLED: "cancelled_at",
    S.REFUNDED: "refunded_at",
    S.EXPIRED: "expired_at",
}


def new_code() -> str:
    return "DH" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def allowed_next(order: Order) -> list[str]:
    """States the seller may move the order to now."""
    result = []
    for state in TRANSITIONS[order.state]:
        if state == S.EXPIRED:
            continue
        cod = order.payment_method == PaymentMethod.COD
        if state == S.SHIPPED and order.state == S.CONFIRMED and not cod:
            continue
        if state == S.PAID and order.state == S.DELIVERED and not cod:
            continue
        if state == S.COMPLETED and (order.paid_at is None or order.delivered_at is None):
            continue
        if state == S.SHIPPED and order.shipped_at is not None:
            continue
        if state == S.REFUNDED and order.paid_at is None:
            continue
        result.append(state)
    return result


# ------------------------------------------------------------------ placing


@dataclass
class PriceChange:
    line_id: int
    title: str
    label: str
    old: int
    new: int


def _buyer_values(errors: Errors, data: dict) -> dict:
    values = {
        "buyer_name": text(
            errors, "buyer_name", data.get("buyer_name"), max_length=120, required=True
        ),
        "address": text(errors, "address", data.get("address"), max_length=255),
        "note": text(errors, "note", data.get("note"), max_length=500, multiline=True),
        "buyer_email": text(errors, "buyer_email", data.get("buyer_email"), max_length=254),
    }
    try:
        values["buyer_phone"] = validate_vn_phone(data.get("buyer_phone"))
    except CodeError as exc:
        errors.add("buyer_phone", exc.message, exc.code, exc.params)
    if values["buyer_email"]:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(values["buyer_email"])
        except ValidationError:
            errors.add("buyer_email", _("Enter a valid e-mail address."), "invalid_email")
    fulfilment = data.get("fulfilment") or Fulfilment.DELIVERY
    if fulfilment not in Fulfilment.values:
        errors.add("fulfilment", _("Choose delivery or pickup."), "invalid_choice")
    values["fulfilment"] = fulfilment
    method = data.get("payment_method") or PaymentMethod.VIETQR
    if method not in PaymentMethod.values:
        errors.add("payment_method", _("Choose how you pay."), "invalid_choice")
    values["payment_method"] = method
    ward = None
    ward_code = (data.get("ward") or "").strip()
    if ward_code:
        ward = Ward.objects.filter(pk=ward_code).first()
        if ward is None:
            errors.add("ward", _("Choose a ward from the list."), "invalid_choice")
    if fulfilment == Fulfilment.DELIVERY:
        if ward is None and "ward" not in errors.errors:
            errors.add("ward", _("Choose the ward to deliver to."), "required")
        if not values["address"] and "address" not in errors.errors:
            errors.add("address", _("Enter the house number and street or village."), "required")
    values["ward"] = ward
    return values


def delivery_fee(*, store, fulfilment: str) -> int:
    """The delivery fee an order from ``store`` pays (VND): the store's fee for delivery,
    nothing for pickup.  The checkout page shows it with this same function."""
    return int(store.delivery_fee or 0) if fulfilment == Fulfilment.DELIVERY else 0


def check_prices(lines: list[CartLine]) -> list[PriceChange]:
    """Lines whose price changed since the buyer saw it; the cart is updated to the new
    prices so that confirming again places the order at them."""
    changes = []
    for line in lines:
        if line.variant.price != line.price_seen:
            changes.append(
                PriceChange(
                    line.pk,
                    line.variant.product.title,
                    line.variant.label,
                    line.price_seen,
                    line.variant.price,
                )
            )
            CartLine.objects.filter(pk=line.pk).update(price_seen=line.variant.price)
    return changes


def _existing(key: str) -> list[Order] | None:
    checkout = Checkout.objects.filter(idempotency_key=key).first()
    if checkout is None:
        return None
    return list(checkout.orders.select_related("store").order_by("id"))


def checkout_place(*, actor: Actor, cart: Cart, data: dict, idempotency_key: str) -> list[Order]:
    """Place the cart as one order per store.

    * The same ``idempotency_key`` twice (a double click, a retried request) returns the
      orders of the first submission and places nothing new.
    * A price that changed since the buyer saw it refuses with ``price_changed`` (the
      details list old and new prices; the cart now shows the new ones).
    * Stock is reserved with one conditional UPDATE per variant (``stock >= quantity``),
      atomic on SQLite and PostgreSQL; any shortage rolls the whole checkout back.
    """
    raw_key = (idempotency_key or "").strip()[:200]
    if len(raw_key) < 8:
        raise ServiceError("idempotency_key_missing", _("The form has expired; reload the page."))
    # The key is bound to the cart, so a key seen elsewhere cannot open another buyer's
    # checkout.
    key = hashlib.sha256(f"{cart.pk}:{raw_key}".encode()).hexdigest()
    existing = _existing(key)
    if existing is not None:
        return existing
    errors = Errors()
    values = _buyer_values(errors, data)
    errors.raise_if_any()
    from .cart import cart_lines

    lines = cart_lines(cart)
    if not lines:
        raise ServiceError("cart_empty", _("Your cart is empty."))
    changes = check_prices(lines)
    if changes:
        raise ServiceError(
            "price_changed",
            PRICE_CHANGED,
            details=[c.__dict__ for c in changes],
        )
    try:
        orders = _place(actor=actor, cart=cart, lines=lines, values=values, key=key)
    except IntegrityError:
        # A concurrent submission with the same key won the race.
        existing = _existing(key)
        if existing is None:
            raise
        return existing
    return orders


@transaction.atomic
def _place(
    *, actor: Actor, cart: Cart, lines: list[CartLine], values: dict, key: str
) -> list[Order]:
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    checkout = Checkout.objects.create(
        idempotency_key=key, token=secrets.token_urlsafe(32), user=user
    )
    by_store: OrderedDict[int, list[CartLine]] = OrderedDict()
    for line in lines:
        by_store.setdefault(line.variant.product.store_id, []).append(line)
    # Reserve stock in variant order so concurrent checkouts never deadlock.
    for line in sorted(lines, key=lambda ln: ln.variant_id):
        # Only the variant's own columns in the WHERE clause: PostgreSQL re-checks them
        # on the latest row version after waiting for a concurrent buyer's lock (a join
        # would become a sub-query evaluated on the old snapshot).
        reserved = Variant.objects.filter(
            pk=line.variant_id, stock__gte=line.quantity, price=line.price_seen, is_active=True
        ).update(stock=F("stock") - line.quantity)
        if reserved == 1 and line.variant.product.status != ProductStatus.ACTIVE:
            reserved = 0
        if reserved != 1:
            fresh = Variant.objects.select_related("product").get(pk=line.variant_id)
            if not fresh.is_active or fresh.product.status != ProductStatus.ACTIVE:
                raise ServiceError(
                    "variant_unavailable",
                    _("%(title)s is no longer for sale; remove it from your cart."),
                    {"title": fresh.product.title},
                )
            if fresh.price != line.price_seen:
                raise ServiceError(
                    "price_changed",
                    PRICE_CHANGED,
                    details=[
                        PriceChange(
                            line.pk, fresh.product.title, fresh.label, line.price_seen, fresh.price
                        ).__dict__
                    ],
                )
            raise ServiceError(
                "not_enough_stock",
                _("Only %(stock)s left of %(title)s (%(label)s); lower the quantity."),
                {"stock": fresh.stock, "title": fresh.product.title, "label": fresh.label},
            )
    orders = []
    for store_lines in by_store.values():
        store = store_lines[0].variant.product.store
        _check_store(store, values)
        subtotal = sum(ln.price_seen * ln.quantity for ln in store_lines)
        fee = delivery_fee(store=store, fulfilment=values["fulfilment"])
        vietqr = values["payment_method"] == PaymentMethod.VIETQR
        for _attempt in range(5):
            code = new_code()
            if not Order.objects.filter(code=code).exists():
                break
        order = Order.objects.create(
            code=code,
            checkout=checkout,
            store=store,
            buyer=user,
            subtotal=subtotal,
            delivery_fee=fee,
            total=subtotal + fee,
            placed_at=now,
            expires_at=now + dt.timedelta(hours=PAYMENT_HOURS) if vietqr else None,
            **values,
        )
        OrderLine.objects.bulk_create(
            [
                OrderLine(
                    order=order,
                    product=ln.variant.product,
                    variant=ln.variant,
                    title=ln.variant.product.title,
                    variant_label=ln.variant.label,
                    unit=ln.variant.product.unit,
                    unit_price=ln.price_seen,
                    quantity=ln.quantity,
                    line_total=ln.price_seen * ln.quantity,
                )
                for ln in store_lines
            ]
        )
        OrderEvent.objects.create(order=order, to_state=S.PLACED, actor=user, at=now)
        audit.record(
            actor=actor,
            action="order.place",
            instance=order,
            after={"code": order.code, "total": order.total},
        )
        _notify_seller_new(order)
        orders.append(order)
    _refresh_in_stock({ln.variant.product_id for ln in lines})
    cart.lines.all().delete()
    return orders


def _check_store(store, values: dict) -> None:
    if store.status != StoreStatus.VERIFIED:
        raise ServiceError(
            "store_closed", _("The store %(name)s is not selling now."), {"name": store.name}
        )
    if values["fulfilment"] == Fulfilment.DELIVERY and not store.offers_delivery:
        raise ServiceError(
            "fulfilment_unavailable",
            _("%(name)s does not deliver; choose pickup or order from it separately."),
            {"name": store.name},
        )
    if values["fulfilment"] == Fulfilment.PICKUP and not store.offers_pickup:
        raise ServiceError(
            "fulfilment_unavailable",
            _("%(name)s has no pickup; choose delivery."),
            {"name": store.name},
        )
    if values["payment_method"] == PaymentMethod.VIETQR and not store.has_bank_account:
        raise ServiceError(
            "vietqr_unavailable",
            _("%(name)s does not take bank transfers yet; choose cash on delivery."),
            {"name": store.name},
        )


def _refresh_in_stock(product_ids) -> None:
    for pid in product_ids:
        has = Variant.objects.filter(product_id=pid, is_active=True, stock__gt=0).exists()
        Product.objects.filter(pk=pid).exclude(in_stock=has).update(in_stock=has)


def _notify_seller_new(order: Order) -> None:
    email_after_commit(
        subject=str(_("New order %(code)s") % {"code": order.code}),
        body=str(
            _("You have a new order %(code)s of %(total)s VND. Confirm it on HTX Số.")
            % {"code": order.code, "total": f"{order.total:,}".replace(",", ".")}
        ),
        recipients=seller_emails(order.store),
    )


def seller_emails(store) -> list[str]:
    emails = []
    if store.owner_id and store.owner.email:
        emails.append(store.owner.email)
    if store.organisation_id and store.organisation.email:
        emails.append(store.organisation.email)
    return emails


# ------------------------------------------------------------------ transitions


def _release_stock(order: Order) -> None:
    if order.stock_released:
        return
    for line in order.lines.all():
        if line.variant_id:
            Variant.objects.filter(pk=line.variant_id).update(stock=F("stock") + line.quantity)
    order.stock_released = True
    _refresh_in_stock({ln.product_id for ln in order.lines.all() if ln.product_id})


@transaction.atomic
def order_transition(
    *,
    actor: Actor,
    order: Order,
    to_state: str,
    reason: str = "",
    reference: str = "",
    as_buyer: bool = False,
) -> Order:
    """Move ``order`` to ``to_state``.  The seller (store editor) may make every allowed
    move; the buyer (``as_buyer``: the signed-in buyer, or ``PUBLIC`` for a guest who
    holds the order's code) may cancel before confirmation and mark a delivered order
    received (completed); the system (a ``SystemActor`` such as ``SCHEDULER``) expires
    unpaid orders."""
    order = Order.objects.select_for_update().select_related("store").get(pk=order.pk)
    system = isinstance(actor, SystemActor) and not as_buyer
    if not system:
        if as_buyer:
            ok = (order.state == S.PLACED and to_state == S.CANCELLED) or (
                order.state == S.DELIVERED and to_state == S.COMPLETED and order.paid_at
            )
            if not ok:
                raise refused(_("Your role may not do this."))
        else:
            Order.policy.require(actor, "change", order)
    if to_state not in TRANSITIONS.get(order.state, ()) or (
        not system and not as_buyer and to_state not in allowed_next(order)
    ):
        raise ServiceError(
            "bad_transition",
            _("An order that is %(state)s cannot become %(to)s."),
            {"state": order.get_state_display(), "to": OrderState(to_state).label}
            if to_state in OrderState.values
            else {"state": order.get_state_display(), "to": to_state},
            kind=Kind.CONFLICT,
        )
    errors = Errors()
    reason = text(errors, "reason", reason, max_length=500, required=to_state in NEEDS_REASON)
    reference = text(errors, "reference", reference, max_length=100)
    errors.raise_if_any(code="invalid")
    now = timezone.now()
    from_state = order.state
    order.state = to_state
    order.state_reason = reason
    setattr(order, TIMESTAMP[to_state], now)
    if to_state == S.PAID:
        Payment.objects.create(
            order=order,
            method=order.payment_method,
            amount=order.total,
            reference=reference,
            received_at=now,
            confirmed_by=actor if getattr(actor, "pk", None) else None,
        )
    if to_state in (S.CANCELLED, S.EXPIRED) or (to_state == S.REFUNDED and not order.shipped_at):
        _release_stock(order)
    if to_state == S.COMPLETED:
        for line in order.lines.all():
            if line.product_id:
                Product.objects.filter(pk=line.product_id).update(
                    sold_count=F("sold_count") + line.quantity
                )
    order.save()
    OrderEvent.objects.create(
        order=order,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        actor=actor if getattr(actor, "pk", None) else None,
        at=now,
    )
    audit.record(
        actor=actor,
        action="order.expire" if system else "order.transition",
        instance=order,
        before={"state": from_state},
        after={"state": to_state, "reason": reason},
    )
    if order.buyer_email and not system:
        email_after_commit(
            subject=str(_("Your order %(code)s") % {"code": order.code}),
            body=str(
                _("Your order %(code)s is now: %(state)s. %(reason)s")
                % {"code": order.code, "state": order.get_state_display(), "reason": reason}
            ),
            recipients=[order.buyer_email],
        )
    return order


def expire_unpaid(*, now: dt.datetime | None = None) -> int:
    """Expire unpaid VietQR orders past their deadline and release their stock."""
    now = now or timezone.now()
    due = Order.objects.filter(
        state__in=(S.PLACED, S.CONFIRMED),
        payment_method=PaymentMethod.VIETQR,
        paid_at__isnull=True,
        expires_at__lt=now,
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        order = Order.objects.get(pk=pk)
        try:
            order_transition(actor=SCHEDULER, order=order, to_state=S.EXPIRED)
            count += 1
        except ServiceError:  # moved meanwhile
            continue
    return count


def orders_to_remind(
    *, now: dt.datetime | None = None, every_hours: int = 6, max_reminders: int = 5
):
    now = now or timezone.now()
    return (
        Order.objects.filter(
            state=S.PLACED,
            placed_at__lt=now - dt.timedelta(hours=1),
            reminders_sent__lt=max_reminders,
        )
        .exclude(last_reminded_at__gt=now - dt.timedelta(hours=every_hours))
        .select_related("store__owner", "store__organisation")
    )


def remind_unconfirmed(*, now: dt.datetime | None = None) -> int:
    """E-mail sellers about orders they have not confirmed yet; returns the count."""
    now = now or timezone.now()
    count = 0
    for order in orders_to_remind(now=now):
        with transaction.atomic():
            updated = Order.objects.filter(pk=order.pk, state=S.PLACED).update(
                reminders_sent=F("reminders_sent") + 1, last_reminded_at=now
            )
            if updated:
                email_after_commit(
                    subject=str(_("Reminder: confirm order %(code)s") % {"code": order.code}),
                    body=str(
                        _(
                            "Order %(code)s is waiting for your confirmation since %(placed)s. "
                            "Buyers cancel orders that are not confirmed."
                        )
                        % {
                            "code": order.code,
                            "placed": timezone.localtime(order.placed_at).strftime(
                                "%H:%M %d/%m/%Y"
                            ),
                        }
                    ),
                    recipients=seller_emails(order.store),
                )
                count += 1
    return count
