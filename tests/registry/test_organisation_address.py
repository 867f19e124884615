"""Issue 13: an organisation's address repeated its ward and province when the street
address was typed (or imported) in full."""

from __future__ import annotations

import pytest

from htxso.core.formatting import format_address
from htxso.geo.models import Ward

WARD, PROVINCE = "Xã Bảo Lâm", "Tỉnh Cao Bằng"


@pytest.mark.parametrize(
    ("street", "expected"),
    [
        ("Thôn 5", "Thôn 5, Xã Bảo Lâm, Tỉnh Cao Bằng"),
        ("Thôn 5, Xã Bảo Lâm, Tỉnh Cao Bằng", "Thôn 5, Xã Bảo Lâm, Tỉnh Cao Bằng"),
        # accents, case, the prefix and the separator do not matter
        ("Thôn 5, xa bao lam, tinh cao bang", "Thôn 5, xa bao lam, tinh cao bang"),
        ("Thôn 5, Bảo Lâm, Cao Bằng", "Thôn 5, Bảo Lâm, Cao Bằng"),
        ("Thôn 5 Xã Bảo Lâm Tỉnh Cao Bằng", "Thôn 5 Xã Bảo Lâm Tỉnh Cao Bằng"),
        ("Thôn 5, Xã Bảo Lâm", "Thôn 5, Xã Bảo Lâm, Tỉnh Cao Bằng"),
        # a village named like its commune is not the commune
        ("Thôn Bảo Lâm", "Thôn Bảo Lâm, Xã Bảo Lâm, Tỉnh Cao Bằng"),
        ("", "Xã Bảo Lâm, Tỉnh Cao Bằng"),
        (None, "Xã Bảo Lâm, Tỉnh Cao Bằng"),
    ],
)
def test_format_address_leaves_out_what_the_street_already_says(street, expected):
    assert format_address(street, WARD, PROVINCE) == expected


def test_format_address_without_ward():
    assert format_address("Số 3, TP. Cao Bằng", "", "Cao Bằng") == "Số 3, TP. Cao Bằng"
    assert format_address("Số 3", None, "Cao Bằng") == "Số 3, Cao Bằng"


@pytest.mark.django_db
def test_organisation_page_shows_ward_and_province_once(client, world):
    org = world.orgs["a1"]
    ward = Ward.objects.filter(province_id=org.province_id).order_by("code").first()
    org.ward = ward
    org.address = f"Thôn 5, {ward.name}, {org.province.name}"
    org.save()
    client.force_login(world.users["officer_a"])
    body = client.get(f"/to-chuc/{org.pk}/").content.decode()
    assert f"<dd>Thôn 5, {ward.name}, {org.province.name}</dd>" in body
    assert body.count(f"{ward.name}, {org.province.name}, {ward.name}") == 0
