"""The import pipeline: stream rows → typed values → row checks → plan → write.

One pass over the file serves both the preview (``commit=False``: nothing is written)
and the import (``commit=True``).  Rows go in chunks of :data:`CHUNK` through the
kind's handler, which looks up existing records for the whole chunk in one query and
writes with ``bulk_create``/``bulk_update``.  The whole import runs in ONE transaction:
in mode "all" any row with an error rolls everything back; in mode "valid" rows with
errors are skipped and reported.  Every input row gets an outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from htxso.core.text import detect_legacy_encoding

from . import values as V
from .fields import field_map
from .header import Header
from .reading import Source, iter_rows

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
    actor: object = None
    province: object = None  # geo.Province
    organisation: object = None  # registry.Organisation (member/worker imports)
    mode: str = "all"
    today: dt.date = field(default_factory=dt.date.today)
    #: column → "tcvn3"/"vni"; None until detected on the first rows
    encodings: dict | None = None
    job: object = None


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
    outcomes: list = field(default_factory=list)  # (row, outcome, key, label, problems)

    def counts(self) -> dict:
        return {
            k: getattr(self, k)
            for k in ("total", "valid", "errors", "created", "updated", "unchanged", "skipped")
        }


_NO_PROBLEMS: list = []  # shared by every clean row (never mutated)


class _Rollback(Exception):
    pass


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
    header = ctx.headers[col] if col < len(ctx.headers) else ""
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
    """Legacy encoding (TCVN3/VNI) of each mapped text column, detected on the joined
    values of the first rows of the column.  Only values that can be legacy text (all
    characters in the Latin-1 range, as the 8-bit fonts leave them) are joined, so a
    Unicode total row does not hide a TCVN3 column."""
    specs = field_map(ctx.kind)
    text_cols = {col for key, col in ctx.mapping.items() if specs[key].type in ("text", "choice")}
    samples: dict[int, list[str]] = {c: [] for c in text_cols}
    for row in rows[header.data_start - 1 :]:
        for c in text_cols:
            if c < len(row) and _latin1_only(row[c]):
                samples[c].append(row[c])
    found = {}
    for c, vals in samples.items():
        enc = detect_legacy_encoding(" ".join(vals)) if vals else None
        if enc:
            found[c] = enc
    return found


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
    summary = Summary()
    handler = handler_for(ctx.kind)(ctx)
    if not commit:
        _pass(source, sheet, header, ctx, handler, summary, commit=False, progress=progress)
        return summary
    try:
        with transaction.atomic():
            _pass(source, sheet, header, ctx, handler, summary, commit=True, progress=progress)
            if ctx.mode == "all" and summary.errors:
                raise _Rollback
            handler.finish(summary)
    except _Rollback:
        summary.rolled_back = True
        summary.created = summary.updated = summary.unchanged = 0
        summary.skipped = summary.total
        summary.outcomes = [
            (row, IGNORED if o == IGNORED else SKIPPED, key, label, problems)
            for row, o, key, label, problems in summary.outcomes
        ]
        return summary
    summary.committed = True
    return summary


def _pass(source, sheet, header, ctx, handler, summary, *, commit, progress):
    specs = field_map(ctx.kind)
    columns = [(specs[key], col, column_label(ctx, col)) for key, col in ctx.mapping.items()]
    chunk: list[Item] = []
    for rownum, row in enumerate(_rows(source, sheet, header, ctx), start=1):
        if rownum < header.data_start or _blank_row(row):
            continue
        values, problems = {}, []
        for spec, col, label in columns:
            raw = row[col] if col < len(row) else None
            try:
                values[spec.key] = V.parse_value(
                    spec, raw, label, ctx.encodings.get(col), ctx.today
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
        item = Item(rownum, values, problems)
        handler.check(item)
        chunk.append(item)
        if len(chunk) >= CHUNK:
            _flush(chunk, handler, summary, commit=commit, ctx=ctx)
            chunk = []
            if progress:
                progress(summary.total)
    if chunk:
        _flush(chunk, handler, summary, commit=commit, ctx=ctx)
    if progress:
        progress(summary.total)


def _flush(chunk, handler, summary, *, commit, ctx):
    handler.plan([i for i in chunk if not i.has_error and not i.ignored])
    if commit and not (ctx.mode == "all" and (summary.errors or any(i.has_error for i in chunk))):
        handler.apply(
            [i for i in chunk if not i.has_error and not i.ignored and i.action in (CREATE, UPDATE)]
        )
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
        problems = [p.as_dict() for p in item.problems] if item.problems else _NO_PROBLEMS
        summary.outcomes.append((item.row, outcome, item.key, item.label, problems))
