"""The import pipeline: stream rows → typed values → row checks → plan → write.

One pass over the file serves both the preview (``commit=False``: nothing is written)
and the import (``commit=True``).  Rows go in chunks of :data:`CHUNK` through the
kind's handler, which looks up existing records for the whole chunk in one query and
writes with ``bulk_create``/``bulk_update``.  Every input row gets an outcome.

While importing, each chunk is its own short transaction (SQLite has one write lock for
the whole site: an import must not hold it for minutes), which also records what it
wrote in the undo log (``undo``) and the job's progress.  All or nothing still holds:
in mode "all" any row with an error, and in every mode a failure, a cancel or a stop,
undoes every chunk already written; in mode "valid" rows with errors are skipped and
reported.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from htxso.core.actors import Actor
from htxso.core.text import read_legacy_cell

from . import values as V
from .fields import field_map
from .header import Header
from .reading import Source, iter_rows
from .undo import Journal, MemoryJournal, with_lock_retry

logger = logging.getLogger(__name__)

CHUNK = 1000
ENCODING_SAMPLE = 2000

CREATED, UPDATED, UNCHANGED, SKIPPED = "created", "updated", "unchanged", "skipped"
#: Skipped because the row is not data (a total row); counted with the skipped rows.
IGNORED = "ignored"
CREATE, UPDATE, KEEP = "create", "update", "keep"


@dataclass
class Item:
    row: int
    values: dict
    problems: list = field(default_factory=list)
    action: str = ""
    target_id: int | None = None
    changes: dict = field(default_factory=dict)
    key: str = ""
    label: str = ""
    #: A row that is not data (a total row): skipped with its reason, not an error.
    ignored: bool = False

    @property
    def has_error(self) -> bool:
        return not self.ignored and any(p.severity == V.ERROR for p in self.problems)


@dataclass
class Context:
    kind: str
    mapping: dict  # field key → column index
    headers: list
    #: Who imports: the uploader, or ``IMPORTER`` (never nobody)
    actor: Actor
    province: object = None  # geo.Province
    organisation: object = None  # registry.Organisation (member/worker imports)
    mode: str = "all"
    today: dt.date = field(default_factory=dt.date.today)
    #: column → "tcvn3"/"vni": the legacy encoding most of the column's legacy cells in
    #: the first rows were typed in; None until detected.  Cells are read one by one.
    encodings: dict | None = None
    job: object = None
    #: The undo log of the import (a :class:`MemoryJournal` when none is given).
    journal: Journal | None = None
    #: Called after each undo step (the job's heartbeat while it rolls back).
    on_undo_step: Callable[[], None] | None = None


@dataclass
class Summary:
    total: int = 0
    valid: int = 0
    errors: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    committed: bool = False
    rolled_back: bool = False
    #: Abandoned (cancelled, or taken over by the stale-job recovery) and undone.
    stopped: bool = False
    outcomes: list = field(default_factory=list)  # (row, outcome, key, label, problems)
    #: column label → {"tcvn3"/"vni": number of cells converted from it}
    conversions: dict = field(default_factory=dict)

    def counts(self) -> dict:
        return {
            k: getattr(self, k)
            for k in ("total", "valid", "errors", "created", "updated", "unchanged", "skipped")
        }


_NO_PROBLEMS: list = []  # shared by every clean row (never mutated)


class _Rollback(Exception):
    pass


class Stopped(Exception):
    """Raised by the progress callback: the job was cancelled, or another process took
    it over; the import stops and undoes what it wrote."""


def handler_for(kind: str):
    from ..models import ImportKind
    from .annual import AnnualHandler
    from .organisations import OrganisationHandler
    from .people import MemberHandler, WorkerHandler

    return {
        ImportKind.ORGANISATIONS: OrganisationHandler,
        ImportKind.MEMBERS: MemberHandler,
        ImportKind.WORKERS: WorkerHandler,
        ImportKind.ANNUAL_FIGURES: AnnualHandler,
    }[kind]


def column_label(ctx: Context, col: int) -> str:
    return column_title(col, ctx.headers[col] if col < len(ctx.headers) else "")


def column_title(col: int, header: str) -> str:
    """How a column is named to the officer: "B (Tên HTX)", or "B" without a header."""
    letter = _column_letter(col)
    return f"{letter} ({header})" if header else letter


def _column_letter(col: int) -> str:
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _latin1_only(value) -> bool:
    return isinstance(value, str) and not value.isascii() and max(value) <= "\u00ff"


def detect_encodings(rows: list[tuple], header: Header, ctx: Context) -> dict:
    """The legacy encoding (TCVN3/VNI) most legacy cells of each mapped text column
    were typed in, among the first rows; columns without legacy cells are left out.

    Provincial files mix encodings in one column, so this decides nothing for a cell
    (each is read alone, :func:`htxso.core.text.read_legacy_cell`): it says that the
    column holds legacy text, for the report and for the warning on cells that read
    as Vietnamese as typed but would read differently in an old font."""
    specs = field_map(ctx.kind, ctx.headers)
    text_cols = {col for key, col in ctx.mapping.items() if specs[key].type in ("text", "choice")}
    counts: dict[int, Counter] = {c: Counter() for c in text_cols}
    for row in rows[header.data_start - 1 :]:
        for c in text_cols:
            if c < len(row) and _latin1_only(row[c]):
                encoding = read_legacy_cell(row[c]).encoding
                if encoding:
                    counts[c][encoding] += 1
    return {c: found.most_common(1)[0][0] for c, found in counts.items() if found}


def _rows(source: Source, sheet: str, header: Header, ctx: Context) -> Iterator[tuple]:
    """The sheet's rows, the first ones read ahead once to detect legacy encodings."""
    rows = iter_rows(source, sheet)
    if ctx.encodings is None:
        head = list(islice(rows, header.data_start - 1 + ENCODING_SAMPLE))
        ctx.encodings = detect_encodings(head, header, ctx)
        rows = chain(head, rows)
    return rows


