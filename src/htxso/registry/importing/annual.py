"""Annual-figure rows: one organisation's figures for one year (draft reports only)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import AnnualReport, ReportStatus
from .audit_rows import bulk_audit
from .engine import CREATE, KEEP, UPDATE, Context, Item
from .fields import ANNUAL_FIELDS
from .targets import OrganisationLookup
from .values import Problem

FIGURES = tuple(f.key for f in ANNUAL_FIELDS if f.key not in ("org_tax_code", "year"))


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
        youth, total = v.get("workers_youth"), v.get("workers_total")
        if youth is not None and total is not None and youth > total:
            item.problems.append(
                Problem.new("youth_above_total", _("Workers under 35 exceed the workers."))
            )
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
        org_ids = {i.values["organisation_id"] for i in items}
        years = {i.values["year"] for i in items}
        existing = {
            (r.organisation_id, r.year): r
            for r in AnnualReport.objects.filter(organisation_id__in=org_ids, year__in=years)
        }
        for item in items:
            report = existing.get((item.values["organisation_id"], item.values["year"]))
            if report is None:
                item.action = CREATE
                continue
            changes = {
                k: item.values[k]
                for k in FIGURES
                if item.values.get(k) is not None and item.values[k] != getattr(report, k)
            }
            if changes and report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
                item.problems.append(
                    Problem.new(
                        "report_locked",
                        _("The report for %(year)s is %(status)s: it is not changed by an import."),
                        year=report.year,
                        status=report.get_status_display(),
                    )
                )
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
        AnnualReport.objects.bulk_create(creates, batch_size=500)
        now = timezone.now()
        updates = []
        for i in items:
            if i.action == UPDATE:
                record = i.values["_record"]
                for k, val in i.changes["after"].items():
                    setattr(record, k, val)
                record.updated_at = now
                updates.append(record)
        if updates:
            AnnualReport.objects.bulk_update(updates, [*FIGURES, "updated_at"], batch_size=500)
        province = self.ctx.province.pk if self.ctx.province else None
        bulk_audit(
            actor=self.ctx.actor,
            action="registry.annual_report.import",
            model=AnnualReport,
            rows=[
                (r.pk, f"{r.year}", province, r.organisation_id, None, None)
                for r in [*creates, *updates]
            ],
        )

    def finish(self, summary) -> None:
        return None
