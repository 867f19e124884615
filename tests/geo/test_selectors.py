"""``provinces()`` and ``wards_of()`` for the ward picker."""

from __future__ import annotations

import pytest

from htxso.geo.models import Ward
from htxso.geo.selectors import provinces, wards_of

pytestmark = pytest.mark.django_db


def test_provinces_in_code_order():
    codes = list(provinces().values_list("code", flat=True))
    assert len(codes) == 34
    assert codes == sorted(codes)
    assert codes[0] == "01" and codes[-1] == "96"


def test_wards_of_a_province():
    assert wards_of("66").count() == Ward.objects.filter(province_id="66").count() > 0
    assert not wards_of("99").exists()


@pytest.mark.parametrize(
    "q", ["Tân An", "tan an", "TAN AN", "P. Tân An", "phuong tan an", "an tan"]
)
def test_search_without_accents(q):
    names = set(wards_of("66", q).values_list("name", flat=True))
    assert "Phường Tân An" in names
    assert all(name.startswith(("Phường", "Xã")) for name in names)


def test_search_narrows_and_orders():
    results = list(wards_of("66", "buon ma thuot"))
    assert [w.name for w in results] == ["Phường Buôn Ma Thuột"]
    assert not wards_of("66", "khong co phuong nay").exists()
    names = [w.search_text for w in wards_of("01", "ba")]
    assert names == sorted(names)


def test_blank_query_is_no_filter():
    assert (
        wards_of("01", "").count() == wards_of("01", None).count() == wards_of("01", "  ").count()
    )


def test_wards_of_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        list(wards_of("79", "sai gon"))
