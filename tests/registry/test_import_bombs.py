"""Spreadsheet bombs uploaded to the registry import: refused fast, with bounded memory,
with a precise error, and nothing left in storage.

Each bomb is built here, small on disk.  The upload goes through the real page; the
memory bound is checked by reading the same file as the upload does
(``open_source`` → ``read_head`` → ``estimate_rows``) in a process whose address space
is capped at 1.5 GiB: had openpyxl parsed the bomb, that process would die (or run past
its minute).
"""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from htxso.registry.importing import reading
from htxso.registry.importing import workbook_checks as checks
from htxso.registry.models import ImportJob

from ..core.bombs import (
    GIB,
    MIB,
    Member,
    copy_members,
    data,
    many_members_zip,
    repeated,
    run_bounded,
    write_zip,
)

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">'.encode()
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Tên HTX</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Mã số thuế</t></is></c></row>'
)


def _base(tmp_path) -> Path:
    """A real workbook (with a shared strings part) to put a bomb in."""
    wb = Workbook()
    ws = wb.active
    ws.title = "HTX"
    ws.append(["Tên HTX", "Mã số thuế", "Địa chỉ"])
    ws.append(["HTX Cà phê Ea Tu", "0100112437", "Xã Ea Tu"])
    path = tmp_path / "base.xlsx"
    wb.save(path)
    return path


STRINGS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _with(tmp_path, name: str, *members: Member):
    """The base workbook with ``members`` added or replaced; a shared strings part is
    declared as Excel declares it (content type and relationship), so openpyxl loads it."""
    base = _base(tmp_path)
    replaced = {m.name for m in members}
    extra = []
    if "xl/sharedStrings.xml" in replaced:
        with zipfile.ZipFile(base) as zf:
            types = zf.read("[Content_Types].xml").replace(
                b"</Types>",
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_CT}"/>'
                "</Types>".encode(),
            )
            rels = zf.read("xl/_rels/workbook.xml.rels").replace(
                b"</Relationships>",
                f'<Relationship Id="rIdS" Type="{STRINGS_REL}" Target="sharedStrings.xml"/>'
                "</Relationships>".encode(),
            )
        replaced |= {"[Content_Types].xml", "xl/_rels/workbook.xml.rels"}
        extra = [
            Member("[Content_Types].xml", data(types)),
            Member("xl/_rels/workbook.xml.rels", data(rels)),
        ]
    return write_zip(tmp_path / name, [*copy_members(base, skip=replaced), *extra, *members])


def _sheet(rows: bytes | str) -> Member:
    body = rows.encode() if isinstance(rows, str) else rows
    return Member(
        "xl/worksheets/sheet1.xml",
        data(SHEET_HEAD.encode() + body + b"</sheetData></worksheet>"),
    )


# ----------------------------------------------------------------- bombs, built once


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bombs")
    return {
        # 40 million one-letter shared strings: 680 MB in ~1.6 MB
        "strings_40m": _with(
            tmp,
            "strings.xlsx",
            Member(
                "xl/sharedStrings.xml",
                repeated(b"<si><t>a</t></si>", 40_000_000, prefix=SST_HEAD, suffix=b"</sst>"),
            ),
        ),
        # one cell of 1 GiB
        "cell_1gib": _with(
            tmp,
            "cell.xlsx",
            Member(
                "xl/worksheets/sheet1.xml",
                repeated(
                    b"a",
                    GIB,
                    prefix=(SHEET_HEAD + HEADER_ROW).encode()
                    + b'<row r="2"><c r="A2" t="inlineStr"><is><t>',
                    suffix=b"</t></is></c></row></sheetData></worksheet>",
                ),
            ),
        ),
        # the same 40 million strings, declared as 10 MB (an honest-looking ratio)
        "strings_lie": _with(
            tmp,
            "lie.xlsx",
            Member(
                "xl/sharedStrings.xml",
                repeated(b"<si><t>a</t></si>", 40_000_000, prefix=SST_HEAD, suffix=b"</sst>"),
                declared_size=10 * MIB,
            ),
        ),
    }


