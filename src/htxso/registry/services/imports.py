"""Writes of the import journey: upload, mapping, checking, importing.

Audit: one row per step the user takes (upload, mapping, import with its counts), and
one row per organisation, membership, worker or annual report the import created or
changed (written in bulk by ``importing.audit_rows``) — so each record's history shows
the import, and the job's history shows who did what.  Unchanged rows write nothing.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from htxso.core import audit
from htxso.core.scoping import get_scope

from ..importing import engine, reading, report
from ..importing import header as H
from ..importing.fields import fields_for
from ..models import ImportJob, ImportKind, ImportMapping, ImportStatus

logger = logging.getLogger(__name__)

audit.ACTION_LABELS.update(
    {
        "registry.import.upload": _("Spreadsheet uploaded for import"),
        "registry.import.mapping": _("Import columns mapped"),
        "registry.import.run": _("Spreadsheet imported"),
        "registry.organisation.import_create": _("Organisation created by an import"),
        "registry.organisation.import_update": _("Organisation updated by an import"),
        "registry.membership.import": _("Membership imported"),
        "registry.worker.import": _("Worker imported"),
        "registry.annual_report.import": _("Annual figures imported"),
    }
)

#: Files up to this size are checked and imported during the request; larger ones in
#: the background, with a progress bar.
SYNC_MAX_BYTES = 512 * 1024
ORGANISATION_KINDS = frozenset({ImportKind.MEMBERS, ImportKind.WORKERS, ImportKind.ANNUAL_FIGURES})


def can_import(user, *, kind: str, province=None, organisation=None) -> bool:
    scope = get_scope(user)
    if organisation is not None:
        return kind in ORGANISATION_KINDS and (
            scope.national_edit
            or organisation.province_id in scope.edit_provinces
            or organisation.pk in scope.edit_organisations
        )
    if province is None:
        return False
    return scope.national_edit or province.pk in scope.edit_provinces


def _path(job: ImportJob) -> Path:
    return Path(job.file.path)


def import_upload(*, actor, upload, kind: str, province=None, organisation=None) -> ImportJob:
    """Check the file (size, what it really is), store it, find its header and suggest
    the mapping (a saved mapping for the same headers wins)."""
    if kind not in ImportKind.values:
        raise ValidationError(_("Choose what the file contains."), code="kind")
    if organisation is not None:
        province = organisation.province
    if not can_import(actor, kind=kind, province=province, organisation=organisation):
        raise PermissionDenied
    try:
        reading.check_size(upload.size)
        head = upload.read(reading.CSV_SAMPLE_BYTES)
        upload.seek(0)
        reading.sniff_format(head, upload.name)
    except reading.FileRejected as exc:
        raise ValidationError(str(exc), code=exc.code) from None
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        job = ImportJob(
            province=province,
            organisation=organisation if kind in ORGANISATION_KINDS else None,
            kind=kind,
            original_name=Path(upload.name).name[:255],
            file_sha256=digest.hexdigest(),
            file_size=upload.size,
            created_by=actor,
        )
        job.file.save(f"{digest.hexdigest()[:16]}{_suffix(head)}", upload, save=False)
        try:
            _read_structure(job, sheet="")
        except reading.FileRejected as exc:
            job.file.delete(save=False)
            raise ValidationError(str(exc), code=exc.code) from None
        job.save()
        audit.record(
            actor=actor, action="registry.import.upload", instance=job, after=_summary(job)
        )
    return job


def _suffix(head: bytes) -> str:
    return ".xlsx" if head.startswith(b"PK\x03\x04") else ".csv"


def _read_structure(job: ImportJob, *, sheet: str) -> None:
    source = reading.open_source(_path(job), job.original_name)
    sheets = [{"name": s.name, "hidden": s.hidden} for s in source.sheets]
    if not sheet:
        sheet = next((s.name for s in source.sheets if not s.hidden), source.sheets[0].name)
    try:
        rows = reading.read_head(source, sheet)
    except reading.FileRejected:
        raise
    except Exception as exc:  # openpyxl or csv on a damaged file: a message, never a 500
        raise reading.FileRejected(
            "file_unreadable", _("The file cannot be read as an Excel workbook (xlsx).")
        ) from exc
    header = H.detect_header(rows, job.kind)
    if header is None:
        raise reading.FileRejected(
            "no_header",
            _("No header row was found: the first rows of the sheet should name the columns."),
        )
    saved = ImportMapping.objects.filter(
        province=job.province, kind=job.kind, header_signature=header.signature
    ).first()
    suggestion = H.suggest_mapping(header.headers, job.kind)
    mapping = {
        k: int(v)
        for k, v in (saved.mapping if saved else suggestion).items()
        if int(v) < len(header.headers)
    }
    job.sheet_name = sheet if source.format == reading.XLSX else ""
    job.header_row = header.row
    job.detected_encoding = source.encoding
    job.mapping = mapping
    job.status = ImportStatus.MAPPING
    job.report = {
        "sheets": sheets if source.format == reading.XLSX else [],
        "headers": header.headers,
        "header_first_row": header.first_row,
        "data_start": header.data_start,
        "preview": H.preview_rows(rows, header),
        "saved_mapping": bool(saved),
        "signature": header.signature,
        "estimated_rows": reading.estimate_rows(source, sheet),
    }


def import_choose_sheet(*, actor, job: ImportJob, sheet: str) -> ImportJob:
    _require_status(job, ImportStatus.MAPPING, ImportStatus.PREVIEW, ImportStatus.FAILED)
    names = [s["name"] for s in job.report.get("sheets", [])]
    if sheet not in names:
        raise ValidationError(_("Choose one of the sheets of the file."), code="sheet")
    try:
        _read_structure(job, sheet=sheet)
    except reading.FileRejected as exc:
        raise ValidationError(str(exc), code=exc.code) from None
    job.save()
    return job


def _require_status(job: ImportJob, *allowed: str) -> None:
    if job.status not in allowed:
        raise ValidationError(
            _("This import is %(status)s: that step is no longer possible."),
            code="status",
            params={"status": job.get_status_display()},
        )


def import_set_mapping(*, actor, job: ImportJob, mapping: dict[str, int]) -> ImportJob:
    """Save the mapping (for next time too) and check every row."""
    _require_status(job, ImportStatus.MAPPING, ImportStatus.PREVIEW, ImportStatus.FAILED)
    headers = job.report.get("headers", [])
    specs = {f.key: f for f in fields_for(job.kind)}
    clean: dict[str, int] = {}
    for key, col in mapping.items():
        if key not in specs or not 0 <= int(col) < len(headers):
            raise ValidationError(_("The mapping names an unknown column."), code="mapping")
        clean[key] = int(col)
    used = list(clean.values())
    if len(used) != len(set(used)):
        raise ValidationError(
            _("Each column can be used for one field only."), code="mapping_duplicate"
        )
    required = [f for f in specs.values() if f.required]
    if job.kind in ORGANISATION_KINDS and job.organisation_id is None:
        required.append(specs["org_tax_code"])
    missing = [str(f.label) for f in required if f.key not in clean]
    if missing:
        raise ValidationError(
            _("Choose the column for: %(fields)s."),
            code="mapping_required",
            params={"fields": ", ".join(missing)},
        )
    with transaction.atomic():
        ImportMapping.objects.update_or_create(
            province=job.province,
            kind=job.kind,
            header_signature=job.report.get("signature", H.header_signature(headers)),
            defaults={"headers": headers, "mapping": clean, "created_by": actor},
        )
        job.mapping = clean
        job.status = ImportStatus.VALIDATING
        job.processed_rows = 0
        job.save()
        audit.record(actor=actor, action="registry.import.mapping", instance=job, after=clean)
    _dispatch(job, "validate")
    job.refresh_from_db()
    return job


def import_start(*, actor, job: ImportJob, mode: str) -> ImportJob:
    _require_status(job, ImportStatus.PREVIEW)
    if mode not in ImportJob.Mode.values:
        raise ValidationError(_("Choose how to import."), code="mode")
    if mode == ImportJob.Mode.ALL_OR_NOTHING and job.error_rows:
        raise ValidationError(
            _(
                "%(count)s rows have errors: correct the file, or choose to import the"
                " valid rows only."
            ),
            code="has_errors",
            params={"count": job.error_rows},
        )
    with transaction.atomic():
        job.mode = mode
        job.status = ImportStatus.RUNNING
        job.processed_rows = 0
        job.save(update_fields=["mode", "status", "processed_rows", "updated_at"])
    _dispatch(job, "execute")
    job.refresh_from_db()
    return job


def _dispatch(job: ImportJob, step: str) -> None:
    """Run the step now (small files) or in the background.  Called after the step's
    own transaction has committed, so the task sees the job's new status."""
    if job.file_size <= sync_max_bytes():
        process(job.pk, step)
        return
    from ..tasks_import import process_import

    process_import.enqueue(job_id=job.pk, step=step)


