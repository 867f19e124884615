"""Seller pages: open and edit a store, list and edit products, handle orders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from htxso.accounts.models import Role
from htxso.core.access import access
from htxso.core.scoping import get_visible_or_404
from htxso.geo.models import Province, Ward
from htxso.geo.selectors import wards_of
from htxso.registry.models import OcopProduct

from . import selectors
from .banks import BANK_CHOICES
from .models import Order, OrderState, Product, ProductImage, SellerKind, Store
from .payment import order_payment
from .services import catalogue as catalogue_svc
from .services import held_photos as held_svc
from .services import orders as order_svc
from .services import stores as store_svc
from .services.common import MarketError, editable_text
from .views_common import error_dict

SELLER_ROLES = [Role.COOP_MANAGER, Role.COOP_MEMBER, Role.VCA_ADMIN]


@access(roles=SELLER_ROLES)
def seller_home(request):
    stores = list(selectors.seller_stores(request.user))
    counts = {}
    for store in stores:
        counts[store.pk] = Order.objects.filter(store=store, state=OrderState.PLACED).count()
    for store in stores:
        store.new_orders = counts[store.pk]
    return render(
        request,
        "market/seller/home.html",
        {"stores": stores, "organisations": store_svc.seller_organisations(request.user)},
    )


def _pickup_picker(organisations, store, data) -> dict:
    """The pickup ward picker: the province (the organisation's, fixed) and its wards,
    rendered with the page so it works without JavaScript.

    When opening a store for organisations in several provinces, ``province`` picks
    which province's wards are listed (htmx reloads them; the service still checks the
    ward against the chosen organisation's province).
    """
    if store is not None:
        provinces = [store.organisation.province]
    else:
        provinces = list({o.province_id: o.province for o in organisations}.values())
    if not provinces:
        return {"pickup_provinces": [], "pickup_province": None, "pickup_wards": []}
    by_code = {p.code: p for p in provinces}
    chosen = by_code.get(str(data.get("province") or ""))
    if chosen is None and data.get("pickup_ward"):
        ward = Ward.objects.filter(pk=str(data["pickup_ward"])[:5]).first()
        chosen = by_code.get(ward.province_id) if ward else None
    if chosen is None:
        org = next((o for o in organisations if str(o.pk) == str(data.get("organisation"))), None)
        chosen = org.province if org else provinces[0]
    return {
        "pickup_provinces": provinces,
        "pickup_province": chosen,
        "pickup_wards": list(wards_of(chosen.code).values_list("code", "name")),
    }


def _store_form_context(request, store=None, data=None, errors=None):
    organisations = store_svc.seller_organisations(request.user)
    data = data or {}
    return {
        "store": store,
        "data": data,
        "errors": errors or {},
        "banks": BANK_CHOICES,
        "organisations": organisations,
        "kinds": SellerKind.choices,
        **_pickup_picker(organisations, store, data),
    }


@access(roles=SELLER_ROLES)
def store_create(request):
    organisations = store_svc.seller_organisations(request.user)
    data, errors = {"offers_pickup": "1", "offers_delivery": "1"}, {}
    if organisations:  # suggest the organisation's own address; the seller confirms it
        data.update(store_svc.pickup_suggestion(organisations[0]))
    if request.method == "POST":
        data = request.POST.dict()
        if not organisations:
            raise PermissionDenied
        org = next((o for o in organisations if str(o.pk) == data.get("organisation")), None)
        if org is None:
            errors = {"organisation": [_("Choose your organisation.")]}
        else:
            try:
                store = store_svc.store_create(
                    actor=request.user, organisation=org, data=data, logo=request.FILES.get("logo")
                )
            except ValidationError as exc:
                errors = error_dict(exc)
            else:
                messages.success(request, _("Your store is created. Now add your first product."))
                return redirect("market:seller_store", store_id=store.pk)
    return render(
        request,
        "market/seller/store_form.html",
        _store_form_context(request, None, data, errors),
        status=400 if errors else 200,
    )


def _editable_or_404(qs, user, **lookup):
    """The object if the user may change it; 404 otherwise (ids are not probed)."""
    return get_visible_or_404(qs.editable_by(user), user, **lookup)


def _seller_store(request, store_id) -> Store:
    return _editable_or_404(
        Store.objects.select_related("organisation__province"), request.user, pk=store_id
    )


@access(roles=SELLER_ROLES)
def seller_store(request, store_id: int):
    """The seller's store page: status, next steps, settings form, submit."""
    store = _seller_store(request, store_id)
    data, errors = None, {}
    if request.method == "POST":
        if request.POST.get("action") == "submit":
            try:
                store_svc.store_submit(actor=request.user, store=store)
                messages.success(request, _("Sent to the provincial alliance for verification."))
            except MarketError as exc:
                messages.error(request, exc.text)
            return redirect("market:seller_store", store_id=store.pk)
        data = request.POST.dict()
        try:
            store_svc.store_update(
                actor=request.user, store=store, data=data, logo=request.FILES.get("logo")
            )
        except ValidationError as exc:
            errors = error_dict(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("market:seller_store", store_id=store.pk)
    if data is None:
        data = {
            f: getattr(store, f)
            for f in (
                "name",
                "description",
                "phone",
                "pickup_address",
                "delivery_note",
                "bank_bin",
                "bank_account",
                "bank_account_name",
                "household_name",
                "offers_pickup",
                "offers_delivery",
                "delivery_fee",
            )
        }
        data["description"] = editable_text(store.description)
        data["pickup_ward"] = store.pickup_ward_id or ""
    context = _store_form_context(request, store, data, errors)
    context.update(
        {
            "product_count": store.products.count(),
            "problems": store_svc.registry_problems(store),
        }
    )
    return render(request, "market/seller/store.html", context, status=400 if errors else 200)


@access(roles=SELLER_ROLES)
def seller_products(request, store_id: int):
    store = _seller_store(request, store_id)
    if request.method == "POST":
        product = store.products.filter(pk=request.POST.get("product")).first()
        if product is None:
            raise Http404
        try:
            catalogue_svc.product_set_status(
                actor=request.user, product=product, status=request.POST.get("status", "")
            )
        except MarketError as exc:
            messages.error(request, exc.text)
        return redirect("market:seller_products", store_id=store.pk)
    products = (
        store.products.select_related("category")
        .prefetch_related("variants", "images")
        .order_by("-updated_at")
    )
    page = Paginator(products, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "market/seller/products.html",
        {"store": store, "page": page, "products": list(page)},
    )


def _variant_rows(post) -> list[dict]:
    rows = []
    for i in range(
        int(post.get("variant_count") or 3) if str(post.get("variant_count", "3")).isdigit() else 3
    ):
        if i > 12:
            break
        rows.append(
            {
                "id": post.get(f"v{i}-id"),
                "label": post.get(f"v{i}-label"),
                "price": post.get(f"v{i}-price"),
                "stock": post.get(f"v{i}-stock"),
            }
        )
    return rows


def _row_errors(rows: list[dict], errors: dict) -> None:
    """Attach each variant row's messages (they name the row and field) to the row."""
    for i, row in enumerate(rows):
        row["bad"] = [n for n in ("label", "price", "stock") if errors.get(f"variants-{i}-{n}")]
        row["errors"] = [m for n in row["bad"] for m in errors[f"variants-{i}-{n}"]]


def _origin_picker(data: dict) -> dict:
    """The place-of-origin picker, rendered with the page: the province (given, or the
    saved ward's) selected and its wards listed, so editing shows what was saved."""
    code = str(data.get("province") or "")[:2]
    ward_code = str(data.get("origin_ward") or "")[:5]
    if not code.isdigit() and ward_code:
        code = Ward.objects.filter(pk=ward_code).values_list("province_id", flat=True).first() or ""
    if not code.isdigit():
        return {"origin_province": "", "origin_wards": []}
    return {
        "origin_province": code,
        "origin_wards": list(wards_of(code).values_list("code", "name")),
    }


def _hold_photos(request, store: Store, product: Product | None):
    """The photos of this submission: those held from an earlier one (their tokens come
    back in the form) and the newly chosen files, checked and held; and the refusals."""
    held = held_svc.held_photos_of(
        actor=request.user, store=store, tokens=request.POST.getlist("photo_token")
    )
    room = catalogue_svc.MAX_PHOTOS - len(held) - (product.images.count() if product else 0)
    refused = []
    for upload in request.FILES.getlist("photos")[: max(room, 0)]:
        try:
            held.append(held_svc.photo_hold(actor=request.user, store=store, upload=upload))
        except MarketError as exc:
            refused.append(exc.text)
    return held, refused


def _product_form(request, store: Store, product: Product | None):
    errors, data, held, refused = {}, {}, [], []
    if request.method == "POST":
        data = request.POST.dict()
        if request.POST.get("remove_photo") and product is not None:
            image = ProductImage.objects.filter(
                pk=request.POST.get("remove_photo"), product=product
            ).first()
            if image is not None:
                catalogue_svc.product_remove_photo(actor=request.user, image=image)
            return redirect("market:seller_product_edit", product_id=product.pk)
        rows = _variant_rows(request.POST)
        held, refused = _hold_photos(request, store, product)
        try:
            saved = catalogue_svc.product_save(
                actor=request.user, store=store, data=data, variants=rows, product=product
            )
        except ValidationError as exc:
            errors = error_dict(exc)
        else:
            held_svc.held_photos_attach(actor=request.user, product=saved, held=held)
            for text in refused:
                messages.error(request, text)
            messages.success(request, _("Product saved."))
            return redirect("market:seller_product_edit", product_id=saved.pk)
        variants = rows
        _row_errors(variants, errors)
    elif product is not None:
        data = {
            "title": product.title,
            "title_en": product.title_en,
            "description": editable_text(product.description),
            "description_en": editable_text(product.description_en),
            "unit": product.unit,
            "category": product.category_id,
            "origin_ward": product.origin_ward_id or "",
            "ocop": product.ocop_id or "",
            "shelf_life_days": product.shelf_life_days or "",
            "gtin": product.gtin,
            "ethnic_minority_producer": product.ethnic_minority_producer,
        }
        variants = [
            {"id": v.pk, "label": v.label, "price": v.price, "stock": v.stock}
            for v in product.variants.filter(is_active=True)
        ]
    else:
        data, variants = {"unit": "kg"}, []
    while len(variants) < 3:
        variants.append({"id": "", "label": "", "price": "", "stock": ""})
    return render(
        request,
        "market/seller/product_form.html",
        {
            "store": store,
            "product": product,
            "data": data,
            "variants": variants,
            "errors": errors,
            "categories": selectors.categories_tree(),
            "ocop_products": OcopProduct.objects.filter(organisation_id=store.organisation_id),
            "provinces": Province.objects.order_by("name").values_list("code", "name"),
            **_origin_picker(data),
            "images": list(product.images.all()) if product else [],
            "held_photos": held,
            "photo_errors": refused,
            "variant_max_length": catalogue_svc.VARIANT_LABEL_MAX,
        },
        status=400 if errors else 200,
    )


@access(roles=SELLER_ROLES)
def seller_product_preview(request, product_id: int):
    """The product as buyers will see it, for the store's managers only — also before
    the store is verified or the product is on sale."""
    product = _editable_or_404(
        Product.objects.select_related(
            "store__organisation", "category", "province", "origin_ward", "ocop"
        ),
        request.user,
        pk=product_id,
    )
    return render(
        request,
        "market/seller/product_preview.html",
        {
            "product": product,
            "store": product.store,
            "variants": list(product.variants.filter(is_active=True)),
            "images": list(product.images.all()),
            "ocop_stars": product.ocop_stars,
            "is_public": product.status == "active" and product.store.is_public,
        },
    )


@access(roles=SELLER_ROLES)
def seller_product_create(request, store_id: int):
    return _product_form(request, _seller_store(request, store_id), None)


@access(roles=SELLER_ROLES)
def seller_product_edit(request, product_id: int):
    product = _editable_or_404(
        Product.objects.select_related("store__organisation"), request.user, pk=product_id
    )
    return _product_form(request, product.store, product)


@access(roles=SELLER_ROLES)
def seller_orders(request, store_id: int):
    store = _seller_store(request, store_id)
    state = (
        request.GET.get("trang_thai")
        if request.GET.get("trang_thai") in OrderState.values
        else None
    )
    page = Paginator(selectors.seller_orders(request.user, store, state), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "market/seller/orders.html",
        {
            "store": store,
            "page": page,
            "orders": list(page),
            "state": state,
            "states": OrderState.choices,
        },
    )


@access(roles=SELLER_ROLES)
def seller_order(request, order_id: int):
    """One order for the seller, with the allowed next states (reasons where needed)."""
    order = _editable_or_404(
        Order.objects.select_related(
            "store__organisation__province", "store__pickup_ward__province", "ward"
        ).prefetch_related("lines"),
        request.user,
        pk=order_id,
    )
    if request.method == "POST":
        try:
            order_svc.order_transition(
                actor=request.user,
                order=order,
                to_state=request.POST.get("to_state", ""),
                reason=request.POST.get("reason", ""),
                reference=request.POST.get("reference", ""),
            )
            messages.success(request, _("Order %(code)s updated.") % {"code": order.code})
        except MarketError as exc:
            messages.error(request, exc.text)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in error_dict(exc).values() for m in ms))
        return redirect("market:seller_order", order_id=order.pk)
    next_states = [(s, OrderState(s).label) for s in order_svc.allowed_next(order)]
    return render(
        request,
        "market/seller/order.html",
        {
            "order": order,
            "next_states": next_states,
            "needs_reason": order_svc.NEEDS_REASON,
            "events": list(order.events.select_related("actor")),
            "payment": order_payment(order),
        },
    )
