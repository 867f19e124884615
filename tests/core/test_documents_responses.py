"""Downloads of generated documents: names that every browser accepts."""

from __future__ import annotations

from urllib.parse import unquote

from htxso.core.documents.responses import ascii_filename, download_response


def test_ascii_filename():
    assert ascii_filename("Công văn Cao Bằng đợt 1.docx") == "cong-van-cao-bang-dot-1.docx"
    assert ascii_filename('../..\\"evil".XLSX') == "evil.xlsx"
    assert ascii_filename("Đắk Lắk") == "dak-lak"
    assert ascii_filename("….docx") == "tai-lieu.docx"


def test_download_response_headers():
    response = download_response(b"PK", "Danh sách tỉnh Đắk Lắk.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.sp")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="danh-sach-tinh-dak-lak.xlsx"')
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "Danh sách tỉnh Đắk Lắk.xlsx"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b"PK"
    assert download_response(b"", "a.docx")["Content-Type"].endswith("wordprocessingml.document")
    assert download_response(b"", "a.bin")["Content-Type"] == "application/octet-stream"