@pytest.fixture(scope="module")
def many_parts(tmp_path_factory):
    """100,000 tiny parts beside a real workbook."""
    tmp = tmp_path_factory.mktemp("many")
    with zipfile.ZipFile(_base(tmp)) as src:
        real = [(info.filename, src.read(info)) for info in src.infolist()]
    return many_members_zip(tmp / "many.xlsx", 100_000, first=real)


BOUNDED_READ = """
import sys, time, django
django.setup()
from htxso.registry.importing import reading
from htxso.registry.importing import workbook_checks as checks
started = time.perf_counter()
try:
    source = reading.open_source(sys.argv[1], "bomb.xlsx")
    reading.read_head(source)
    reading.estimate_rows(source)
    print("accepted", time.perf_counter() - started)
except reading.FileRejected as exc:
    print(exc.code, time.perf_counter() - started)
except MemoryError:
    print("memory", time.perf_counter() - started)
"""


def _read_bounded(path) -> tuple[str, float]:
    rc, out, err = run_bounded(BOUNDED_READ, str(path), memory=1536 * MIB, timeout=60)
    assert rc == 0 and out, err[-2000:]
    code, seconds = out.split()
    return code, float(seconds)


# --------------------------------------------------------------- through the page


@pytest.fixture
def storage_dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return [tmp_path / "media", tmp_path / "private"]


def _files(dirs) -> list:
    return [p for d in dirs if d.exists() for p in d.rglob("*") if p.is_file()]


