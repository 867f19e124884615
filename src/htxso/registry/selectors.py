"""Reads of organisation data, always scoped to the acting user.

Filters shared by the staff list, the public directory and the API are in
:class:`OrganisationFilters`.  Figures that need other tables (grade, youth share, OCOP,
value chain, legal-check facts) are computed as subqueries of the one organisation
query, so list and detail pages run a fixed number of queries whatever the data.

Youth share of an organisation, for filtering and lists: ``workers_youth /
workers_total`` of its latest annual report that was sent to the province (submitted,
returned or accepted) and has ``workers_total > 0``; organisations without such a report
have no youth share and never match a "youth share ≥ x %" filter.  The detail page also
shows the share computed from the current worker register (age under 35 today).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast
from django.utils import timezone

from htxso.core.policy import get_allowed_or_404
from htxso.core.text import fold

from .models import (
    AnnualReport,
    ClassificationScore,
    Grade,
    OcopProduct,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Sector,
    ValueChainLink,
)
from .selectors_figures import (  # noqa: F401 - re-exported
    _latest_report,
    organisations_with_warnings,
    warning_flags,
    warnings_for,
    with_check_facts,
    with_workforce,
    youth_cutoff,
)


def today() -> dt.date:
    return timezone.localdate()


# ------------------------------------------------------------------- filters


@dataclass(frozen=True)
class OrganisationFilters:
    """Search and filters of the organisation lists (pages, directory and API)."""

    q: str = ""
    province: str = ""
    ward: str = ""
    kind: str = ""
    sector: str = ""
    status: str = ""
    grade: str = ""
    ocop: bool = False
    value_chain: bool = False
    high_tech: bool = False
    youth_min: int | None = None

    @classmethod
    def from_params(cls, params) -> OrganisationFilters:
        """Parse a query dict; values that make no sense are ignored, never an error."""

        def one(name: str, allowed=None, length: int = 40) -> str:
            value = str(params.get(name, "") or "").strip()[:length]
            if allowed is not None and value not in allowed:
                return ""
            return value

        def flag(name: str) -> bool:
            return str(params.get(name, "")).lower() in ("1", "true", "on", "yes")

        province = one("province", length=2)
        ward = one("ward", length=5)
        youth_text = one("youth_min", length=3)
        youth = int(youth_text) if youth_text.isdigit() and 0 < int(youth_text) <= 100 else None
        return cls(
            q=str(params.get("q", "") or "")[:200],
            province=province if province.isdigit() and len(province) == 2 else "",
            ward=ward if ward.isdigit() else "",
            kind=one("kind", OrganisationKind.values),
            sector=one("sector", Sector.values),
            status=one("status", OrganisationStatus.values),
            grade=one("grade", Grade.values),
            ocop=flag("ocop"),
            value_chain=flag("value_chain"),
            high_tech=flag("high_tech"),
            youth_min=youth,
        )

    @property
    def active_count(self) -> int:
        return sum(
            bool(v)
            for v in (
                self.province,
                self.ward,
                self.kind,
                self.sector,
                self.status,
                self.grade,
                self.ocop,
                self.value_chain,
                self.high_tech,
                self.youth_min,
            )
        )


def _latest_grade():
    return (
        ClassificationScore.objects.filter(organisation=OuterRef("pk"), status="published")
        .order_by("-year", "-id")
        .values("grade")[:1]
    )


def _youth_pct():
    return Subquery(
        _latest_report()
        .filter(workers_total__gt=0, workers_youth__isnull=False)
        .annotate(
            pct=ExpressionWrapper(
                Cast("workers_youth", FloatField()) * 100.0 / Cast("workers_total", FloatField()),
                output_field=FloatField(),
            )
        )
        .values("pct")[:1],
        output_field=FloatField(),
    )


def _ocop_valid(day: dt.date):
    return Exists(
        OcopProduct.objects.filter(
            organisation=OuterRef("pk"), certified_on__lte=day, expires_on__gt=day
        )
    )


def _chain_active(day: dt.date):
    return Exists(
        ValueChainLink.objects.filter(organisation=OuterRef("pk"), started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )
    )


def with_list_figures(qs: QuerySet, day: dt.date | None = None) -> QuerySet:
    """Annotate grade, youth share, OCOP and value-chain flags (one query in all)."""
    day = day or today()
    return qs.annotate(
        latest_grade=Subquery(_latest_grade()),
        youth_pct=_youth_pct(),
        has_ocop=_ocop_valid(day),
        in_value_chain=_chain_active(day),
    )


def figures_for(rows, day: dt.date | None = None) -> list:
    """Set the list figures (grade, youth share, OCOP, value chain) on an already
    sliced page of organisations: one query for the page, whatever the table size.

    Annotating the whole filtered queryset instead makes the database compute four
    correlated subqueries for every matching row before it sorts and cuts the page.
    """
    rows = list(rows)
    if not rows:
        return rows
    figures = {
        row["pk"]: row
        for row in with_list_figures(Organisation.objects.filter(pk__in=[o.pk for o in rows]), day)
        .order_by()
        .values("pk", "latest_grade", "youth_pct", "has_ocop", "in_value_chain")
    }
    for o in rows:
        row = figures.get(o.pk, {})
        o.latest_grade = row.get("latest_grade")
        o.youth_pct = row.get("youth_pct")
        o.has_ocop = bool(row.get("has_ocop"))
        o.in_value_chain = bool(row.get("in_value_chain"))
    return rows


#: A query that looks like a tax code (10 digits, optional branch) is looked up by code.
_TAX_CODE_QUERY = re.compile(r"^\d{10}(-?\d{3})?$")


def apply_filters(qs: QuerySet, filters: OrganisationFilters, day: dt.date | None = None):
    day = day or today()
    q = filters.q.strip().replace(" ", "").replace(".", "")
    if _TAX_CODE_QUERY.match(q):
        code = q if len(q) in (10, 14) else f"{q[:10]}-{q[10:]}"
        qs = qs.filter(tax_code=code)
    else:
        for word in fold(filters.q).split():
            qs = qs.filter(search_text__contains=word)
    if filters.province:
        qs = qs.filter(province_id=filters.province)
    if filters.ward:
        qs = qs.filter(ward_id=filters.ward)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.high_tech:
        qs = qs.filter(high_tech=True)
    if filters.grade:
        qs = qs.annotate(filter_grade=Subquery(_latest_grade())).filter(filter_grade=filters.grade)
    if filters.ocop:
        qs = qs.filter(_ocop_valid(day))
    if filters.value_chain:
        qs = qs.filter(_chain_active(day))
    if filters.youth_min:
        qs = qs.annotate(filter_youth=_youth_pct()).filter(filter_youth__gte=filters.youth_min)
    return qs


# ---------------------------------------------------------------- organisations


def organisation_list(
    *,
    user,
    q: str = "",
    province: str = "",
    kind: str = "",
    filters: OrganisationFilters | None = None,
) -> QuerySet:
    """Organisations the user may see, filtered.  Call :func:`figures_for` on the page
    you show to add grade, youth share, OCOP and value-chain figures."""
    filters = filters or OrganisationFilters(q=q, province=province, kind=kind)
    qs = (
        Organisation.objects.allowed(user, "view")
        .select_related("province", "ward")
        .only(*LIST_FIELDS)
    )
    return apply_filters(qs, filters)


#: Columns the list page and the list API show (fewer columns, less ORM work per row).
LIST_FIELDS = (
    "id",
    "kind",
    "name",
    "tax_code",
    "province",
    "province__name",
    "ward",
    "ward__name",
    "status",
    "sector",
    "established_on",
    "high_tech",
)


def public_directory(*, filters: OrganisationFilters) -> QuerySet:
    """Every organisation, for the public directory (public fields only are shown)."""
    qs = Organisation.objects.select_related("province", "ward").only(*PUBLIC_FIELDS)
    return apply_filters(qs, filters)


#: Fields of an organisation anyone may see (public profile, directory, open data).
PUBLIC_FIELDS = (
    "id",
    "kind",
    "name",
    "tax_code",
    "province",
    "province__name",
    "ward",
    "ward__name",
    "address",
    "status",
    "established_on",
    "sector",
    "main_products",
    "description",
    "phone",
    "email",
    "website",
    "charter_capital",
    "high_tech",
    "updated_at",
)


def organisation_get(*, user, pk: int) -> Organisation:
    return get_allowed_or_404(
        Organisation.objects.select_related("province", "ward"), user, "view", pk=pk
    )


def organisation_get_detailed(*, user, pk: int, day: dt.date | None = None) -> Organisation:
    """One organisation with its list figures, legal-check facts and workforce counts."""
    day = day or today()
    qs = with_workforce(with_check_facts(with_list_figures(Organisation.objects, day), day), day)
    latest = AnnualReport.objects.filter(organisation=OuterRef("pk")).order_by("-year")
    qs = qs.annotate(
        latest_report_year=Subquery(latest.values("year")[:1]),
        latest_report_status=Subquery(latest.values("status")[:1]),
    )
    return get_allowed_or_404(qs.select_related("province", "ward"), user, "view", pk=pk)


def organisation_public_get(*, key: str, day: dt.date | None = None) -> Organisation:
    """The organisation of a public profile, by tax code or id (404 otherwise)."""
    from django.http import Http404

    key = (key or "")[:20]
    qs = with_workforce(
        with_check_facts(with_list_figures(Organisation.objects.all(), day), day or today()),
        day or today(),
    ).select_related("province", "ward")
    if "-" in key or len(key) >= 10:
        lookup = {"tax_code": key}
    elif key.isdigit():
        lookup = {"pk": int(key)}
    else:
        raise Http404
    try:
        return qs.get(**lookup)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def organisation_by_tax_code(*, user, tax_code: str) -> Organisation:
    return get_allowed_or_404(
        Organisation.objects.select_related("province", "ward"), user, "view", tax_code=tax_code
    )


def _zero_counts() -> dict:
    return {"total": 0, "cooperatives": 0, "groups": 0, "unions": 0, "active": 0}


def _add_counts(counts: dict, kind: str, status: str, n: int) -> None:
    counts["total"] += n
    if kind == OrganisationKind.COOPERATIVE:
        counts["cooperatives"] += n
    elif kind == OrganisationKind.GROUP:
        counts["groups"] += n
    elif kind == OrganisationKind.UNION:
        counts["unions"] += n
    if status == OrganisationStatus.ACTIVE:
        counts["active"] += n


def sum_counts(rows) -> dict:
    """The counts of :func:`organisation_counts` summed over rows that carry them (the
    national total of :func:`organisation_counts_by_province`, without a query)."""
    total = _zero_counts()
    for row in rows:
        for key in total:
            total[key] += row[key]
    return total


def organisation_counts(*, user) -> dict:
    """Counts by kind and status over what the user may see (one query).

    Grouped by kind and status and summed here: the same figures as one conditional
    aggregate per count, for a much smaller query to build (the home page's cost)."""
    counts = _zero_counts()
    for kind, status, n in (
        Organisation.objects.allowed(user, "view")
        .values_list("kind", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        _add_counts(counts, kind, status, n)
    return counts


def organisation_counts_by_province(*, user) -> list[dict]:
    """The counts of :func:`organisation_counts` for each province the user sees
    something in, by province code, with the province's name (one query)."""
    rows: dict[str, dict] = {}
    for province_id, name, kind, status, n in (
        Organisation.objects.allowed(user, "view")
        .values_list("province_id", "province__name", "kind", "status")
        .annotate(n=Count("id"))
        .order_by("province_id")
    ):
        row = rows.get(province_id)
        if row is None:
            row = rows[province_id] = {
                "province_id": province_id,
                "province__name": name,
                **_zero_counts(),
            }
        _add_counts(row, kind, status, n)
    return list(rows.values())


# ------------------------------------------------------------- own rows


def own_rows(*, user, model, organisation) -> QuerySet:
    """The user's own memberships (or jobs) in the organisation: a member sees these
    even though the member register is not theirs to read."""
    if not getattr(user, "is_authenticated", False):
        return model.objects.none()
    return (
        model.objects.filter(organisation=organisation, person__user=user)
        .select_related("person")
        .order_by("pk")
    )
