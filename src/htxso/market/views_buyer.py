"""Buyer pages: cart, checkout, orders (guests and signed-in), reviews, reports."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core.access import access
from htxso.core.actors import PUBLIC, Actor
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.geo.models import Province

from . import selectors
from .forms import BuyerOrderForm, CartAddForm, CartUpdateForm, CheckoutForm, ReportForm
from .models import Checkout, Fulfilment, PaymentMethod, ReportReason, Review
from .payment import order_payment, order_qr_png
from .services import cart as cart_svc
from .services import orders as order_svc
from .services import reviews as review_svc
from .views_common import form_service_error, service_errors


def _actor(request) -> Actor:
    """The signed-in buyer, or ``PUBLIC`` for a guest."""
    return request.user if request.user.is_authenticated else PUBLIC


def _cart_context(request, cart):
    lines = cart_svc.cart_lines(cart)
    groups: dict[int, dict] = {}
    for line in lines:
        store = line.variant.product.store
        g = groups.setdefault(store.pk, {"store": store, "lines": [], "subtotal": 0})
        line.amount = line.price_seen * line.quantity
        line.price_changed = line.variant.price != line.price_seen
        g["lines"].append(line)
        g["subtotal"] += line.amount
    count = sum(line.quantity for line in lines)
    cart_svc.remember_count(request, count)
    form = CartUpdateForm(lines=lines, initial={f"qty-{ln.pk}": ln.quantity for ln in lines})
    for line in lines:
        line.qty_field = form[f"qty-{line.pk}"]
    return {
        "cart": cart,
        "groups": list(groups.values()),
        "total": sum(g["subtotal"] for g in groups.values()),
        "count": count,
    }


def _with_fees(context: dict, fulfilment: str) -> dict:
    """Each store's delivery fee for ``fulfilment`` and the total to pay, computed as the
    order will be (``orders.delivery_fee``); the other way's total for the no-JS note."""
    other = Fulfilment.PICKUP if fulfilment == Fulfilment.DELIVERY else Fulfilment.DELIVERY
    fees = other_fees = 0
    for g in context["groups"]:
        g["fee"] = order_svc.delivery_fee(store=g["store"], fulfilment=fulfilment)
        fees += g["fee"]
        other_fees += order_svc.delivery_fee(store=g["store"], fulfilment=other)
    context.update(
        {
            "fulfilment": fulfilment,
            "fees": fees,
            "grand_total": context["total"] + fees,
            "other_fulfilment": other,
            "other_total": context["total"] + other_fees,
        }
    )
    return context


def _fulfilment(value) -> str:
    return value if value in Fulfilment.values else Fulfilment.DELIVERY


@access(public=True)
def cart_view(request):
    cart = cart_svc.cart_for(request)
    return render(request, "market/cart.html", _cart_context(request, cart))


@access(public=True)
@require_POST
def cart_add(request):
    cart = cart_svc.cart_for(request, create=True)
    form = CartAddForm(request.POST)
    values = form.values()
    try:
        line = cart_svc.cart_add(
            cart=cart, variant_id=values["variant"], quantity=values["quantity"] or 1
        )
        cart_svc.remember_count(request, cart_svc.cart_count(cart))
        messages.success(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("Added to your cart: %(title)s (%(label)s).")
                % {"title": line.variant.product.title, "label": line.variant.label},
                reverse("market:cart"),
                _("View cart and order"),
            ),
        )
    except ServiceError as exc:
        show_service_error(request, exc)
    nxt = form.next_url()
    if nxt:
        return redirect(nxt)
    return redirect("market:cart")


