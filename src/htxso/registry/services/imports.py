"""Writes of the import journey: upload, mapping, checking, importing.

Audit: one row per step the user takes (upload, mapping, import with its counts), and
one row per organisation, membership, worker or annual report the import created or
changed (written in bulk by ``importing.audit_rows``) — so each record's history shows
the import, and the job's history shows who did what.  Unchanged rows write nothing.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from htxso.core import audit
from htxso.core.actors import IMPORTER, Actor, SystemActor
from htxso.core.errors import ServiceError, conflict, refused
from htxso.core.files import private_storage, unguessable_name
from htxso.geo.models import Province

from ..importing import engine, reading, report, undo
from ..importing import header as H
from ..importing.fields import fields_for
from ..models import ImportJob, ImportKind, ImportMapping, ImportStatus, Organisation

logger = logging.getLogger(__name__)

audit.ACTION_LABELS.update(
    {
        "registry.import.upload": _("Spreadsheet uploaded for import"),
        "registry.import.mapping": _("Import columns mapped"),
        "registry.import.run": _("Spreadsheet imported"),
        "registry.import.cancel": _("Import cancelled"),
        "registry.import.recover": _("Stopped import rolled back"),
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
#: A job checking or importing without a heartbeat for this long has stopped (its
#: worker or web server was killed); setting ``HTXSO_IMPORT_STALE_SECONDS``.
STALE_SECONDS = 120
ACTIVE = (ImportStatus.VALIDATING, ImportStatus.RUNNING)
#: Statuses from which the columns can be chosen (again) and the rows checked.
MAPPABLE = (
    ImportStatus.MAPPING,
    ImportStatus.PREVIEW,
    ImportStatus.FAILED,
    ImportStatus.CANCELLED,
)
ORGANISATION_KINDS = frozenset({ImportKind.MEMBERS, ImportKind.WORKERS, ImportKind.ANNUAL_FIGURES})


def can_import(
    user: object,
    *,
    kind: str,
    province: Province | None = None,
    organisation: Organisation | None = None,
) -> bool:
    """Whether ``user`` may upload a file of ``kind`` for the province or organisation:
    ``ImportJob.policy``'s ``change`` for the job to be created (the VCA, the province's
    officer, the organisation's manager for its members, workers and annual figures)."""
    if organisation is not None:
        return kind in ORGANISATION_KINDS and ImportJob.policy.allows_at(
            user,
            "change",
            province=organisation.province_id,
            organisation=organisation.pk,
        )
    if province is None:
        return False
    return ImportJob.policy.allows_at(user, "change", province=province.pk)


def _user(*, actor: Actor) -> Any:
    """The user to store as ``created_by`` (a system actor is nobody)."""
    return None if isinstance(actor, SystemActor) else actor


def _path(job: ImportJob) -> Path:
    return Path(job.file.path)


def import_upload(
    *,
    actor: Actor,
    upload: Any,
    kind: str,
    province: Province | None = None,
    organisation: Organisation | None = None,
) -> ImportJob:
    """Check the file (size, what it really is), store it, find its header and suggest
    the mapping (a saved mapping for the same headers wins)."""
    if kind not in ImportKind.values:
        raise ServiceError("kind", _("Choose what the file contains."))
    if organisation is not None:
        province = organisation.province
    if not can_import(actor, kind=kind, province=province, organisation=organisation):
        raise refused(_("Your role may not do this."))
    try:
        reading.check_size(upload.size)
        head = upload.read(reading.CSV_SAMPLE_BYTES)
        upload.seek(0)
        reading.sniff_format(head, upload.name)
    except reading.FileRejected as exc:
        raise ServiceError(exc.code, str(exc)) from None
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
            created_by=_user(actor=actor),
        )
        job.file.save(f"{digest.hexdigest()[:16]}{_suffix(head)}", upload, save=False)
        try:
            _read_structure(job, sheet="")
            job.save()
            audit.record(
                actor=actor, action="registry.import.upload", instance=job, after=_summary(job)
            )
        except BaseException as exc:  # refused or failed: nothing stays in storage
            try:
                job.file.delete(save=False)
            except Exception:
                logger.exception("Could not delete the refused upload %s", job.file.name)
            if isinstance(exc, reading.FileRejected):
                raise ServiceError(exc.code, str(exc)) from None
            raise
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


