"""Writes to products: create and edit (with variants), photos, publish/hide, moderation."""

from __future__ import annotations

import contextlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from htxso.core import audit
from htxso.core.actors import Actor
from htxso.core.audit import ACTION_LABELS
from htxso.core.codes import CodeError, to_gtin14, validate_gtin
from htxso.core.errors import ServiceError
from htxso.geo.models import Ward
from htxso.registry.models import OcopProduct

from ..images import ImageRejected, process_upload
from ..models import Category, Product, ProductImage, ProductStatus, Store, Variant
from ..search import index_product
from .common import Errors, int_value, rich_text, snap, text

ACTION_LABELS.update(
    {
        "product.create": _("Product listed"),
        "product.update": _("Product changed"),
        "product.status": _("Product shown or hidden"),
        "product.block": _("Product blocked by moderation"),
        "product.photo": _("Product photo changed"),
    }
)

MAX_VARIANTS = 10
MAX_PHOTOS = 8
MAX_PRICE = 1_000_000_000
MAX_STOCK = 1_000_000
VARIANT_LABEL_MAX = 40  # Variant.label's max_length; the form's input allows as much


def require_store_edit(*, actor: Actor, store: Store) -> None:
    """Refuse an actor who may not change ``store`` (its products, its photos)."""
    Store.policy.require(actor, "change", store)


def _product_values(errors: Errors, store: Store, data: dict) -> dict:
    values = {
        "title": text(errors, "title", data.get("title"), max_length=150, required=True),
        "title_en": text(errors, "title_en", data.get("title_en"), max_length=150),
        "description": rich_text(
            text(errors, "description", data.get("description"), max_length=20000, multiline=True)
        ),
        "description_en": rich_text(
            text(
                errors,
                "description_en",
                data.get("description_en"),
                max_length=20000,
                multiline=True,
            )
        ),
        "unit": text(errors, "unit", data.get("unit") or "kg", max_length=30, required=True),
        "ethnic_minority_producer": bool(data.get("ethnic_minority_producer")),
    }
    category = None
    cat_id = data.get("category")
    if cat_id not in (None, ""):
        with contextlib.suppress(Category.DoesNotExist, ValueError, TypeError):
            category = Category.objects.select_related("parent").get(pk=int(cat_id))
    if category is None:
        errors.add("category", _("Choose a category from the list."), "invalid_choice")
    values["category"] = category
    shelf = int_value(
        errors,
        "shelf_life_days",
        data.get("shelf_life_days"),
        minimum=1,
        maximum=3650,
        required=False,
    )
    if category is not None and category.perishable and shelf is None:
        errors.add(
            "shelf_life_days",
            _("Fresh goods need a shelf life, so buyers know how fast to eat them."),
            "shelf_life_required",
        )
    values["shelf_life_days"] = shelf
    ward = None
    ward_code = (data.get("origin_ward") or "").strip()
    if ward_code:
        ward = Ward.objects.filter(pk=ward_code).first()
        if ward is None:
            errors.add("origin_ward", _("Choose a ward from the list."), "invalid_choice")
    values["origin_ward"] = ward
    values["gtin"] = ""
    raw_gtin = (data.get("gtin") or "").strip()
    if raw_gtin:
        try:
            values["gtin"] = to_gtin14(validate_gtin(raw_gtin))
        except CodeError as exc:
            errors.add("gtin", exc.message, exc.code, exc.params)
    ocop = None
    ocop_id = data.get("ocop")
    if ocop_id not in (None, ""):
        try:
            ocop = OcopProduct.objects.get(pk=int(ocop_id), organisation_id=store.organisation_id)
        except (OcopProduct.DoesNotExist, ValueError, TypeError):
            errors.add(
                "ocop",
                _("Choose one of your organisation's OCOP products in the registry."),
                "invalid_choice",
            )
    values["ocop"] = ocop
    return values


VARIANT_FIELDS = {
    "label": _("size"),
    "price": _("price"),
    "stock": _("stock"),
}
# What to do, in the seller's words, for the common mistakes in a variant row.
VARIANT_HINTS = {
    ("label", "required"): _("write the size, e.g. 500 g"),
    ("price", "required"): _("enter a number, e.g. 180000"),
    ("price", "invalid_number"): _("enter a number, e.g. 180000"),
    ("stock", "invalid_number"): _("enter a whole number, e.g. 30"),
}


def _row_error(index: int, name: str, err: ValidationError) -> ValidationError:
    """``err`` of field ``name`` in variant row ``index``, naming the row and field as the
    form shows them ("Variant 2 — price: enter a number, e.g. 180000"); same code."""
    hint = VARIANT_HINTS.get((name, err.code))
    if hint is None:
        hint = err.message % err.params if err.params else err.message
    return ValidationError(
        _("Variant %(row)s — %(field)s: %(problem)s"),
        code=err.code,
        params={"row": index + 1, "field": VARIANT_FIELDS.get(name, name), "problem": hint},
    )


def _variant_rows(errors: Errors, rows) -> list[dict]:
    """Clean the variant rows: [{"id"?, "label", "price", "stock"}]; blank rows skipped."""
    cleaned: list[dict] = []
    labels: set[str] = set()
    for i, row in enumerate(rows or []):
        label_raw = row.get("label")
        if not (label_raw or "").strip() and row.get("price") in (None, ""):
            continue
        field = f"variants-{i}"
        sub = Errors()
        label = text(sub, "label", label_raw, max_length=VARIANT_LABEL_MAX, required=True)
        price = int_value(sub, "price", row.get("price"), minimum=1, maximum=MAX_PRICE)
        stock = int_value(sub, "stock", row.get("stock") or 0, minimum=0, maximum=MAX_STOCK)
        if label and label.casefold() in labels:
            sub.add("label", _("Two sizes have the same name."), "duplicate_variant")
        labels.add(label.casefold())
        for name, errs in sub.errors.items():
            for err in errs:
                errors.errors.setdefault(f"{field}-{name}", []).append(_row_error(i, name, err))
        cleaned.append(
            {"id": row.get("id"), "label": label, "price": price, "stock": stock, "position": i}
        )
    if not cleaned:
        errors.add("variants", _("Add at least one size with its price, e.g. 500 g."), "no_variant")
    if len(cleaned) > MAX_VARIANTS:
        errors.add(
            "variants", _("At most %(n)s sizes per product."), "too_many", {"n": MAX_VARIANTS}
        )
    return cleaned


