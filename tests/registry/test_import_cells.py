"""Real provincial spreadsheets (issue 13): one column mixing Unicode, TCVN3 and VNI
rows, columns left out of the mapping, a year's figures on the organisation sheet."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from htxso.core.text import unicode_to_tcvn3, unicode_to_vni
from htxso.geo.models import Province
from htxso.registry.importing import run_import_file
from htxso.registry.models import Organisation

from .fixtures_import import tax_codes

pytestmark = pytest.mark.django_db

ADDRESS = "Xã Hòa Xuân, Đắk Lắk"
#: (name, how the office typed it)
MIXED = [
    ("Hợp tác xã Nông nghiệp Hòa Xuân", unicode_to_tcvn3),
    ("Hợp tác xã Dịch vụ Đắk Lắk", unicode_to_vni),
    ("HTX Nguyễn Thị Hường", str),
    ("Tổ hợp tác Nguyễn Thị Hường", unicode_to_vni),
    ("HTX Nông sản Đắk Lắk", unicode_to_tcvn3),
    # "Tö": VNI "Tư" and TCVN3 "Tử" — nothing in the cell tells which
    ("HTX Tư", unicode_to_vni),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _xlsx(path, header, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _run(path, world, *, mode="all", commit=True, mapping=None):
    return run_import_file(
        path,
        actor=world.users["officer_b"],
        province=Province.objects.get(pk="66"),
        kind="organisations",
        mode=mode,
        commit=commit,
        mapping=mapping,
    )


def _problems(summary):
    return {row: problems for row, _o, _k, _l, problems in summary.outcomes}


def _mixed_file(tmp_path):
    codes = tax_codes(len(MIXED), start=700)
    rows = [
        [encode(name), code, ADDRESS, "Lê Văn An"]
        for (name, encode), code in zip(MIXED, codes, strict=True)
    ]
    return _xlsx(tmp_path / "mixed.xlsx", ["Tên HTX", "MST", "Địa chỉ", "Người lập biểu"], rows)


def test_mixed_column_each_cell_is_read_in_its_own_encoding(world, tmp_path):
    s = _run(_mixed_file(tmp_path), world, commit=False)
    problems = _problems(s)
    notes = {
        row: [(p["code"], p["severity"], p["params"].get("encoding")) for p in found]
        for row, found in problems.items()
    }
    assert notes[2] == [("legacy_converted", "note", "TCVN3 (ABC)")]
    assert notes[3] == [("legacy_converted", "note", "VNI")]
    assert notes[4] == []  # Unicode, left alone
    assert notes[5] == [("legacy_converted", "note", "VNI")]
    assert notes[6] == [("legacy_converted", "note", "TCVN3 (ABC)")]
    assert all(p["column"] == "A (Tên HTX)" for found in problems.values() for p in found)
    # the summary per column
    assert s.conversions == {"A (Tên HTX)": {"tcvn3": 2, "vni": 2}}


def test_cell_that_reads_both_ways_is_refused_with_both_readings(world, tmp_path):
    s = _run(_mixed_file(tmp_path), world, commit=False)
    (unsure,) = _problems(s)[7]
    assert (unsure["code"], unsure["severity"]) == ("legacy_unsure", "error")
    assert unsure["params"]["value"] == "HTX Tö"
    assert "VNI: “HTX Tư”" in unsure["params"]["readings"]
    assert "TCVN3 (ABC): “HTX TỬ”" in unsure["params"]["readings"]
    assert s.errors == 1


def test_mixed_column_is_stored_in_unicode_and_the_unsure_row_is_not(world, tmp_path):
    s = _run(_mixed_file(tmp_path), world, mode="valid")
    assert s.committed and (s.created, s.errors) == (5, 1)
    names = set(
        Organisation.objects.filter(tax_code__in=tax_codes(len(MIXED), start=700)).values_list(
            "name", flat=True
        )
    )
    assert names == {name for name, _encode in MIXED[:5]}
    assert not Organisation.objects.filter(name__in=["HTX Tö", "HTX Tư", "HTX TỬ"]).exists()


def test_unicode_cell_that_could_be_vni_is_kept_with_a_warning_in_a_legacy_column(world, tmp_path):
    codes = tax_codes(2, start=720)
    rows = [
        [unicode_to_vni("Hợp tác xã Đắk Lắk"), codes[0], ADDRESS],
        ["HTX Cà phê Hòa Xuân", codes[1], ADDRESS],  # as VNI it would read "Hịa"
    ]
    path = _xlsx(tmp_path / "w.xlsx", ["Tên HTX", "MST", "Địa chỉ"], rows)
    s = _run(path, world, commit=False)
    (warning,) = _problems(s)[3]
    assert (warning["code"], warning["severity"]) == ("legacy_maybe", "warning")
    assert "HTX Cà phê Hịa Xuân" in warning["params"]["readings"]
    assert s.errors == 0


def test_preview_page_lists_columns_not_imported_and_conversions(client, world, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from htxso.registry.models import ImportJob, ImportStatus

    user = world.users["officer_b"]
    user.preferred_language = "en"
    user.save()
    client.force_login(user)
    path = _mixed_file(tmp_path)
    data = {
        "kind": "organisations",
        "province": "66",
        "file": SimpleUploadedFile(path.name, path.read_bytes()),
    }
    assert client.post(reverse("registry:import_list"), data).status_code == 302
    job = ImportJob.objects.get()
    assert job.mapping == {"name": 0, "tax_code": 1, "address": 2}  # D is not a field
    post = {f"map-{k}": v for k, v in job.mapping.items()}
    client.post(reverse("registry:import_mapping", args=[job.pk]), post)
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW
    response = client.get(reverse("registry:import_detail", args=[job.pk]))
    assert response.context["not_imported"] == ["D (Người lập biểu)"]
    assert job.report["conversions"] == {"A (Tên HTX)": {"tcvn3": 2, "vni": 2}}
    assert response.context["conversions"] == [("A (Tên HTX)", [("TCVN3 (ABC)", 2), ("VNI", 2)])]
    body = response.content.decode()
    assert 'id="imp-not-imported"' in body and "D (Người lập biểu)" in body
    assert 'id="imp-conversions"' in body
    # the unsure row is among the rows with problems, with both readings; rows that were
    # only converted are listed apart, under the conversions, and say from what
    conversions = body[body.index('id="imp-conversions"') : body.index('class="imp-problems"')]
    problems = body[body.index('class="imp-problems"') :]
    assert "HTX Tư" in problems and "Converted from VNI" not in problems
    assert "Converted from VNI" in conversions and "Converted from TCVN3" in conversions


# ------------------------------------------- a year's figures on the organisation sheet

FIGURE_HEADER = ["Tên HTX", "MST", "Địa chỉ", "Doanh thu 2024", "Số thành viên 2024",
                 "DT năm 2023 (triệu đồng)"]  # fmt: skip


def _figures_file(tmp_path, rows):
    return _xlsx(tmp_path / "figures.xlsx", FIGURE_HEADER, rows)


def _figure_rows():
    codes = tax_codes(2, start=760)
    return [
        ["HTX Có số liệu", codes[0], ADDRESS, "1.500.000.000", 25, "1,5"],
        ["HTX Doanh thu âm", codes[1], ADDRESS, "-5.000.000", 12, None],
        ["HTX Cà phê Ea Tu", "0100112437", ADDRESS, "2.000.000", None, None],  # existing
    ]


def test_year_figures_are_offered_as_fields_of_the_organisation_import():
    from htxso.registry.importing.fields import fields_for, read_figure_header
    from htxso.registry.importing.header import suggest_mapping

    assert read_figure_header("DT 2024 (triệu đồng)") == ("revenue", 2024, 10**6)
    assert read_figure_header("Doanh thu năm 2024") == ("revenue", 2024, 1)
    assert read_figure_header("Số thành viên 2024") == ("members_official", 2024, 1)
    assert read_figure_header("Lao động 2024") == ("workers_total", 2024, 1)
    assert read_figure_header("Số thành viên") is None
    keys = [f.key for f in fields_for("organisations", FIGURE_HEADER)]
    assert {"revenue_2024", "members_official_2024", "revenue_2023"} <= set(keys)
    mapping = suggest_mapping(FIGURE_HEADER, "organisations")
    assert mapping["revenue_2024"] == 3 and mapping["members_official_2024"] == 4
    assert mapping["revenue_2023"] == 5 and "members_count" not in mapping


def test_organisation_sheet_imports_the_years_figures(world, tmp_path):
    from htxso.registry.models import AnnualReport

    s = _run(_figures_file(tmp_path, _figure_rows()), world, mode="valid")
    assert s.committed and (s.created, s.updated, s.errors) == (1, 1, 1)
    org = Organisation.objects.get(name="HTX Có số liệu")
    reports = {r.year: r for r in AnnualReport.objects.filter(organisation=org)}
    assert reports[2024].revenue == 1_500_000_000 and reports[2024].members_official == 25
    assert reports[2023].revenue == 1_500_000  # 1,5 million
    assert reports[2024].status == "draft"
    # the existing organisation is unchanged, its 2024 figures are new
    b1 = AnnualReport.objects.get(organisation=world.orgs["b1"], year=2024)
    assert b1.revenue == 2_000_000


def test_row_with_a_negative_revenue_is_refused_whole(world, tmp_path):
    from htxso.registry.models import AnnualReport

    s = _run(_figures_file(tmp_path, _figure_rows()), world, mode="valid")
    (problem,) = _problems(s)[3]
    assert (problem["code"], problem["column"]) == ("vnd_negative", "D (Doanh thu 2024)")
    assert not Organisation.objects.filter(name="HTX Doanh thu âm").exists()
    assert not AnnualReport.objects.filter(members_official=12).exists()


def test_figures_of_a_submitted_report_refuse_the_row(world, tmp_path):
    from htxso.registry.models import AnnualReport

    AnnualReport.objects.create(
        organisation=world.orgs["b1"], year=2024, status="submitted", revenue=1
    )
    s = _run(_figures_file(tmp_path, _figure_rows()), world, mode="valid")
    assert [p["code"] for p in _problems(s)[4]] == ["report_locked"]
    assert AnnualReport.objects.get(organisation=world.orgs["b1"], year=2024).revenue == 1


def test_reports_written_with_organisations_are_in_the_undo_log(world, tmp_path):
    from htxso.registry.importing import engine
    from htxso.registry.importing.fields import fields_for
    from htxso.registry.importing.header import detect_header, suggest_mapping
    from htxso.registry.importing.reading import open_source, read_head
    from htxso.registry.importing.undo import MemoryJournal
    from htxso.registry.models import AnnualReport

    rows = [r for r in _figure_rows() if r[1] != tax_codes(2, start=760)[1]]
    path = _figures_file(tmp_path, rows)
    source = open_source(path)
    header = detect_header(read_head(source, ""), "organisations")
    assert {f.key for f in fields_for("organisations", header.headers)} >= {"revenue_2024"}
    ctx = engine.Context(
        kind="organisations",
        mapping=suggest_mapping(header.headers, "organisations"),
        headers=header.headers,
        actor=world.users["officer_b"],
        province=Province.objects.get(pk="66"),
        journal=MemoryJournal(),
    )
    s = engine.run(source, "", header, ctx, commit=True)
    assert s.committed and AnnualReport.objects.count() == 3
    logged = {e.model for e in ctx.journal.entries}
    assert {"registry.organisation", "registry.annualreport"} <= logged
    ctx.journal.undo()
    assert AnnualReport.objects.count() == 0
    assert not Organisation.objects.filter(name="HTX Có số liệu").exists()


def test_mapping_page_offers_the_years_figures(client, world, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from htxso.registry.models import ImportJob, ImportStatus

    client.force_login(world.users["officer_b"])
    path = _figures_file(tmp_path, _figure_rows())
    data = {
        "kind": "organisations",
        "province": "66",
        "file": SimpleUploadedFile(path.name, path.read_bytes()),
    }
    assert client.post(reverse("registry:import_list"), data).status_code == 302
    job = ImportJob.objects.get()
    page = client.get(reverse("registry:import_mapping", args=[job.pk])).content.decode()
    assert 'name="map-revenue_2024"' in page and 'name="map-members_official_2024"' in page
    post = {f"map-{k}": v for k, v in job.mapping.items()}
    assert post["map-revenue_2024"] == 3
    client.post(reverse("registry:import_mapping", args=[job.pk]), post)
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW and job.mapping["revenue_2023"] == 5
    assert (job.valid_rows, job.error_rows) == (2, 1)