@access(public=True)
@require_POST
def cart_update(request):
    """Save the quantities typed (each line on its own, so one bad quantity does not drop
    the others), or remove a line; then back to the cart, or on to checkout when the
    buyer tapped "Continue to checkout".  htmx (a quantity changed) gets the cart body."""
    cart = cart_svc.cart_for(request)
    form = CartUpdateForm(request.POST)
    values = form.values()
    errors: list[str] = []
    if cart is not None:
        if values["remove"]:
            cart_svc.cart_remove(cart=cart, line_id=_int(values["remove"]))
        else:
            for line_id, quantity in form.quantities():
                try:
                    cart_svc.cart_set_quantity(cart=cart, line_id=_int(line_id), quantity=quantity)
                except ServiceError as exc:
                    errors.append(exc.text)
    if request.headers.get("HX-Request"):
        context = _cart_context(request, cart)
        context["cart_errors"] = errors
        return render(request, "market/_cart_body.html", context)
    for error in errors:
        messages.error(request, error)
    if values["go"] == "checkout" and not errors:
        return redirect("market:checkout")
    return redirect("market:cart")


@access(public=True)
def checkout(request):
    cart = cart_svc.cart_for(request)
    context = _cart_context(request, cart)
    if not context["groups"]:
        return render(request, "market/cart.html", context)
    if request.method == "GET" and request.GET.get("part") == "total":
        # htmx: the buyer switched delivery/pickup.
        _with_fees(context, _fulfilment(request.GET.get("fulfilment")))
        return render(request, "market/_checkout_total.html", context)
    errors: dict[str, list[str]] = {}
    data = {}
    form = None
    if request.method == "POST":
        form = CheckoutForm(request.POST.copy())
        data = form.values()
        try:
            orders = order_svc.checkout_place(
                actor=_actor(request),
                cart=cart,
                data=data,
                idempotency_key=data["idempotency_key"],
            )
        except ServiceError as exc:
            errors = service_errors(request, exc)
            if not exc.fields:
                errors = {"__all__": [exc.text]}
            form_service_error(request, exc, form)
            if exc.code == "price_changed":
                context = _cart_context(request, cart)
                context["price_changes"] = exc.details
        else:
            cart_svc.remember_count(request, 0)
            token = orders[0].checkout.token
            tokens = request.session.get("market_checkouts", [])
            if token not in tokens:
                request.session["market_checkouts"] = [*tokens[-19:], token]
            return redirect("market:checkout_done", checkout_token=token)
    elif request.user.is_authenticated:
        data = {
            "buyer_name": request.user.full_name,
            "buyer_email": request.user.email,
        }
    ward = None
    if data.get("ward"):
        from htxso.geo.models import Ward

        ward = Ward.objects.filter(pk=str(data["ward"])[:5]).first()
        if ward is not None and not data.get("province"):
            data["province"] = ward.province_id
            if form is not None:
                form.data["province"] = ward.province_id
    _with_fees(context, _fulfilment(data.get("fulfilment")))
    provinces = Province.objects.order_by("name").values_list("code", "name")
    if form is None:
        form = CheckoutForm(
            initial={
                **data,
                "fulfilment": context["fulfilment"],
                "idempotency_key": secrets.token_urlsafe(18),
            }
        )
    form.place_choices(provinces=list(provinces), ward=ward)
    context.update(
        {
            "form": form,
            "ward": ward,
            "errors": errors,
            "data": data,
            "idempotency_key": data.get("idempotency_key") or secrets.token_urlsafe(18),
            "provinces": Province.objects.order_by("name").values_list("code", "name"),
            "fulfilments": Fulfilment.choices,
            "payment_methods": PaymentMethod.choices,
        }
    )
    return render(request, "market/checkout.html", context, status=400 if errors else 200)


@access(public=True)
def checkout_done(request, checkout_token: str):
    """The orders of one checkout with their VietQR codes (the token is the key)."""
    chk = Checkout.objects.filter(token=str(checkout_token)[:43]).first()
    if chk is None:
        raise Http404
    mine = request.user.is_authenticated and chk.user_id == request.user.pk
    if not mine and checkout_token not in request.session.get("market_checkouts", []):
        # A shared link still works; remember it for the order pages.
        request.session["market_checkouts"] = [
            *request.session.get("market_checkouts", [])[-19:],
            checkout_token,
        ]
    orders = list(
        chk.orders.select_related(
            "store__organisation__province",
            "store__province",
            "store__pickup_ward__province",
            "ward",
        ).prefetch_related("lines")
    )
    return render(
        request,
        "market/checkout_done.html",
        {"orders": orders, "payments": {o.pk: order_payment(o) for o in orders}, "checkout": chk},
    )


