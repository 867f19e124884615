"""Market demo data (ORDER 50): stores in the five demo provinces, ≥ 300 products (some
backed by OCOP records), orders in every state, reviews and a report.  Idempotent."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from htxso.core.actors import PUBLIC, SCHEDULER
from htxso.core.demodata import DEMO_COFFEE_GTIN, DEMO_PROVINCES, DemoContext

ORDER = 50

STATE_PATHS = {
    "placed": [],
    "confirmed": ["confirmed"],
    "paid": ["confirmed", "paid"],
    "shipped": ["confirmed", "paid", "shipped"],
    "delivered": ["confirmed", "paid", "shipped", "delivered"],
    "completed": ["confirmed", "paid", "shipped", "delivered", "completed"],
    "cancelled": ["cancelled"],
    "refunded": ["confirmed", "paid", "refunded"],
    "expired": ["expired"],
}
BANKS = ["970436", "970405", "970415", "970418", "970422"]


def _category_of(title: str) -> str:
    from .demo_data import SPECIALITY_CATEGORY

    for prefix, slug in SPECIALITY_CATEGORY:
        if title.startswith(prefix):
            return slug
    return "thao-duoc"


def _stores(ctx: DemoContext, code: str, slug: str):
    from htxso.accounts.models import User
    from htxso.registry.models import Organisation

    from .models import Store, StoreStatus
    from .services import stores as store_svc

    admin = User.objects.get(username="vca.admin")
    officer = User.objects.filter(username=f"lm.{slug}").first() or admin
    member = User.objects.filter(username=f"tv.{slug}").first()
    orgs = list(
        Organisation.objects.filter(province_id=code, status="active")
        .filter(Q(kind="cooperative") | Q(kind="group"))
        .order_by("kind", "id")[:3]
    )
    result = []
    for i, org in enumerate(orgs):
        specs = [(f"demo-{slug}-{i}", org.name[:110], "cooperative", "", None)]
        if i == 0 and member is not None:
            specs.append(
                (
                    f"demo-{slug}-ho",
                    f"Hộ {member.full_name or member.username}"[:110],
                    "household",
                    f"Hộ gia đình {member.full_name or member.username}",
                    member,
                )
            )
        for store_slug, name, kind, household, owner in specs:
            store = Store.objects.filter(slug=store_slug).first()
            if store is not None and store.offers_pickup and not store.pickup_ward_id:
                # seeded before the ward picker: give it its ward (and the bare street)
                pickup = _pickup(org)
                Store.objects.filter(pk=store.pk).update(
                    pickup_ward_id=pickup["pickup_ward"], pickup_address=pickup["pickup_address"]
                )
                store.refresh_from_db()
            if store is None:
                store = store_svc.store_create(
                    actor=admin,
                    organisation=org,
                    data={
                        "name": name,
                        "kind": kind if org.kind != "group" else "group",
                        "household_name": household,
                        "offers_pickup": "1",
                        **_pickup(org),
                        "offers_delivery": "1",
                        "delivery_fee": 25000 + 5000 * i,
                        "phone": "0912345678",
                        "bank_bin": BANKS[(i + len(result)) % len(BANKS)],
                        "bank_account": f"10{code}{i:02d}{len(result):02d}8899",
                        "bank_account_name": name.upper()[:60],
                        "description": f"<p>{name}: sản phẩm của bà con {org.province.name}.</p>",
                    },
                )
                Store.objects.filter(pk=store.pk).update(slug=store_slug, owner=owner)
                store.refresh_from_db()
                store_svc.store_submit(actor=owner or admin, store=store)
                if not store_svc.registry_problems(store) and not (
                    i == len(orgs) - 1 and kind == "cooperative" and len(orgs) > 1 and code == "19"
                ):
                    store_svc.store_verify(actor=officer, store=store)
                else:
                    Store.objects.filter(pk=store.pk).update(status=StoreStatus.PENDING)
                store.refresh_from_db()
            result.append(store)
    return result


def _pickup(org) -> dict:
    """The pickup place of a demo store: the organisation's street and ward (or, for an
    organisation without a ward, the province's first ward in the picker's order)."""
    from htxso.geo.selectors import wards_of

    from .services import stores as store_svc

    values = store_svc.pickup_suggestion(org)
    if not values["pickup_ward"]:
        values["pickup_ward"] = wards_of(org.province_id).values_list("code", flat=True)[0]
    values["pickup_address"] = values["pickup_address"] or org.name[:255]
    return values


def _products(ctx: DemoContext, store, code: str, index: int) -> int:
    from htxso.registry.models import OcopProduct

    from .demo_data import GENERIC, PLACES, SPECIALITIES
    from .models import Category, Product
    from .services import catalogue as catalogue_svc

    place = PLACES[code]
    existing = set(store.products.values_list("title", flat=True))
    ocop = list(
        OcopProduct.objects.filter(
            organisation=store.organisation,
            certified_on__lte=timezone.localdate(),
            expires_on__gt=timezone.localdate(),
        )
    )
    rows = []
    for j, title in enumerate(SPECIALITIES[code]):
        price = 60000 + 15000 * ((j + index) % 9)
        rows.append(
            (
                title.format(place=place),
                _category_of(title),
                "gói",
                [("250 g", price), ("500 g", price * 2 - 10000)],
                f"<p>Đặc sản {place}: <strong>{title.format(place=place)}</strong>.</p>",
            )
        )
    start = (index * 7) % len(GENERIC)
    for k in range(12):
        title, cat, unit, sizes, desc = GENERIC[(start + k) % len(GENERIC)]
        rows.append((title.format(place=place), cat, unit, sizes, desc))
    created = 0
    admin = store.organisation  # noqa: F841 - clarity
    from htxso.accounts.models import User

    actor = User.objects.get(username="vca.admin")
    if not Category.objects.exists():  # the tree of data migration 0002 was emptied
        import importlib

        from django.apps import apps

        importlib.import_module("htxso.market.migrations.0002_seed_categories").seed(apps, None)
    cats = {c.slug: c for c in Category.objects.all()}
    for n, (title, cat, unit, sizes, desc) in enumerate(rows):
        if store.kind == "household":
            title = f"{title} (nhà làm)"
        if title in existing:
            continue
        data = {
            "title": title,
            "category": cats[cat].pk,
            "unit": unit,
            "description": desc,
            "ethnic_minority_producer": code in ("04", "66", "40") and n % 3 == 0,
            "shelf_life_days": 7 if cats[cat].perishable else None,
            "title_en": "",
        }
        if ocop and n < len(ocop):
            data["ocop"] = ocop[n].pk
        stock = 0 if n == len(rows) - 1 else 10 + (n * 7) % 90
        catalogue_svc.product_save(
            actor=actor,
            store=store,
            data=data,
            variants=[{"label": label, "price": price, "stock": stock} for label, price in sizes],
        )
        created += 1
    _ = Product
    return created


def _orders(ctx: DemoContext, stores) -> int:
    from htxso.accounts.models import User

    from .models import Cart, StoreStatus
    from .services import cart as cart_svc
    from .services import orders as order_svc
    from .services import reviews as review_svc

    buyer = User.objects.filter(username="nguoimua").first()
    admin = User.objects.get(username="vca.admin")
    sellable = [s for s in stores if s.status == StoreStatus.VERIFIED]
    created = 0
    n = 0
    for state, path in STATE_PATHS.items():
        for method in ("vietqr", "cod"):
            if method == "cod" and state in ("expired", "refunded"):
                continue
            store = sellable[n % len(sellable)]
            n += 1
            key = f"demo-order-{state}-{method}"
            # The demo cart stays (empty) as the mark that this order was made.
            cart, new = Cart.objects.get_or_create(session_key=f"demo-{key}")
            if not new:
                continue
            products = list(store.products.filter(in_stock=True).order_by("id")[:2])
            for p in products:
                v = p.variants.filter(stock__gt=1).first()
                if v:
                    cart_svc.cart_add(cart=cart, variant_id=v.pk, quantity=1 + n % 2)
            (order,) = order_svc.checkout_place(
                actor=buyer or PUBLIC,
                cart=cart,
                idempotency_key=key,
                data={
                    "buyer_name": (buyer.full_name if buyer else "") or "Lê Minh Châu",
                    "buyer_phone": "0987654321",
                    "fulfilment": "delivery",
                    "ward": store.organisation.ward_id or "",
                    "address": "Số 5, thôn Đoàn Kết",
                    "payment_method": method,
                },
            )
            steps = path
            if method == "cod":
                steps = {
                    "paid": ["confirmed", "shipped", "delivered", "paid"],
                    "shipped": ["confirmed", "shipped"],
                    "delivered": ["confirmed", "shipped", "delivered"],
                    "completed": ["confirmed", "shipped", "delivered", "paid", "completed"],
                }.get(state, path)
            for step in steps:
                reason = {"cancelled": "Khách đổi ý", "refunded": "Hàng hết, hoàn tiền"}.get(
                    step, ""
                )
                order = order_svc.order_transition(
                    actor=SCHEDULER if step == "expired" else admin,
                    order=order,
                    to_state=step,
                    reason=reason,
                )
            if order.state in ("delivered", "completed"):
                for line in order.lines.all():
                    review_svc.review_create(
                        actor=buyer or PUBLIC,
                        order=order,
                        product_id=line.product_id,
                        rating=4 + n % 2,
                        text_value="Hàng đúng mô tả, đóng gói cẩn thận.",
                        author_name="",
                    )
                    if state == "completed" and method == "cod":
                        review = order.reviews.first()
                        review_svc.report_create(
                            actor=PUBLIC, review=review, reason="spam", detail="Thử báo cáo"
                        )
            created += 1
    return created


def seed(ctx: DemoContext) -> None:
    stores = []
    products = 0
    for code, slug in DEMO_PROVINCES.items():
        province_stores = _stores(ctx, code, slug)
        for i, store in enumerate(province_stores):
            products += _products(ctx, store, code, i)
        stores += province_stores
    _coffee_gtin()
    from .demo_households import seed as seed_households

    seed_households(ctx)  # a pending household store request, an independent store
    orders = _orders(ctx, stores) if stores else 0
    ctx.log(f"market: {len(stores)} stores, {products} new products, {orders} new orders")


def _coffee_gtin() -> None:
    """The roasted coffee of the first cooperative in Đắk Lắk carries the GTIN of the
    coffee whose lots the traceability demo records (``DEMO_COFFEE_GTIN``), so its
    product page links to the trace page and the trace page back to it."""
    from htxso.registry.models import Organisation

    from .models import Product

    if Product.objects.filter(gtin=DEMO_COFFEE_GTIN).exists():
        return
    org = Organisation.objects.filter(province_id="66", kind="cooperative").order_by("id").first()
    product = (
        Product.objects.filter(store__organisation=org, title__icontains="rang", gtin="")
        .order_by("id")
        .first()
    )
    if org is not None and product is not None:
        Product.objects.filter(pk=product.pk).update(gtin=DEMO_COFFEE_GTIN)
