"""Importing a list of participants: preview, confirm, bad files and rows."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from htxso.core.errors import ServiceError
from htxso.registry.models import Person
from htxso.training import importing_courses as imp
from htxso.training import services_courses as svc
from htxso.training.models import Enrolment

from .helpers import make_course

pytestmark = pytest.mark.django_db

TONES = "\u0300\u0301\u0303\u0309\u0323"
HEADER = "Họ và tên,Năm sinh,Giới tính,Số điện thoại,CCCD\n"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letter + combining tone mark."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            nfd = unicodedata.normalize("NFD", ch)
            tones = [c for c in nfd if c in TONES]
            base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES))
            out += (base + "".join(tones)).encode("cp1258")
    return out


def upload(text: str, name="ds.csv", encoding="utf-8") -> SimpleUploadedFile:
    data = cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    return SimpleUploadedFile(name, data, content_type="text/csv")


def xlsx(rows) -> SimpleUploadedFile:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("ds.xlsx", buf.getvalue())


def test_reads_csv_rows_with_problems():
    preview = imp.read_upload(
        upload(
            "Danh sách học viên\n" + HEADER + "Nông Thị Hoa,1999,Nữ,0912 345 678,\n"
            ",2000,Nam,,\n"
            "<b>X</b>,19,Khác,123,0123\n"
        )
    )
    assert [r.number for r in preview.rows] == [3, 4, 5]
    good, nameless, bad = preview.rows
    assert good.problems == [] and good.birth_year == 1999 and good.sex == "female"
    assert good.phone == "+84912345678"
    assert nameless.problems
    assert len(bad.problems) >= 4
    assert not preview.ok


def test_reads_windows_1258_and_xlsx():
    preview = imp.read_upload(upload(HEADER + "Lê Văn An,1990,Nam,,\n", encoding="cp1258"))
    assert preview.ok and preview.rows[0].full_name == "Lê Văn An"
    preview = imp.read_upload(
        xlsx(
            [
                ["Họ và tên", "Năm sinh"],
                ["Hà Thị Mai", 1995],
                [None, None],
                ["Ma Văn Dũng", "12/03/1988"],
            ]
        )
    )
    assert [r.birth_year for r in preview.rows] == [1995, 1988]


def test_wrong_files_refused():
    with pytest.raises(ServiceError) as exc:
        imp.read_upload(SimpleUploadedFile("ds.xlsx", b"%PDF-1.4 nothing"))
    assert exc.value.code == "file_not_spreadsheet"
    with pytest.raises(ServiceError) as exc:  # UTF-16 without a header the reader knows
        imp.read_upload(upload("a,b\n1,2\n"))
    assert exc.value.code == "import_no_header"
    with pytest.raises(ServiceError) as exc:
        imp.read_upload(SimpleUploadedFile("ds.csv", b""))
    assert exc.value.code == "file_empty"
    with pytest.raises(ServiceError) as exc:
        imp.read_upload(upload("Họ và tên\n"))
    assert exc.value.code == "import_empty"


def test_too_many_rows():
    body = HEADER + "".join(f"Người {i},1990,,,\n" for i in range(imp.MAX_ROWS + 1))
    with pytest.raises(ServiceError) as exc:
        imp.read_upload(upload(body))
    assert exc.value.code == "import_too_many_rows"


def test_enrol_imported_all_or_nothing(world):
    course = make_course(capacity=3)
    officer = world.users["officer_a"]
    rows = imp.read_upload(upload(HEADER + "Lê An,1990,Nam,,\nLò Bình,1991,Nữ,,\n")).rows
    done = svc.enrol_imported(actor=officer, course=course, rows=rows)
    assert len(done) == 2 and all(e.source == "import" for e in done)
    people = Person.objects.count()
    # a duplicate row (same citizen id) refuses the whole list
    dup = imp.read_upload(
        upload(HEADER + "Mạc Cường,1992,,,004092000123\nMạc Cường,1992,,,004092000123\n")
    ).rows
    with pytest.raises(ServiceError) as exc:
        svc.enrol_imported(actor=officer, course=course, rows=dup)
    assert exc.value.code == "import_duplicate"
    assert Enrolment.objects.filter(course=course).count() == 2
    assert Person.objects.count() == people
    # over capacity
    more = imp.read_upload(upload(HEADER + "Một,1990,,,\nHai,1991,,,\n")).rows
    with pytest.raises(ServiceError) as exc:
        svc.enrol_imported(actor=officer, course=course, rows=more)
    assert exc.value.code == "course_full"
    assert Person.objects.count() == people
    # another province's officer
    with pytest.raises(ServiceError):
        svc.enrol_imported(actor=world.users["officer_b"], course=course, rows=more[:1])


def test_import_pages_preview_then_confirm(world, client):
    course = make_course(capacity=10)
    client.force_login(world.users["officer_a"])
    url = f"/dao-tao/khoa-hoc/{course.pk}/nhap-danh-sach/"
    bad = client.post(url, {"file": upload(HEADER + "Lê An,abc,,,\n")})
    assert bad.status_code == 200 and bad.context["preview"].problems == 1
    assert "Chưa có gì được lưu" in bad.content.decode()  # told in Vietnamese
    assert b"xac-nhan" not in bad.content
    good = client.post(url, {"file": upload(HEADER + "Lê An,1990,,,\nLò Bình,1991,,,\n")})
    token = good.context["confirm"].initial["token"]
    # a wrong token saves nothing
    client.post(url + "xac-nhan/", {"token": "x" * 20})
    assert not Enrolment.objects.filter(course=course).exists()
    r = client.post(url + "xac-nhan/", {"token": token})
    assert r.status_code == 302
    assert Enrolment.objects.filter(course=course).count() == 2
    # replaying the confirmation adds nothing
    client.post(url + "xac-nhan/", {"token": token})
    assert Enrolment.objects.filter(course=course).count() == 2
