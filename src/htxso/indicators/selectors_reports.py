"""Reads of the periodic reports: the platform's figures for an office's scope, the
compiling office's overview of a cycle, an office's own list ("my reports").

Platform figures are read from the registry with the statistics' own definitions
(``registry.stats_queries.operating_on`` and ``COUNTED_REPORT_STATUSES``: an
organisation operating on the day, annual reports submitted or accepted), so a report's
pre-filled number equals what the statistics page shows for the same scope.  A ward's
scope is the organisations of the ward; a department's (or the compiling office's) the
province's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core.actors import SystemActor
from htxso.registry.models import AnnualReport, Organisation, OrganisationKind
from htxso.registry.stats_queries import COUNTED_REPORT_STATUSES, operating_on

from .formulas.registry import figures_memo
from .models import (
    FigureUnit,
    OfficeKind,
    ReportCycle,
    ReportingOffice,
    ReportTemplate,
    Submission,
    SubmissionStatus,
)
from .models.reports import compiling_offices_of, offices_of
from .periods import Period, parse

#: Trusted reader of the platform's figures for an office's scope (the office's members
#: are not registry staff; the scope, not their roles, says what is counted).
FIGURES_READER = SystemActor("report_figures", _("Report figures"))


@dataclass(frozen=True)
class PlatformFigure:
    key: str
    label: Any
    unit: str


#: The figures a section may show pre-filled (``ReportSection.platform_figures``).
PLATFORM_FIGURES: dict[str, PlatformFigure] = {
    f.key: f
    for f in (
        PlatformFigure(
            "organisations_operating", _("Collective organisations operating"), FigureUnit.COUNT
        ),
        PlatformFigure("cooperatives_operating", _("Cooperatives operating"), FigureUnit.COUNT),
        PlatformFigure("groups_operating", _("Cooperative groups operating"), FigureUnit.COUNT),
        PlatformFigure("unions_operating", _("Unions of cooperatives operating"), FigureUnit.COUNT),
        PlatformFigure(
            "organisations_new", _("Organisations established in the period"), FigureUnit.COUNT
        ),
        PlatformFigure("reports_counted", _("Annual reports received"), FigureUnit.COUNT),
        PlatformFigure("members_reported", _("Members (annual reports)"), FigureUnit.PEOPLE),
        PlatformFigure("workers_reported", _("Workers (annual reports)"), FigureUnit.PEOPLE),
        PlatformFigure(
            "revenue_reported", _("Cooperatives' revenue (annual reports)"), FigureUnit.VND
        ),
    )
}


def figure_choices() -> list[tuple[str, Any]]:
    return [(f.key, f.label) for f in PLATFORM_FIGURES.values()]


def reports_year(period: Period) -> int:
    """The year of the annual reports a period's report reads: the year before the
    period's (the reports of a year are filed in the first months of the next)."""
    return period.year - 1


def scope_q(office: ReportingOffice, path: str = "") -> Q:
    """The organisations an office reports on: a ward's, or the whole province's."""
    prefix = f"{path}__" if path else ""
    if office.kind == OfficeKind.WARD and office.ward_id:
        return Q(**{f"{prefix}ward_id": office.ward_id})
    return Q(**{f"{prefix}province_id": office.province_id})