def _upload_refused(client, world, path, storage_dirs) -> str:
    user = world.users["officer_b"]
    user.preferred_language = "en"
    user.save()
    client.force_login(user)
    started = time.perf_counter()
    response = client.post(
        reverse("registry:import_list"),
        {
            "kind": "organisations",
            "province": "66",
            "file": SimpleUploadedFile("Danh sach.xlsx", path.read_bytes()),
        },
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 200  # the page again, with the error
    errors = response.context["form"].errors.as_data()["file"]
    assert str(errors[0].message) in response.content.decode().replace("&#x27;", "'")
    assert elapsed < 5, elapsed
    assert not ImportJob.objects.exists()
    assert _files(storage_dirs) == []  # the refused file was deleted
    return errors[0].code


@pytest.mark.slow
@pytest.mark.django_db
def test_forty_million_shared_strings(client, world, bombs, storage_dirs):
    path = bombs["strings_40m"]
    assert path.stat().st_size < 2 * MIB
    assert _upload_refused(client, world, path, storage_dirs) == "archive_part_too_large"
    code, seconds = _read_bounded(path)
    assert code == "archive_part_too_large" and seconds < 2


@pytest.mark.slow
@pytest.mark.django_db
def test_one_cell_of_one_gib(client, world, bombs, storage_dirs):
    path = bombs["cell_1gib"]
    assert path.stat().st_size < 2 * MIB
    assert _upload_refused(client, world, path, storage_dirs) == "archive_part_too_large"
    code, seconds = _read_bounded(path)
    assert code == "archive_part_too_large" and seconds < 2


@pytest.mark.slow
@pytest.mark.django_db
def test_shared_strings_declaring_a_false_size(client, world, bombs, storage_dirs):
    """Declared 10 MB (ratio ~6, under every limit): the streamed count stops it at the
    declared size, where the inflated bytes no longer match (CRC)."""
    path = bombs["strings_lie"]
    assert _upload_refused(client, world, path, storage_dirs) == "archive_corrupt"
    code, seconds = _read_bounded(path)
    assert code == "archive_corrupt" and seconds < 2


@pytest.mark.django_db
def test_100000_parts(client, world, many_parts, storage_dirs):
    assert _upload_refused(client, world, many_parts, storage_dirs) == "archive_too_many_parts"
    code, seconds = _read_bounded(many_parts)
    assert code == "archive_too_many_parts" and seconds < 1


# ----------------------------------------------------- the workbook checks, one by one


def _code(path) -> str:
    with pytest.raises(reading.FileRejected) as err:
        source = reading.open_source(path)
        list(reading.iter_rows(source))
    assert str(err.value)
    return err.value.code


def _counted_strings(count: int) -> Member:
    """``count`` different strings: they compress ~6 times, under the ratio limit."""

    def chunks():
        yield SST_HEAD
        for start in range(0, count, 100_000):
            end = min(count, start + 100_000)
            yield b"".join(b"<si><t>%d</t></si>" % i for i in range(start, end))
        yield b"</sst>"

    return Member("xl/sharedStrings.xml", chunks)


def test_more_than_a_million_shared_strings(tmp_path):
    path = _with(tmp_path, "s.xlsx", _counted_strings(checks.MAX_SHARED_STRINGS + 1))
    started = time.perf_counter()
    assert _code(path) == "xlsx_too_many_strings"
    assert time.perf_counter() - started < 3


def test_a_shared_string_longer_than_a_cell(tmp_path):
    text = os.urandom(150_000).hex().encode()  # 300,000 characters, incompressible
    item = SST_HEAD + b"<si><t>a</t></si><si><t>" + text + b"</t></si></sst>"
    path = _with(tmp_path, "l.xlsx", Member("xl/sharedStrings.xml", data(item)))
    assert _code(path) == "xlsx_cell_too_long"


def test_a_row_larger_than_the_row_budget_is_stopped_while_streaming(tmp_path, monkeypatch):
    monkeypatch.setattr(checks, "ROW_BYTES", 1 * MIB)
    cell = os.urandom(1 * MIB).hex()
    path = _with(
        tmp_path,
        "r.xlsx",
        _sheet(HEADER_ROW + f'<row r="2"><c r="A2" t="inlineStr"><is><t>{cell}</t></is></c></row>'),
    )
    assert _code(path) == "xlsx_row_too_large"


def test_cell_text_over_excels_limit_found_while_reading(tmp_path):
    cell = "ẩ" * (checks.EXCEL_MAX_CELL_CHARS + 1)
    path = _with(
        tmp_path,
        "c.xlsx",
        _sheet(HEADER_ROW + f'<row r="2"><c r="B2" t="inlineStr"><is><t>{cell}</t></is></c></row>'),
    )
    with pytest.raises(reading.FileRejected) as err:
        list(reading.iter_rows(reading.open_source(path)))
    assert err.value.code == "xlsx_cell_too_long"
    assert err.value.params["row"] == "2" and err.value.params["column"] == "2"


def test_rows_beyond_excels_limit(tmp_path):
    rows = "".join(f'<row r="{n}"></row>' for n in range(2, checks.EXCEL_MAX_ROWS + 3))
    path = _with(tmp_path, "rows.xlsx", _sheet(HEADER_ROW + rows))
    assert _code(path) == "xlsx_too_many_rows"
    # a row number far past the last row makes openpyxl hand out empty rows: counted too
    far = _with(tmp_path, "far.xlsx", _sheet(HEADER_ROW + '<row r="900000000"/>'))
    started = time.perf_counter()
    assert _code(far) == "xlsx_too_many_rows"
    assert time.perf_counter() - started < 10


def test_columns(tmp_path):
    wide = _with(
        tmp_path, "w.xlsx", _sheet(HEADER_ROW + '<row r="2"><c r="SH2"><v>1</v></c></row>')
    )
    assert _code(wide) == "import_too_many_columns"  # column 502
    # a styled empty cell far to the right is only trimmed
    styled = _with(tmp_path, "s.xlsx", _sheet(HEADER_ROW + '<row r="2"><c r="XFD2" s="0"/></row>'))
    rows = list(reading.iter_rows(reading.open_source(styled)))
    assert rows[0] == ("Tên HTX", "Mã số thuế") and len(rows[1]) == checks.IMPORT_MAX_COLUMNS


@pytest.mark.parametrize(
    "sheet",
    [
        # rows nested in a row: openpyxl would keep every cleared child of the outer one
        HEADER_ROW + '<row r="2"><c r="A2"><v>1</v></c><row r="3"/><c r="B2"><v>1</v></c></row>',
        HEADER_ROW + '<row r="2"><row r="3"><c r="A3"><v>1</v></c></row></row>',
        HEADER_ROW + "<!-- a comment -->",
        HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[x]]></t></is></c></row>',
    ],
)
def test_xml_spreadsheet_programs_do_not_write(tmp_path, sheet):
    assert _code(_with(tmp_path, "x.xlsx", _sheet(sheet))) == "xlsx_unusual_xml"


