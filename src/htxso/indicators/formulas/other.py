"""Formulas over the programmes, the market and traceability.

These apps offer no aggregate selector for what a framework counts, so the formulas read
their models through the models' own policies (``Model.objects.allowed``) as the
indicator computation (a system reader), the way the statistics pages do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.market.models import Store, StoreStatus
from htxso.programs.models import Application, ApplicationStatus
from htxso.registry.models import OrganisationKind
from htxso.trace.models import Lot

from ..models.frameworks import Unit
from ..periods import Period
from .base import NOTE_NO_DATA, SYSTEM, Result, cell_key, count, formula, ward_of


def _end(period: Period) -> dt.datetime:
    """The end of the period's last day (Vietnam's day), as an aware datetime."""
    day = period.end + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _code(province: Any) -> str | None:
    return getattr(province, "pk", province) or None


def _organisations(
    qs: QuerySet[Any], province_path: str, org_path: str, by: Sequence[str]
) -> Result:
    """Distinct organisations of ``qs``, with province cells when asked."""
    result = count(qs.values(org_path).distinct().count())
    if "province" in by:
        rows = (
            qs.order_by()
            .values(province_path)
            .annotate(n=Count(org_path, distinct=True))
            .order_by(province_path)
        )
        for r in rows:
            result.cells[cell_key(province=r[province_path] or "unknown")] = count(r["n"])
    return result


# --- market --------------------------------------------------------------------------------
@formula(
    "market.cooperatives_selling",
    _("Cooperatives selling on the online market"),
    unit=Unit.COUNT,
    source="market",
    description=_(
        "Cooperatives with a store open on the market (verified by the province by the "
        "end of the period and not suspended since)."
    ),
    wards=True,
    disaggregations=("province",),
)
def cooperatives_selling(
    *, period: Period, province: Any, params: Mapping[str, Any], by: Sequence[str] = ()
) -> Result:
    qs = Store.objects.allowed(SYSTEM, "view")
    if _code(province):
        qs = qs.filter(province_id=_code(province))
    if ward_of(params):
        qs = qs.filter(organisation__ward_id=ward_of(params))
    if not qs.filter(created_at__lt=_end(period)).exists():
        return Result(None, note=NOTE_NO_DATA)
    qs = qs.filter(
        status=StoreStatus.VERIFIED,
        verified_at__lt=_end(period),
        organisation__kind=OrganisationKind.COOPERATIVE,
    )
    return _organisations(qs, "province_id", "organisation_id", by)


# --- traceability --------------------------------------------------------------------------
@formula(
    "trace.cooperatives_with_lots",
    _("Cooperatives recording traced lots"),
    unit=Unit.COUNT,
    source="trace",
    cumulative=True,
    description=_(
        "Cooperatives that recorded at least one traced lot produced by the end of the "
        "period (since the framework's start when it has one)."
    ),
    wards=True,
    disaggregations=("province",),
)
def cooperatives_with_lots(
    *, period: Period, province: Any, params: Mapping[str, Any], by: Sequence[str] = ()
) -> Result:
    qs = Lot.objects.allowed(SYSTEM, "view")
    if _code(province):
        qs = qs.filter(organisation__province_id=_code(province))
    if ward_of(params):
        qs = qs.filter(organisation__ward_id=ward_of(params))
    qs = qs.filter(produced_at__lt=_end(period))
    since = params.get("since")
    if since:
        try:
            day = dt.date.fromisoformat(str(since))
        except ValueError:
            day = None
        if day is not None:
            qs = qs.filter(
                produced_at__gte=timezone.make_aware(dt.datetime.combine(day, dt.time.min))
            )
    if not qs.exists():
        return Result(None, note=NOTE_NO_DATA)
    qs = qs.filter(organisation__kind=OrganisationKind.COOPERATIVE)
    return _organisations(qs, "organisation__province_id", "organisation_id", by)


# --- programmes ----------------------------------------------------------------------------
PROGRAMME_PARAMS = {
    "programme": _("words of the programme of the calls (e.g. EU)"),
    "call": _("reference of one call"),
}


def _selected(period: Period, province: Any, params: Mapping[str, Any]) -> QuerySet[Any]:
    qs = Application.objects.allowed(SYSTEM, "view")
    if _code(province):
        qs = qs.filter(organisation__province_id=_code(province))
    if ward_of(params):
        qs = qs.filter(organisation__ward_id=ward_of(params))
    if params.get("programme"):
        qs = qs.filter(call__programme__icontains=str(params["programme"]))
    if params.get("call"):
        qs = qs.filter(call__reference=str(params["call"]))
    return qs.filter(
        Q(call__decided_at__lt=_end(period)) | Q(call__decided_at__isnull=True),
        status=ApplicationStatus.SELECTED,
    )


@formula(
    "programs.selected_organisations",
    _("Organisations selected by a programme"),
    unit=Unit.COUNT,
    source="programs",
    description=_(
        "Organisations whose application was selected in a call decided by the end of "
        "the period (the parameters narrow the programme or the call)."
    ),
    wards=True,
    disaggregations=("province",),
    params=PROGRAMME_PARAMS,
)
def selected_organisations(
    *, period: Period, province: Any, params: Mapping[str, Any], by: Sequence[str] = ()
) -> Result:
    qs = _selected(period, province, params)
    return _organisations(qs, "organisation__province_id", "organisation_id", by)


@formula(
    "programs.selected_provinces",
    _("Provinces with organisations selected by a programme"),
    unit=Unit.COUNT,
    source="programs",
    description=_("Provinces with at least one selected organisation (see above)."),
    params=PROGRAMME_PARAMS,
)
def selected_provinces(
    *, period: Period, province: Any, params: Mapping[str, Any], by: Sequence[str] = ()
) -> Result:
    qs = _selected(period, province, params)
    return count(qs.values("organisation__province_id").distinct().count())
