"""Services used imported from a file: preview, then all-or-nothing confirmation; the
nasty files (encodings, an xlsx bomb, a huge file, too many rows) and rows (unknown
members, another cooperative's, duplicates, amounts past 2^63, the wrong year, a script
in a name) refused with nothing saved."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from htxso.core.errors import ServiceError
from htxso.core.models import AuditEvent
from htxso.governance import imports_portal
from htxso.governance.forms_imports import sign_rows
from htxso.governance.models import ServiceUse

from ...core.bombs import GIB, Member, copy_members, data, repeated, write_zip

pytestmark = pytest.mark.django_db

YEAR = 2025
HEADER = "Thành viên,Họ tên,Năm,Số tiền (đồng)\n"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def as_user(client, world, key):
    user = world.users[key]
    if user.preferred_language != "en":
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
    client.logout()
    client.force_login(user)
    return client


def url(world, name="service_use_import", key="a1"):
    return reverse(f"governance:{name}", kwargs={"pk": world.orgs[key].pk})


def upload(client, world, content: bytes, name="dv.csv", year=YEAR, key="a1"):
    f = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(url(world, key=key), {"year": str(year), "file": f})


def csv_of(*rows: str, bom=False, header=HEADER) -> bytes:
    text = header + "".join(r + "\n" for r in rows)
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def file_codes(response) -> set[str]:
    form = response.context["form"]
    return {e.code for errors in form.errors.as_data().values() for e in errors}


def problems(response) -> dict[int, str]:
    reading = response.context["reading"]
    return {r.row: r.problem for r in reading.rows if r.problem}


# ----------------------------------------------------------------- the happy path


def test_preview_then_confirm_writes_all_rows_once(client, world, gov):
    m = gov.members
    person = m["a1_o2"].person
    person.citizen_id = "004090001234"
    person.save(update_fields=["citizen_id"])
    content = csv_of(
        f"{m['a1_o1'].pk},Thành viên a1_o1,2025,15.000.000",
        "004090001234,,2025,2500000",  # by citizen ID number
        f"{m['member_a1'].pk},,2025,0",
        bom=True,
    )
    c = as_user(client, world, "manager_a1")
    r = upload(c, world, content)
    assert r.status_code == 200
    assert r.templates[0].name == "governance/portal/service_use_import_preview.html"
    assert r.context["counts"]["ready"] == 3 and not problems(r)
    assert ServiceUse.objects.count() == 0  # a preview saves nothing
    html = r.content.decode()
    assert "su-import-confirm" in html and "Thành viên a1_o2" in html
    payload = r.context["confirm"].initial["payload"]
    done = c.post(url(world, "service_use_import_confirm"), {"year": YEAR, "payload": payload})
    assert done.status_code == 302 and done["Location"].endswith(f"?year={YEAR}")
    got = dict(ServiceUse.objects.filter(year=YEAR).values_list("membership_id", "amount"))
    assert got == {m["a1_o1"].pk: 15_000_000, m["a1_o2"].pk: 2_500_000, m["member_a1"].pk: 0}
    assert AuditEvent.objects.filter(action="service_use.import").count() == 1
    # the same confirmation again: the same rows, nothing new
    c.post(url(world, "service_use_import_confirm"), {"year": YEAR, "payload": payload})
    assert ServiceUse.objects.count() == 3


def test_xlsx_with_numbers_and_an_id_number_that_lost_its_leading_zero(client, world, gov):
    m = gov.members
    person = m["a1_o3"].person
    person.citizen_id = "004090001235"
    person.save(update_fields=["citizen_id"])
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã thành viên", "Họ và tên", "Năm", "Số tiền"])
    ws.append([m["a1_o1"].pk, "An", 2025, 1_000_000])
    ws.append([4090001235, "Bình", 2025.0, 2_000_000.0])  # a number: the 0 is gone
    buf = io.BytesIO()
    wb.save(buf)
    r = upload(as_user(client, world, "manager_a1"), world, buf.getvalue(), "dv.xlsx")
    assert r.status_code == 200 and not problems(r)
    assert [(x.membership_id, x.amount) for x in r.context["reading"].ready] == [
        (m["a1_o1"].pk, 1_000_000),
        (m["a1_o3"].pk, 2_000_000),
    ]


def test_template_lists_the_members_and_reads_back(client, world, gov):
    c = as_user(client, world, "manager_a1")
    r = c.get(url(world, "service_use_import_template") + f"?year={YEAR}")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == imports_portal.TEMPLATE_HEADER[:3]
    ids = {int(row[0]) for row in rows[1:]}
    assert gov.members["a1_o1"].pk in ids and gov.members["b1_o1"].pk not in ids
    # filled in and uploaded back, it reads
    for row in ws.iter_rows(min_row=2):
        row[3].value = 1000
    buf = io.BytesIO()
    ws.parent.save(buf)
    back = upload(c, world, buf.getvalue(), "mau.xlsx")
    assert back.status_code == 200 and not problems(back)
    assert back.context["counts"]["ready"] == len(ids)


def test_the_service_use_page_links_to_the_import(client, world, gov):
    r = as_user(client, world, "manager_a1").get(url(world, "service_use"))
    assert url(world) in r.content.decode()


# ----------------------------------------------------------------- nasty rows


def test_nasty_rows_are_shown_and_nothing_can_be_saved(client, world, gov):
    m = gov.members
    content = csv_of(
        f"{m['a1_o1'].pk},<script>alert(1)</script>,2025,1000",  # 2: fine, name escaped
        f"{m['b1_o1'].pk},Ea Tu,2025,1000",  # 3: another cooperative's member
        "999999999,,2025,1000",  # 4: no such member
        f"{m['a1_o1'].pk},,2025,2000",  # 5: duplicate of row 2
        f"{m['a1_o2'].pk},,2025,-5",  # 6: negative
        f"{m['a1_o3'].pk},,2025,{2**63}",  # 7: past 2^63
        f"{m['a1_assoc'].pk},,2025,15000.5",  # 8: not whole đồng
        f"{m['a1_assoc_cap'].pk},,2024,1000",  # 9: wrong year
        "abc,,2025,1000",  # 10: unreadable member
        f"{m['manager_a1'].pk},,2025,",  # 11: no amount
        "99999999999999999999999,,2025,1",  # 12: an id past 2^63
    )
    r = upload(as_user(client, world, "manager_a1"), world, content)
    assert r.status_code == 200
    assert problems(r) == {
        3: "member_unknown",
        4: "member_unknown",
        5: "duplicate",
        6: "amount_negative",
        7: "amount_too_large",
        8: "amount_not_integer",
        9: "year_wrong",
        10: "member_unreadable",
        11: "amount_missing",
        12: "member_unknown",
    }
    counts = r.context["counts"]
    assert (counts["ready"], counts["unknown"], counts["duplicate"], counts["amount"]) == (
        1,
        3,
        1,
        4,
    )
    assert counts["year"] == 1
    html = r.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "su-import-confirm" not in html and r.context["confirm"] is None
    assert "Ea Tu" in html  # what the file says is shown back, nothing of b1's register
    assert "Thành viên b1_o1" not in html
    assert ServiceUse.objects.count() == 0


def test_a_forged_or_foreign_confirmation_saves_nothing(client, world, gov):
    m = gov.members
    c = as_user(client, world, "manager_a1")
    manager = world.users["manager_a1"]
    confirm = url(world, "service_use_import_confirm")
    # not signed
    r = c.post(confirm, {"year": YEAR, "payload": "[[1, 2]]"})
    assert r.status_code == 302
    # signed by the app, but with another cooperative's member in it (all or nothing)
    rows = [[m["a1_o1"].pk, 1000], [m["b1_o1"].pk, 1000]]
    payload = sign_rows(
        organisation_id=world.orgs["a1"].pk, user_id=manager.pk, year=YEAR, rows=rows
    )
    r = c.post(confirm, {"year": YEAR, "payload": payload})
    assert r.status_code == 404  # a member not of this cooperative: not found
    # signed for another person, or another year
    rows = [[m["a1_o1"].pk, 1000]]
    for user_id, year in ((world.users["member_a1"].pk, YEAR), (manager.pk, 2024)):
        payload = sign_rows(
            organisation_id=world.orgs["a1"].pk, user_id=user_id, year=year, rows=rows
        )
        c.post(confirm, {"year": YEAR, "payload": payload})
    # b1's manager with a1's preview: a1 is not theirs
    payload = sign_rows(
        organisation_id=world.orgs["a1"].pk, user_id=manager.pk, year=YEAR, rows=rows
    )
    r = as_user(client, world, "manager_b1").post(confirm, {"year": YEAR, "payload": payload})
    assert r.status_code == 404
    assert ServiceUse.objects.count() == 0
    assert not AuditEvent.objects.filter(action="service_use.import").exists()


def test_service_refuses_duplicates_and_bad_rows(world, gov):
    m = gov.members
    args = {"actor": world.users["manager_a1"], "organisation": world.orgs["a1"], "year": YEAR}
    for rows, code in (
        ([(m["a1_o1"].pk, 1), (m["a1_o1"].pk, 2)], "duplicate"),
        ([(2**63, 1)], "rows_invalid"),
        ([(True, 1)], "rows_invalid"),
        ([], "rows_empty"),
        ([(m["a1_o1"].pk, 2**63)], "invalid"),
        ([(m["a1_o1"].pk, -1)], "invalid"),
        ([(m["a1_o1"].pk, 1), (m["b1_o1"].pk, 1)], "member_not_found"),
    ):
        with pytest.raises(ServiceError) as exc:
            imports_portal.service_use_import(rows=rows, **args)
        assert exc.value.code == code
    with pytest.raises(ServiceError):
        imports_portal.service_use_import(
            **{**args, "actor": world.users["member_a1"]}, rows=[(m["a1_o1"].pk, 1)]
        )
    assert ServiceUse.objects.count() == 0


# ----------------------------------------------------------------- nasty files


def test_encodings(client, world, gov):
    c = as_user(client, world, "manager_a1")
    pk = gov.members["a1_o1"].pk
    plain = csv_of(f"{pk},Nguyễn Văn An,2025,1000")
    assert not problems(upload(c, world, plain))  # UTF-8 without BOM
    assert not problems(upload(c, world, b"\xef\xbb\xbf" + plain))  # with BOM
    utf16 = (HEADER + f"{pk},Nguyễn Văn An,2025,1000\n").encode("utf-16")
    assert not problems(upload(c, world, utf16))
    # Windows-1258 (Vietnamese Windows) and Windows-1252: refused, said clearly
    text = unicodedata.normalize("NFD", f"member,name,year,amount\n{pk},Hà Thị Bé,2025,1000\n")
    cp1258 = text.encode("cp1258")  # tone marks as combining characters, as Windows writes
    r = upload(c, world, cp1258)
    assert file_codes(r) == {"file_encoding"} and b"CSV UTF-8" in r.content
    cp1252 = f"member,name,year,amount\n{pk},José Müller,2025,1000\n".encode("cp1252")
    assert file_codes(upload(c, world, cp1252)) == {"file_encoding"}
    # UTF-8 text once read as Windows-1252 and saved again: garbled, refused
    garbled = "Nguyễn Văn An".encode().decode("cp1252", errors="replace")
    r = upload(c, world, csv_of(f"{pk},{garbled},2025,1000"))
    assert file_codes(r) == {"file_garbled"}
    assert ServiceUse.objects.count() == 0


def test_wrong_files(client, world, gov):
    c = as_user(client, world, "manager_a1")
    pk = gov.members["a1_o1"].pk
    assert file_codes(upload(c, world, b"")) in ({"file_empty"}, {"required", "invalid"}, {"empty"})
    assert file_codes(upload(c, world, b"%PDF-1.4 nope", "dv.csv")) == {"file_not_spreadsheet"}
    assert file_codes(upload(c, world, b"a,b,c\n1,2,3\n")) == {"file_columns"}
    assert file_codes(upload(c, world, csv_of())) == {"file_no_rows"}
    # a huge file: refused by its size, not read
    huge = csv_of(*[f"{pk},,2025,1000" + " " * 100] * 25_000)
    assert len(huge) > imports_portal.MAX_BYTES
    r = upload(c, world, huge)
    assert file_codes(r) == {"file_too_large"}
    # too many rows (small enough in bytes)
    many = csv_of(*[f"{pk},,2025,1"] * (imports_portal.MAX_ROWS + 1))
    assert len(many) < imports_portal.MAX_BYTES
    assert file_codes(upload(c, world, many)) == {"file_too_many_rows"}
    # year out of the form's bounds, an id past 2^63 in the URL
    r = upload(c, world, csv_of(f"{pk},,2025,1"), year=2**63)
    assert r.status_code == 200 and "year" in r.context["form"].errors
    assert c.get(f"/quan-tri-htx/loi-nhuan/htx/{2**63}/dich-vu/nhap/").status_code == 404
    assert ServiceUse.objects.count() == 0


def _bomb(tmp_path):
    """A real workbook whose sheet inflates to 1 GiB (about 1 MB zipped)."""
    wb = Workbook()
    wb.active.append(["Thành viên", "Năm", "Số tiền"])
    base = tmp_path / "base.xlsx"
    wb.save(base)
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>'
    ).encode()
    sheet = Member(
        "xl/worksheets/sheet1.xml",
        repeated(b"a", GIB, prefix=head, suffix=b"</t></is></c></row></sheetData></worksheet>"),
    )
    return write_zip(
        tmp_path / "bomb.xlsx",
        [*copy_members(base, skip={"xl/worksheets/sheet1.xml"}), sheet],
    )


def test_xlsx_bomb_is_refused(client, world, gov, tmp_path):
    path = _bomb(tmp_path)
    content = path.read_bytes()
    assert len(content) < imports_portal.MAX_BYTES
    r = upload(as_user(client, world, "manager_a1"), world, content, "bomb.xlsx")
    assert r.status_code == 200
    codes = file_codes(r)
    # refused by the registry import's workbook checks, before openpyxl reads the sheet
    assert codes and codes.isdisjoint({"file_columns", "file_no_rows"}), codes
    assert ServiceUse.objects.count() == 0


def test_not_a_zip_named_xlsx_and_a_zip_that_is_not_a_workbook(client, world, gov, tmp_path):
    c = as_user(client, world, "manager_a1")
    path = write_zip(tmp_path / "x.xlsx", [Member("hello.txt", data(b"hi"))])
    assert file_codes(upload(c, world, path.read_bytes(), "x.xlsx"))


# ----------------------------------------------------------------- who may


def test_only_the_manager_and_the_vca(client, world, gov):
    content = csv_of(f"{gov.members['a1_o1'].pk},,2025,1")
    for key, status in (
        ("member_a1", 403),
        ("officer_a", 403),
        ("viewer_a", 403),
        ("manager_b1", 404),
        ("vca", 200),
    ):
        c = as_user(client, world, key)
        assert c.get(url(world)).status_code == status, key
        assert upload(c, world, content).status_code == status, key
        assert c.get(url(world, "service_use_import_template")).status_code == status, key
    assert ServiceUse.objects.count() == 0