def sync_max_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "HTXSO_IMPORT_SYNC_MAX_BYTES", SYNC_MAX_BYTES))


def _context(job: ImportJob) -> engine.Context:
    return engine.Context(
        kind=job.kind,
        mapping={k: int(v) for k, v in job.mapping.items()},
        headers=job.report.get("headers", []),
        actor=job.created_by,
        province=job.province,
        organisation=job.organisation,
        mode=job.mode,
        job=job,
    )


def process(job_id: int, step: str) -> None:
    """Check (``validate``) or import (``execute``) a job; run in the request for small
    files, in the background task for large ones.  Never raises: a failure is stored
    on the job."""
    job = ImportJob.objects.select_related("province", "organisation", "created_by").get(pk=job_id)
    language = getattr(job.created_by, "preferred_language", "") or "vi"
    with translation.override(language):
        try:
            _process(job, step)
        except Exception as exc:  # the job records the failure; the page shows it
            if isinstance(exc, reading.FileRejected):
                message = str(exc)
            else:
                logger.exception("import %s failed at step %s", job.pk, step)
                message = str(
                    _("The import failed unexpectedly; nothing was saved. Please try again.")
                )
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.FAILED, error_message=message, finished_at=timezone.now()
            )


def _progress(job_id: int):
    from django.core.cache import cache

    def report_progress(done: int) -> None:
        cache.set(f"import-progress-{job_id}", done, 3600)
        ImportJob.objects.filter(pk=job_id).update(processed_rows=done)

    return report_progress


