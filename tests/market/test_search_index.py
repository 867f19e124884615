"""The native full-text match (PostgreSQL GIN tsvector, SQLite FTS5) agrees with the
vocabulary and postings, and the index follows deletes and store/category renames."""

from __future__ import annotations

import pytest
from django.db import connection

from htxso.market import search
from htxso.market.models import Category, Product, ProductTerm, SearchTerm
from htxso.market.search import SearchFilters, parse_query, rebuild_index, search_products
from htxso.market.services import stores as store_svc

from .fixtures_market import STORE_DATA, make_product, ward_in

pytestmark = pytest.mark.django_db


def found(query: str, **kw) -> set[int]:
    return set(search_products(SearchFilters(query=query, **kw)).values_list("pk", flat=True))


def by_postings(query: str) -> set[int]:
    """What the inverted index says: public products with a posting in every group."""
    parsed = parse_query(query)
    ids = set(search.public_products().values_list("pk", flat=True))
    for group in parsed.groups:
        ids &= set(
            ProductTerm.objects.filter(term_id__in=group.ids).values_list("product_id", flat=True)
        )
    return ids


def fts_rows() -> dict[int, str]:
    if connection.vendor != "sqlite":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, search_text FROM {search.FTS_TABLE}")
        return dict(cursor.fetchall())


@pytest.fixture
def more(market):
    store = market.store_b
    made = [
        make_product(store, "Cà phê Robusta Krông Pắc", title_en="Coffee from Krong Pac"),
        make_product(store, "Cà phê phin Buôn Ma Thuột"),
        make_product(market.store_a, "Khăn thổ cẩm dệt tay", cat="tho-cam"),
        make_product(market.store_a, "Gạo ST25 túi 5 kg", cat="gao"),
        make_product(market.store_a, "Phở khô Cao Bằng", cat="bun-mien-banh"),
    ]
    return market, made


QUERIES = [
    "ca phe",
    "ca ph",  # prefix completions of the last word
    "ca phe buon ma thuat",  # typo: "thuat" → "thuot"
    "coffee",  # English title
    "gao st25",
    "cao bang",  # province and title words
    "tho caam",  # unknown word corrected
    "gian hang",  # store name
    "mat ong bac",
]


@pytest.mark.parametrize("query", QUERIES)
def test_native_match_equals_the_postings(more, query):
    expected = by_postings(query)
    assert found(query) == expected
    assert expected or query == "gian hang"


def test_every_stored_word_is_found_by_the_native_engine(more):
    """The folded words are ``[a-z0-9]+``: the engine's tokenizer sees the same words."""
    for product in Product.objects.all():
        for word in set(product.search_text.split()):
            parsed = parse_query(word)
            group = parsed.groups[0]
            group.exact_words, group.corrected_words = [word], []
            qs = Product.objects.filter(pk=product.pk).filter(
                search.FullTextMatch(
                    search.F("search_text"),
                    search.F("id"),
                    search.Value(
                        search.fts_query([group], postgresql=connection.vendor == "postgresql")
                    ),
                )
            )
            assert qs.exists(), (product.title, word)


def test_a_deleted_product_leaves_df_and_the_index(more):
    market, _made = more
    tea = market.tea
    df = dict(SearchTerm.objects.values_list("term", "df"))
    assert df["shan"] == 1 and df["tuyet"] == 1
    Product.objects.filter(pk=tea.pk).delete()  # a queryset delete: the receiver still runs
    after = dict(SearchTerm.objects.values_list("term", "df"))
    assert after["shan"] == 0 and after["tuyet"] == 0
    assert after["che"] == df["che"] - 1
    assert tea.pk not in fts_rows()
    assert found("che shan") == set()
    # The counts kept by the services equal a full recount.
    rebuild_index()
    assert dict(SearchTerm.objects.values_list("term", "df")) == after


def test_rebuild_gives_the_same_native_index(more):
    before = fts_rows()
    if connection.vendor == "sqlite":
        assert before == dict(Product.objects.values_list("pk", "search_text"))
    rebuild_index()
    assert fts_rows() == before
    for query in QUERIES:
        assert found(query) == by_postings(query)


def test_renaming_a_store_reindexes_its_products(more):
    market, _made = more
    store = market.store_a
    mine = set(store.products.values_list("pk", flat=True))
    assert found("hop giang") == mine
    df_hop = SearchTerm.objects.get(term="hop").df
    store_svc.store_update(
        actor=market.world.users["manager_a1"],
        store=store,
        data={
            **STORE_DATA,
            "name": "Gian hàng Sơn Tùng",
            "pickup_ward": ward_in(store.organisation.province_id),
        },
    )
    assert found("son tung") == mine
    assert found("hop giang") == set()
    assert SearchTerm.objects.get(term="hop").df == df_hop - len(mine)
    for product in Product.objects.filter(pk__in=mine).select_related(
        "store", "category", "province", "origin_ward"
    ):
        assert (product.search_text, product.search_title) == search.product_search_fields(product)


def test_renaming_a_category_reindexes_its_products(more):
    market, _made = more
    tea_category = Category.objects.get(pk=market.tea.category_id)
    assert found("dac san tay bac") == set()
    tea_category.name = "Đặc sản Tây Bắc"
    tea_category.save()
    assert found("dac san tay bac") == {market.tea.pk}
    assert found("dac san tay bac") == by_postings("dac san tay bac")
    # Saving without a new name re-indexes nothing (no query on the products).
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        tea_category.save()
    assert len(captured.captured_queries) == 2  # read the old name, UPDATE


def test_the_native_index_exists():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'market_product_fulltext'"
            )
            (definition,) = cursor.fetchone()
            assert "gin (to_tsvector('simple'::regconfig" in definition
            assert "fastupdate=off" in definition
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [search.FTS_TABLE])
            assert "fts5" in cursor.fetchone()[0].lower()
