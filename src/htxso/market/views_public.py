"""Public catalogue pages: market home and search, product, store."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from htxso.core.access import access
from htxso.core.gtin_links import TRACE, gtin_page_url
from htxso.geo.models import Province

from . import selectors
from .forms import CartAddForm, SearchForm
from .models import Category
from .search import SearchFilters, parse_query, search_products
from .views_common import SORTS, int_or_none

PAGE_SIZE = 24


def _filters(request) -> SearchFilters:
    g = request.GET
    cats: list[int] = []
    cat = int_or_none(g.get("danh_muc"))
    if cat:
        cats = [cat, *Category.objects.filter(parent_id=cat).values_list("pk", flat=True)]
    province = (g.get("tinh") or "")[:2]
    stars = int_or_none(g.get("ocop"))
    return SearchFilters(
        query=(g.get("q") or "")[:120],
        category_ids=cats,
        province=province if province.isdigit() else None,
        min_stars=stars if stars in (3, 4, 5) else None,
        min_price=int_or_none(g.get("gia_tu")),
        max_price=int_or_none(g.get("gia_den")),
        ethnic=g.get("dtts") == "1",
        sort=g.get("sap_xep") if g.get("sap_xep") in dict(SORTS) else "relevance",
    )


@access(public=True)
def market_home(request):
    """The catalogue: search box, filters, categories and results."""
    f = _filters(request)
    parsed = parse_query(f.query)
    qs = selectors.product_card_list(search_products(f, parsed=parsed))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    categories = selectors.categories_tree()
    provinces = Province.objects.order_by("name").values_list("code", "name")
    selected_category = int_or_none(request.GET.get("danh_muc"))
    form = SearchForm(
        initial={
            "q": f.query,
            "danh_muc": selected_category or "",
            "tinh": f.province or "",
            "ocop": f.min_stars or "",
            "gia_tu": "" if f.min_price is None else f.min_price,
            "gia_den": "" if f.max_price is None else f.max_price,
            "sap_xep": f.sort,
            "dtts": f.ethnic,
        },
        categories=categories,
        provinces=provinces,
        sorts=SORTS,
    )
    context = {
        "f": f,
        "form": form,
        # what the filter panel shows (its rendering is cached under this key)
        "filters_key": "|".join(
            str(v)
            for v in (
                selected_category,
                f.province,
                f.min_stars,
                f.min_price,
                f.max_price,
                f.sort,
                f.ethnic,
            )
        ),
        "page": page,
        "products": list(page.object_list),
        "parsed": parsed,
        "categories": categories,
        "provinces": provinces,
        "sorts": SORTS,
        "selected_category": selected_category,
        "active_filters": sum(
            bool(x)
            for x in (f.category_ids, f.province, f.min_stars, f.min_price, f.max_price, f.ethnic)
        ),
    }
    template = "market/_results.html" if request.headers.get("HX-Request") else "market/home.html"
    return render(request, template, context)


@access(public=True)
def product_detail(request, product_id: int):
    product = selectors.public_product(product_id)
    variants = list(product.variants.all())
    return render(
        request,
        "market/product.html",
        {
            "product": product,
            "variants": variants,
            # the sizes and quantity are a cached fragment (the same for every visitor
            # while the sizes, prices and stock are the same): the form is built only
            # when the fragment is rendered
            "form": SimpleLazyObject(lambda: CartAddForm(variants=variants, next_url=request.path)),
            "buy_key": "|".join(f"{v.pk}:{v.price}:{v.stock}:{v.label}" for v in variants),
            "images": list(product.images.all()),
            "reviews": selectors.product_reviews(product),
            "ocop_stars": product.ocop_stars,
            "trace_url": _trace_url(product),
        },
    )


def _trace_url(product) -> str | None:
    """The public trace page of the product's newest lot, when it has a GTIN and the
    traceability records know it (the two apps meet on the GTIN, a shared GS1 key,
    through ``core.gtin_links``: the market never imports trace)."""
    return gtin_page_url(TRACE, product.gtin)


@access(public=True)
def store_detail(request, store_slug: str):
    store = selectors.public_store(store_slug)
    qs = selectors.product_card_list(
        search_products(SearchFilters(store_id=store.pk, sort="newest"))
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "market/store.html",
        {"store": store, "page": page, "products": list(page.object_list)},
    )


@access(public=True)
def store_list(request):
    stores = selectors.public_stores().order_by("name")
    page = Paginator(stores, 50).get_page(request.GET.get("page"))
    return render(request, "market/store_list.html", {"page": page, "stores": list(page)})