def refresh_summary(product: Product) -> None:
    """Recompute ``min_price``/``in_stock`` from the active variants."""
    active = product.variants.filter(is_active=True)
    low = active.aggregate(m=Min("price"))["m"] or 0
    in_stock = active.filter(stock__gt=0).exists()
    Product.objects.filter(pk=product.pk).update(min_price=low, in_stock=in_stock)
    product.min_price, product.in_stock = low, in_stock


def _save_variants(product: Product, rows: list[dict]) -> None:
    existing = {v.pk: v for v in product.variants.all()}
    keep: set[int] = set()
    by_label = {v.label.casefold(): v for v in existing.values()}
    for row in rows:
        variant = None
        try:
            variant = existing.get(int(row["id"])) if row.get("id") not in (None, "") else None
        except (TypeError, ValueError):
            variant = None
        variant = variant or by_label.get(row["label"].casefold())
        if variant is None:
            variant = Variant(product=product)
        variant.label, variant.price, variant.stock = row["label"], row["price"], row["stock"]
        variant.position, variant.is_active = row["position"], True
        # A label freed by a renamed row may collide until all are saved: park it.
        variant.save()
        keep.add(variant.pk)
    for pk, variant in existing.items():
        if pk not in keep:
            if variant.order_lines.exists():
                Variant.objects.filter(pk=pk).update(is_active=False)
            else:
                variant.delete()


@transaction.atomic
def product_save(
    *, actor: Actor, store: Store, data: dict, variants: list[dict], product: Product | None = None
) -> Product:
    """Create (``product=None``) or update a product and its variants."""
    require_store_edit(actor=actor, store=store)
    errors = Errors()
    values = _product_values(errors, store, data)
    rows = _variant_rows(errors, variants)
    errors.raise_if_any()
    before = None
    if product is None:
        product = Product(store=store, province_id=store.province_id)
        action = "product.create"
        publish = data.get("publish", True)
        product.status = ProductStatus.ACTIVE if publish else ProductStatus.DRAFT
    else:
        product = Product.objects.select_for_update().get(pk=product.pk, store=store)
        before = snap(product)
        action = "product.update"
    for name, value in values.items():
        setattr(product, name, value)
    product.save()
    _save_variants(product, rows)
    refresh_summary(product)
    product.store = store
    index_product(product, new=action == "product.create")
    audit.record(actor=actor, action=action, instance=product, before=before, after=snap(product))
    return product


@transaction.atomic
def product_set_status(*, actor: Actor, product: Product, status: str) -> Product:
    """The seller shows (``active``) or hides (``hidden``) a product."""
    require_store_edit(actor=actor, store=product.store)
    if status not in (ProductStatus.ACTIVE, ProductStatus.HIDDEN):
        raise ServiceError("bad_status", _("Choose show or hide."))
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.status == ProductStatus.BLOCKED:
        raise ServiceError(
            "product_blocked",
            _("This product was blocked by the provincial alliance: %(reason)s"),
            {"reason": product.status_reason},
        )
    product.status = status
    product.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="product.status", instance=product, after={"status": status})
    return product


@transaction.atomic
def product_block(*, actor: Actor, product: Product, reason: str) -> Product:
    """The provincial officer blocks a product (moderation), with a reason."""
    Product.policy.require(actor, "block", product)
    errors = Errors()
    reason = text(errors, "reason", reason, max_length=500, required=True)
    errors.raise_if_any()
    product = Product.objects.select_for_update().get(pk=product.pk)
    product.status, product.status_reason = ProductStatus.BLOCKED, reason
    product.save(update_fields=["status", "status_reason", "updated_at"])
    audit.record(actor=actor, action="product.block", instance=product, after={"reason": reason})
    return product


@transaction.atomic
def product_add_photo(*, actor: Actor, product: Product, upload, alt: str = "") -> ProductImage:
    require_store_edit(actor=actor, store=product.store)
    if product.images.count() >= MAX_PHOTOS:
        raise ServiceError(
            "too_many_photos", _("At most %(n)s photos per product."), {"n": MAX_PHOTOS}
        )
    try:
        processed = process_upload(upload)
    except ImageRejected as exc:
        raise ServiceError(exc.code, exc.message) from exc
    ext = "webp" if processed.content_type == "image/webp" else "jpg"
    image = ProductImage(
        product=product,
        width=processed.width,
        height=processed.height,
        alt=(alt or product.title)[:150],
        position=product.images.count(),
    )
    image.image.save(f"p{product.pk}.{ext}", ContentFile(processed.full), save=False)
    image.thumb.save(f"p{product.pk}-t.{ext}", ContentFile(processed.thumb), save=False)
    image.save()
    audit.record(actor=actor, action="product.photo", instance=product, after={"added": image.pk})
    return image


@transaction.atomic
def product_remove_photo(*, actor: Actor, image: ProductImage) -> None:
    require_store_edit(actor=actor, store=image.product.store)
    product = image.product
    image.image.delete(save=False)
    image.thumb.delete(save=False)
    image.delete()
    audit.record(actor=actor, action="product.photo", instance=product, after={"removed": True})
