"""Pages of the impact part (``/chuyen-doi-so/tac-dong/…``): the maturity map of a
province with the models to replicate, cohorts with their difference-in-differences,
and one cooperative's change between rounds.

Thin: parse (a form) → access (``@access`` and the policies) → selector or service →
render.  Another province's cohort or cooperative is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import allowed, get_allowed_or_404, reach_of
from htxso.geo.models import Province
from htxso.registry.models import Organisation

from . import selectors_impact as sel
from . import services_impact as services
from . import stats_impact as st
from .forms_impact import CohortForm, MapFilterForm, MembersForm
from .models import Assessment, Cohort, CohortMember, DxLead


def _level_class(level: int | None) -> str:
    return f"imp-level-{level}" if level is not None else "imp-level-none"


@access(roles=roles.STAFF)
def province_map(request: HttpRequest) -> HttpResponse:
    user = request.user
    provinces = sel.map_provinces(user)
    national = sel.is_national(user)
    form = MapFilterForm(request.GET or None, provinces=provinces, national=national)
    province: Province | None = None
    if form.is_bound and form.is_valid() and form.cleaned_data["province"]:
        province = next(p for p in provinces if p.code == form.cleaned_data["province"])
    elif not national:
        if not provinces:
            raise Http404
        province = provinces[0]
    board = sel.province_map(province)
    cells = board.by_ward if province else board.by_province
    return render(
        request,
        "assessment/impact/map.html",
        {
            "form": form,
            "board": board,
            "province": province,
            "place_cells": [(c, _level_class(c.median_level)) for c in cells],
            "sector_cells": [(c, _level_class(c.median_level)) for c in board.by_sector],
            "models": sel.models_to_replicate(province),
            "min_score": sel.MODEL_MIN_SCORE,
            "min_gain": sel.MODEL_MIN_GAIN,
            "levels": range(6),
        },
    )


@access(roles=roles.STAFF)
def cohorts(request: HttpRequest) -> HttpResponse:
    user = request.user
    everywhere, provinces, _o = reach_of(user, roles.REVIEWERS)
    may_create = everywhere or bool(provinces)
    form = None
    if may_create:
        choices = list(Province.objects.order_by("code")) if everywhere else [
            p for p in sel.map_provinces(user) if p.code in provinces
        ]  # fmt: skip
        form = CohortForm(request.POST or None, provinces=choices, national=everywhere)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                cohort = services.cohort_create(
                    actor=user,
                    code=data["code"],
                    name=data["name"],
                    description=data["description"],
                    province=data["province"],
                    before_round=data["before_round"],
                    after_round=data["after_round"],
                )
            except ServiceError as exc:
                show_service_error(request, exc, form)
            else:
                messages.success(request, _("Cohort created: add its cooperatives."))
                return redirect("assessment:impact_cohort", pk=cohort.pk)
    elif request.method == "POST":
        raise PermissionDenied
    rows = list(sel.cohorts_for(user))
    counts = {
        c["cohort_id"]: c["n"]
        for c in CohortMember.objects.allowed(user, "view")
        .filter(cohort__in=rows)
        .values("cohort_id")
        .annotate(n=Count("id"))
    }
    return render(
        request,
        "assessment/impact/cohorts.html",
        {"rows": [(c, counts.get(c.pk, 0)) for c in rows], "form": form},
    )


def _cohort_page(request: HttpRequest, cohort: Cohort, members_form: MembersForm) -> HttpResponse:
    user = request.user
    rows = sel.member_rows(user, cohort)
    did = sel.cohort_impact(user, cohort)
    everywhere, provinces, _o = reach_of(user, roles.REVIEWERS)
    may_add = everywhere or bool(provinces)
    return render(
        request,
        "assessment/impact/cohort.html",
        {
            "cohort": cohort,
            "rows": rows,
            "did": did,
            "min_pairs": st.MIN_PAIRS,
            "caliper": st.CALIPER,
            "confidence": int(st.CONFIDENCE * 100),
            "members_form": members_form if may_add else None,
            "no_t1": sum(1 for r in rows if r.state == "no_t1"),
            "no_t0": sum(1 for r in rows if r.state == "no_t0"),
            "region_note": sel.REGIONS,
        },
    )


@access(roles=roles.STAFF)
def cohort(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_allowed_or_404(Cohort.objects.select_related("province"), request.user, pk=pk)
    return _cohort_page(request, c, MembersForm())


@require_POST
@access(roles=roles.REVIEWERS)
def cohort_add(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_allowed_or_404(Cohort.objects.select_related("province"), request.user, pk=pk)
    form = MembersForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = services.cohort_add_members(
                actor=request.user, cohort=c, raw=form.cleaned_data["raw"]
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(
                request,
                _("%(added)s cooperatives added, %(already)s were in the cohort already.")
                % {"added": len(result.added), "already": len(result.already)},
            )
            return redirect("assessment:impact_cohort", pk=c.pk)
    return _cohort_page(request, c, form)


@require_POST
@access(roles=roles.REVIEWERS)
def cohort_remove(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    c = get_allowed_or_404(Cohort, request.user, pk=pk)
    m = get_allowed_or_404(
        CohortMember.objects.filter(cohort=c).select_related("cohort"),
        request.user,
        "change",
        pk=member,
    )
    try:
        services.cohort_remove_member(actor=request.user, member=m)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("Removed from the cohort."))
    return redirect("assessment:impact_cohort", pk=c.pk)


@access(authenticated=True)
def organisation_change(request: HttpRequest, pk: int) -> HttpResponse:
    """One cooperative's change between its first and latest submitted rounds: staff
    of its province, its manager and its DX leads (whoever sees its assessments)."""
    user = request.user
    org = get_allowed_or_404(Organisation.objects.select_related("province", "ward"), user, pk=pk)
    reads = (
        Assessment.policy.allows_at(user, "view", province=org.province_id, organisation=org.pk)
        or DxLead.objects.filter(organisation=org, user=user, active=True).exists()
    )
    if not reads:
        raise Http404
    rounds = list(
        allowed(Assessment, user)
        .filter(sel.submitted_q(), organisation=org)
        .select_related("questionnaire")
        .order_by("round")
    )
    comparison = sel.compare(rounds[0], rounds[-1]) if len(rounds) >= 2 else None
    return render(
        request,
        "assessment/impact/change.html",
        {"org": org, "rounds": rounds, "comparison": comparison},
    )
