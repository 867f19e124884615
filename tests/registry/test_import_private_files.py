"""Uploaded spreadsheets and import reports are private files (issue 10, item 3).

They hold members' birth dates and citizen ID numbers: they live outside MEDIA_ROOT
under names nobody can guess, and only the import pages hand them out, to those who
may see the import.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.views.static import serve
from openpyxl import load_workbook

from htxso.registry.models import ImportJob, ImportStatus

from .fixtures_import import tax_codes, write_clean_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.HTXSO_PRIVATE_FILES_ACCEL = ""


def _login(client, world, key):
    client.logout()
    if key != "anon":
        client.force_login(world.users[key])


@pytest.fixture
def checked_job(client, world, tmp_path) -> ImportJob:
    """Đắk Lắk's officer uploads two cooperatives and maps the columns: the job is
    checked and has its report."""
    _login(client, world, "officer_b")
    codes = tax_codes(2, start=700)
    rows = [[f"HTX {c}", c, "Xã Hòa Xuân, Đắk Lắk", "44197", "1.000.000", "HTX"] for c in codes]
    path = write_clean_csv(tmp_path / "thanh-vien.csv", rows)
    data = {"kind": "organisations", "province": "66"}
    data["file"] = SimpleUploadedFile(path.name, path.read_bytes())
    assert client.post(reverse("registry:import_list"), data).status_code == 302
    job = ImportJob.objects.get()
    post = {f"map-{k}": v for k, v in job.mapping.items()}
    assert client.post(reverse("registry:import_mapping", args=[job.pk]), post).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW and job.report.get("report_file")
    job.uploaded_bytes = path.read_bytes()
    job.report["tax_codes"] = codes  # for the tests only (not saved)
    return job


def _names(job: ImportJob) -> list[str]:
    return [job.file.name, job.report["report_file"]]


def test_files_are_outside_media_root_under_unguessable_names(checked_job, settings):
    job = checked_job
    media = Path(settings.MEDIA_ROOT).resolve()
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
    for name in _names(job):
        path = (private / name).resolve()
        assert path.is_file() and path.is_relative_to(private)
        assert not path.is_relative_to(media)
        stem = Path(name).stem
        assert f"job-{job.pk}" not in name and job.file_sha256[:16] not in name
        assert len(stem) >= 32  # 192 random bits, URL-safe base64
    with pytest.raises(ValueError):
        job.file.url  # a private file has no URL


@pytest.mark.parametrize("key", ["anon", "officer_a", "viewer_b", "officer_b"])
def test_guessed_media_urls_serve_nothing(checked_job, client, world, settings, key):
    """Every /media/ address one could guess — the real names, the old job-{pk}
    pattern — gives nothing, neither here nor from the DEBUG static server (what
    nginx's /media/ location does in production)."""
    job = checked_job
    guesses = [
        *_names(job),
        f"imports/reports/job-{job.pk}-validate.xlsx",
        f"imports/reports/job-{job.pk}-execute.xlsx",
    ]
    _login(client, world, key)
    factory = RequestFactory()
    for name in guesses:
        assert client.get(f"/media/{name}").status_code == 404, name
        with pytest.raises(Http404):
            serve(factory.get(f"/media/{name}"), name, document_root=settings.MEDIA_ROOT)


@pytest.mark.parametrize(
    "key,report_status,file_status",
    [
        ("anon", 302, 302),  # to the sign-in page
        ("officer_a", 404, 404),  # another province: the job does not exist for them
        ("viewer_a", 404, 403),  # a viewer never gets raw files (by role)
        ("manager_b1", 404, 404),  # a cooperative of Đắk Lắk does not see province imports
        ("member_a1", 403, 403),
        ("buyer", 403, 403),
    ],
)
def test_report_and_upload_refused_to_outsiders(
    checked_job, client, world, key, report_status, file_status
):
    _login(client, world, key)
    for name, status in (
        ("registry:import_report", report_status),
        ("registry:import_file", file_status),
    ):
        response = client.get(reverse(name, args=[checked_job.pk]))
        assert response.status_code == status, name
        assert "Content-Disposition" not in response and "X-Accel-Redirect" not in response


def test_another_jobs_id_is_not_found(checked_job, client, world):
    """The ids are sequential: an officer of another province tries them all."""
    _login(client, world, "officer_a")
    for pk in (checked_job.pk, checked_job.pk + 1, checked_job.pk + 1000):
        for name in ("registry:import_report", "registry:import_file"):
            assert client.get(reverse(name, args=[pk])).status_code == 404


def test_owner_and_viewer_of_the_province_get_the_report(checked_job, client, world):
    for key in ("officer_b", "viewer_b", "vca"):
        _login(client, world, key)
        response = client.get(reverse("registry:import_report", args=[checked_job.pk]))
        assert response.status_code == 200, key
        assert response["Content-Disposition"].startswith("attachment")
        assert "no-store" in response["Cache-Control"]
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        rows = list(wb.worksheets[0].iter_rows(values_only=True))[1:]  # the rows sheet
        assert len(rows) == 2, key
        assert {r[2] for r in rows} == set(checked_job.report["tax_codes"]), key


def test_uploaded_file_is_for_its_owner_and_national_staff(checked_job, client, world):
    url = reverse("registry:import_file", args=[checked_job.pk])
    for key in ("officer_b", "vca"):
        _login(client, world, key)
        response = client.get(url)
        assert response.status_code == 200, key
        assert b"".join(response.streaming_content) == checked_job.uploaded_bytes
        assert "thanh-vien.csv" in response["Content-Disposition"]
    _login(client, world, "viewer_b")  # sees the import and its report, not the raw file
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("name", ["registry:import_report", "registry:import_file"])
def test_nginx_mode_answers_with_the_header_only(checked_job, client, world, settings, name):
    settings.HTXSO_PRIVATE_FILES_ACCEL = "nginx"
    _login(client, world, "officer_b")
    response = client.get(reverse(name, args=[checked_job.pk]))
    assert response.status_code == 200
    stored = checked_job.report["report_file"] if name.endswith("report") else checked_job.file.name
    assert response["X-Accel-Redirect"] == f"/_protected/private/{stored}"
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment")


def test_sendfile_mode_names_the_private_path(checked_job, client, world, settings):
    settings.HTXSO_PRIVATE_FILES_ACCEL = "sendfile"
    _login(client, world, "officer_b")
    response = client.get(reverse("registry:import_report", args=[checked_job.pk]))
    assert response.status_code == 200 and response.content == b""
    sent = Path(response["X-Sendfile"])
    assert sent.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert sent.is_file()


def test_a_new_check_replaces_the_report_file(checked_job, client, world, settings):
    """The previous report is deleted from the private storage, not left behind."""
    old = checked_job.report["report_file"]
    _login(client, world, "officer_b")
    post = {f"map-{k}": v for k, v in checked_job.mapping.items()}
    client.post(reverse("registry:import_mapping", args=[checked_job.pk]), post)
    checked_job.refresh_from_db()
    new = checked_job.report["report_file"]
    assert new != old
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    assert (private / new).is_file() and not (private / old).exists()


def test_the_import_page_links_the_upload_only_for_who_may_have_it(checked_job, client, world):
    page = reverse("registry:import_detail", args=[checked_job.pk])
    link = reverse("registry:import_file", args=[checked_job.pk])
    for key, shown in (("officer_b", True), ("vca", True), ("viewer_b", False)):
        _login(client, world, key)
        response = client.get(page)
        assert response.status_code == 200, key
        assert (link in response.content.decode()) is shown, key
