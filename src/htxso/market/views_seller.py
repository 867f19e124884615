"""Seller pages: open and edit a store, list and edit products, handle orders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from htxso.core import roles
from htxso.core.errors import Kind, ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404, holds
from htxso.geo.models import Province, Ward
from htxso.geo.selectors import wards_of
from htxso.registry.models import OcopProduct

from . import selectors
from .banks import BANK_CHOICES
from .forms import (
    HeldPhotosForm,
    OrderTransitionForm,
    ProductForm,
    ProductStatusForm,
    StoreCreateForm,
    StoreForm,
    StoreSubmitForm,
    VariantForm,
)
from .models import Order, OrderState, Product, ProductImage, SellerKind, Store
from .payment import order_payment
from .services import catalogue as catalogue_svc
from .services import held_photos as held_svc
from .services import orders as order_svc
from .services import stores as store_svc
from .services.common import editable_text
from .views_common import form_service_error, seller_access, service_errors


@seller_access
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
        provinces = [store.province]
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


def _store_form_context(request, store=None, data=None, errors=None, form=None):
    organisations = store_svc.seller_organisations(request.user)
    data = data or {}
    if form is None:
        form_class = StoreForm if store is not None else StoreCreateForm
        form = form_class(initial=data, organisations=organisations)
    picker = _pickup_picker(organisations, store, data)
    form.pickup_choices(
        provinces=[(p.code, p.name) for p in picker["pickup_provinces"]],
        province=picker["pickup_province"].code if picker["pickup_province"] else "",
        wards=picker["pickup_wards"],
        invalid=bool((errors or {}).get("pickup_ward")),
    )
    return {
        "form": form,
        "store": store,
        "data": data,
        "errors": errors or {},
        "banks": BANK_CHOICES,
        "organisations": organisations,
        "kinds": SellerKind.choices,
        **picker,
    }


@seller_access
def store_create(request):
    organisations = store_svc.seller_organisations(request.user)
    data, errors = {"offers_pickup": "1", "offers_delivery": "1"}, {}
    if organisations:  # suggest the organisation's own address; the seller confirms it
        data.update(store_svc.pickup_suggestion(organisations[0]))
    form = None
    if request.method == "POST":
        form = StoreCreateForm(request.POST, request.FILES, organisations=organisations)
        data = form.typed()
        if not organisations and not holds(request.user, roles.VCA):
            raise PermissionDenied  # a manager of a union only: nothing to open a store for
        org = next((o for o in organisations if str(o.pk) == data.get("organisation")), None)
        if org is None:
            errors = {"organisation": [_("Choose your organisation.")]}
            form_service_error(request, ServiceError("invalid", "", fields=errors), form)
        else:
            try:
                store = store_svc.store_create(
                    actor=request.user,
                    organisation=org,
                    data=form.values(),
                    logo=form.cleaned_data.get("logo"),
                )
            except ServiceError as exc:
                errors = service_errors(request, exc)
                form_service_error(request, exc, form)
            else:
                messages.success(request, _("Your store is created. Now add your first product."))
                return redirect("market:seller_store", store_id=store.pk)
    return render(
        request,
        "market/seller/store_form.html",
        _store_form_context(request, None, data, errors, form),
        status=400 if errors else 200,
    )


def _seller_store(request, store_id) -> Store:
    return get_allowed_or_404(
        Store.objects.select_related("organisation__province", "province"),
        request.user,
        "change",
        hide=True,
        pk=store_id,
    )


@seller_access
def seller_store(request, store_id: int):
    """The seller's store page: status, next steps, settings form, submit."""
    store = _seller_store(request, store_id)
    data, errors, form = None, {}, None
    if request.method == "POST":
        if StoreSubmitForm(request.POST).values()["action"] == "submit":
            try:
                store_svc.store_submit(actor=request.user, store=store)
                messages.success(request, _("Sent to the provincial alliance for verification."))
            except ServiceError as exc:
                show_service_error(request, exc)
            return redirect("market:seller_store", store_id=store.pk)
        form = StoreForm(request.POST, request.FILES)
        data = form.typed()
        try:
            store_svc.store_update(
                actor=request.user,
                store=store,
                data=form.values(),
                logo=form.cleaned_data.get("logo"),
            )
        except ServiceError as exc:
            errors = service_errors(request, exc)
            form_service_error(request, exc, form)
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
    context = _store_form_context(request, store, data, errors, form)
    context.update(
        {
            "product_count": store.products.count(),
            "problems": store_svc.registry_problems(store),
        }
    )
    return render(request, "market/seller/store.html", context, status=400 if errors else 200)


@seller_access
def seller_products(request, store_id: int):
    store = _seller_store(request, store_id)
    if request.method == "POST":
        form = ProductStatusForm(request.POST)
        if not form.is_valid() or form.cleaned_data["product"] is None:
            raise Http404
        product = store.products.filter(pk=form.cleaned_data["product"]).first()
        if product is None:
            raise Http404
        try:
            catalogue_svc.product_set_status(
                actor=request.user, product=product, status=form.values()["status"]
            )
        except ServiceError as exc:
            show_service_error(request, exc)
        return redirect("market:seller_products", store_id=store.pk)
    products = (
        store.products.select_related("category")
        .prefetch_related("variants", "images")
        .order_by("-updated_at")
    )
    page = Paginator(products, 50).get_page(request.GET.get("page"))
    products = list(page)
    return render(
        request,
        "market/seller/products.html",
        {
            "store": store,
            "page": page,
            "products": products,
            "status_forms": {
                p.pk: ProductStatusForm(auto_id=False, initial={"product": p.pk}) for p in products
            },
        },
    )


