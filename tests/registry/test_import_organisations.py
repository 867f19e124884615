"""Importing organisations: the messy Đắk Lắk file, idempotence, modes, the report."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from htxso.core.models import AuditEvent
from htxso.geo.models import Province
from htxso.registry.importing import run_import_file
from htxso.registry.importing.values import render
from htxso.registry.models import Organisation

from .fixtures_import import org_rows_dak_lak, tax_codes, write_clean_csv, write_messy_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _run(path, world, *, mode="all", commit=True, key="officer_b", province="66"):
    return run_import_file(
        path,
        actor=world.users[key],
        province=Province.objects.get(pk=province),
        kind="organisations",
        mode=mode,
        commit=commit,
    )


def _codes(summary):
    """Problem codes per row (notes such as "converted from TCVN3" left out)."""
    return {
        row: [p["code"] for p in problems if p["severity"] != "note"]
        for row, _o, _k, _l, problems in summary.outcomes
    }


def test_messy_file_preview_lists_every_problem_per_row(world, tmp_path):
    path = write_messy_xlsx(tmp_path / "htx.xlsx")
    s = _run(path, world, commit=False)
    codes = _codes(s)
    # header rows 3-4, numbering row 5: data from row 6; the total row is ignored
    assert s.total == 12 and len(s.outcomes) == 12
    assert s.errors == 6  # rows 11-16
    assert codes[11] == ["tax_code_check_digit"]
    assert codes[12] == ["tax_code_duplicate_in_file"]
    assert sorted(codes[13]) == ["date_future", "vnd_negative"]
    assert codes[14] == ["address_no_match"]
    assert sorted(codes[15]) == ["address_ambiguous", "cell_error"]
    assert codes[16] == ["tax_code_other_province"]
    assert codes[17] == ["total_row"]
    assert Organisation.objects.count() == 3  # nothing written by a preview
    ambiguous = next(p for p in s.outcomes[9][4] if p["code"] == "address_ambiguous")
    assert "Phú Hòa 1" in render(ambiguous) and "Tân Lập" in render(ambiguous)
    other = next(p for p in s.outcomes[10][4] if p["code"] == "tax_code_other_province")
    assert "HTX Nông nghiệp Hợp Giang" in render(other)


def test_all_or_nothing_commits_nothing_when_a_row_has_errors(world, tmp_path):
    path = write_messy_xlsx(tmp_path / "htx.xlsx")
    s = _run(path, world, mode="all")
    assert s.rolled_back and not s.committed
    assert s.created == s.updated == 0 and s.skipped == s.total
    assert Organisation.objects.count() == 3
    assert not AuditEvent.objects.filter(action__startswith="registry.organisation.import").exists()


def test_valid_rows_mode_imports_the_clean_rows_and_converts_everything(world, tmp_path):
    path = write_messy_xlsx(tmp_path / "htx.xlsx")
    s = _run(path, world, mode="valid")
    assert s.committed
    assert (s.created, s.updated, s.unchanged, s.skipped) == (4, 1, 0, 7)
    assert s.created + s.updated + s.unchanged + s.skipped == s.total
    code = tax_codes(1)[0]
    org = Organisation.objects.get(tax_code=code)
    # TCVN3 name converted, VNI sector read, old address mapped, legacy address kept
    assert org.name == "HTX Nông nghiệp Ea Tu"
    assert org.sector == "agriculture"
    assert org.ward.name == "Phường Tân An" and org.province_id == "66"
    assert org.legacy_address == "Xã Ea Tu, TP. Buôn Ma Thuột, Đắk Lắk"
    assert org.charter_capital == 1_234_567
    assert org.established_on.isoformat() == "2014-01-01"  # Excel serial 41640
    assert org.kind == "cooperative" and org.search_text.startswith("htx nong nghiep ea tu")
    group = Organisation.objects.get(name="Tổ hợp tác Dệt Tân Lập")
    assert group.kind == "group" and group.tax_code is None
    assert group.established_on.isoformat() == "2019-01-01"
    # the existing Đắk Lắk cooperative was updated, Cao Bằng's was not touched
    b1 = Organisation.objects.get(pk=world.orgs["b1"].pk)
    assert b1.ward is not None and b1.charter_capital == 800_000_000
    a1 = Organisation.objects.get(pk=world.orgs["a1"].pk)
    assert a1.province_id == "04" and a1.name == "HTX Nông nghiệp Hợp Giang"
    # creations: one summary row for the import; changes: one row per organisation
    run = AuditEvent.objects.get(action="registry.import.run")
    assert run.after["created"] == 4 and run.province_id == "66"
    upd = AuditEvent.objects.get(action="registry.organisation.import_update")
    assert upd.object_id == str(b1.pk) and upd.after["charter_capital"] == 800_000_000
    assert upd.province_id == "66"


def test_second_import_of_the_same_file_changes_nothing(world, tmp_path):
    path = write_messy_xlsx(tmp_path / "htx.xlsx")
    _run(path, world, mode="valid")
    before = list(Organisation.objects.order_by("pk").values())
    audits = AuditEvent.objects.exclude(action="registry.import.run").count()
    s = _run(path, world, mode="valid")
    assert (s.created, s.updated) == (0, 0)
    assert s.unchanged == s.valid == 5
    assert list(Organisation.objects.order_by("pk").values()) == before
    # only the import's own summary row is added: no organisation-level row
    assert AuditEvent.objects.exclude(action="registry.import.run").count() == audits
    assert AuditEvent.objects.filter(action="registry.import.run").count() == 2


def test_clean_file_imports_all_and_reimport_is_unchanged(world, tmp_path):
    codes = tax_codes(3, start=500)
    rows = [
        [f"HTX Số {i}", code, "Xã Hòa Xuân, Đắk Lắk", "01/02/2015", "1.234.567", "HTX"]
        for i, code in enumerate(codes)
    ]
    path = write_clean_csv(tmp_path / "a.csv", rows)
    s = _run(path, world)
    assert (s.total, s.created, s.errors) == (3, 3, 0) and s.committed
    s = _run(path, world)
    assert (s.unchanged, s.created, s.updated) == (3, 0, 0)


def test_another_provinces_officer_cannot_overwrite_by_tax_code(world, tmp_path):
    rows = [["HTX Đổi tên", "0100112437", "Xã Hưng Đạo, Cao Bằng", "", "", "HTX"]]
    path = write_clean_csv(tmp_path / "b.csv", rows)
    s = _run(path, world, key="officer_a", province="04", mode="valid")
    assert _codes(s)[2] == ["tax_code_other_province"]
    assert Organisation.objects.get(pk=world.orgs["b1"].pk).name == "HTX Cà phê Ea Tu"


def test_absurd_amount_and_address_of_another_province(world, tmp_path):
    codes = tax_codes(2, start=900)
    rows = [
        ["HTX Quá lớn", codes[0], "Xã Hòa Xuân, Đắk Lắk", "", "99.000.000.000.000", "HTX"],
        ["HTX Sai tỉnh", codes[1], "Xã Hưng Đạo, Cao Bằng", "", "", "HTX"],
    ]
    s = _run(write_clean_csv(tmp_path / "c.csv", rows), world, commit=False)
    assert _codes(s) == {2: ["amount_absurd"], 3: ["address_other_province"]}


def test_report_xlsx_lists_every_row(world, tmp_path):
    from htxso.registry.importing.report import build_xlsx

    path = write_messy_xlsx(tmp_path / "htx.xlsx")
    s = _run(path, world, mode="valid")
    wb = load_workbook(
        io.BytesIO(build_xlsx(s.outcomes, counts=s.counts(), preview=False, title="t"))
    )
    rows = list(wb.worksheets[0].iter_rows(values_only=True))[1:]
    assert [r[0] for r in rows] == list(range(6, 18))
    assert len(rows) == len(org_rows_dak_lak()) + 1
    by_row = {r[0]: r for r in rows}
    assert by_row[6][2] == tax_codes(1)[0] and by_row[11][4]  # a problem is written
    assert by_row[17][3] == "Tổng cộng"
