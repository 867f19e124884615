"""The shopping cart of a session or a signed-in user."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from htxso.core.errors import ServiceError

from ..models import Cart, CartLine, ProductStatus, StoreStatus, Variant

MAX_QUANTITY = 999
MAX_LINES = 50


def cart_for(request, *, create: bool = False) -> Cart | None:
    """The request's cart: the signed-in user's, else the session's guest cart.

    The guest cart's id is kept in the session data (which survives the session key
    change at sign-in), so a cart filled before signing in joins the user's cart.
    """
    user = request.user
    guest_id = request.session.get("market_cart")
    guest = (
        Cart.objects.filter(pk=guest_id, user__isnull=True).first()
        if isinstance(guest_id, int)
        else None
    )
    if user.is_authenticated:
        cart = Cart.objects.filter(user=user).first()
        if guest is not None:
            cart = cart_merge(guest=guest, cart=cart, user=user)
            request.session.pop("market_cart", None)
        if cart is None and create:
            cart, _created = Cart.objects.get_or_create(user=user)
        return cart
    if guest is not None or not create:
        return guest
    if request.session.session_key is None:
        request.session.save()
    try:
        guest, _created = Cart.objects.get_or_create(session_key=request.session.session_key)
    except IntegrityError:
        guest = Cart.objects.get(session_key=request.session.session_key)
    request.session["market_cart"] = guest.pk
    return guest


@transaction.atomic
def cart_merge(*, guest: Cart, cart: Cart | None, user) -> Cart:
    if cart is None:
        guest.user, guest.session_key = user, None
        guest.save(update_fields=["user", "session_key", "updated_at"])
        return guest
    for line in guest.lines.all():
        mine = cart.lines.filter(variant_id=line.variant_id).first()
        if mine is None:
            line.cart = cart
            line.save(update_fields=["cart"])
        else:
            mine.quantity = min(MAX_QUANTITY, mine.quantity + line.quantity)
            mine.price_seen = line.price_seen
            mine.save(update_fields=["quantity", "price_seen"])
    guest.delete()
    return cart


def _sellable(variant_id) -> Variant:
    try:
        return Variant.objects.select_related("product__store").get(
            pk=int(variant_id),
            is_active=True,
            product__status=ProductStatus.ACTIVE,
            product__store__status=StoreStatus.VERIFIED,
        )
    except (Variant.DoesNotExist, ValueError, TypeError) as exc:
        raise ServiceError("variant_unavailable", _("This product is no longer for sale.")) from exc


def _quantity(value) -> int:
    try:
        qty = int(value)
    except (TypeError, ValueError) as exc:
        raise ServiceError("bad_quantity", _("Enter a quantity of 1 or more.")) from exc
    if qty < 1:
        raise ServiceError("bad_quantity", _("Enter a quantity of 1 or more."))
    if qty > MAX_QUANTITY:
        raise ServiceError("bad_quantity", _("At most %(n)s per product."), {"n": MAX_QUANTITY})
    return qty


@transaction.atomic
def cart_add(*, cart: Cart, variant_id, quantity) -> CartLine:
    variant = _sellable(variant_id)
    qty = _quantity(quantity)
    line = cart.lines.select_for_update().filter(variant=variant).first()
    total = qty + (line.quantity if line else 0)
    if total > variant.stock:
        raise ServiceError(
            "not_enough_stock",
            _("Only %(stock)s left of %(title)s (%(label)s)."),
            {"stock": variant.stock, "title": variant.product.title, "label": variant.label},
        )
    if line is None:
        if cart.lines.count() >= MAX_LINES:
            raise ServiceError("cart_full", _("Your cart is full; place an order first."))
        line = CartLine.objects.create(
            cart=cart, variant=variant, quantity=qty, price_seen=variant.price
        )
    else:
        line.quantity, line.price_seen = total, variant.price
        line.save(update_fields=["quantity", "price_seen"])
    cart.save(update_fields=["updated_at"])
    return line


@transaction.atomic
def cart_set_quantity(*, cart: Cart, line_id, quantity) -> None:
    line = cart.lines.select_related("variant").filter(pk=line_id).first()
    if line is None:
        return
    if str(quantity).strip() in ("0",):
        line.delete()
        return
    qty = _quantity(quantity)
    if qty > line.variant.stock:
        raise ServiceError(
            "not_enough_stock",
            _("Only %(stock)s left of %(title)s (%(label)s)."),
            {
                "stock": line.variant.stock,
                "title": line.variant.product.title,
                "label": line.variant.label,
            },
        )
    line.quantity = qty
    line.save(update_fields=["quantity"])


def cart_remove(*, cart: Cart, line_id) -> None:
    cart.lines.filter(pk=line_id).delete()


#: Session key of the number of items in the cart, read by the header's cart link (no
#: query on every page).  Refreshed whenever a cart page, add, update or checkout runs.
COUNT_KEY = "market_cart_count"


def cart_count(cart: Cart | None) -> int:
    if cart is None:
        return 0
    return cart.lines.aggregate(n=Sum("quantity"))["n"] or 0


def remember_count(request, count: int) -> None:
    session = getattr(request, "session", None)
    if session is None or (not count and COUNT_KEY not in session):
        return  # an empty cart needs no session
    if session.get(COUNT_KEY) != count:
        session[COUNT_KEY] = count


def cart_lines(cart: Cart | None) -> list[CartLine]:
    if cart is None:
        return []
    return list(
        cart.lines.select_related(
            "variant__product__store__organisation__province",
            "variant__product__store__province",
            "variant__product__category",
        ).order_by("variant__product__store_id", "added_at", "id")
    )
