"""Importing spreadsheets into the registry.

Modules: ``reading`` (what the file is, its sheets and rows), ``header`` (finding the
header block, suggesting the mapping), ``fields`` (what each kind reads), ``values``
(one cell → a typed value or a problem), ``engine`` (the chunked pipeline), the row
handlers ``organisations``, ``people``, ``annual``, and ``report`` (the xlsx report).
Pages and tasks go through ``registry.services.imports``; :func:`run_import_file`
imports a file without HTTP or job (benchmarks, shell).
"""

from __future__ import annotations

from pathlib import Path

from htxso.core.actors import Actor

from .engine import Context, Summary, run
from .header import detect_header, suggest_mapping
from .reading import FileRejected, open_source, read_head

__all__ = ["FileRejected", "ImportFileError", "run_import_file"]


class ImportFileError(ValueError):
    """No header could be found, or required fields are not mapped."""


def run_import_file(
    path: str | Path,
    *,
    actor: Actor,
    province,
    kind: str,
    mode: str = "all",
    organisation=None,
    sheet: str = "",
    mapping: dict | None = None,
    commit: bool = True,
    progress=None,
) -> Summary:
    """Import one file for a province (or an organisation), with the suggested column
    mapping unless ``mapping`` is given; returns the :class:`Summary`."""
    from .fields import fields_for

    source = open_source(path)
    header = detect_header(read_head(source, sheet), kind)
    if header is None:
        raise ImportFileError("no header")
    mapping = mapping if mapping is not None else suggest_mapping(header.headers, kind)
    missing = [f.key for f in fields_for(kind) if f.required and f.key not in mapping]
    if missing:
        raise ImportFileError(f"required fields not mapped: {missing}")
    ctx = Context(
        kind=kind,
        mapping=mapping,
        headers=header.headers,
        actor=actor,
        province=province,
        organisation=organisation,
        mode=mode,
    )
    summary = run(source, sheet, header, ctx, commit=commit, progress=progress)
    if summary.committed:
        from htxso.core import audit

        audit.record(
            actor=actor,
            action="registry.import.run",
            province=getattr(province, "pk", None),
            organisation_id=getattr(organisation, "pk", None),
            after={**summary.counts(), "file": Path(path).name, "mode": mode},
        )
    return summary
