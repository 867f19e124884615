"""The undo log of an import: what each batch wrote, so that it can be taken back.

An import commits each batch in its own short transaction (a long import must not hold
SQLite's single write lock for minutes), and records in that same transaction what the
batch did, model by model: the ids it created (records and their audit rows) and the
previous values of the rows it updated.  A row with an error in mode "all", a failure,
a cancel, or a worker that died (found by its stale heartbeat) is undone from this log,
newest entry first.  Each undo step is again a short transaction that deletes the log
entries it has undone, so an undo cut short is simply finished by the next one.  When
the import succeeds, the log is dropped in the transaction that marks the job done.

:class:`JobJournal` keeps the log in ``ImportUndo`` rows (pages and tasks);
:class:`MemoryJournal` keeps it in memory (``run_import_file`` in a shell or benchmark,
where there is no job to recover later).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import OperationalError, transaction
from django.utils import timezone

from .writes import update_rows

logger = logging.getLogger(__name__)

#: Ids deleted or rows restored per undo transaction.
UNDO_STEP_ROWS = 2000
#: Attempts of one batch (or undo step) when SQLite answers "database is locked".
LOCK_RETRIES = 6
LOCK_BACKOFF = 0.5  # seconds, doubled after each attempt (0.5 → 16 s)


def is_locked(exc: BaseException) -> bool:
    """SQLite's "database is locked"/"database table is locked" (another writer held the
    lock past busy_timeout), or a PostgreSQL deadlock: the transaction can be retried."""
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and ("is locked" in text or "deadlock" in text)


def with_lock_retry(
    attempt: Callable[[], object],
    *,
    before_retry: Callable[[], None] | None = None,
):
    """Run ``attempt`` (one whole transaction); when the database is locked, wait and try
    again, at most :data:`LOCK_RETRIES` times.  ``before_retry`` puts back in-memory
    state the failed attempt changed."""
    delay = LOCK_BACKOFF
    for number in range(1, LOCK_RETRIES + 1):
        try:
            return attempt()
        except OperationalError as exc:
            if not is_locked(exc) or number == LOCK_RETRIES:
                raise
            logger.warning("import: database locked (attempt %s), retrying in %ss", number, delay)
            if before_retry is not None:
                before_retry()
            time.sleep(delay)
            delay *= 2
    return None  # pragma: no cover - the loop returns or raises


@dataclass
class Entry:
    model: str  # app_label.model_name
    created_ids: list = field(default_factory=list)
    previous: list = field(default_factory=list)  # [[pk, {name: value}], …]


def _label(model) -> str:
    return model._meta.label_lower


class Journal:
    """Collects what the current batch writes; :meth:`flush` stores it in the batch's
    transaction, :meth:`undo` takes back everything stored."""

    def __init__(self) -> None:
        self.pending: list[Entry] = []

    # ---------------------------------------------------------------- recording
    def created(self, model, ids) -> None:
        ids = [pk for pk in ids if pk is not None]
        if ids:
            self.pending.append(Entry(_label(model), created_ids=ids))

    def before_update(self, model, ids, fields) -> None:
        """Read the current values of ``fields`` of rows ``ids`` (call it in the batch's
        transaction, before they are written)."""
        ids = list(ids)
        if not ids:
            return
        meta = model._meta
        concrete = [meta.get_field(name) for name in fields]
        previous = []
        for start in range(0, len(ids), 500):
            rows = model._base_manager.filter(pk__in=ids[start : start + 500]).values_list(
                "pk", *(f.attname for f in concrete)
            )
            previous.extend(
                [row[0], {f.name: value for f, value in zip(concrete, row[1:], strict=True)}]
                for row in rows
            )
        if previous:
            self.pending.append(Entry(_label(model), previous=previous))

    def reset(self) -> None:
        """Forget what a failed attempt of the batch recorded (it was rolled back)."""
        self.pending = []

    def flush(self) -> None:
        raise NotImplementedError

    def undo(self, *, on_step: Callable[[], None] | None = None) -> int:
        raise NotImplementedError

    def discard(self) -> None:
        raise NotImplementedError


class MemoryJournal(Journal):
    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []

    def flush(self) -> None:
        self.entries.extend(self.pending)
        self.pending = []

    def undo(self, *, on_step=None) -> int:
        undone = 0
        while self.entries:
            entry = self.entries[-1]

            def step(entry=entry):
                with transaction.atomic():
                    undo_entry(entry)

            with_lock_retry(step)
            self.entries.pop()
            undone += 1
            if on_step:
                on_step()
        return undone

    def discard(self) -> None:
        self.entries = []


class JobJournal(Journal):
    """The log of one import job, in ``ImportUndo`` rows."""

    def __init__(self, job_id: int) -> None:
        super().__init__()
        self.job_id = job_id

    def flush(self) -> None:
        from ..models.imports import ImportUndo

        if self.pending:
            ImportUndo.objects.bulk_create(
                [
                    ImportUndo(
                        job_id=self.job_id,
                        model=e.model,
                        created_ids=e.created_ids,
                        previous=e.previous,
                    )
                    for e in self.pending
                ]
            )
        self.pending = []

    def undo(self, *, on_step=None) -> int:
        return undo_job(self.job_id, on_step=on_step)

    def discard(self) -> None:
        from ..models.imports import ImportUndo

        ImportUndo.objects.filter(job_id=self.job_id).delete()


def undo_job(job_id: int, *, on_step: Callable[[], None] | None = None) -> int:
    """Take back every logged write of the job, newest first, in short transactions
    (each deletes the entries it undid).  Returns the number of entries undone; safe to
    run again after an interruption, or by two processes at once."""
    from ..models.imports import ImportUndo

    undone = 0
    while True:

        def step() -> int:
            with transaction.atomic():
                # locks the newest entries (PostgreSQL): a second undoer waits, then
                # finds them gone; SQLite's write transaction already serialises
                entries = list(
                    ImportUndo.objects.select_for_update()
                    .filter(job_id=job_id)
                    .order_by("-id")[:50]
                )
                taken, size = [], 0
                for row in entries:
                    taken.append(row)
                    size += len(row.created_ids) + len(row.previous)
                    if size >= UNDO_STEP_ROWS:
                        break
                for row in taken:
                    undo_entry(Entry(row.model, row.created_ids, row.previous))
                if taken:
                    ImportUndo.objects.filter(pk__in=[r.pk for r in taken]).delete()
                return len(taken)

        count = with_lock_retry(step)
        if not count:
            return undone
        undone += count
        if on_step:
            on_step()


def undo_entry(entry: Entry) -> None:
    model = apps.get_model(entry.model)
    ids = entry.created_ids
    for start in range(0, len(ids), 500):
        # the ORM's delete: rows created since that point at these (a membership of a
        # person created by the import) go with them as their on_delete says
        model._base_manager.filter(pk__in=ids[start : start + 500]).delete()
    by_fields: dict[tuple, list] = {}
    for pk, values in entry.previous:
        by_fields.setdefault(tuple(sorted(values)), []).append((pk, values))
    meta = model._meta
    # An ``auto_now`` column (``updated_at``) is not put back: the undo is itself a change
    # that the sync feed (issue 19) must serve, so the row gets the time of the undo.
    now = timezone.now()
    for names, rows in by_fields.items():
        fields = {name: meta.get_field(name) for name in names}
        stamped = {n for n, f in fields.items() if getattr(f, "auto_now", False)}
        update_rows(
            model,
            list(names),
            [
                (
                    pk,
                    {n: now if n in stamped else fields[n].to_python(v) for n, v in values.items()},
                )
                for pk, values in rows
            ],
        )