def _variant_forms(form: ProductForm) -> list[VariantForm]:
    """The size rows posted with the product (``v<i>-…``, at most 13)."""
    return [VariantForm(form.data, index=i) for i in range(form.row_count())]


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


def _hold_photos(request, store: Store, product: Product | None, tokens: list[str], uploads: list):
    """The photos of this submission: those held from an earlier one (their tokens come
    back in the form) and the newly chosen files, checked and held; and the refusals."""
    held = held_svc.held_photos_of(actor=request.user, store=store, tokens=tokens)
    room = catalogue_svc.MAX_PHOTOS - len(held) - (product.images.count() if product else 0)
    refused = []
    for upload in uploads[: max(room, 0)]:
        try:
            held.append(held_svc.photo_hold(actor=request.user, store=store, upload=upload))
        except ServiceError as exc:
            if exc.kind in (Kind.FORBIDDEN, Kind.NOT_FOUND):
                show_service_error(request, exc)  # a refusal of the actor: 403/404
            refused.append(exc.text)
    return held, refused


def _product_form(request, store: Store, product: Product | None):
    errors, data, held, refused = {}, {}, [], []
    form = None
    if request.method == "POST":
        form = ProductForm(request.POST, request.FILES)
        values, data = form.values(), form.typed()
        if values["remove_photo"] and product is not None:
            image = ProductImage.objects.filter(pk=values["remove_photo"], product=product).first()
            if image is not None:
                catalogue_svc.product_remove_photo(actor=request.user, image=image)
            return redirect("market:seller_product_edit", product_id=product.pk)
        rows = _variant_forms(form)
        held, refused = _hold_photos(
            request, store, product, values["photo_token"] or [], form.cleaned_data["photos"]
        )
        try:
            saved = catalogue_svc.product_save(
                actor=request.user,
                store=store,
                data=values,
                variants=[row.row() for row in rows],
                product=product,
            )
        except ServiceError as exc:
            errors = service_errors(request, exc)
            form_service_error(request, exc, form)
        else:
            held_svc.held_photos_attach(actor=request.user, product=saved, held=held)
            for text in refused:
                messages.error(request, text)
            messages.success(request, _("Product saved."))
            return redirect("market:seller_product_edit", product_id=saved.pk)
        variants = [row.typed_row() for row in rows]
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
    if form is None:
        form = ProductForm(initial=data)
    else:
        form.data = form.data.copy()
        form.data["variant_count"] = str(len(variants))
    picker = _origin_picker(data)
    ocop_products = (
        OcopProduct.objects.filter(organisation_id=store.organisation_id)
        if store.organisation_id
        else OcopProduct.objects.none()
    )
    form.pickers(
        categories=selectors.categories_tree(),
        ocop_products=ocop_products,
        provinces=Province.objects.order_by("name").values_list("code", "name"),
        province=picker["origin_province"],
        wards=picker["origin_wards"],
    )
    if not form.is_bound:
        form.initial["variant_count"] = len(variants)
    for i, row in enumerate(variants):
        row["form"] = VariantForm(initial=row, index=i)
        row["form"].show_errors(row.get("bad", ()))
    return render(
        request,
        "market/seller/product_form.html",
        {
            "store": store,
            "product": product,
            "data": data,
            "variants": variants,
            "errors": errors,
            "form": form,
            "ocop_products": ocop_products,
            **picker,
            "images": list(product.images.all()) if product else [],
            "held_photos": held,
            "held_form": HeldPhotosForm(held),
            "photo_errors": refused,
            "variant_max_length": catalogue_svc.VARIANT_LABEL_MAX,
        },
        status=400 if errors else 200,
    )


@seller_access
def seller_product_preview(request, product_id: int):
    """The product as buyers will see it, for the store's managers only — also before
    the store is verified or the product is on sale."""
    product = get_allowed_or_404(
        Product.objects.select_related(
            "store__organisation", "category", "province", "origin_ward", "ocop"
        ),
        request.user,
        "change",
        hide=True,
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


@seller_access
def seller_product_create(request, store_id: int):
    return _product_form(request, _seller_store(request, store_id), None)


@seller_access
def seller_product_edit(request, product_id: int):
    product = get_allowed_or_404(
        Product.objects.select_related("store__organisation"),
        request.user,
        "change",
        hide=True,
        pk=product_id,
    )
    return _product_form(request, product.store, product)


@seller_access
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


@seller_access
def seller_order(request, order_id: int):
    """One order for the seller, with the allowed next states (reasons where needed)."""
    order = get_allowed_or_404(
        Order.objects.select_related(
            "store__organisation__province",
            "store__province",
            "store__pickup_ward__province",
            "ward",
        ).prefetch_related("lines"),
        request.user,
        "change",
        hide=True,
        pk=order_id,
    )
    if request.method == "POST":
        values = OrderTransitionForm(request.POST).values()
        try:
            order_svc.order_transition(
                actor=request.user,
                order=order,
                to_state=values["to_state"] or "",
                reason=values["reason"],
                reference=values["reference"],
            )
            messages.success(request, _("Order %(code)s updated.") % {"code": order.code})
        except ServiceError as exc:
            if exc.fields:  # every message of every field, as one flash message
                exc = ServiceError(exc.code, " ".join(exc.messages))
            show_service_error(request, exc)
        return redirect("market:seller_order", order_id=order.pk)
    next_states = [(s, OrderState(s).label) for s in order_svc.allowed_next(order)]
    return render(
        request,
        "market/seller/order.html",
        {
            "order": order,
            "next_states": next_states,
            "needs_reason": order_svc.NEEDS_REASON,
            "state_forms": {
                value: OrderTransitionForm(auto_id=f"%s-{value}") for value, _l in next_states
            },
            "events": list(order.events.select_related("actor")),
            "payment": order_payment(order),
        },
    )