def import_choose_sheet(*, actor: Actor, job: ImportJob, sheet: str) -> ImportJob:
    ImportJob.policy.require(actor, "change", job)
    _require_status(job, *MAPPABLE)
    names = [s["name"] for s in job.report.get("sheets", [])]
    if sheet not in names:
        raise ServiceError("sheet", _("Choose one of the sheets of the file."))
    try:
        _read_structure(job, sheet=sheet)
    except reading.FileRejected as exc:
        raise ServiceError(exc.code, str(exc)) from None
    job.save()
    return job


def _require_status(job: ImportJob, *allowed: str) -> None:
    if job.status not in allowed:
        raise conflict(
            _("This import is %(status)s: that step is no longer possible."),
            "status",
            {"status": job.get_status_display()},
        )


def import_set_mapping(*, actor: Actor, job: ImportJob, mapping: dict[str, int]) -> ImportJob:
    """Save the mapping (for next time too) and check every row."""
    ImportJob.policy.require(actor, "change", job)
    _require_status(job, *MAPPABLE)
    headers = job.report.get("headers", [])
    specs = {f.key: f for f in fields_for(job.kind, headers)}
    clean: dict[str, int] = {}
    for key, col in mapping.items():
        if key not in specs or not 0 <= int(col) < len(headers):
            raise ServiceError("mapping", _("The mapping names an unknown column."))
        clean[key] = int(col)
    used = list(clean.values())
    if len(used) != len(set(used)):
        raise ServiceError("mapping_duplicate", _("Each column can be used for one field only."))
    required = [f for f in specs.values() if f.required]
    if job.kind in ORGANISATION_KINDS and job.organisation_id is None:
        required.append(specs["org_tax_code"])
    missing = [str(f.label) for f in required if f.key not in clean]
    if missing:
        raise ServiceError(
            "mapping_required",
            _("Choose the column for: %(fields)s."),
            {"fields": ", ".join(missing)},
        )
    with transaction.atomic():
        ImportMapping.objects.update_or_create(
            province=job.province,
            kind=job.kind,
            header_signature=job.report.get("signature", H.header_signature(headers)),
            defaults={"headers": headers, "mapping": clean, "created_by": _user(actor=actor)},
        )
        job.mapping = clean
        job.status = ImportStatus.VALIDATING
        job.processed_rows = 0
        job.heartbeat_at = timezone.now()
        job.cancel_requested = False
        job.task_id = ""
        job.error_message = ""
        job.report.pop("step", None)  # the counts are those of the earlier mapping
        job.save()
        audit.record(actor=actor, action="registry.import.mapping", instance=job, after=clean)
    _dispatch(job, "validate")
    job.refresh_from_db()
    return job


def import_start(*, actor: Actor, job: ImportJob, mode: str) -> ImportJob:
    """Import a checked job — or start again one that failed, stopped or was cancelled
    after its rows were checked (:func:`can_restart`)."""
    ImportJob.policy.require(actor, "change", job)
    _require_status(job, ImportStatus.PREVIEW, ImportStatus.FAILED, ImportStatus.CANCELLED)
    if job.status != ImportStatus.PREVIEW and not can_restart(job):
        _require_status(job, ImportStatus.PREVIEW)
    if mode not in ImportJob.Mode.values:
        raise ServiceError("mode", _("Choose how to import."))
    if mode == ImportJob.Mode.ALL_OR_NOTHING and job.error_rows:
        raise ServiceError(
            "has_errors",
            _(
                "%(count)s rows have errors: correct the file, or choose to import the"
                " valid rows only."
            ),
            {"count": job.error_rows},
        )
    with transaction.atomic():
        # conditional: a second click (or a second tab) does not start it twice
        started = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
            mode=mode,
            status=ImportStatus.RUNNING,
            processed_rows=0,
            heartbeat_at=timezone.now(),
            cancel_requested=False,
            task_id="",
            error_message="",
            finished_at=None,
            updated_at=timezone.now(),
        )
    if not started:
        job.refresh_from_db()
        _require_status(job, ImportStatus.PREVIEW)
    _dispatch(job, "execute")
    job.refresh_from_db()
    return job