def test_entity_declarations_refused(tmp_path):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        + SST_HEAD.split(b"?>", 1)[1]
        + b"<si><t>&b;</t></si></sst>"
    )
    path = _with(tmp_path, "e.xlsx", Member("xl/sharedStrings.xml", data(laughs)))
    assert _code(path) == "xlsx_unusual_xml"
    styles = _with(
        tmp_path, "st.xlsx", Member("xl/styles.xml", data(b'<!DOCTYPE x [<!ENTITY a "b">]><x/>'))
    )
    assert _code(styles) == "xlsx_unusual_xml"


def test_a_large_styles_part_is_refused(tmp_path):
    tags = b"<xf/>" * (checks.SMALL_PART_TAGS + 1)
    path = _with(
        tmp_path,
        "st.xlsx",
        Member("xl/styles.xml", data(b"<styleSheet>" + tags + b"</styleSheet>")),
    )
    assert _code(path) == "xlsx_part_too_large"


def test_a_sheet_in_an_unusual_place_is_still_checked(tmp_path):
    """openpyxl finds sheets through the workbook's relationships, whatever their path."""
    base = _base(tmp_path)
    with zipfile.ZipFile(base) as zf:
        rels = zf.read("xl/_rels/workbook.xml.rels").replace(
            b"worksheets/sheet1.xml", b"media/image1.png"
        )
    sheet = SHEET_HEAD + HEADER_ROW + "<!-- hidden -->" + "</sheetData></worksheet>"
    path = write_zip(
        tmp_path / "moved.xlsx",
        [
            *copy_members(base, skip={"xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml"}),
            Member("xl/_rels/workbook.xml.rels", data(rels)),
            Member("xl/media/image1.png", data(sheet.encode())),
        ],
    )
    assert _code(path) == "xlsx_unusual_xml"


def test_namespace_prefixes_and_self_closing_rows_are_fine(tmp_path):
    """Files written with the OpenXML SDK prefix every tag (x:row); empty styled rows
    close themselves."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Tên HTX</x:t></x:is></x:c></x:row>'
        '<x:row r="2" s="1" customFormat="1"/>'
        '<x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:t>HTX Ea Tu</x:t></x:is></x:c></x:row>'
        '<x:row r="4" s="1" customFormat="1"/>'
        "</x:sheetData></x:worksheet>"
    )
    path = _with(tmp_path, "p.xlsx", Member("xl/worksheets/sheet1.xml", data(sheet.encode())))
    rows = list(reading.iter_rows(reading.open_source(path)))
    assert rows[0] == ("Tên HTX",) and rows[2] == ("HTX Ea Tu",)


@pytest.mark.slow
def test_the_guard_costs_little_on_200000_rows(tmp_path):
    """The check streams every part; on a 200,000-row workbook (91 MB of sheet XML) it
    takes well under a second and a tenth of the time openpyxl takes to read the rows."""
    from .fixtures_import import write_generated_xlsx

    path = write_generated_xlsx(tmp_path / "big.xlsx", 200_000)
    started = time.perf_counter()
    source = reading.open_source(path)
    guard = time.perf_counter() - started
    assert source.sheets[0].name == "HTX"
    assert guard < 3, guard


@pytest.mark.django_db
def test_an_unexpected_error_after_the_file_is_stored_leaves_no_file(
    world, storage_dirs, tmp_path, monkeypatch
):
    """Any failure after the upload is saved (here: the audit row) deletes the file."""
    from htxso.geo.models import Province
    from htxso.registry.services import imports

    from .fixtures_import import write_messy_xlsx

    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(imports.audit, "record", broken)
    path = write_messy_xlsx(tmp_path / "Danh sach HTX.xlsx")
    with pytest.raises(RuntimeError):
        imports.import_upload(
            actor=world.users["officer_b"],
            upload=SimpleUploadedFile(path.name, path.read_bytes()),
            kind="organisations",
            province=Province.objects.get(pk="66"),
        )
    assert _files(storage_dirs) == []
    assert not ImportJob.objects.exists()
