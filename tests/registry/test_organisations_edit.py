"""Editing an organisation, its OCOP products, value-chain links and unions."""

from __future__ import annotations

import datetime as dt

import pytest

from htxso.core.models import AuditEvent
from htxso.geo.models import Ward
from htxso.registry.models import OcopProduct, Organisation, UnionMembership, ValueChainLink

pytestmark = pytest.mark.django_db


def edit_data(org, **kw):
    data = {
        "name": org.name,
        "tax_code": org.tax_code or "",
        "status": "active",
        "established_on": "2015-06-01",
        "ward": "",
        "address": "Xóm Nà Mè",
        "sector": "agriculture",
        "main_products": "Miến dong, gạo nếp",
        "description": "Dòng 1\r\nDòng 2",
        "phone": "0206 3852 123",
        "email": "htx@example.vn",
        "website": "https://htx.example.vn",
        "charter_capital": "1.500.000.000",
        "high_tech": "on",
    }
    data.update(kw)
    return data


def test_manager_edits_own_organisation_with_ward(client, world):
    a1 = world.orgs["a1"]
    ward = Ward.objects.filter(province_id="04").first()
    client.force_login(world.users["manager_a1"])
    assert client.get(f"/to-chuc/{a1.pk}/sua/").status_code == 200
    r = client.post(f"/to-chuc/{a1.pk}/sua/", edit_data(a1, ward=ward.code))
    assert r.status_code == 302
    a1.refresh_from_db()
    assert a1.ward == ward and a1.charter_capital == 1_500_000_000 and a1.high_tech
    assert a1.phone == "02063852123" and a1.established_on == dt.date(2015, 6, 1)
    assert a1.description == "Dòng 1\nDòng 2"
    event = AuditEvent.objects.get(action="organisation.update")
    assert (
        event.before["charter_capital"] is None and event.after["charter_capital"] == 1_500_000_000
    )


@pytest.mark.parametrize(
    "change",
    [
        {"ward": "00001"},  # a ward of another province
        {"tax_code": "0100233480"},  # wrong check digit
        {"tax_code": "0100112437"},  # b1's tax code
        {"tax_code": ""},  # a cooperative needs one
        {"established_on": "2999-01-01"},
        {"charter_capital": "-5"},
        {"charter_capital": "1,5"},
        {"phone": "123"},
        {"website": "javascript:alert(1)"},
        {"name": "x" * 300},
        {"name": "   "},
        {"status": "bankrupt"},
    ],
)
def test_bad_edits_change_nothing(client, world, change):
    a1 = world.orgs["a1"]
    before = Organisation.objects.filter(pk=a1.pk).values().get()
    client.force_login(world.users["officer_a"])
    r = client.post(f"/to-chuc/{a1.pk}/sua/", edit_data(a1, **change))
    assert (r.status_code == 200 and b"field--error" in r.content) or b"alert--error" in r.content
    assert Organisation.objects.filter(pk=a1.pk).values().get() == before
    assert not AuditEvent.objects.filter(action="organisation.update").exists()


def test_edit_permissions(client, world):
    a1, b1 = world.orgs["a1"], world.orgs["b1"]
    client.force_login(world.users["manager_a1"])
    assert client.post(f"/to-chuc/{b1.pk}/sua/", edit_data(b1, name="X")).status_code == 404
    client.force_login(world.users["viewer_a"])
    assert client.post(f"/to-chuc/{a1.pk}/sua/", edit_data(a1, name="X")).status_code == 403
    client.force_login(world.users["member_a1"])
    assert client.post(f"/to-chuc/{a1.pk}/sua/", edit_data(a1, name="X")).status_code == 403
    b1.refresh_from_db()
    assert b1.name == "HTX Cà phê Ea Tu"


def test_search_text_follows_the_name(client, world):
    a1 = world.orgs["a1"]
    client.force_login(world.users["vca"])
    client.post(f"/to-chuc/{a1.pk}/sua/", edit_data(a1, name="HTX Miến dong Nguyên Bình"))
    assert "Nguyên Bình" in client.get("/to-chuc/", {"q": "mien dong nguyen binh"}).content.decode()