def can_restart(job: ImportJob) -> bool:
    """A job that failed, stopped or was cancelled after its rows were checked can be
    imported again from its page (nothing of the earlier attempt is left)."""
    return (
        job.status in (ImportStatus.FAILED, ImportStatus.CANCELLED)
        and bool(job.report.get("step"))
        and job.valid_rows > 0
    )


def import_cancel(*, actor: Actor, job: ImportJob) -> ImportJob:
    """Ask the worker to stop a job being checked or imported: it stops after the batch
    it is writing, takes back everything already written, and marks the job cancelled.
    A job nobody is working on (still queued, or its worker gone) is ended here."""
    ImportJob.policy.require(actor, "change", job)
    job.refresh_from_db()
    with transaction.atomic():
        asked = ImportJob.objects.filter(
            pk=job.pk, status__in=ACTIVE, cancel_requested=False
        ).update(cancel_requested=True)
        if not asked:
            job.refresh_from_db()
            _require_status(job, *ACTIVE)
            raise conflict(_("This import is already being cancelled."), "cancelling")
        audit.record(
            actor=actor,
            action="registry.import.cancel",
            instance=job,
            before={"status": job.status},
            after={"processed_rows": job.processed_rows},
        )
    job.refresh_from_db()
    if _task_waiting(job):
        _end_stopped(job.pk)
    else:
        import_recover_stale(job_ids=[job.pk], undo_now=False)
    job.refresh_from_db()
    return job


def _dispatch(job: ImportJob, step: str) -> None:
    """Run the step now (small files) or in the background.  Called after the step's
    own transaction has committed, so the task sees the job's new status."""
    if job.file_size <= sync_max_bytes():
        process(job.pk, step)
        return
    from ..tasks_import import process_import

    result = process_import.enqueue(job_id=job.pk, step=step)
    ImportJob.objects.filter(pk=job.pk, status__in=ACTIVE).update(task_id=str(result.id)[:64])


def sync_max_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "HTXSO_IMPORT_SYNC_MAX_BYTES", SYNC_MAX_BYTES))


def stale_seconds() -> int:
    """A job checking or importing whose heartbeat is older than this has stopped."""
    from django.conf import settings

    return int(getattr(settings, "HTXSO_IMPORT_STALE_SECONDS", STALE_SECONDS))


def _context(job: ImportJob) -> engine.Context:
    return engine.Context(
        kind=job.kind,
        mapping={k: int(v) for k, v in job.mapping.items()},
        headers=job.report.get("headers", []),
        actor=job.created_by or IMPORTER,
        province=job.province,
        organisation=job.organisation,
        mode=job.mode,
        job=job,
    )


def _language(job: ImportJob) -> str:
    return getattr(job.created_by, "preferred_language", "") or "vi"


def process(job_id: int, step: str, *, recover_others: bool = False) -> None:
    """Check (``validate``) or import (``execute``) a job, or finish taking back a
    stopped one (``undo``); run in the request for small files, in the background task
    for large ones (which first rolls back other jobs that stopped unexpectedly:
    ``recover_others``).  Never raises: a failure is stored on the job."""
    job = ImportJob.objects.select_related("province", "organisation", "created_by").get(pk=job_id)
    if step == "undo":
        undo.undo_job(job.pk)
        return
    expected = ImportStatus.RUNNING if step == "execute" else ImportStatus.VALIDATING
    if job.status != expected:  # a task left over from an earlier attempt
        logger.info("import %s: step %s skipped, the job is %s", job.pk, step, job.status)
        return
    if job.cancel_requested:
        _end_stopped(job.pk)
        return
    ImportJob.objects.filter(pk=job.pk, status=expected).update(heartbeat_at=timezone.now())
    if recover_others:
        try:
            import_recover_stale(exclude=job.pk)
        except Exception:  # never keeps this job from running
            logger.exception("import: recovery of stopped jobs failed")
    with translation.override(_language(job)):
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
            try:  # the engine undid what it wrote; finish it if that was cut short
                undo.undo_job(job.pk)
            except Exception:  # the stale-job recovery finishes it
                logger.exception("import %s: undo failed", job.pk)
            undo.with_lock_retry(
                lambda: ImportJob.objects.filter(pk=job.pk, status__in=ACTIVE).update(
                    status=ImportStatus.FAILED, error_message=message, finished_at=timezone.now()
                )
            )


