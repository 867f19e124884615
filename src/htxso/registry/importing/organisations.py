"""Organisation rows: upsert by tax code (groups without one: folded name + ward),
address through the resolver, never touching another province's organisation.

A sheet may also carry a year's figures ("Doanh thu 2024", "Số thành viên 2024"):
they go to that year's annual report of the organisation, checked and written as the
annual-figures import does (``annual``), in the same batch — a row whose figures
cannot be taken is refused whole, never imported without them."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core.text import fold
from htxso.geo.resolver import AMBIGUOUS, LEGACY_MAPPED, Resolver

from ..models import AnnualReport, Organisation, OrganisationKind
from . import choices
from .annual import (
    LOCKED,
    existing_reports,
    figure_problems,
    locked_problem,
    report_changes,
    save_reports,
)
from .audit_rows import bulk_audit
from .engine import CREATE, KEEP, UPDATE, Context, Item
from .fields import split_figure_key
from .values import WARNING, Problem
from .writes import update_rows

#: Fields written from the file (only those mapped and non-empty in a row).
WRITABLE = (
    "name",
    "tax_code",
    "kind",
    "address",
    "legacy_address",
    "ward_id",
    "established_on",
    "charter_capital",
    "sector",
    "main_products",
    "status",
    "phone",
    "email",
    "website",
    "high_tech",
    "description",
)
_ADMIN_WORDS = (
    "xa ", "phuong ", "thi tran ", "huyen ", "quan ", "thi xa ", "thanh pho ", "tp ", "tp.",
    "tinh ", "tt ", "tt.", "p.", "x.", "h.", "q.", "tx ", "tx.",
)  # fmt: skip


def street_part(text: str) -> str:
    """The part of an address before its administrative units: "Thôn 3, Xã Ea Tu, …" →
    "Thôn 3"."""
    kept = []
    for segment in text.split(","):
        if fold(segment[:16]).startswith(_ADMIN_WORDS):
            break
        kept.append(segment.strip())
    return ", ".join(s for s in kept if s)[:255]


class OrganisationHandler:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.resolver = Resolver()
        self.province = ctx.province
        self.seen_tax: dict[str, int] = {}
        self.seen_group: dict[tuple, int] = {}
        self._addresses: dict[str, tuple | Problem] = {}
        self._groups: dict[tuple, int] | None = None
        self.written: list[tuple] = []  # (id, action) for the audit

    # ---------------------------------------------------------------- row checks
    def check(self, item: Item) -> None:
        v = item.values
        self._figures(item)
        name = v.get("name")
        item.label = name or ""
        item.key = v.get("tax_code") or ""
        if not name:
            return
        if len(name) <= 12 and fold(name) in ("tong", "tong cong", "cong", "total", "tong so"):
            item.ignored = True
            item.problems = [
                Problem.new(
                    "total_row", _("A total row, not an organisation: skipped."), severity=WARNING
                )
            ]
            return
        kind = choices.read_kind(v.get("kind")) if v.get("kind") else None
        if v.get("kind") and kind is None:
            item.problems.append(
                Problem.new(
                    "kind_unknown",
                    _("Unknown kind %(value)s: write HTX, Tổ hợp tác or Liên hiệp HTX."),
                    value=v["kind"],
                )
            )
            return
        kind = kind or choices.kind_from_name(name)
        tax = v.get("tax_code")
        if kind is None:
            kind = OrganisationKind.COOPERATIVE if tax else OrganisationKind.GROUP
        v["kind"] = kind
        if (
            kind != OrganisationKind.GROUP
            and not tax
            and not any(p.code.startswith("tax_code") for p in item.problems)
        ):
            item.problems.append(
                Problem.new("tax_code_required", _("A cooperative or union needs a tax code."))
            )
        for key, reader, message in (
            ("sector", choices.read_sector, _("Unknown sector %(value)s: recorded as “Other”.")),
            ("status", choices.read_status, _("Unknown status %(value)s: recorded as operating.")),
        ):
            if v.get(key):
                found = reader(v[key])
                if found is None:
                    item.problems.append(
                        Problem.new(f"{key}_unknown", message, severity=WARNING, value=v[key])
                    )
                    found = "other" if key == "sector" else "active"
                v[key] = found
        self._address(item)
        if item.has_error:
            return
        if tax:
            first = self.seen_tax.setdefault(tax, item.row)
            if first != item.row:
                item.problems.append(
                    Problem.new(
                        "tax_code_duplicate_in_file",
                        _("The tax code %(code)s is also on row %(row)s of this file."),
                        code=tax,
                        row=first,
                    )
                )
        else:
            gkey = (fold(name), v.get("ward_id"))
            first = self.seen_group.setdefault(gkey, item.row)
            if first != item.row:
                item.problems.append(
                    Problem.new(
                        "group_duplicate_in_file",
                        _("The same group (name and commune) is also on row %(row)s."),
                        row=first,
                    )
                )

    def _figures(self, item: Item) -> None:
        """Move the year's figures of the row ("revenue_2024") to ``_figures``:
        {year: {figure: value}}, checked as the annual-figures import checks them."""
        v = item.values
        by_year: dict[int, dict] = {}
        for key in [k for k in v if split_figure_key(k)]:
            figure, year = split_figure_key(key)
            value = v.pop(key)
            if value is not None:
                by_year.setdefault(year, {})[figure] = value
        for figures in by_year.values():
            item.problems.extend(figure_problems(figures))
        if by_year:
            v["_figures"] = by_year

    def _plan_figures(self, items: list[Item]) -> None:
        """The annual reports each row creates or changes (``_reports``: (year, report
        or None, figures)); a report already submitted or accepted refuses the row."""
        items = [i for i in items if i.values.get("_figures") and not i.has_error]
        existing = existing_reports(
            {(i.target_id, year) for i in items if i.target_id for year in i.values["_figures"]}
        )
        for item in items:
            plans = []
            for year, figures in sorted(item.values["_figures"].items()):
                report = existing.get((item.target_id, year)) if item.target_id else None
                if report is None:
                    plans.append((year, None, figures))
                    continue
                changes = report_changes(report, figures)
                if changes and report.status in LOCKED:
                    item.problems.append(locked_problem(report))
                    plans = []
                    break
                if changes:
                    plans.append((year, report, changes))
            item.values["_reports"] = plans
            if plans and item.action == KEEP:
                item.action = UPDATE  # the organisation as it is, its figures changed

    def _address(self, item: Item) -> None:
        v = item.values
        parts = [v.pop(k, None) for k in ("address", "ward_name", "district_name", "province_name")]
        text = ", ".join(p for p in parts if p)
        if not text:
            return
        found = self._addresses.get(text)
        if found is None:
            found = self._read_address(text)
            if len(self._addresses) < 100_000:
                self._addresses[text] = found
        if isinstance(found, Problem):
            item.problems.append(found)
            return
        v["ward_id"], v["address"], legacy = found
        if legacy:
            v["legacy_address"] = text[:255]

    def _read_address(self, text: str) -> tuple | Problem:
        """(ward code, street part, written before the reform?) or the problem."""
        res = self._resolve(text)
        if res.ward is None:
            if res.reason == AMBIGUOUS:
                names = "; ".join(f"{w.name} ({w.province.name})" for w, _s in res.candidates[:5])
                return Problem.new(
                    "address_ambiguous",
                    _(
                        "The address “%(address)s” matches several communes/wards:"
                        " %(candidates)s. Write the commune and province."
                    ),
                    address=text,
                    candidates=names,
                )
            return Problem.new(
                "address_no_match",
                _("No commune or ward found for the address “%(address)s”."),
                address=text,
            )
        if self.province is not None and res.ward.province_id != self.province.pk:
            return Problem.new(
                "address_other_province",
                _("The address “%(address)s” is in %(found)s, not in %(province)s."),
                address=text,
                found=res.ward.province.name,
                province=self.province.name,
            )
        return res.ward.pk, street_part(text), res.reason == LEGACY_MAPPED

    def _resolve(self, text: str):
        res = self.resolver.resolve(text)
        if (
            res.ward is None
            and self.province is not None
            and fold(self.province.name) not in fold(text)
        ):
            res = self.resolver.resolve(f"{text}, {self.province.name}")
        return res

    # ---------------------------------------------------------------- planning
    def _group_index(self) -> dict[tuple, int]:
        if self._groups is None:
            self._groups = {
                (fold(name), ward): pk
                for pk, name, ward in Organisation.objects.filter(
                    province=self.province, tax_code__isnull=True
                ).values_list("pk", "name", "ward_id")
            }
        return self._groups

    def plan(self, items: list[Item]) -> None:
        codes = [i.values["tax_code"] for i in items if i.values.get("tax_code")]
        fields = ["pk", "province_id", "province__name", *WRITABLE]
        existing = (
            {
                row["tax_code"]: row
                for row in Organisation.objects.filter(tax_code__in=codes).values(*fields)
            }
            if codes
            else {}
        )
        groups_needed = [i for i in items if not i.values.get("tax_code")]
        group_rows = {}
        if groups_needed:
            index = self._group_index()
            ids = {
                index[(fold(i.values["name"]), i.values.get("ward_id"))]
                for i in groups_needed
                if (fold(i.values["name"]), i.values.get("ward_id")) in index
            }
            group_rows = {
                row["pk"]: row for row in Organisation.objects.filter(pk__in=ids).values(*fields)
            }
        for item in items:
            v = item.values
            tax = v.get("tax_code")
            if tax:
                current = existing.get(tax)
            else:
                pk = self._group_index().get((fold(v["name"]), v.get("ward_id")))
                current = group_rows.get(pk)
            if current is None:
                item.action = CREATE
                continue
            if self.province is not None and current["province_id"] != self.province.pk:
                item.problems.append(
                    Problem.new(
                        "tax_code_other_province",
                        _(
                            "The tax code %(code)s belongs to “%(name)s” in %(province)s:"
                            " another province's organisation is never changed."
                        ),
                        code=tax,
                        name=current["name"],
                        province=current["province__name"],
                    )
                )
                continue
            item.target_id = current["pk"]
            changes = {k: v[k] for k in WRITABLE if v.get(k) is not None and v[k] != current.get(k)}
            if changes:
                item.action = UPDATE
                item.changes = {"before": {k: current.get(k) for k in changes}, "after": changes}
            else:
                item.action = KEEP
        self._plan_figures(items)

    # ---------------------------------------------------------------- writing
    def apply(self, items: list[Item]) -> None:
        self._apply_organisations(items)
        reports, changes = [], []
        for i in items:
            for year, report, figures in i.values.get("_reports", ()):
                if report is None:
                    reports.append(AnnualReport(organisation_id=i.target_id, year=year, **figures))
                else:
                    changes.append((report, figures))
        if reports or changes:
            save_reports(self.ctx, reports, changes)

    def _apply_organisations(self, items: list[Item]) -> None:
        now = timezone.now()
        creates = [i for i in items if i.action == CREATE]
        updates = [i for i in items if i.action == UPDATE and i.changes.get("after")]
        if creates:
            objs = []
            for i in creates:
                data = {k: i.values[k] for k in WRITABLE if i.values.get(k) is not None}
                obj = Organisation(province=self.province, **data)
                obj.search_text = fold(f"{obj.name} {obj.tax_code or ''}")
                objs.append(obj)
            Organisation.objects.bulk_create(objs, batch_size=500)
            self.ctx.journal.created(Organisation, [o.pk for o in objs])
            for i, obj in zip(creates, objs, strict=True):
                i.target_id = obj.pk
                if obj.tax_code is None:
                    self._group_index()[(fold(obj.name), obj.ward_id)] = obj.pk
        if updates:
            by_fields: dict[tuple, list] = {}
            for i in updates:
                by_fields.setdefault(tuple(sorted(i.changes["after"])), []).append(i)
            for keys, group in by_fields.items():
                names = [_column_name(k) for k in keys]
                fields = [*names, "updated_at"]
                if "name" in keys or "tax_code" in keys:
                    fields.append("search_text")
                rows = []
                for i in group:
                    values = {_column_name(k): val for k, val in i.changes["after"].items()}
                    values["updated_at"] = now
                    values["search_text"] = fold(
                        f"{i.values['name']} {i.values.get('tax_code') or ''}"
                    )
                    rows.append((i.target_id, values))
                self.ctx.journal.before_update(Organisation, [pk for pk, _v in rows], fields)
                update_rows(Organisation, fields, rows)
            bulk_audit(
                actor=self.ctx.actor,
                action="registry.organisation.import_update",
                model=Organisation,
                journal=self.ctx.journal,
                rows=[
                    (
                        i.target_id,
                        i.values["name"],
                        self.province.pk,
                        i.target_id,
                        _json(i.changes["before"]),
                        _json(i.changes["after"]),
                    )
                    for i in updates
                ],
            )

    def finish(self, summary) -> None:
        return None


def _column_name(key: str) -> str:
    return "ward" if key == "ward_id" else key


def _json(data: dict) -> dict:
    from htxso.core.audit import _jsonable

    return {k: _jsonable(v) for k, v in data.items()}
