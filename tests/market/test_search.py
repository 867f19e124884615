"""Search: accents, typos, ranking, filters — same code path on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from htxso.market.models import Product, ProductTerm, SearchTerm
from htxso.market.search import (
    SearchFilters,
    corrections,
    damerau_levenshtein,
    needs_correction,
    parse_query,
    rebuild_index,
    rebuild_vocabulary,
    search_products,
)
from htxso.market.services import catalogue as catalogue_svc
from htxso.registry.models import OcopProduct

from .fixtures_market import days, make_product

pytestmark = pytest.mark.django_db


def titles(query, **kw):
    return [p.title for p in search_products(SearchFilters(query=query, **kw))]


def test_damerau():
    assert damerau_levenshtein("lak", "lac") == 1
    assert damerau_levenshtein("haa", "ha") == 1
    assert damerau_levenshtein("phe", "peh") == 1
    assert damerau_levenshtein("ca", "ca") == 0
    assert damerau_levenshtein("mat", "mong") > 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ca phe dak lak", "Cà phê Đắk Lắk rang xay"),
        ("Cà phê Đắk Lắk", "Cà phê Đắk Lắk rang xay"),
        ("CA PHE DAK LAK", "Cà phê Đắk Lắk rang xay"),
        ("mat ong bac ha", "Mật ong bạc hà Cao Bằng"),
        ("ca phe dak lac", "Cà phê Đắk Lắk rang xay"),
        ("mat ong bac haa", "Mật ong bạc hà Cao Bằng"),
        ("mat ogn", "Mật ong bạc hà Cao Bằng"),
        ("che shan", "Chè Shan tuyết"),
        ("ca ph", "Cà phê Đắk Lắk rang xay"),  # the last word typed may be a prefix
    ],
)
def test_accents_and_typos(market, query, expected):
    assert titles(query)[:1] == [expected]


def test_unrelated_words_find_nothing(market):
    assert titles("xe may honda") == []


def test_typo_corrections_come_from_the_vocabulary(market):
    alts = corrections(["lac", "haa", "ca"])
    assert "lak" in alts["lac"]
    assert "ha" in alts["haa"]
    assert alts["ca"] == []  # two letters: no fuzzy matching
    assert SearchTerm.objects.filter(term="phe").exists()


def test_title_match_ranks_above_description_and_ocop_boosts(market):
    store = market.store_b
    in_desc = make_product(
        store,
        "Hạt điều rang muối",
        cat="hai-san-kho",
        description="<p>Ngon như cà phê sáng</p>",
        title_en="Cashews, coffee-shop style",
    )
    plain = make_product(store, "Cà phê bột nguyên chất")
    ocop = OcopProduct.objects.create(
        organisation=store.organisation,
        name="Cà phê hạt",
        stars=4,
        certified_on=days(-100),
        expires_on=days(600),
    )
    starred = make_product(store, "Cà phê hạt Robusta", ocop=ocop.pk)
    result = titles("ca phe")
    assert result.index(starred.title) < result.index(plain.title)
    assert in_desc.title in titles("coffee")
    assert titles("ca phe")[0] in (starred.title, "Cà phê Đắk Lắk rang xay")


def test_ocop_stars_only_when_valid_and_unexpired(market):
    store = market.store_b
    expired = OcopProduct.objects.create(
        organisation=store.organisation,
        name="Cà phê cũ",
        stars=5,
        certified_on=days(-1200),
        expires_on=days(-10),
    )
    p = make_product(store, "Cà phê hết hạn OCOP", ocop=expired.pk)
    assert Product.objects.get(pk=p.pk).ocop_stars is None
    assert p.title not in titles("", min_stars=3)
    valid = OcopProduct.objects.create(
        organisation=store.organisation,
        name="Cà phê mới",
        stars=4,
        certified_on=days(-10),
        expires_on=days(300),
    )
    q = make_product(store, "Cà phê OCOP bốn sao", ocop=valid.pk)
    assert Product.objects.get(pk=q.pk).ocop_stars == 4
    assert titles("", min_stars=4) == [q.title]
    assert titles("", min_stars=5) == []


def test_ocop_of_another_organisation_is_refused(market):
    from django.core.exceptions import ValidationError

    other = OcopProduct.objects.create(
        organisation=market.store_a.organisation,
        name="Mật ong",
        stars=5,
        certified_on=days(-10),
        expires_on=days(300),
    )
    with pytest.raises(ValidationError) as exc:
        make_product(market.store_b, "Cà phê mượn sao", ocop=other.pk)
    assert "ocop" in exc.value.error_dict


def test_filters(market):
    assert set(titles("", province="04")) == {"Mật ong bạc hà Cao Bằng", "Chè Shan tuyết"}
    assert titles("", province="66") == ["Cà phê Đắk Lắk rang xay"]
    from htxso.market.models import Category

    honey = Category.objects.get(slug="mat-ong")
    ids = [honey.pk, *honey.children.values_list("pk", flat=True)]
    assert titles("", category_ids=ids) == ["Mật ong bạc hà Cao Bằng"]
    assert set(titles("", min_price=130000)) == {"Mật ong bạc hà Cao Bằng"}
    assert set(titles("", max_price=125000)) == {"Cà phê Đắk Lắk rang xay", "Chè Shan tuyết"}
    assert titles("", sort="price_desc")[0] == "Mật ong bạc hà Cao Bằng"


def test_hidden_products_and_unverified_stores_are_not_found(market):
    from htxso.market.models import Store, StoreStatus

    Store.objects.filter(pk=market.store_b.pk).update(status=StoreStatus.SUSPENDED)
    assert titles("ca phe") == []


def test_rebuild_vocabulary_counts_documents(market):
    rebuild_vocabulary()
    assert SearchTerm.objects.get(term="phe").df >= 1


def postings(product) -> dict[str, bool]:
    return dict(
        ProductTerm.objects.filter(product_id=product.pk).values_list("term__term", "in_title")
    )


def test_common_words_are_not_expanded_to_their_neighbours(market):
    """ "tho cam" used to also match to/pho/kho/ho/thao/thu and cao/ca/nam/lam/tam."""
    shawl = make_product(market.store_a, "Khăn thổ cẩm dệt tay", cat="tho-cam")
    bag = make_product(market.store_b, "Túi thổ cẩm", cat="tho-cam")
    pho = make_product(market.store_b, "Phở khô Nam Định", cat="bun-mien-banh")
    squid = make_product(market.store_b, "Mực khô Cà Mau", cat="hai-san-kho")
    silk = make_product(market.store_a, "Lụa tơ tằm", cat="lua-to-tam")
    found = titles("tho cam")
    assert set(found) == {shawl.title, bag.title}
    for other in (pho, squid, silk, market.honey):
        assert other.title not in found
    parsed = parse_query("tho cam")
    assert parsed.alternatives == {"tho": [], "cam": []} and not parsed.corrected
    # A typo in an unknown word is still corrected, and says so.
    assert set(titles("tho caam")) == {shawl.title, bag.title}
    assert parse_query("tho caam").corrected


def test_only_unknown_or_rare_words_are_corrected():
    assert needs_correction("lac", None)  # unknown, three letters
    assert not needs_correction("ca", None)  # too short to guess
    assert not needs_correction("lac", 1)  # known, three letters: as typed
    assert needs_correction("shann", 1)  # known but rare, four letters or more
    assert not needs_correction("shann", 50)  # common


def test_rare_word_of_four_letters_is_corrected(market):
    make_product(market.store_a, "Chè Shann lỗi chính tả", cat="che-tra")
    parsed = parse_query("che shann")
    assert "shan" in parsed.alternatives["shann"]
    assert "Chè Shan tuyết" in titles("che shann")


def test_the_index_follows_a_title_change(market):
    tea = market.tea
    assert "shan" in postings(tea) and postings(tea)["shan"] is True
    df_before = SearchTerm.objects.get(term="shan").df
    catalogue_svc.product_save(
        actor=market.store_a.owner,
        store=market.store_a,
        product=tea,
        data={"title": "Trà hoa vàng Ba Chẽ", "category": tea.category_id, "unit": "gói"},
        variants=[{"label": "500 g", "price": 120000, "stock": 20}],
    )
    words = postings(tea)
    assert "shan" not in words and "tuyet" not in words
    assert words["hoa"] is True and words["vang"] is True
    assert SearchTerm.objects.get(term="shan").df == df_before - 1
    assert titles("che shan") == []
    assert titles("tra hoa vang") == ["Trà hoa vàng Ba Chẽ"]
    # The province (Cao Bằng) is still indexed, but not as a title word.
    assert words["bang"] is False


def test_hidden_and_deleted_products_leave_the_results(market):
    catalogue_svc.product_set_status(
        actor=market.store_a.owner, product=market.tea, status="hidden"
    )
    assert titles("che shan") == []
    catalogue_svc.product_set_status(
        actor=market.store_a.owner, product=market.tea, status="active"
    )
    assert titles("che shan") == ["Chè Shan tuyết"]
    pk = market.tea.pk
    Product.objects.filter(pk=pk).delete()
    assert not ProductTerm.objects.filter(product_id=pk).exists()
    assert titles("che shan") == []


def test_rebuild_gives_the_same_index_as_the_services(market):
    before = set(ProductTerm.objects.values_list("product_id", "term_id", "in_title"))
    counts = dict(SearchTerm.objects.values_list("term", "df"))
    assert before
    rebuild_index()
    assert set(ProductTerm.objects.values_list("product_id", "term_id", "in_title")) == before
    assert dict(SearchTerm.objects.values_list("term", "df")) == counts
    assert titles("ca phe dak lak")[:1] == ["Cà phê Đắk Lắk rang xay"]


def test_prefix_of_the_last_word_only(market):
    assert titles("ca ph")[:1] == ["Cà phê Đắk Lắk rang xay"]
    assert titles("ph ca") == []  # "ph" is not a word and not the last one typed
    assert titles("mat on")[:1] == ["Mật ong bạc hà Cao Bằng"]


def test_search_query_count(market, django_assert_num_queries):
    with django_assert_num_queries(1):  # known words: no typo look-up
        parsed = parse_query("ca phe dak lak")
    with django_assert_num_queries(1):
        list(search_products(SearchFilters(query="ca phe dak lak"), parsed=parsed))
    with django_assert_num_queries(2):  # one unknown word: candidates
        parse_query("ca phe dak lac")
