"""Pages and API of the capital register: the register (manager, staff; personal data
only for SENSITIVE_READERS), the check before saving, corrections, a member's own page,
the certificate PDF with its QR and the public verification page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from htxso.governance import services_register
from htxso.governance.models import CapitalCertificate, CapitalMovement
from htxso.registry.models import Membership

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 1)


def _client(world, key):
    c = Client()
    c.force_login(world.users[key])
    return c


def _cert(gov, world, key="member_a1", number="GCN-7"):
    return services_register.issue_certificate(
        actor=world.users["manager_a1"], membership=gov.members[key], number=number, issued_on=DAY
    )


def test_register_page_for_the_manager_and_staff(gov, world):
    gov.members["member_a1"].person.citizen_id = "001234567890"
    gov.members["member_a1"].person.save()
    url = f"/quan-tri-htx/von/htx/{world.orgs['a1'].pk}/"
    page = _client(world, "manager_a1").get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Thành viên member_a1" in text and "001234567890" in text
    # a department viewer sees names and amounts, not ID numbers
    text = _client(world, "viewer_a").get(url).content.decode()
    assert "Thành viên member_a1" in text and "001234567890" not in text
    # another province, another cooperative, a member: refused
    assert _client(world, "officer_b").get(url).status_code == 404
    assert _client(world, "manager_b1").get(url).status_code == 404
    assert _client(world, "member_a1").get(url).status_code == 403


def test_check_before_saving_then_save(gov, world):
    org = world.orgs["a1"]
    org.charter_capital = 100_000_000
    org.save(update_fields=["charter_capital"])
    c = _client(world, "manager_a1")
    url = f"/quan-tri-htx/von/htx/{org.pk}/ghi/"
    data = {
        "membership": gov.members["member_a1"].pk,
        "kind": "payment",
        "asset_kind": "cash",
        "amount": "25000000",
        "on": "2025-03-01",
        "note": "",
    }
    # over the cap: shown before saving, no save button, and a forced save is refused
    page = c.post(url, {**data, "check": "1"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="gr-check"' in text and 'name="save"' not in text
    assert "Luật Hợp tác xã 2023" in text
    page = c.post(url, {**data, "save": "1"})
    assert page.status_code == 200 and CapitalMovement.objects.count() == 0
    # within the cap: the check offers to save, saving records it
    data["amount"] = "5000000"
    assert 'name="save"' in c.post(url, {**data, "check": "1"}).content.decode()
    response = c.post(url, {**data, "save": "1"})
    assert response.status_code == 302
    assert CapitalMovement.objects.get().number == 1
    assert Membership.objects.get(pk=gov.members["member_a1"].pk).capital == 15_000_000


@pytest.mark.parametrize("amount", ["-1", "0", str(2**63), "abc"])
def test_bad_amount_in_the_form(gov, world, amount):
    c = _client(world, "manager_a1")
    url = f"/quan-tri-htx/von/htx/{world.orgs['a1'].pk}/ghi/"
    data = {
        "membership": gov.members["member_a1"].pk,
        "kind": "payment",
        "asset_kind": "cash",
        "amount": amount,
        "on": "2025-03-01",
        "save": "1",
    }
    assert c.post(url, data).status_code == 200
    assert CapitalMovement.objects.count() == 0


def test_another_provinces_membership_in_the_form_is_refused(gov, world):
    c = _client(world, "manager_a1")
    url = f"/quan-tri-htx/von/htx/{world.orgs['a1'].pk}/ghi/"
    for pk in (gov.members["b1_o1"].pk, 2**63 + 5):
        data = {
            "membership": pk,
            "kind": "payment",
            "asset_kind": "cash",
            "amount": "1000",
            "on": "2025-03-01",
            "save": "1",
        }
        assert c.post(url, data).status_code == 200
    assert CapitalMovement.objects.count() == 0
    # the other cooperative's form: not found
    assert c.get(f"/quan-tri-htx/von/htx/{world.orgs['b1'].pk}/ghi/").status_code == 404


def test_correction_from_the_register(gov, world):
    row = services_register.record_movement(
        actor=world.users["manager_a1"],
        membership=gov.members["member_a1"],
        kind="payment",
        amount=1_000,
        on=DAY,
    )
    c = _client(world, "manager_a1")
    assert c.post(f"/quan-tri-htx/von/buoc/{row.pk}/sua-sai/", {"note": ""}).status_code == 302
    assert CapitalMovement.objects.count() == 1
    c.post(f"/quan-tri-htx/von/buoc/{row.pk}/sua-sai/", {"note": "Ghi nhầm số tiền"})
    assert CapitalMovement.objects.filter(reverses=row).count() == 1
    # another cooperative's manager: 404
    other = _client(world, "manager_b1")
    assert other.post(f"/quan-tri-htx/von/buoc/{row.pk}/sua-sai/", {"note": "x"}).status_code == 404


def test_member_sees_own_capital_only(gov, world):
    c = _client(world, "member_a1")
    response = c.get("/quan-tri-htx/von/cua-toi/")
    assert response.status_code == 302
    assert response["Location"] == f"/quan-tri-htx/von/thanh-vien/{gov.members['member_a1'].pk}/"
    page = c.get(response["Location"])
    assert page.status_code == 200 and "10.000.000" in page.content.decode()
    assert c.get(f"/quan-tri-htx/von/thanh-vien/{gov.members['a1_o1'].pk}/").status_code == 404
    assert c.get(f"/quan-tri-htx/von/thanh-vien/{gov.members['b1_o1'].pk}/").status_code == 404


def test_certificate_pdf_qr_and_public_verification(gov, world, settings):
    import pypdfium2
    import zxingcpp
    from pypdf import PdfReader

    settings.SITE_URL = "https://htxso.example.vn"
    cert = _cert(gov, world)
    response = _client(world, "member_a1").get(f"/quan-tri-htx/von/giay-chung-nhan/{cert.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    import io

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "GCN-7" in text and "Thành viên member_a1" in text and "10.000.000" in text
    image = pypdfium2.PdfDocument(response.content)[0].render(scale=200 / 72).to_pil()
    links = [r.text for r in zxingcpp.read_barcodes(image) if r.format.name == "QRCode"]
    assert links == [f"https://htxso.example.vn/quan-tri-htx/von/xac-minh/{cert.token}/"]
    # the verification page: public, no amount, no ID number
    page = Client().get(f"/quan-tri-htx/von/xac-minh/{cert.token}/")
    body = page.content.decode()
    assert page.status_code == 200 and "GCN-7" in body and world.orgs["a1"].name in body
    assert "10.000.000" not in body and "member_a1" not in body
    # replaced: no longer current
    _cert(gov, world, number="GCN-8")
    body = Client().get(f"/quan-tri-htx/von/xac-minh/{cert.token}/").content.decode()
    assert "no longer current" in body or "không còn hiệu lực" in body
    assert Client().get("/quan-tri-htx/von/xac-minh/khong-co/").status_code == 404
    # someone else's certificate: 404
    other = _cert(gov, world, key="a1_o1", number="GCN-9")
    assert (
        _client(world, "member_a1")
        .get(f"/quan-tri-htx/von/giay-chung-nhan/{other.pk}/pdf/")
        .status_code
        == 404
    )
    assert (
        _client(world, "manager_b1")
        .get(f"/quan-tri-htx/von/giay-chung-nhan/{other.pk}/pdf/")
        .status_code
        == 404
    )


def test_certificate_form_refuses_a_reused_number(gov, world):
    _cert(gov, world)
    c = _client(world, "manager_a1")
    pk = gov.members["a1_o1"].pk
    c.post(
        f"/quan-tri-htx/von/thanh-vien/{pk}/cap-giay/",
        {"number": "GCN-7", "issued_on": "2025-03-02"},
    )
    assert CapitalCertificate.objects.count() == 1


def test_api_my_capital_and_register(gov, world):
    _cert(gov, world)
    data = _client(world, "member_a1").get("/api/v1/governance/register/me").json()
    assert [d["paid"] for d in data] == [10_000_000]
    assert data[0]["certificates"][0]["number"] == "GCN-7"
    url = f"/api/v1/governance/register/organisations/{world.orgs['a1'].pk}"
    body = _client(world, "officer_a").get(url).json()
    assert {h["name"] for h in body["holders"]} >= {"Thành viên member_a1"}
    assert "citizen_id" not in str(body) and "phone" not in str(body)
    assert _client(world, "officer_b").get(url).status_code == 404
    assert _client(world, "member_a1").get(url).status_code == 403
    cert = CapitalCertificate.objects.get()
    out = Client().get(f"/api/v1/governance/register/certificates/{cert.token}/verify").json()
    assert out == {
        "organisation": world.orgs["a1"].name,
        "number": "GCN-7",
        "issued_on": "2025-03-01",
        "current": True,
    }


def test_ids_past_2_63_and_unknown_tokens_are_404(gov, world):
    c = _client(world, "vca")
    big = 2**63 + 7
    for url in (
        f"/quan-tri-htx/von/htx/{big}/",
        f"/quan-tri-htx/von/thanh-vien/{big}/",
        f"/quan-tri-htx/von/giay-chung-nhan/{big}/pdf/",
        "/quan-tri-htx/von/xac-minh/" + "x" * 300 + "/",
    ):
        assert c.get(url).status_code == 404, url
    assert c.get(f"/api/v1/governance/register/organisations/{big}").status_code in (404, 422)