def platform_figures(office: ReportingOffice, period: Period | str) -> dict[str, int]:
    """Every platform figure for ``office``'s scope and ``period``: two queries."""
    if isinstance(period, str):
        period = parse(period)
    as_of = min(period.end, timezone.localdate())
    orgs = Organisation.objects.allowed(FIGURES_READER, "view").filter(scope_q(office))
    kind = {
        "cooperatives_operating": OrganisationKind.COOPERATIVE,
        "groups_operating": OrganisationKind.GROUP,
        "unions_operating": OrganisationKind.UNION,
    }
    operating = operating_on(as_of)
    row = orgs.order_by().aggregate(
        organisations_operating=Count("id", filter=operating),
        **{key: Count("id", filter=operating & Q(kind=k)) for key, k in kind.items()},
        organisations_new=Count(
            "id", filter=Q(established_on__gte=period.start, established_on__lte=period.end)
        ),
    )
    members = Coalesce("members_official", Value(0)) + Coalesce("members_associate", Value(0))
    reports = (
        AnnualReport.objects.allowed(FIGURES_READER, "view")
        .filter(scope_q(office, "organisation"))
        .filter(year=reports_year(period), status__in=COUNTED_REPORT_STATUSES)
        .order_by()
        .aggregate(
            reports_counted=Count("id"),
            members_reported=Sum(members),
            workers_reported=Sum("workers_total"),
            revenue_reported=Sum(
                "revenue", filter=Q(organisation__kind=OrganisationKind.COOPERATIVE)
            ),
        )
    )
    out = {k: int(v or 0) for k, v in {**row, **reports}.items()}
    return out


def indicator_values(
    template: ReportTemplate, period: str, office: ReportingOffice | None = None
) -> list[dict[str, Any]]:
    """The indicators of the template's framework for the period and the province —
    or, for a ward office, its ward (a formula that cannot count a ward says "not
    available for a ward", never the province's number): code, name, unit, value
    (None = no data, never 0), note and its text, the value as shown."""
    framework = template.framework
    if framework is None:
        return []
    from .compute import compute
    from .formulas.base import NOTES
    from .selectors_frameworks import format_value

    ward = office.ward if office is not None and office.kind == OfficeKind.WARD else None
    out = []
    with figures_memo():
        for indicator in framework.indicators.order_by("order", "pk"):
            try:
                result = compute(indicator, period=period, province=template.province, ward=ward)
                value = result.value
                note = str(getattr(result, "note", "") or "")
            except Exception as exc:
                value, note = None, str(exc)[:200]
            out.append(
                {
                    "code": indicator.code,
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "value": value if value is None else Decimal(value),
                    "note": note,
                    "note_text": str(NOTES.get(note, note)) if note else "",
                    "display": format_value(
                        value if value is None else Decimal(value), indicator.unit
                    ),
                }
            )
    return out


# ------------------------------------------------------------------ logframe


@dataclass
class LogframeRow:
    """One line of the logframe table: a result node and one of its indicators (or the
    node alone when it has none) with baseline, target, actual and status — the
    dashboard's row for the framework's scope, so the report equals the dashboard."""

    depth: int
    level: str
    node_code: str
    node_title: str
    code: str = ""
    name: str = ""
    unit: str = ""
    baseline: Decimal | None = None
    baseline_period: str = ""
    target: Decimal | None = None
    target_period: str = ""
    comparison: str = ""
    actual: Decimal | None = None
    note: str = ""
    status: str = ""
    computed_at: dt.datetime | None = None


def logframe(template: ReportTemplate, period: str) -> list[LogframeRow]:
    """The template framework's logframe for ``period``: every result node in tree
    order with its indicators, each with its baseline, the target it is judged against
    (its own date), the actual value from the cache (the dashboard's, for the
    framework's scope) and its status.  Empty without a framework."""
    framework = template.framework
    if framework is None:
        return []
    from .selectors_frameworks import dashboard

    board = dashboard(framework, period=parse(period), province=None)
    out: list[LogframeRow] = []
    for n in board.nodes:
        head = {
            "depth": n.depth,
            "level": n.node.level if n.node else "",
            "node_code": n.node.code if n.node else "",
            "node_title": n.node.title if n.node else "",
        }
        if not n.indicators:
            out.append(LogframeRow(**head))
        for r in n.indicators:
            ind = r.indicator
            out.append(
                LogframeRow(
                    **head,
                    code=ind.code,
                    name=ind.name,
                    unit=ind.unit,
                    baseline=ind.baseline_value,
                    baseline_period=ind.baseline_period,
                    target=r.target.value if r.target else None,
                    target_period=r.target.period if r.target else "",
                    comparison=r.target.comparison if r.target else "",
                    actual=r.value.value if r.value else None,
                    note=(r.value.note if r.value else "not_computed"),
                    status=r.status,
                    computed_at=r.value.computed_at if r.value else None,
                )
            )
    return out


