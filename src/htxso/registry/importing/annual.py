"""Annual-figure rows: one organisation's figures for one year (draft reports only).

The checks and writes of a report's figures are also used by the organisation import,
whose sheets may carry a year's figures ("Doanh thu 2024") beside each organisation.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import AnnualReport, ReportStatus
from .audit_rows import bulk_audit
from .engine import CREATE, KEEP, UPDATE, Context, Item
from .fields import FIGURES
from .targets import OrganisationLookup
from .values import Problem

LOCKED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def figure_problems(figures: dict) -> list[Problem]:
    """Checks across the figures of one report."""
    youth, total = figures.get("workers_youth"), figures.get("workers_total")
    if youth is not None and total is not None and youth > total:
        return [Problem.new("youth_above_total", _("Workers under 35 exceed the workers."))]
    return []


def existing_reports(keys: set[tuple[int, int]]) -> dict[tuple[int, int], AnnualReport]:
    """The reports of these (organisation id, year) pairs, in one query."""
    if not keys:
        return {}
    org_ids = {org for org, _year in keys}
    years = {year for _org, year in keys}
    return {
        (r.organisation_id, r.year): r
        for r in AnnualReport.objects.filter(organisation_id__in=org_ids, year__in=years)
        if (r.organisation_id, r.year) in keys
    }


def report_changes(report: AnnualReport, figures: dict) -> dict:
    return {
        k: figures[k]
        for k in FIGURES
        if figures.get(k) is not None and figures[k] != getattr(report, k)
    }


def locked_problem(report: AnnualReport) -> Problem:
    return Problem.new(
        "report_locked",
        _("The report for %(year)s is %(status)s: it is not changed by an import."),
        year=report.year,
        status=report.get_status_display(),
    )


def save_reports(ctx: Context, creates: list[AnnualReport], updates: list[tuple]) -> None:
    """Create reports and change others (``updates``: (report, {figure: value})), with
    their undo log and audit rows, in the batch's transaction."""
    AnnualReport.objects.bulk_create(creates, batch_size=500)
    journal = ctx.journal
    journal.created(AnnualReport, [r.pk for r in creates])
    now = timezone.now()
    changed = []
    for record, changes in updates:
        for k, val in changes.items():
            setattr(record, k, val)
        record.updated_at = now
        changed.append(record)
    if changed:
        fields = [*FIGURES, "updated_at"]
        journal.before_update(AnnualReport, [r.pk for r in changed], fields)
        AnnualReport.objects.bulk_update(changed, fields, batch_size=500)
    province = ctx.province.pk if ctx.province else None
    bulk_audit(
        actor=ctx.actor,
        action="registry.annual_report.import",
        model=AnnualReport,
        journal=journal,
        rows=[
            (r.pk, f"{r.year}", province, r.organisation_id, None, None)
            for r in [*creates, *changed]
        ],
    )


class AnnualHandler:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.orgs = OrganisationLookup(ctx)
        self.seen: dict[tuple, int] = {}

    def check(self, item: Item) -> None:
        v = item.values
        item.key = v.get("org_tax_code") or ""
        item.label = str(v.get("year") or "")
        self.orgs.check(item)
        item.problems.extend(figure_problems(v))
        if item.has_error:
            return
        key = (v.get("org_tax_code"), v.get("year"))
        first = self.seen.setdefault(key, item.row)
        if first != item.row:
            item.problems.append(
                Problem.new(
                    "year_duplicate_in_file",
                    _("The same organisation and year are also on row %(row)s."),
                    row=first,
                )
            )

    def plan(self, items: list[Item]) -> None:
        self.orgs.resolve(items)
        items = [i for i in items if not i.has_error]
        existing = existing_reports(
            {(i.values["organisation_id"], i.values["year"]) for i in items}
        )
        for item in items:
            report = existing.get((item.values["organisation_id"], item.values["year"]))
            if report is None:
                item.action = CREATE
                continue
            changes = report_changes(report, item.values)
            if changes and report.status in LOCKED:
                item.problems.append(locked_problem(report))
                continue
            item.target_id = report.pk
            item.values["_record"] = report
            item.action = UPDATE if changes else KEEP
            item.changes = {"after": changes}

    def apply(self, items: list[Item]) -> None:
        creates = [
            AnnualReport(
                organisation_id=i.values["organisation_id"],
                year=i.values["year"],
                **{k: i.values[k] for k in FIGURES if i.values.get(k) is not None},
            )
            for i in items
            if i.action == CREATE
        ]
        updates = [(i.values["_record"], i.changes["after"]) for i in items if i.action == UPDATE]
        save_reports(self.ctx, creates, updates)

    def finish(self, summary) -> None:
        return None