def _blank_row(row: tuple) -> bool:
    return all(V.is_blank(v) for v in row)


def run(
    source: Source,
    sheet: str,
    header: Header,
    ctx: Context,
    *,
    commit: bool,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Read, check and (``commit``) write every row.

    ``progress(rows done)`` is called after each chunk — during an import inside the
    chunk's transaction, so it can record progress and a heartbeat with the data and
    raise :class:`Stopped` to abandon the import.  On any failure or stop everything
    already written is undone from ``ctx.journal``; on success the journal is left to
    the caller, who drops it when the job is marked done (:meth:`Journal.discard`)."""
    summary = Summary()
    handler = handler_for(ctx.kind)(ctx)
    if not commit:
        _pass(source, sheet, header, ctx, handler, summary, commit=False, progress=progress)
        return summary
    if ctx.journal is None:
        ctx.journal = MemoryJournal()
    try:
        _pass(source, sheet, header, ctx, handler, summary, commit=True, progress=progress)
        if ctx.mode == "all" and summary.errors:
            raise _Rollback
        with transaction.atomic():
            handler.finish(summary)
            ctx.journal.flush()
    except _Rollback:
        ctx.journal.undo(on_step=ctx.on_undo_step)
        _nothing_imported(summary)
        summary.rolled_back = True
        return summary
    except Stopped:
        ctx.journal.undo(on_step=ctx.on_undo_step)
        _nothing_imported(summary)
        summary.stopped = True
        return summary
    except Exception:
        try:
            ctx.journal.undo(on_step=ctx.on_undo_step)
        except Exception:  # the job's log stays: recovery finishes the undo
            logger.exception("import: undo after a failure failed")
        raise
    summary.committed = True
    return summary


def _nothing_imported(summary: Summary) -> None:
    summary.created = summary.updated = summary.unchanged = 0
    summary.skipped = summary.total
    summary.outcomes = [
        (row, IGNORED if o == IGNORED else SKIPPED, key, label, problems)
        for row, o, key, label, problems in summary.outcomes
    ]


def _pass(source, sheet, header, ctx, handler, summary, *, commit, progress):
    specs = field_map(ctx.kind, ctx.headers)
    columns = [(specs[key], col, column_label(ctx, col)) for key, col in ctx.mapping.items()]
    chunk: list[Item] = []
    for rownum, row in enumerate(_rows(source, sheet, header, ctx), start=1):
        if rownum < header.data_start or _blank_row(row):
            continue
        values, problems, notes = {}, [], []
        for spec, col, label in columns:
            raw = row[col] if col < len(row) else None
            try:
                values[spec.key] = V.parse_value(
                    spec, raw, label, ctx.encodings.get(col), ctx.today, notes
                )
            except V.CellError as exc:
                values[spec.key] = None
                problems.append(exc.problem)
        for spec, _col, label in columns:
            if (
                spec.required
                and values.get(spec.key) is None
                and not any(p.column == label for p in problems)
            ):
                problems.append(V.Problem.new("required", _("This value is required."), label))
        if notes:
            problems.extend(notes)
            _count_conversions(notes, summary)
        item = Item(rownum, values, problems)
        handler.check(item)
        chunk.append(item)
        if len(chunk) >= CHUNK:
            _flush(chunk, handler, summary, commit=commit, ctx=ctx, progress=progress)
            chunk = []
    if chunk:
        _flush(chunk, handler, summary, commit=commit, ctx=ctx, progress=progress)
    elif progress and not commit:
        progress(summary.total)


def _flush(chunk, handler, summary, *, commit, ctx, progress):
    """One batch: plan and write it, then count its outcomes.  While importing, the
    batch is one short transaction (plan, writes, undo log, progress), retried when
    SQLite answers "database is locked"."""
    ready = [i for i in chunk if not i.has_error and not i.ignored]
    if not commit:
        handler.plan(ready)
        _count(chunk, summary)
        if progress:
            with_lock_retry(lambda: progress(summary.total))
        return
    saved = [(i, dict(i.values), list(i.problems), i.action, i.target_id, i.changes) for i in chunk]

    def restore() -> None:
        for item, values, problems, action, target_id, changes in saved:
            item.values, item.problems = dict(values), list(problems)
            item.action, item.target_id, item.changes = action, target_id, changes
        ctx.journal.reset()

    def attempt() -> None:
        with transaction.atomic():
            handler.plan(ready)
            if not (ctx.mode == "all" and (summary.errors or any(i.has_error for i in chunk))):
                handler.apply(
                    [i for i in ready if not i.has_error and i.action in (CREATE, UPDATE)]
                )
            ctx.journal.flush()
            if progress:
                progress(summary.total + len(chunk))

    with_lock_retry(attempt, before_retry=restore)
    _count(chunk, summary)


_ENCODING_CODES = {name: code for code, name in V.ENCODING_NAMES.items()}
_NOTE_DICTS: dict[tuple, dict] = {}


def _count_conversions(notes: list, summary: Summary) -> None:
    for note in notes:
        if note.code == "legacy_converted":
            per_column = summary.conversions.setdefault(note.column, {})
            encoding = _ENCODING_CODES.get(note.params["encoding"], note.params["encoding"])
            per_column[encoding] = per_column.get(encoding, 0) + 1


def _as_dict(problem) -> dict:
    """The stored form of a problem; the note "converted from …", on every row of a
    legacy file, is one shared dict per column (200,000 rows, 200,000 notes)."""
    if problem.severity != V.NOTE:
        return problem.as_dict()
    key = (problem.code, problem.column, tuple(sorted(problem.params.items())))
    found = _NOTE_DICTS.get(key)
    if found is None:
        found = problem.as_dict()
        if len(_NOTE_DICTS) < 1000:
            _NOTE_DICTS[key] = found
    return found


def _count(chunk, summary):
    for item in chunk:
        summary.total += 1
        if item.ignored:
            summary.skipped += 1
            outcome = IGNORED
        elif item.has_error:
            summary.errors += 1
            summary.skipped += 1
            outcome = SKIPPED
        else:
            summary.valid += 1
            outcome = {CREATE: CREATED, UPDATE: UPDATED}.get(item.action, UNCHANGED)
            if outcome == CREATED:
                summary.created += 1
            elif outcome == UPDATED:
                summary.updated += 1
            else:
                summary.unchanged += 1
        problems = [_as_dict(p) for p in item.problems] if item.problems else _NO_PROBLEMS
        summary.outcomes.append((item.row, outcome, item.key, item.label, problems))