# ------------------------------------------------------------------ overview


@dataclass
class OfficeRow:
    office: ReportingOffice
    submission: Submission | None
    late: bool

    @property
    def state(self) -> str:
        return self.submission.status if self.submission else "not_started"


@dataclass
class Overview:
    cycle: ReportCycle
    rows: list[OfficeRow]
    counts: dict[str, int] = field(default_factory=dict)


def is_overdue(cycle: ReportCycle, submission: Submission | None, today: dt.date) -> bool:
    """Late: submitted after the due date, or not submitted (not started, a draft, or
    returned and not resubmitted) once the due date has passed (Vietnam's day)."""
    if submission is not None and submission.is_late:
        return True
    waiting = submission is None or submission.status in (
        SubmissionStatus.DRAFT,
        SubmissionStatus.RETURNED,
    )
    return waiting and today > cycle.due_on


def overview(cycle: ReportCycle) -> Overview:
    """Every submitting office of the cycle with its submission (or none) and counts."""
    today = timezone.localdate()
    offices = list(cycle.template.offices.order_by("kind", "name"))
    subs = {s.office_id: s for s in cycle.submissions.all()}
    rows = [OfficeRow(o, subs.get(o.pk), is_overdue(cycle, subs.get(o.pk), today)) for o in offices]
    counts = dict.fromkeys(("not_started", *SubmissionStatus.values), 0)
    for r in rows:
        counts[r.state] += 1
    counts["late"] = sum(1 for r in rows if r.late)
    counts["total"] = len(rows)
    return Overview(cycle=cycle, rows=rows, counts=counts)


def cycles_for(user: Any) -> Any:
    return (
        ReportCycle.objects.allowed(user, "view")
        .select_related("template", "template__province", "template__compiling_office")
        .order_by("-due_on", "-pk")
    )


def compiling_cycles(user: Any) -> Any:
    """Cycles whose compiling office the user belongs to."""
    if not getattr(user, "is_authenticated", False):
        return ReportCycle.objects.none()
    return cycles_for(user).filter(template__compiling_office__in=compiling_offices_of(user))


@dataclass
class MyReport:
    cycle: ReportCycle
    office: ReportingOffice
    submission: Submission | None
    late: bool


def my_reports(user: Any) -> list[MyReport]:
    """What the user's offices must report: every cycle of a template their office
    submits to, with the office's submission (or none), newest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    offices = list(ReportingOffice.objects.filter(pk__in=offices_of(user)))
    if not offices:
        return []
    by_id = {o.pk: o for o in offices}
    cycles = (
        ReportCycle.objects.filter(template__offices__in=[o.pk for o in offices])
        .select_related("template")
        .distinct()
        .order_by("-due_on", "-pk")[:100]
    )
    cycles = list(cycles)
    links = set(
        ReportTemplate.offices.through.objects.filter(
            reporttemplate__in={c.template_id for c in cycles}, reportingoffice__in=list(by_id)
        ).values_list("reporttemplate_id", "reportingoffice_id")
    )
    subs = {
        (s.cycle_id, s.office_id): s
        for s in Submission.objects.filter(cycle__in=cycles, office__in=list(by_id))
    }
    out = []
    for cycle in cycles:
        for office_id, office in by_id.items():
            if (cycle.template_id, office_id) not in links:
                continue
            sub = subs.get((cycle.pk, office_id))
            out.append(MyReport(cycle, office, sub, is_overdue(cycle, sub, today)))
    return out


def is_member(user: Any, office: ReportingOffice) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return office.members.filter(pk=user.pk).exists()


def is_compiler(user: Any, cycle: ReportCycle) -> bool:
    return is_member(user, cycle.template.compiling_office)
