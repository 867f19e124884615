"""``load_units``: counts, the DOMAIN.md merge list, idempotency."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from htxso.core.text import fold
from htxso.geo.management.commands.load_units import load_units, read_source
from htxso.geo.models import (
    LegacyDistrict,
    LegacyProvince,
    LegacyWard,
    Province,
    UnitsDataset,
    Ward,
    WardMapping,
)

pytestmark = pytest.mark.django_db

# DOMAIN.md "Administrative units": new code, name, the former provinces merged into it.
MERGES = {
    "01": ("Hà Nội", ["01"]),
    "04": ("Cao Bằng", ["04"]),
    "08": ("Tuyên Quang", ["02", "08"]),
    "11": ("Điện Biên", ["11"]),
    "12": ("Lai Châu", ["12"]),
    "14": ("Sơn La", ["14"]),
    "15": ("Lào Cai", ["10", "15"]),
    "19": ("Thái Nguyên", ["06", "19"]),
    "20": ("Lạng Sơn", ["20"]),
    "22": ("Quảng Ninh", ["22"]),
    "24": ("Bắc Ninh", ["24", "27"]),
    "25": ("Phú Thọ", ["17", "25", "26"]),
    "31": ("Hải Phòng", ["30", "31"]),
    "33": ("Hưng Yên", ["33", "34"]),
    "37": ("Ninh Bình", ["35", "36", "37"]),
    "38": ("Thanh Hóa", ["38"]),
    "40": ("Nghệ An", ["40"]),
    "42": ("Hà Tĩnh", ["42"]),
    "44": ("Quảng Trị", ["44", "45"]),
    "46": ("Huế", ["46"]),
    "48": ("Đà Nẵng", ["48", "49"]),
    "51": ("Quảng Ngãi", ["51", "62"]),
    "52": ("Gia Lai", ["52", "64"]),
    "56": ("Khánh Hòa", ["56", "58"]),
    "66": ("Đắk Lắk", ["54", "66"]),
    "68": ("Lâm Đồng", ["60", "67", "68"]),
    "75": ("Đồng Nai", ["70", "75"]),
    "79": ("Hồ Chí Minh", ["74", "77", "79"]),
    "80": ("Tây Ninh", ["72", "80"]),
    "82": ("Đồng Tháp", ["82", "87"]),
    "86": ("Vĩnh Long", ["83", "84", "86"]),
    "91": ("An Giang", ["89", "91"]),
    "92": ("Cần Thơ", ["92", "93", "94"]),
    "96": ("Cà Mau", ["95", "96"]),
}


def test_counts():
    assert Province.objects.count() == 34
    assert Ward.objects.count() == 3321
    assert LegacyProvince.objects.count() == 63
    assert LegacyDistrict.objects.count() == 696
    assert LegacyWard.objects.count() == 10051
    # 10,033 old wards in the conversion table, 441 of them split between several
    # new wards; 10 rows name old wards the legacy tables do not have.
    assert WardMapping.objects.values("legacy_ward").distinct().count() == 10023
    assert WardMapping.objects.count() == 10554


def test_merge_list_of_domain_md():
    assert sorted(MERGES) == sorted(Province.objects.values_list("code", flat=True))
    assert sum(len(old) for _name, old in MERGES.values()) == 63
    for code, (name, old_codes) in MERGES.items():
        province = Province.objects.get(pk=code)
        assert province.search_text.endswith(fold(name)), (code, province.name)
        merged = sorted(province.legacy_provinces.values_list("code", flat=True))
        assert merged == old_codes, code


def test_merged_provinces_examples():
    assert LegacyProvince.objects.get(search_text="tinh dak nong").new_province_id == "68"
    assert LegacyProvince.objects.get(search_text="tinh bac giang").new_province_id == "24"
    assert LegacyProvince.objects.get(search_text="tinh ha giang").new_province_id == "08"
    # The package's province table lists Tiền Giang (82) under two new provinces
    # because one ward row has a wrong province code; the ward majority decides.
    assert LegacyProvince.objects.get(pk="82").new_province_id == "82"


def test_codes_are_zero_padded_and_search_text_folded():
    ward = Ward.objects.select_related("province").get(pk="24163")
    assert ward.name == "Phường Tân An"
    assert ward.province_id == "66"
    assert ward.search_text == "phuong tan an"
    assert LegacyDistrict.objects.get(pk="001").name == "Quận Ba Đình"
    ea_tu = LegacyWard.objects.get(search_text="xa ea tu")
    assert ea_tu.district.search_text == "thanh pho buon ma thuot"
    assert list(ea_tu.new_wards.all()) == [ward]
    assert Ward.objects.filter(division_type="đặc khu").count() == 13


def test_split_wards_are_flagged_partial():
    split = LegacyWard.objects.get(pk="00019")  # split into four new wards
    mappings = WardMapping.objects.filter(legacy_ward=split)
    assert mappings.count() == 4
    assert all(m.is_partial for m in mappings)


def test_save_keeps_search_text_in_line():
    ward = Ward.objects.get(pk="24163")
    ward.name = "Phường Tân Ấn"
    ward.save(update_fields=["name"])
    ward.refresh_from_db()
    assert ward.search_text == "phuong tan an"
    ward.name = "Phường Đông"
    ward.save(update_fields=["name"])
    ward.refresh_from_db()
    assert ward.search_text == "phuong dong"


def test_second_run_changes_nothing():
    before = UnitsDataset.objects.get()
    results = load_units()
    assert all(r.changed == 0 for r in results.values()), results
    assert UnitsDataset.objects.get().loaded_at == before.loaded_at
    assert results["wards"].total == 3321


def test_command_prints_counts():
    out = io.StringIO()
    with translation.override("en"):
        call_command("load_units", stdout=out)
    text = out.getvalue()
    assert "wards: 3321 (created 0, updated 0, deleted 0)" in text
    assert "former wards: 10051" in text
    assert "already up to date" in text


def test_quiet_run_prints_nothing():
    out = io.StringIO()
    call_command("load_units", verbosity=0, stdout=out)
    assert out.getvalue() == ""


def test_reload_repairs_edits_and_removes_stale_rows():
    before = UnitsDataset.objects.get().loaded_at
    Ward.objects.filter(pk="24163").update(name="Edited", search_text="edited")
    WardMapping.objects.filter(legacy_ward_id="24163").delete()
    district = LegacyDistrict.objects.get(pk="001")
    LegacyWard.objects.create(code="99999", district=district, name="Xã Không Có")

    results = load_units()

    assert results["wards"].updated == 1
    assert results["mappings"].created == 1
    assert results["legacy_wards"].deleted == 1
    assert Ward.objects.get(pk="24163").name == "Phường Tân An"
    assert not LegacyWard.objects.filter(pk="99999").exists()
    assert UnitsDataset.objects.get().loaded_at > before
    assert all(r.changed == 0 for r in load_units().values())


def test_source_is_read_from_the_package():
    src = read_source()
    assert src.package_version.startswith("2026.")
    assert len(src.wards) == 3321
    assert len(src.legacy_wards) == 10051
    assert src.skipped_mappings == 11
    assert src.digest() == read_source().digest()
