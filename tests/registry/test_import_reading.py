"""Reading files: what a file really is, encodings, delimiters, headers, hidden sheets."""

from __future__ import annotations

import codecs

import pytest
from openpyxl import Workbook

from htxso.core.actors import IMPORTER
from htxso.core.text import unicode_to_tcvn3, unicode_to_vni
from htxso.registry.importing import reading
from htxso.registry.importing.header import detect_header, suggest_mapping
from htxso.registry.importing.reading import FORMULA, FileRejected, iter_rows, open_source

from .fixtures_import import write_messy_xlsx


def test_renamed_exe_and_foreign_zip_are_refused(tmp_path):
    exe = tmp_path / "list.xlsx"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(FileRejected) as err:
        open_source(exe)
    assert err.value.code == "file_not_spreadsheet"
    exe_csv = tmp_path / "list.csv"
    exe_csv.write_bytes(b"\x7fELF\x02\x01" + b"\x00" * 100)
    with pytest.raises(FileRejected):
        open_source(exe_csv)
    binary = tmp_path / "blob.csv"
    binary.write_bytes(b"abc\x00\x01\x02" * 50)
    with pytest.raises(FileRejected):
        open_source(binary)


def test_empty_and_oversized_files(tmp_path, settings):
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    with pytest.raises(FileRejected) as err:
        open_source(empty)
    assert err.value.code == "file_empty"
    settings.HTXSO_IMPORT_MAX_BYTES = 1000
    big = tmp_path / "b.csv"
    big.write_bytes(b"a,b\n" * 400)
    with pytest.raises(FileRejected) as err:
        open_source(big)
    assert err.value.code == "file_too_large"


def _cp1258(text: str) -> bytes:
    """Windows-1258 writes tone marks as combining characters after the letter."""
    import unicodedata

    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            if marks:
                joined = unicodedata.normalize("NFC", base + marks[0])
                try:
                    joined.encode("cp1258")
                    base, marks = joined, marks[1:]
                except UnicodeEncodeError:
                    pass
            out += base.encode("cp1258") + "".join(marks).encode("cp1258")
    return out


@pytest.mark.parametrize(
    "encoding,expected",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1258", "cp1258")],
)
def test_csv_encodings(tmp_path, encoding, expected):
    path = tmp_path / "a.csv"
    text = "Tên HTX;Mã số thuế\nHTX Cà phê Ea Tu;0100112437\nHTX Hoà Bình;0100233488\n"
    path.write_bytes(_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    source = open_source(path)
    assert source.encoding == expected and source.delimiter == ";"
    rows = list(iter_rows(source))
    assert rows[1] == ("HTX Cà phê Ea Tu", "0100112437")


def test_csv_with_tcvn3_bytes_is_kept_in_latin1_form_for_conversion(tmp_path):
    path = tmp_path / "t.csv"
    legacy = unicode_to_tcvn3("Hợp tác xã Nông nghiệp Hòa Bình")
    path.write_bytes(f"Tên HTX,MST\n{legacy},0100112437\n".encode("latin-1", "replace"))
    source = open_source(path)
    assert source.encoding == "latin-1" and source.delimiter == ","


def test_tab_delimited(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Tên HTX\tMST\tĐịa chỉ\nHTX A\t0100112437\tXã Ea Na, Đắk Lắk\n")
    assert open_source(path).delimiter == "\t"


def test_merged_two_row_header_numbering_row_and_hidden_sheet(tmp_path):
    source = open_source(write_messy_xlsx(tmp_path / "m.xlsx"))
    assert [(s.name, s.hidden) for s in source.sheets] == [
        ("Dữ liệu cũ", True),
        ("Danh sách", False),
    ]
    rows = reading.read_head(source)  # the first visible sheet, not the hidden one
    assert rows[0][0] == "DANH SÁCH HỢP TÁC XÃ TỈNH ĐẮK LẮK"
    header = detect_header(rows, "organisations")
    assert (header.first_row, header.row, header.data_start) == (3, 4, 6)
    assert header.headers[3:6] == ["Địa chỉ / Xã/phường", "Địa chỉ / Huyện", "Địa chỉ / Tỉnh"]
    mapping = suggest_mapping(header.headers, "organisations")
    assert mapping == {
        "name": 1,
        "tax_code": 2,
        "ward_name": 3,
        "district_name": 4,
        "province_name": 5,
        "established_on": 6,
        "charter_capital": 7,
        "members_count": 8,
        "kind": 9,
        "sector": 10,
    }
    hidden = reading.read_head(source, "Dữ liệu cũ")
    assert hidden[1] == ("HTX bị ẩn", "0100233488")


def test_formulas_without_values_and_error_cells(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Tên HTX", "Vốn điều lệ", "Số thành viên"])
    ws.append(["HTX A", "#DIV/0!", "=B2*2"])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    rows = list(iter_rows(open_source(path)))
    assert rows[1][1] == "#DIV/0!" and rows[1][2] is FORMULA


@pytest.mark.parametrize(
    "headers,expected",
    [
        (
            ["Tên HTX", "MST", "Địa chỉ", "Ngày thành lập"],
            ["name", "tax_code", "address", "established_on"],
        ),
        (
            ["Name", "Tax code", "Address", "Charter capital"],
            ["name", "tax_code", "address", "charter_capital"],
        ),
        (
            ["TEN HTX", "MA SO THUE", "LOAI HINH", "NGANH NGHE", "SO THANH VIEN"],
            ["name", "tax_code", "kind", "sector", "members_count"],
        ),
        (
            ["Tên hợp tác xã", "Vốn điều lệ (đồng)", "Tình trạng"],
            ["name", "charter_capital", "status"],
        ),
    ],
)
def test_mapping_suggestions_from_vietnamese_and_english_headers(headers, expected):
    mapping = suggest_mapping(headers, "organisations")
    assert [k for k, _v in sorted(mapping.items(), key=lambda kv: kv[1])] == expected


def test_vni_column_detected(tmp_path):
    from htxso.registry.importing.engine import Context, detect_encodings
    from htxso.registry.importing.header import Header

    path = tmp_path / "v.csv"
    names = ["HTX Nông nghiệp Hòa Bình", "HTX Dịch vụ Điện", "HTX Thủy sản Cửa Việt"]
    lines = "\n".join(f"{unicode_to_vni(n)};0100112437" for n in names)
    path.write_bytes(f"Tên HTX;MST\n{lines}\n".encode(codecs.lookup("latin-1").name))
    rows = list(iter_rows(open_source(path)))
    ctx = Context(
        kind="organisations", mapping={"name": 0, "tax_code": 1}, headers=["a", "b"], actor=IMPORTER
    )
    assert detect_encodings(rows, Header(1, 1, ["a", "b"], 2), ctx) == {0: "vni"}
