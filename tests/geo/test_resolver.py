"""``resolve_address`` / ``Resolver``: old and new forms, abbreviations, ambiguity."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from htxso.geo import resolver as resolver_module
from htxso.geo.models import UnitsDataset
from htxso.geo.resolver import (
    REASONS,
    Resolution,
    Resolver,
    get_index,
    invalidate_index,
    normalize_tokens,
    resolve_address,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolver():
    return Resolver()


def check_invariants(res: Resolution) -> None:
    assert res.reason in REASONS
    assert 0.0 <= res.confidence <= 1.0
    if res.ward is not None:
        assert res.reason in ("exact_new", "legacy_mapped")
        assert res.province == res.ward.province
        assert res.candidates == []
    if res.reason == "ambiguous":
        assert res.ward is None
        assert len(res.candidates) >= 2
        scores = [score for _ward, score in res.candidates]
        assert scores == sorted(scores, reverse=True)
    if res.reason == "legacy_mapped":
        assert res.legacy is not None
    if res.reason == "no_match":
        assert res.province is None and res.ward is None and res.confidence == 0.0


# --- normalisation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("TP. Buôn Ma Thuột", "thanh pho buon ma thuot"),
        ("Tp.HCM", "thanh pho ho chi minh"),
        ("T.P Cao Bằng", "thanh pho cao bang"),
        ("Q.1, P.05", "quan 1 phuong 5"),
        ("Q1 P12", "quan 1 phuong 12"),
        ("TX. Phú Thọ", "thi xa phu tho"),
        ("TT. Ea Drăng", "thi tran ea drang"),
        ("H. Ea H'leo, T. Đắk Lắk", "huyen ea huyen leo tinh dak lak"),
        ("X. Ea Tu", "xa ea tu"),
    ],
)
def test_normalize_tokens(text, tokens):
    assert " ".join(normalize_tokens(text)) == tokens


# --- the cases of the brief ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Xã Ea Tu, TP. Buôn Ma Thuột, Đắk Lắk",
        "xa ea tu tp buon ma thuot dak lak",
        "X. Ea Tu, T.P Buôn Ma Thuột, T. Đắk Lắk",
        "Số 12 đường Lê Lợi, thôn 3, xã Ea Tu, thành phố Buôn Ma Thuột, tỉnh Đắk Lắk",
        "Ea Tu, Buôn Ma Thuột, Đắk Lắk",
        "Đắk Lắk - Buôn Ma Thuột - Ea Tu",
    ],
)
def test_old_address_maps_to_new_ward(resolver, text):
    res = resolver.resolve(text)
    check_invariants(res)
    assert res.reason == "legacy_mapped"
    assert res.ward.name == "Phường Tân An"
    assert res.province.code == "66"
    assert res.legacy.name == "Xã Ea Tu"
    assert res.legacy.district.name == "Thành phố Buôn Ma Thuột"
    assert res.confidence >= 0.85


def test_old_ward_with_city_abbreviation(resolver):
    res = resolver.resolve("P. Hợp Giang, TP Cao Bằng, Cao Bằng")
    check_invariants(res)
    assert res.reason == "legacy_mapped"
    assert (res.ward.name, res.province.code) == ("Phường Thục Phán", "04")
    assert res.legacy.name == "Phường Hợp Giang"
    assert res.confidence >= 0.9


def test_city_without_province_still_resolves(resolver):
    res = resolver.resolve("P. Hợp Giang, TP Cao Bằng")
    assert res.reason == "legacy_mapped"
    assert res.ward.name == "Phường Thục Phán"


@pytest.mark.parametrize(
    ("text", "ward", "province"),
    [
        ("Phường Tân An, Đắk Lắk", "Phường Tân An", "66"),
        ("phuong tan an, tinh dak lak", "Phường Tân An", "66"),
        ("Phường Phú Thọ, TP HCM", "Phường Phú Thọ", "79"),
        ("Đặc khu Phú Quốc, An Giang", "Đặc khu Phú Quốc", "91"),
        ("Phường Lâm Viên, Lâm Đồng", "Phường Lâm Viên - Đà Lạt", "68"),
        ("Xa Ea Hleo, Dak Lak", "Xã Ea H'Leo", "66"),
    ],
)
def test_new_form_addresses(resolver, text, ward, province):
    res = resolver.resolve(text)
    check_invariants(res)
    assert res.reason == "exact_new"
    assert (res.ward.name, res.province.code) == (ward, province)
    assert res.legacy is None
    assert res.confidence >= 0.8


@pytest.mark.parametrize(
    ("text", "ward", "province"),
    [
        ("Phường Trúc Bạch, Quận Ba Đình, Hà Nội", "Phường Ba Đình", "01"),
        ("Phường Bến Nghé, Q.1, TP.HCM", "Phường Sài Gòn", "79"),
        ("123 Trần Hưng Đạo, P.1, Q.5, Tp Hồ Chí Minh", "Phường Chợ Quán", "79"),
        ("TT. Ea Drăng, H. Ea H'leo, T. Đắk Lắk", "Xã Ea Drăng", "66"),
        ("Xã Quảng Tín, H. Đắk R'Lấp, Đắk Nông", "Xã Quảng Tín", "68"),
        ("Xa Thuong Lam, Huyen Lam Binh, Tinh Tuyen Quang", "Xã Thượng Lâm", "08"),
        ("Phường 3, TP Đà Lạt, Lâm Đồng", "Phường Xuân Hương - Đà Lạt", "68"),
    ],
)
def test_old_addresses_with_abbreviations(resolver, text, ward, province):
    res = resolver.resolve(text)
    check_invariants(res)
    assert res.reason == "legacy_mapped"
    assert (res.ward.name, res.province.code) == (ward, province)


@pytest.mark.parametrize(
    ("text", "province"),
    [
        ("Tỉnh Đắk Nông", "68"),
        ("Bắc Giang", "24"),
        ("T. Hà Giang", "08"),
        ("tinh ha giang", "08"),
        ("Thừa Thiên Huế", "46"),
        ("TP. Hồ Chí Minh", "79"),
        ("Tỉnh Bà Rịa - Vũng Tàu", "79"),
        ("Daklak", "66"),
    ],
)
def test_province_only(resolver, text, province):
    res = resolver.resolve(text)
    check_invariants(res)
    assert res.reason == "province_only"
    assert res.province.code == province
    assert res.ward is None
    assert 0 < res.confidence < 0.5


def test_ambiguous_old_name_across_provinces(resolver):
    res = resolver.resolve("Xã Hòa Thắng")
    check_invariants(res)
    assert res.reason == "ambiguous"
    assert res.province is None
    provinces = {ward.province_id for ward, _score in res.candidates}
    assert {"20", "66"} <= provinces
    assert res.confidence <= 0.5


@pytest.mark.parametrize(
    ("text", "ward", "province"),
    [
        ("Xã Hòa Thắng, Huyện Hữu Lũng, Lạng Sơn", "Xã Tuấn Sơn", "20"),
        ("Xã Hòa Thắng, TP Buôn Ma Thuột, Đắk Lắk", "Phường Tân Lập", "66"),
        ("xa hoa thang, huyen huu lung", "Xã Tuấn Sơn", "20"),
        ("Xã Hòa Thắng, Lạng Sơn", "Xã Tuấn Sơn", "20"),
    ],
)
def test_ambiguous_old_name_resolved_by_district_or_province(resolver, text, ward, province):
    res = resolver.resolve(text)
    check_invariants(res)
    assert res.reason == "legacy_mapped"
    assert (res.ward.name, res.province.code) == (ward, province)
    assert res.legacy.search_text == "xa hoa thang"


def test_same_old_name_twice_in_one_province_is_ambiguous(resolver):
    # Đắk Lắk now includes the former Phú Yên, which had its own Xã Hòa Thắng.
    res = resolver.resolve("Xã Hòa Thắng, Đắk Lắk")
    check_invariants(res)
    assert res.reason == "ambiguous"
    assert res.province.code == "66"
    assert {w.name for w, _s in res.candidates} == {"Phường Tân Lập", "Xã Phú Hòa 1"}


def test_split_old_ward_is_ambiguous_with_lower_confidence(resolver):
    res = resolver.resolve("Xã Cao Sơn, Huyện Lương Sơn, Tỉnh Hoà Bình")
    check_invariants(res)
    assert res.reason == "ambiguous"
    assert res.legacy is not None and res.legacy.name == "Xã Cao Sơn"
    targets = {m.ward.name for m in res.legacy.mappings.select_related("ward")}
    assert len(targets) == 2
    assert {w.name for w, _s in res.candidates} == targets
    assert res.province.code == "25"
    assert res.confidence <= 0.5


def test_accents_separate_names_that_fold_alike(resolver):
    lang = resolver.resolve("Xã Văn Lang, Thái Nguyên")
    lang_breve = resolver.resolve("Xã Văn Lăng, Thái Nguyên")
    assert (lang.reason, lang.ward.name) == ("exact_new", "Xã Văn Lang")
    assert (lang_breve.reason, lang_breve.ward.name) == ("exact_new", "Xã Văn Lăng")
    assert resolver.resolve("xa van lang, thai nguyen").reason == "ambiguous"


def test_old_tone_placement_counts_as_the_same_accent(resolver):
    res = resolver.resolve("Phường Tân Hoà, TP Hoà Bình, Hoà Bình")
    assert res.reason == "legacy_mapped"
    assert res.province.code == "25"


def test_former_ward_without_mapping_row_gives_province(resolver):
    res = resolver.resolve("P.14, Q. Bình Thạnh, TP.HCM")
    check_invariants(res)
    assert res.reason == "province_only"
    assert res.province.code == "79"
    assert res.legacy is not None and res.legacy.name == "Phường 14"


@pytest.mark.parametrize(
    "text",
    ["", "   ", ",,,;;", "asdf qwer 1234", "Việt Nam", "Công ty TNHH ABC", "0123456789"],
)
def test_no_match(resolver, text):
    res = resolver.resolve(text)
    check_invariants(res)
    assert res.reason == "no_match"


@pytest.mark.parametrize(
    "text",
    [None, 12345, "\x00\x01\x02", "💥🔥 Đắk 💥", "Ｘã　Ｅａ　Ｔｕ", "ß" * 50, "'" * 100, "١٢٣"],
)
def test_garbage_input(resolver, text):
    check_invariants(resolver.resolve(text))


def test_full_width_and_upper_case(resolver):
    res = resolver.resolve("XÃ EA TU，TP. BUÔN MA THUỘT，ĐẮK LẮK")
    assert res.reason == "legacy_mapped"
    assert res.ward.name == "Phường Tân An"


@pytest.mark.parametrize(
    "text",
    [
        "Xã Ea Tu, " * 1000,
        "x" * 10_000,
        "1" * 10_000,
        "tan an " * 1500,
        ", " * 5000,
        "Phường " * 1500,
    ],
)
def test_very_long_input_returns_quickly(resolver, text):
    assert len(text) >= 10_000
    started = time.perf_counter()
    res = resolver.resolve(text)
    assert time.perf_counter() - started < 1.0
    check_invariants(res)


def test_long_input_ending_with_an_address(resolver):
    res = resolver.resolve("ghi chú " * 2000 + ", Xã Ea Tu, TP Buôn Ma Thuột, Đắk Lắk")
    assert res.ward is not None and res.ward.name == "Phường Tân An"


# --- efficiency and the cache ------------------------------------------------------------


def test_no_query_per_row(resolver, django_assert_num_queries):
    addresses = [
        "Xã Ea Tu, TP. Buôn Ma Thuột, Đắk Lắk",
        "P. Hợp Giang, TP Cao Bằng, Cao Bằng",
        "Phường Tân An, Đắk Lắk",
        "Xã Hòa Thắng",
    ] * 250
    with django_assert_num_queries(0):
        results = [resolver.resolve(a) for a in addresses]
        names = {r.ward.name for r in results if r.ward}
        legacy_districts = {r.legacy.district.name for r in results if r.legacy}
    assert names == {"Phường Tân An", "Phường Thục Phán"}
    assert "Thành phố Cao Bằng" in legacy_districts


def test_resolve_address_function_uses_the_cache(django_assert_max_num_queries):
    assert resolve_address("Xã Ea Tu, TP. Buôn Ma Thuột, Đắk Lắk").ward.code == "24163"
    with django_assert_max_num_queries(0):
        for _ in range(100):
            resolve_address("Phường Tân An, Đắk Lắk")


def test_index_is_rebuilt_when_units_reload():
    first = get_index()
    assert get_index() is first
    dataset = UnitsDataset.objects.get()
    UnitsDataset.objects.update(loaded_at=dataset.loaded_at.replace(year=2000))
    second = get_index()
    assert second is not first
    invalidate_index()
    third = get_index()
    assert third is not second
    assert resolver_module.get_index(recheck=False) is third


# --- never raises -------------------------------------------------------------------------

_FRAGMENTS = [
    "Xã",
    "Phường",
    "Thị trấn",
    "TT.",
    "TP.",
    "T.P",
    "Tp",
    "Q.",
    "H.",
    "X.",
    "P.",
    "TX.",
    "tỉnh",
    "thành phố",
    "huyện",
    "quận",
    "Đắk Lắk",
    "Buôn Ma Thuột",
    "Ea Tu",
    "Hòa Thắng",
    "Cao Bằng",
    "Hợp Giang",
    "Tân An",
    "Hà Nội",
    "HCM",
    "1",
    "01",
    "14",
    ",",
    ";",
    "-",
    "'",
    ".",
    "(",
    ")",
    "thôn",
    "đường",
    "số",
    "Đặc khu",
    "ß",
    "💥",
    "\u0301",
    " ",
]


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(max_size=300))
def test_never_raises_on_arbitrary_text(resolver, text):
    check_invariants(resolver.resolve(text))


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(parts=st.lists(st.sampled_from(_FRAGMENTS), max_size=25))
def test_never_raises_on_address_like_text(resolver, parts):
    check_invariants(resolver.resolve(" ".join(parts)))