def _process(job: ImportJob, step: str) -> None:
    source = reading.open_source(_path(job), job.original_name)
    header = H.Header(
        row=job.header_row,
        first_row=job.report.get("header_first_row", job.header_row),
        headers=job.report.get("headers", []),
        data_start=job.report.get("data_start", job.header_row + 1),
    )
    ctx = _context(job)
    commit = step == "execute"
    summary = engine.run(
        source, job.sheet_name, header, ctx, commit=commit, progress=_progress(job.pk)
    )
    counts = summary.counts()
    title = f"{job.original_name} — {job.get_kind_display()}"
    data = report.build_xlsx(
        summary.outcomes,
        counts=counts,
        preview=not commit,
        title=title,
        rolled_back=summary.rolled_back,
    )
    name = default_storage.save(f"imports/reports/job-{job.pk}-{step}.xlsx", ContentFile(data))
    job.refresh_from_db()
    old = job.report.get("report_file")
    job.report = {
        **job.report,
        "report_file": name,
        "problems": report.problem_rows(summary),
        "encodings": {str(k): v for k, v in (ctx.encodings or {}).items()},
        "rolled_back": summary.rolled_back,
        "step": step,
    }
    job.total_rows = summary.total
    job.processed_rows = summary.total
    job.valid_rows = summary.valid
    job.error_rows = summary.errors
    job.created_count = summary.created
    job.updated_count = summary.updated
    job.unchanged_count = summary.unchanged
    job.skipped_count = summary.skipped
    if commit:
        job.status = ImportStatus.FAILED if summary.rolled_back else ImportStatus.DONE
        job.error_message = (
            str(_("Rows with errors were found: nothing was imported."))
            if summary.rolled_back
            else ""
        )
        job.finished_at = timezone.now()
        with transaction.atomic():
            job.save()
            audit.record(
                actor=job.created_by,
                action="registry.import.run",
                instance=job,
                after={**counts, "mode": job.mode, "file_sha256": job.file_sha256},
            )
    else:
        job.status = ImportStatus.PREVIEW
        job.save()
    if old and old != name:
        default_storage.delete(old)


def _summary(job: ImportJob) -> dict:
    return {
        "file": job.original_name,
        "kind": job.kind,
        "size": job.file_size,
        "sha256": job.file_sha256,
    }
