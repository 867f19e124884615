"""The downloadable report: every input row with its outcome and its problems."""

from __future__ import annotations

import io

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .engine import CREATED, IGNORED, SKIPPED, UNCHANGED, UPDATED, Summary
from .values import ERROR, WARNING, render

OUTCOME_LABELS = {
    CREATED: _("Created"),
    UPDATED: _("Updated"),
    UNCHANGED: _("Unchanged"),
    SKIPPED: _("Skipped"),
    IGNORED: _("Skipped: not data"),
}
PREVIEW_LABELS = {
    CREATED: _("Will be created"),
    UPDATED: _("Will be updated"),
    UNCHANGED: _("Unchanged"),
    SKIPPED: _("Has errors"),
    IGNORED: _("Skipped: not data"),
}
#: How many rows with problems the job keeps for the preview page.
KEEP_PROBLEM_ROWS = 500


def outcome_label(outcome: str, *, preview: bool) -> str:
    return str((PREVIEW_LABELS if preview else OUTCOME_LABELS).get(outcome, outcome))


def problem_rows(summary: Summary, limit: int = KEEP_PROBLEM_ROWS) -> list[dict]:
    """Rows with problems (errors first, then warnings, then rows with notes only:
    text converted from an old font), as stored on the job for the preview."""
    rows = [
        {"row": row, "outcome": outcome, "key": key, "label": label, "problems": problems}
        for row, outcome, key, label, problems in summary.outcomes
        if problems
    ]
    rows.sort(key=lambda r: (_rank(r["problems"]), r["row"]))
    return rows[:limit]


def _rank(problems: list[dict]) -> int:
    severities = {p["severity"] for p in problems}
    return 0 if ERROR in severities else 1 if WARNING in severities else 2


def build_xlsx(
    outcomes, *, counts: dict, preview: bool, title: str, rolled_back: bool = False
) -> bytes:
    """The report workbook (write-only, streamed: fine for 200,000 rows)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(gettext("Rows"))
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def head(values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws, value=value)
            cell.font = bold
            cells.append(cell)
        return cells

    ws.append(
        head(
            [
                gettext("Row in file"),
                gettext("Outcome"),
                gettext("Tax code / key"),
                gettext("Name"),
                gettext("Problems"),
            ]
        )
    )
    for row, outcome, key, label, problems in outcomes:
        text = "; ".join(render(p) for p in problems)
        if rolled_back and outcome == SKIPPED and not problems:
            text = gettext("Not imported: the file has rows with errors.")
        ws.append([row, outcome_label(outcome, preview=preview), key, label, text])
    summary = wb.create_sheet(gettext("Summary"))
    summary.append(head([title]))
    for key, label in (
        ("total", gettext("Rows read")),
        ("valid", gettext("Valid rows")),
        ("errors", gettext("Rows with errors")),
        ("created", gettext("Created")),
        ("updated", gettext("Updated")),
        ("unchanged", gettext("Unchanged")),
        ("skipped", gettext("Skipped")),
    ):
        summary.append([label, counts.get(key, 0)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