def _progress(job_id: int, status: str):
    """Record the rows done and the heartbeat (with an import, in each batch's own
    transaction); stop when the job was cancelled or taken over by the recovery."""

    def report_progress(done: int) -> None:
        alive = ImportJob.objects.filter(pk=job_id, status=status, cancel_requested=False).update(
            processed_rows=done, heartbeat_at=timezone.now()
        )
        if not alive:
            raise engine.Stopped

    return report_progress


def _heartbeat(job_id: int):
    def beat() -> None:
        ImportJob.objects.filter(pk=job_id, status__in=ACTIVE).update(heartbeat_at=timezone.now())

    return beat


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
    expected = ImportStatus.RUNNING if commit else ImportStatus.VALIDATING
    if commit:
        ctx.journal = undo.JobJournal(job.pk)
        ctx.on_undo_step = _heartbeat(job.pk)
        undo.undo_job(job.pk, on_step=ctx.on_undo_step)  # left by an earlier attempt
    try:
        summary = engine.run(
            source, job.sheet_name, header, ctx, commit=commit, progress=_progress(job.pk, expected)
        )
    except engine.Stopped:  # while checking (an import undoes and returns)
        summary = None
    if summary is None or summary.stopped:
        _end_stopped(job.pk)
        return
    if commit:
        # the data is final: the job says so in the transaction that drops the undo log
        if not undo.with_lock_retry(lambda: _save_outcome(job, summary, ctx, step, expected)):
            undo.undo_job(job.pk, on_step=ctx.on_undo_step)
            _end_stopped(job.pk)
            return
        _write_report(job, summary, step=step)
        return
    try:
        _progress(job.pk, expected)(summary.total)
    except engine.Stopped:
        _end_stopped(job.pk)
        return
    _write_report(job, summary, step=step)
    if not undo.with_lock_retry(lambda: _save_outcome(job, summary, ctx, step, expected)):
        _end_stopped(job.pk)