def test_ocop_add_edit_and_refusals(client, world):
    a1 = world.orgs["a1"]
    client.force_login(world.users["manager_a1"])
    base = {
        "name": "Miến dong Nguyên Bình",
        "stars": "4",
        "level": "province",
        "certified_on": "2024-01-10",
        "expires_on": "2027-01-10",
    }
    assert client.post(f"/to-chuc/{a1.pk}/ocop/them/", base).status_code == 302
    p = OcopProduct.objects.get()
    for bad in (
        {"stars": "6"},
        {"expires_on": "2023-01-01"},
        {"expires_on": "2040-01-01"},
        {"certified_on": "2999-01-01"},
        {"name": ""},
    ):
        assert client.post(f"/to-chuc/{a1.pk}/ocop/them/", {**base, **bad}).status_code == 200
    assert OcopProduct.objects.count() == 1
    r = client.post(f"/to-chuc/{a1.pk}/ocop/{p.pk}/sua/", {**base, "stars": "5"})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.stars == 5
    client.force_login(world.users["manager_b1"])
    assert client.get(f"/to-chuc/{world.orgs['b1'].pk}/ocop/{p.pk}/sua/").status_code == 404


def test_value_chain_add_and_end(client, world):
    a1 = world.orgs["a1"]
    client.force_login(world.users["manager_a1"])
    data = {
        "product": "Miến dong",
        "partner_name": "Công ty CP Thực phẩm",
        "role": "supplier",
        "started_on": "2024-01-01",
        "partner_tax_code": "0101245486",
    }
    assert client.post(f"/to-chuc/{a1.pk}/chuoi-gia-tri/them/", data).status_code == 302
    assert (
        client.post(
            f"/to-chuc/{a1.pk}/chuoi-gia-tri/them/", {**data, "partner_tax_code": "123"}
        ).status_code
        == 200
    )
    link = ValueChainLink.objects.get()
    client.post(f"/to-chuc/{a1.pk}/chuoi-gia-tri/{link.pk}/ket-thuc/", {"on": "2023-01-01"})
    link.refresh_from_db()
    assert link.ended_on is None
    client.post(f"/to-chuc/{a1.pk}/chuoi-gia-tri/{link.pk}/ket-thuc/", {"on": "2025-01-01"})
    link.refresh_from_db()
    assert link.ended_on == dt.date(2025, 1, 1)


def test_union_membership_both_sides(client, world):
    a1 = world.orgs["a1"]
    union = Organisation.objects.create(
        kind="union", name="Liên hiệp HTX Cao Bằng", tax_code="0101245486", province_id="04"
    )
    client.force_login(world.users["manager_a1"])
    r = client.post(f"/to-chuc/{a1.pk}/lien-hiep/them/", {"tax_code": "0101245486"})
    assert r.status_code == 302
    assert UnionMembership.objects.filter(union=union, member=a1).exists()
    # again: refused, one row
    assert (
        client.post(f"/to-chuc/{a1.pk}/lien-hiep/them/", {"tax_code": "0101245486"}).status_code
        == 200
    )
    # a group is not a union
    assert (
        client.post(f"/to-chuc/{a1.pk}/lien-hiep/them/", {"tax_code": "0100112437"}).status_code
        == 200
    )
    assert UnionMembership.objects.count() == 1
    row = UnionMembership.objects.get()
    client.post(f"/to-chuc/{a1.pk}/lien-hiep/{row.pk}/ket-thuc/", {"on": "2025-02-01"})
    row.refresh_from_db()
    assert row.left_on == dt.date(2025, 2, 1)


def test_the_tax_code_is_changed_by_the_province_not_the_manager(world):
    """Issue 11: the edit page disabled the tax code for a manager, but the service let
    a manager change it; ``Organisation.policy`` (``change_tax_code``) is now the one
    rule.  A refused change changes nothing."""
    from htxso.core.errors import Kind, ServiceError
    from htxso.registry.services.organisations import organisation_update

    a1 = world.orgs["a1"]
    code = a1.tax_code
    with pytest.raises(ServiceError) as exc:
        organisation_update(
            actor=world.users["manager_a1"], organisation=a1, data={"tax_code": "0101245486"}
        )
    assert exc.value.kind is Kind.FORBIDDEN
    a1.refresh_from_db()
    assert a1.tax_code == code
    assert not AuditEvent.objects.filter(action="organisation.update").exists()
    # the same code again is no change: the manager saves the rest
    organisation_update(
        actor=world.users["manager_a1"], organisation=a1, data={"tax_code": code, "name": "HTX A"}
    )
    # the province's officer changes it
    organisation_update(
        actor=world.users["officer_a"], organisation=a1, data={"tax_code": "0101245486"}
    )
    a1.refresh_from_db()
    assert (a1.name, a1.tax_code) == ("HTX A", "0101245486")
