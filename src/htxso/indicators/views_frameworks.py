"""Pages of the frameworks part: the list, a framework's dashboard, an indicator's page,
and the staff's forms (framework, results, indicators, targets, recomputing).

Thin: parse (a form) → access (``@access`` and the models' policies: another province's
framework is a 404) → service or selector → render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404, reach_of
from htxso.geo.models import Province

from . import formulas, periods
from . import selectors_frameworks as sel
from . import services_frameworks as services
from .forms_frameworks import (
    DashboardFilterForm,
    DeleteForm,
    FrameworkForm,
    IndicatorForm,
    NodeForm,
    RecomputeForm,
    TargetForm,
)
from .models import Framework, ResultNode, Target
from .status import LABELS

STATUS_ORDER = ["met", "on_track", "at_risk", "off_track", "not_met", "no_data", "no_target"]


def _creatable_provinces(user: Any) -> tuple[bool, list[Province]]:
    """(may create a national framework, provinces it may create one for)."""
    everywhere, provinces, _orgs = reach_of(user, roles.REVIEWERS)
    qs = Province.objects.order_by("name")
    if not everywhere:
        qs = qs.filter(code__in=sorted(provinces))
    return everywhere, list(qs)


def _filters(request: HttpRequest, framework: Framework, user: Any) -> tuple[Any, Province | None]:
    form = DashboardFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data if form.is_valid() else {}
    period = None
    if data.get("period"):
        try:
            period = periods.parse(data["period"])
        except ValueError:
            period = None
    if period is None:
        period = sel.default_period(framework)
    province = None
    code = data.get("province") or ""
    if code and not framework.province_id:
        province = next((p for p in sel.province_choices(user, framework) if p.code == code), None)
        if province is None:
            raise Http404
    return period, province


# --- the list ------------------------------------------------------------------------------
@access(roles=roles.STAFF)
def framework_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    national, provinces = _creatable_provinces(user)
    return render(
        request,
        "indicators/frameworks/list.html",
        {
            "frameworks": sel.frameworks_for(user),
            "may_create": national or bool(provinces),
        },
    )


@access(roles=roles.REVIEWERS)
def framework_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    national, provinces = _creatable_provinces(user)
    if request.method == "POST":
        form = FrameworkForm(request.POST, provinces=provinces, national=national)
        if form.is_valid():
            framework = form.apply(
                lambda: services.create_framework(actor=user, data=form.cleaned_data)
            )
            if framework is not None:
                messages.success(
                    request, _("The framework is created. Add its results and indicators.")
                )
                return redirect("indicators:framework_edit", code=framework.code)
    else:
        form = FrameworkForm(provinces=provinces, national=national)
    return render(
        request, "indicators/frameworks/framework_form.html", {"form": form, "framework": None}
    )


# --- the dashboard -------------------------------------------------------------------------
@access(roles=roles.STAFF)
def framework_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    framework = sel.framework_or_404(user, code)
    period, province = _filters(request, framework, user)
    board = sel.dashboard(framework, period=period, province=province)
    counts = board.counts()
    return render(
        request,
        "indicators/frameworks/dashboard.html",
        {
            "framework": framework,
            "board": board,
            "period": period,
            "province": province,
            "periods": sel.period_choices(framework),
            "provinces": sel.province_choices(user, framework),
            "counts": [(s, LABELS[s], counts.get(s, 0)) for s in STATUS_ORDER if counts.get(s)],
            "may_change": sel.may_change(user, framework),
            "references": sel.framework_references(framework),
        },
    )


@access(roles=roles.STAFF)
@require_POST
def framework_recompute(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    framework = sel.framework_or_404(user, code)
    form = RecomputeForm(request.POST)
    url = reverse("indicators:framework", kwargs={"code": framework.code})
    if not form.is_valid():
        messages.error(request, _("Choose a period."))
        return redirect(url)
    province = None
    code_p = form.cleaned_data.get("province") or ""
    if code_p:
        province = next(
            (p for p in sel.province_choices(user, framework) if p.code == code_p), None
        )
        if province is None:
            raise Http404
    try:
        n = services.recompute(
            actor=user,
            framework=framework,
            period_codes=[form.cleaned_data["period"]],
            province=province,
        )
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("Recomputed: %(n)s values.") % {"n": n})
    query = f"?period={form.cleaned_data['period'][:10]}"
    if province is not None:
        query += f"&province={province.code}"
    return redirect(url + query)


# --- the indicator page --------------------------------------------------------------------
@access(roles=roles.STAFF)
def indicator_detail(request: HttpRequest, code: str, indicator: str) -> HttpResponse:
    user = request.user
    framework = sel.framework_or_404(user, code)
    ind = sel.indicator_or_404(user, framework, indicator)
    period, province = _filters(request, framework, user)
    page = sel.indicator_page(ind, period=period, province=province)
    may_change = sel.may_change(user, framework)
    target_form = None
    if may_change:
        target_form = TargetForm(
            provinces=[] if framework.province_id else list(Province.objects.order_by("name")),
            prefix="t",
        )
    return render(
        request,
        "indicators/frameworks/indicator.html",
        {
            "framework": framework,
            "indicator": ind,
            "page": page,
            "period": period,
            "province": province,
            "periods": sel.period_choices(framework),
            "provinces": sel.province_choices(user, framework),
            "may_change": may_change,
            "target_form": target_form,
        },
    )


# --- editing -------------------------------------------------------------------------------
def _changeable(request: HttpRequest, code: str) -> Framework:
    return sel.framework_or_404(request.user, code, "change")


@access(roles=roles.REVIEWERS)
def framework_edit(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    framework = _changeable(request, code)
    national, provinces = _creatable_provinces(user)
    if request.method == "POST":
        form = FrameworkForm(request.POST, provinces=provinces, national=national, editing=True)
        if form.is_valid() and form.apply(
            lambda: services.update_framework(
                actor=user, framework=framework, data=form.cleaned_data
            )
        ):
            messages.success(request, _("Saved."))
            return redirect("indicators:framework_edit", code=framework.code)
    else:
        form = FrameworkForm(
            initial={
                "name": framework.name,
                "description": framework.description,
                "programme_label": framework.programme_label,
                "start_date": framework.start_date,
                "end_date": framework.end_date,
                "is_published": framework.is_published,
            },
            provinces=provinces,
            national=national,
            editing=True,
        )
    board = sel.dashboard(framework, period=sel.default_period(framework))
    return render(
        request,
        "indicators/frameworks/framework_form.html",
        {"form": form, "framework": framework, "board": board},
    )


@access(roles=roles.REVIEWERS)
def node_form(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    user = request.user
    framework = _changeable(request, code)
    node = None
    if pk is not None:
        node = get_allowed_or_404(ResultNode, user, "change", framework=framework, pk=pk)
    nodes = [n for n in framework.nodes.all() if node is None or n.pk != node.pk]
    if request.method == "POST":
        form = NodeForm(request.POST, nodes=nodes)
        if form.is_valid() and form.apply(
            lambda: services.save_node(
                actor=user, framework=framework, data=form.cleaned_data, node=node
            )
        ):
            messages.success(request, _("Saved."))
            return redirect("indicators:framework_edit", code=framework.code)
    else:
        initial = {}
        if node is not None:
            initial = {
                "level": node.level,
                "code": node.code,
                "title": node.title,
                "parent": node.parent_id,
                "order": node.order,
            }
        form = NodeForm(initial=initial, nodes=nodes)
    return render(
        request,
        "indicators/frameworks/node_form.html",
        {"form": form, "framework": framework, "node": node},
    )


@access(roles=roles.REVIEWERS)
def indicator_form(request: HttpRequest, code: str, indicator: str | None = None) -> HttpResponse:
    user = request.user
    framework = _changeable(request, code)
    ind = None
    if indicator is not None:
        ind = sel.indicator_or_404(user, framework, indicator, "change")
    nodes = list(framework.nodes.all())
    if request.method == "POST":
        form = IndicatorForm(request.POST, nodes=nodes)
        if form.is_valid():
            saved = form.apply(
                lambda: services.save_indicator(
                    actor=user, framework=framework, data=form.cleaned_data, indicator=ind
                )
            )
            if saved is not None:
                messages.success(request, _("Saved."))
                return redirect("indicators:indicator", code=framework.code, indicator=saved.code)
    else:
        initial: dict[str, Any] = {}
        if ind is not None:
            initial = {
                "code": ind.code,
                "name": ind.name,
                "definition": ind.definition,
                "unit": ind.unit,
                "formula": ind.formula,
                "params": ind.params,
                "denominator_label": ind.denominator_label,
                "disaggregations": ind.disaggregations,
                "dhis2_code": ind.dhis2_code,
                "baseline_value": ind.baseline_value if ind.baseline_value is not None else "",
                "baseline_period": ind.baseline_period,
                "node": ind.node_id,
                "order": ind.order,
            }
        form = IndicatorForm(initial=initial, nodes=nodes)
    return render(
        request,
        "indicators/frameworks/indicator_form.html",
        {
            "form": form,
            "framework": framework,
            "indicator": ind,
            "formulas": sorted(formulas.FORMULAS.values(), key=lambda f: f.key),
        },
    )


@access(roles=roles.REVIEWERS)
@require_POST
def target_save(request: HttpRequest, code: str, indicator: str) -> HttpResponse:
    user = request.user
    framework = _changeable(request, code)
    ind = sel.indicator_or_404(user, framework, indicator, "change")
    provinces = [] if framework.province_id else list(Province.objects.order_by("name"))
    form = TargetForm(request.POST, provinces=provinces, prefix="t")
    if form.is_valid() and form.apply(
        lambda: services.save_target(actor=user, indicator=ind, data=form.cleaned_data)
    ):
        messages.success(request, _("The target is saved."))
        return redirect("indicators:indicator", code=framework.code, indicator=ind.code)
    period = sel.default_period(framework)
    return render(
        request,
        "indicators/frameworks/indicator.html",
        {
            "framework": framework,
            "indicator": ind,
            "page": sel.indicator_page(ind, period=period),
            "period": period,
            "province": None,
            "periods": sel.period_choices(framework),
            "provinces": sel.province_choices(user, framework),
            "may_change": True,
            "target_form": form,
        },
        status=400,
    )


@access(roles=roles.REVIEWERS)
@require_POST
def target_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user = request.user
    framework = _changeable(request, code)
    target = get_allowed_or_404(
        Target.objects.select_related("indicator__framework"),
        user,
        "change",
        indicator__framework=framework,
        pk=pk,
    )
    if DeleteForm(request.POST).is_valid():
        services.delete_target(actor=user, target=target)
        messages.success(request, _("The target is deleted."))
    return redirect("indicators:indicator", code=framework.code, indicator=target.indicator.code)


__all__ = [
    "framework_create",
    "framework_dashboard",
    "framework_edit",
    "framework_list",
    "framework_recompute",
    "indicator_detail",
    "indicator_form",
    "node_form",
    "target_delete",
    "target_save",
]