def _save_outcome(job: ImportJob, summary, ctx, step: str, expected: str) -> bool:
    """Store the counts and the new status — unless the job was cancelled or taken over
    meanwhile (then ``False``)."""
    commit = step == "execute"
    counts = summary.counts()
    with transaction.atomic():
        current = ImportJob.objects.select_for_update().get(pk=job.pk)
        if current.status != expected or current.cancel_requested:
            return False
        job.refresh_from_db()
        job.report = {
            **job.report,
            "problems": report.problem_rows(summary),
            "encodings": {str(k): v for k, v in (ctx.encodings or {}).items()},
            # column → {"tcvn3"/"vni": cells converted}: shown with the preview
            "conversions": summary.conversions,
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
        job.heartbeat_at = timezone.now()
        if not commit:
            job.status = ImportStatus.PREVIEW
            job.save()
            return True
        job.status = ImportStatus.FAILED if summary.rolled_back else ImportStatus.DONE
        job.error_message = (
            str(_("Rows with errors were found: nothing was imported."))
            if summary.rolled_back
            else ""
        )
        job.finished_at = timezone.now()
        job.save()
        ctx.journal.discard()
        audit.record(
            actor=job.created_by or IMPORTER,
            action="registry.import.run",
            instance=job,
            after={**counts, "mode": job.mode, "file_sha256": job.file_sha256},
        )
    return True


def _write_report(job: ImportJob, summary, *, step: str) -> None:
    """The xlsx of every row with its outcome, replacing the job's last one."""
    commit = step == "execute"
    title = f"{job.original_name} — {job.get_kind_display()}"
    data = report.build_xlsx(
        summary.outcomes,
        counts=summary.counts(),
        preview=not commit,
        title=title,
        rolled_back=summary.rolled_back,
    )
    # private and unguessable: the report lists members' rows (issue 10)
    name = private_storage().save(
        unguessable_name("imports/reports/", suffix=".xlsx"), ContentFile(data)
    )
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        old = job.report.get("report_file")
        job.report = {**job.report, "report_file": name}
        job.save(update_fields=["report", "updated_at"])
    if old and old != name:
        private_storage().delete(old)


def _end_stopped(job_id: int) -> None:
    """A cancelled job whose writes are undone: mark it so (a job the recovery took
    over already says why it stopped)."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(_language(job)):
        message = str(_("The import was cancelled; nothing was imported."))
    ImportJob.objects.filter(pk=job_id, status__in=ACTIVE, cancel_requested=True).update(
        status=ImportStatus.CANCELLED, error_message=message, finished_at=timezone.now()
    )


def _task_waiting(job: ImportJob) -> bool:
    """Is the job's background task still queued (behind another import)?  Such a job
    has no heartbeat yet and has not stopped."""
    if not job.task_id:
        return False
    from django_tasks.base import TaskResultStatus

    from ..tasks_import import process_import

    try:
        return process_import.get_result(job.task_id).status == TaskResultStatus.READY
    except Exception:  # a backend that keeps no results, or a result pruned since
        return False


def stale_jobs(*, job_ids=None, exclude=None):
    """Jobs checking or importing whose heartbeat (or last change, before any) is older
    than :func:`stale_seconds`."""
    from django.db.models import Q

    cutoff = timezone.now() - timedelta(seconds=stale_seconds())
    jobs = ImportJob.objects.filter(status__in=ACTIVE).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, updated_at__lt=cutoff)
    )
    if job_ids is not None:
        jobs = jobs.filter(pk__in=job_ids)
    if exclude is not None:
        jobs = jobs.exclude(pk=exclude)
    return jobs.select_related("created_by")


def import_recover_stale(*, job_ids=None, exclude=None, undo_now: bool = True) -> list[int]:
    """Find jobs that stopped unexpectedly (worker or web server killed), take back what
    they wrote and mark them failed (cancelled when a cancel was asked), so the officer
    can start them again.  Run when an import page is viewed, by each import task
    before its own work, and by ``manage.py import_recover`` (cron).  A job taken over
    is claimed by a conditional update on its heartbeat, so a worker that is only slow
    is never rolled back under its feet: it finds the job gone at its next batch.

    With ``undo_now=False`` (a page view) a large undo is left to the background task.
    Also finishes the undo of jobs whose undo was cut short."""
    recovered = []
    for job in stale_jobs(job_ids=job_ids, exclude=exclude):
        if _task_waiting(job):
            continue
        with translation.override(_language(job)):
            if job.cancel_requested:
                status = ImportStatus.CANCELLED
                message = str(_("The import was cancelled; nothing was imported."))
            elif job.status == ImportStatus.VALIDATING:
                status = ImportStatus.FAILED
                message = str(
                    _(
                        "The check of the rows stopped unexpectedly; nothing was imported."
                        " You can start it again."
                    )
                )
            else:
                status = ImportStatus.FAILED
                message = str(
                    _(
                        "The import stopped unexpectedly; nothing was imported."
                        " You can start it again."
                    )
                )
        with transaction.atomic():
            claimed = ImportJob.objects.filter(
                pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at
            ).update(
                status=status,
                error_message=message,
                finished_at=timezone.now(),
                heartbeat_at=timezone.now(),
            )
            if not claimed:
                continue  # it moved on meanwhile: alive
            audit.record(
                actor=IMPORTER,
                action="registry.import.recover",
                instance=job,
                before={
                    "status": job.status,
                    "heartbeat_at": job.heartbeat_at.isoformat() if job.heartbeat_at else None,
                },
                after={"status": status, "processed_rows": job.processed_rows},
            )
        logger.warning("import %s stopped unexpectedly (%s): rolled back", job.pk, job.status)
        recovered.append(job.pk)
    pending = ImportJob.objects.exclude(status__in=ACTIVE).filter(undo_entries__isnull=False)
    if job_ids is not None:
        pending = pending.filter(pk__in=job_ids)
    if exclude is not None:
        pending = pending.exclude(pk=exclude)
    for job in pending.distinct():
        if undo_now or job.file_size <= sync_max_bytes():
            undo.undo_job(job.pk)
        else:
            from ..tasks_import import process_import

            process_import.enqueue(job_id=job.pk, step="undo")
    return recovered


def _summary(job: ImportJob) -> dict:
    return {
        "file": job.original_name,
        "kind": job.kind,
        "size": job.file_size,
        "sha256": job.file_sha256,
    }
