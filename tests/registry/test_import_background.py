"""Large files go through the background task (run at once in tests) with progress."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from htxso.geo.models import Province
from htxso.registry.models import ImportStatus, Organisation
from htxso.registry.services import imports as services

from .fixtures_import import write_generated_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _journey(world, path, *, mode="all"):
    actor = world.users["officer_b"]
    with path.open("rb") as fh:
        upload = SimpleUploadedFile(path.name, fh.read())
    job = services.import_upload(
        actor=actor, upload=upload, kind="organisations", province=Province.objects.get(pk="66")
    )
    job = services.import_set_mapping(actor=actor, job=job, mapping=job.mapping)
    assert job.status == ImportStatus.PREVIEW, job.error_message
    job = services.import_start(actor=actor, job=job, mode=mode)
    return job


def test_background_task_path_with_progress(world, tmp_path, settings):
    settings.HTXSO_IMPORT_SYNC_MAX_BYTES = 0  # every file goes to the task
    from django_tasks.signals import task_enqueued

    calls = []

    def seen(sender, task_result, **kw):
        calls.append(task_result.kwargs)

    task_enqueued.connect(seen)
    path = write_generated_csv(tmp_path / "gen.csv", 2500)
    job = _journey(world, path)
    task_enqueued.disconnect(seen)
    assert [c["step"] for c in calls] == ["validate", "execute"]
    assert job.status == ImportStatus.DONE
    assert (job.total_rows, job.processed_rows, job.created_count) == (2500, 2500, 2500)
    assert job.progress_percent == 100
    assert job.report["estimated_rows"] > 2000


@pytest.mark.slow
def test_200000_rows_in_the_background(world, tmp_path, settings):
    """200,000 generated rows (22 MB csv): checked, imported, reported; every row
    accounted for.  Measured on 2 cores: see the engineer's report."""
    settings.HTXSO_IMPORT_SYNC_MAX_BYTES = 0
    path = write_generated_csv(tmp_path / "big.csv", 200_000)
    started = time.monotonic()
    job = _journey(world, path)
    elapsed = time.monotonic() - started
    assert job.status == ImportStatus.DONE, job.error_message
    assert (job.total_rows, job.created_count, job.skipped_count) == (200_000, 200_000, 0)
    assert Organisation.objects.filter(province_id="66").count() == 200_001
    wb = load_workbook(settings.PRIVATE_MEDIA_ROOT / job.report["report_file"], read_only=True)
    summary = dict(wb.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert 200_000 in summary.values()
    assert sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True)) == 200_001
    assert elapsed < 1200  # 6 minutes measured with the machine 4× oversubscribed