@access(authenticated=True)
def my_orders(request):
    return render(
        request, "market/my_orders.html", {"orders": selectors.buyer_orders(request.user)[:100]}
    )


@access(public=True)
def order_detail(request, order_code: str):
    order = selectors.order_for_buyer(request, order_code)
    if request.method == "POST":
        values = BuyerOrderForm(request.POST).values()
        action = values["action"]
        try:
            if action == "cancel":
                order_svc.order_transition(
                    actor=_actor(request),
                    order=order,
                    to_state="cancelled",
                    reason=values["reason"] or _("Cancelled by the buyer"),
                    as_buyer=True,
                )
                messages.success(request, _("Your order is cancelled."))
            elif action == "received":
                order_svc.order_transition(
                    actor=_actor(request), order=order, to_state="completed", as_buyer=True
                )
                messages.success(request, _("Thank you! The order is completed."))
            elif action == "review":
                review_svc.review_create(
                    actor=_actor(request),
                    order=order,
                    product_id=values["product"],
                    rating=values["rating"],
                    text_value=values["text"],
                    author_name=values["author_name"],
                )
                messages.success(request, _("Thank you for your review."))
        except ServiceError as exc:
            if exc.fields:  # every message of every field, as one flash message
                show_service_error(request, ServiceError(exc.code, " ".join(exc.messages)))
            else:
                show_service_error(request, exc)
        return redirect("market:order_detail", order_code=order.code)
    reviewed = set(order.reviews.values_list("product_id", flat=True))
    return render(
        request,
        "market/order_detail.html",
        {
            "order": order,
            "payment": order_payment(order),
            "events": list(order.events.all()),
            "reviewed": reviewed,
            "can_review": order.state in review_svc.REVIEWABLE_STATES,
            "form": BuyerOrderForm(),
            "review_forms": {
                line.pk: BuyerOrderForm(
                    auto_id=f"%s-{line.pk}", initial={"product": line.product_id, "rating": "5"}
                )
                for line in order.lines.all()
            },
        },
    )


@access(public=True)
def order_qr(request, order_code: str):
    """The order's VietQR code as a PNG to save (amount and transfer note printed under
    it): for its buyer, signed in or holding the checkout's link; 404 once paid."""
    order = selectors.order_for_buyer(request, order_code)
    payment = order_payment(order)
    if payment is None:
        raise Http404
    response = HttpResponse(order_qr_png(payment), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="VietQR-{order.code}.png"'
    response["Cache-Control"] = "private, no-store"
    return response


@access(public=True)
def report_form(request):
    """Report a product or a review (anyone)."""
    product = review = None
    form = ReportForm(request.POST if request.method == "POST" else None)
    posted = form.values() if form.is_bound else {}
    pid, rid = (
        request.GET.get("san_pham") or posted.get("product"),
        request.GET.get("danh_gia") or posted.get("review"),
    )
    if rid:
        review = get_object_or_404(Review.objects.select_related("product"), pk=_int(rid))
    elif pid:
        product = selectors.public_product(pid)
    else:
        return render(request, "market/report.html", {"reasons": [], "errors": {}, "form": form})
    if not form.is_bound:
        form = ReportForm(initial={"product": product.pk if product else "", "review": rid or ""})
    errors = {}
    if request.method == "POST":
        try:
            review_svc.report_create(
                actor=_actor(request),
                product=product,
                review=review,
                reason=posted["reason"] or "",
                detail=posted["detail"],
                contact=posted["contact"],
            )
        except ServiceError as exc:
            errors = service_errors(request, exc)
            form_service_error(request, exc, form)
        else:
            messages.success(request, _("Thank you. The provincial alliance will look at it."))
            target = product or review.product
            return redirect("market:product_detail", product_id=target.pk)
    return render(
        request,
        "market/report.html",
        {
            "product": product,
            "review": review,
            "reasons": ReportReason.choices,
            "errors": errors,
            "form": form,
        },
        status=400 if errors else 200,
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
