"""The import journey through the pages: upload, map, preview, import, report."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from htxso.registry.models import ImportJob, ImportMapping, ImportStatus, Organisation

from .fixtures_import import tax_codes, write_clean_csv, write_messy_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _login(client, world, key):
    user = world.users[key]
    user.preferred_language = "en"
    user.save()
    client.force_login(user)
    return user


def _upload(client, path, kind="organisations", **extra):
    data = {"kind": kind, "file": SimpleUploadedFile(path.name, path.read_bytes()), **extra}
    return client.post(reverse("registry:import_list"), data)


def test_officer_journey_upload_map_preview_import_report(client, world, tmp_path):
    _login(client, world, "officer_b")
    path = write_messy_xlsx(tmp_path / "Danh sach HTX.xlsx")
    response = _upload(client, path, province="66")
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.MAPPING and job.sheet_name == "Danh sách"
    assert response["Location"] == reverse("registry:import_mapping", args=[job.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Dữ liệu cũ (hidden)" in body and "Địa chỉ / Xã/phường" in body
    post = {f"map-{k}": v for k, v in job.mapping.items()}
    response = client.post(reverse("registry:import_mapping", args=[job.pk]), post)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW
    assert (job.total_rows, job.error_rows, job.valid_rows) == (12, 6, 5)
    assert ImportMapping.objects.filter(province_id="66", kind="organisations").count() == 1
    detail = client.get(reverse("registry:import_detail", args=[job.pk])).content.decode()
    assert "Row 11" in detail and "check digit" in detail
    assert "is also on row 6" in detail
    # all-or-nothing is refused while rows have errors
    response = client.post(reverse("registry:import_run", args=[job.pk]), {"mode": "all"})
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW and Organisation.objects.count() == 3
    response = client.post(reverse("registry:import_run", args=[job.pk]), {"mode": "valid"})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.updated_count, job.skipped_count) == (4, 1, 7)
    assert Organisation.objects.count() == 7
    report = client.get(reverse("registry:import_report", args=[job.pk]))
    assert report.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(report.streaming_content)))
    rows = list(wb["Rows"].iter_rows(values_only=True))[1:]
    assert len(rows) == 12
    assert {r[1] for r in rows} == {"Created", "Updated", "Skipped", "Skipped: not data"}


def test_saved_mapping_is_reused_and_second_import_changes_nothing(client, world, tmp_path):
    _login(client, world, "officer_b")
    codes = tax_codes(2, start=300)
    rows = [[f"HTX {c}", c, "Xã Hòa Xuân, Đắk Lắk", "44197", "1.000.000", "HTX"] for c in codes]
    path = write_clean_csv(tmp_path / "a.csv", rows)
    for run in range(2):
        _upload(client, path, province="66")
        job = ImportJob.objects.latest("pk")
        assert job.report["saved_mapping"] is bool(run)
        post = {f"map-{k}": v for k, v in job.mapping.items()}
        client.post(reverse("registry:import_mapping", args=[job.pk]), post)
        client.post(reverse("registry:import_run", args=[job.pk]), {"mode": "all"})
        job.refresh_from_db()
        assert job.status == ImportStatus.DONE
        expected = (2, 0) if run == 0 else (0, 2)
        assert (job.created_count, job.unchanged_count) == expected


def test_renamed_exe_is_refused(client, world, tmp_path):
    _login(client, world, "officer_b")
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
    response = _upload(client, path, province="66")
    assert response.status_code == 200
    assert "not a spreadsheet" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_zip_that_is_not_a_workbook_is_refused(client, world, tmp_path):
    import zipfile

    _login(client, world, "officer_b")
    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    response = _upload(client, path, province="66")
    assert response.status_code == 200 and not ImportJob.objects.exists()
    assert "not a spreadsheet" in response.content.decode()


def test_file_above_the_limit_is_refused(client, world, tmp_path, settings):
    settings.HTXSO_IMPORT_MAX_BYTES = 10 * 1024 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    _login(client, world, "officer_b")
    path = tmp_path / "big.csv"
    line = "HTX Nông nghiệp;0100112437;Xã Hòa Xuân, Đắk Lắk\n".encode()
    path.write_bytes(b"Ten HTX;MST;Dia chi\n" + line * (11 * 1024 * 1024 // len(line)))
    response = _upload(client, path, province="66")
    assert response.status_code == 200
    assert "files up to 10 MB can be imported" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_officer_cannot_import_for_another_province(client, world, tmp_path):
    _login(client, world, "officer_a")
    path = write_clean_csv(tmp_path / "a.csv", [])
    response = _upload(client, path, province="66")
    assert response.status_code == 200  # the form refuses the province
    assert not ImportJob.objects.exists()


def test_viewer_sees_history_read_only(client, world, tmp_path):
    _login(client, world, "officer_b")
    path = write_clean_csv(tmp_path / "a.csv", [["HTX X", "0100112437", "", "", "", "HTX"]])
    _upload(client, path, province="66")
    job = ImportJob.objects.get()
    _login(client, world, "viewer_b")
    listing = client.get(reverse("registry:import_list")).content.decode()
    assert "a.csv" in listing and 'type="file"' not in listing
    assert client.get(reverse("registry:import_detail", args=[job.pk])).status_code == 200
    assert client.get(reverse("registry:import_mapping", args=[job.pk])).status_code == 403
    assert client.post(reverse("registry:import_run", args=[job.pk])).status_code == 403
    _login(client, world, "viewer_a")
    assert client.get(reverse("registry:import_detail", args=[job.pk])).status_code == 404


def test_history_page_query_count(client, world, tmp_path, django_assert_max_num_queries):
    _login(client, world, "officer_b")
    for i in range(3):
        path = write_clean_csv(tmp_path / f"f{i}.csv", [["HTX X", "0100112437", "", "", "", "HTX"]])
        _upload(client, path, province="66")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("registry:import_list")).status_code == 200


def test_progress_partial_polls_while_running(client, world):
    _login(client, world, "officer_b")
    job = ImportJob.objects.create(
        province_id="66",
        kind="organisations",
        status=ImportStatus.RUNNING,
        file="x.csv",
        original_name="x.csv",
        total_rows=200,
        processed_rows=50,
        created_by=world.users["officer_b"],
    )
    body = client.get(reverse("registry:import_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in body and 'value="25"' in body
    detail = client.get(reverse("registry:import_detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in detail
    job.status = ImportStatus.DONE
    job.save()
    response = client.get(reverse("registry:import_progress", args=[job.pk]))
    assert response["HX-Refresh"] == "true"


def test_file_gone_between_steps_fails_cleanly(client, world, tmp_path, caplog):
    _login(client, world, "officer_b")
    path = write_clean_csv(tmp_path / "a.csv", [["HTX X", "0100112437", "", "", "", "HTX"]])
    _upload(client, path, province="66")
    job = ImportJob.objects.get()
    job.file.delete(save=False)
    post = {f"map-{k}": v for k, v in job.mapping.items()}
    response = client.post(reverse("registry:import_mapping", args=[job.pk]), post)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "failed unexpectedly" in job.error_message
    page = client.get(reverse("registry:import_detail", args=[job.pk])).content.decode()
    assert "failed unexpectedly" in page
