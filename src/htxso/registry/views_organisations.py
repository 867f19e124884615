"""Organisation pages: staff list, detail, editing, legal-check warnings.

Thin: parse → access → selector/service → render.  Members and workers are in
``views_members``, OCOP/value chains/unions in ``views_products``, the public directory
in ``views_public``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from htxso.core import roles
from htxso.core.access import access
from htxso.core.formatting import format_number, format_vnd
from htxso.core.policy import get_allowed_or_404
from htxso.geo.models import Province, Ward

from . import selectors
from .forms import OrganisationForm
from .links import organisation_links
from .models import (
    Grade,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Sector,
    UnionMembership,
)
from .services.organisations import organisation_update

PAGE_SIZE = 25

_PROVINCES: list[tuple[str, str]] = []


def province_choices() -> list[tuple[str, str]]:
    """The 34 provinces (code, name), read once per process: they change by law only."""
    if not _PROVINCES:
        _PROVINCES.extend(Province.objects.order_by("code").values_list("code", "name"))
    return _PROVINCES


def filter_context(filters: selectors.OrganisationFilters) -> dict:
    wards = (
        list(
            Ward.objects.filter(province_id=filters.province)
            .order_by("name")
            .values_list("code", "name")
        )
        if filters.province
        else []
    )
    return {
        "f": filters,
        "provinces": province_choices(),
        "wards": wards,
        "kinds": OrganisationKind.choices,
        "sectors": Sector.choices,
        "statuses": OrganisationStatus.choices,
        "grades": Grade.choices,
        "youth_options": [30, 40, 50, 60],
    }


def decorate_rows(rows) -> None:
    """Add display values (youth share, grade label) to annotated list rows."""
    labels = dict(Grade.choices)
    for o in rows:
        pct = getattr(o, "youth_pct", None)
        o.youth_display = f"{format_number(pct, 0)} %" if pct is not None else ""
        o.grade_label = labels.get(getattr(o, "latest_grade", None) or "", "")


def render_list(
    request: HttpRequest, qs, filters, *, template: str, partial: str, extra=None
) -> HttpResponse:
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.figures_for(page.object_list)
    decorate_rows(page.object_list)
    context = {"page": page, **filter_context(filters), **(extra or {})}
    return render(request, partial if request.htmx else template, context)


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def organisation_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.OrganisationFilters.from_params(request.GET)
    qs = selectors.organisation_list(user=request.user, filters=filters)
    return render_list(
        request,
        qs,
        filters,
        template="registry/organisation_list.html",
        partial="registry/_organisation_rows.html",
        extra={"public": False, "q": filters.q, "kind": filters.kind},
    )


def detail_context(request, organisation, *, public: bool) -> dict:
    """Sections shared by the staff detail page and the public profile (3 queries)."""
    day = selectors.today()
    ocop = list(organisation.ocop_products.all())
    for p in ocop:
        p.expired = p.expires_on <= day
        p.soon = p.expires_soon(day)
        p.days_left = (p.expires_on - day).days
    links = list(organisation.value_chain_links.all())
    for link in links:
        link.active = link.started_on <= day and (link.ended_on is None or link.ended_on >= day)
    unions = _unions_of(organisation) if organisation.kind != "group" else []
    o = organisation
    youth_register = format_number(o.w_youth * 100 / o.w_total, 0) + " %" if o.w_total else None
    decorate_rows([o])
    return {
        "organisation": o,
        "ocop_products": ocop,
        "links": links,
        "union_members": [u for u in unions if u.union_id == o.pk],
        "member_of_unions": [u for u in unions if u.member_id == o.pk],
        "warnings": [] if public else selectors.warnings_for(o, day),
        "capital_display": format_vnd(o.charter_capital) if o.charter_capital is not None else "",
        "youth_register": youth_register,
        "members_total": o.f_members_recorded,
        "today": day,
        "public": public,
    }


def _unions_of(organisation):
    from django.db.models import Q

    return list(
        UnionMembership.objects.filter(Q(union=organisation) | Q(member=organisation))
        .select_related("union", "member")
        .order_by("left_on", "member__name", "union__name")
    )


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_detailed(user=request.user, pk=pk)
    context = detail_context(request, organisation, public=False)
    context["can_edit"] = Organisation.policy.allows(request.user, "change", organisation)
    context["can_see_people"] = Organisation.policy.allows(request.user, "see_people", organisation)
    context["other_links"] = organisation_links(request.user, organisation)
    return render(request, "registry/organisation_detail.html", context)


@access(roles=roles.EDITORS)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_allowed_or_404(
        Organisation.objects.select_related("province", "ward"), request.user, "change", pk=pk
    )
    wards = list(Ward.objects.filter(province_id=organisation.province_id).order_by("name"))
    # the tax code is the organisation's identity: only the province or VCA change it
    staff = Organisation.policy.allows(request.user, "change_tax_code", organisation)
    if request.method == "POST":
        form = OrganisationForm(
            request.POST, wards=wards, initial={"tax_code": organisation.tax_code}
        )
        form.fields["tax_code"].disabled = not staff
        if form.is_valid():
            data = form.service_data()
            if not staff:
                data.pop("tax_code", None)  # shown, not sent: a manager cannot change it
            saved = form.apply(
                lambda: organisation_update(
                    actor=request.user, organisation=organisation, data=data
                )
            )
            if saved is not None:
                messages.success(request, _("The organisation's details were saved."))
                return redirect("registry:organisation_detail", pk=organisation.pk)
    else:
        initial = {
            f: getattr(organisation, f)
            for f in (
                "name",
                "tax_code",
                "address",
                "status",
                "established_on",
                "sector",
                "main_products",
                "description",
                "phone",
                "email",
                "website",
                "high_tech",
            )
        }
        initial["ward"] = organisation.ward_id or ""
        initial["charter_capital"] = (
            format_number(organisation.charter_capital)
            if organisation.charter_capital is not None
            else ""
        )
        form = OrganisationForm(initial=initial, wards=wards)
    # the tax code is the organisation's identity: only the province or VCA change it
    form.fields["tax_code"].disabled = not staff
    return render(
        request, "registry/organisation_edit.html", {"organisation": organisation, "form": form}
    )


@access(roles=roles.STAFF)
def organisation_warnings(request: HttpRequest) -> HttpResponse:
    """The province's organisations that fail a legal check, with the reasons."""
    everywhere, reached, _orgs = Organisation.policy.reach(request.user, "view")
    reach = None if everywhere else sorted(reached)  # None: every one
    province = request.GET.get("province", "")[:2]
    if not province.isdigit():
        province = ""
    day = selectors.today()
    qs = selectors.organisations_with_warnings(user=request.user, province=province, day=day)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for o in page.object_list:
        o.legal_warnings = selectors.warnings_for(o, day)
    provinces = [
        (code, name) for code, name in province_choices() if reach is None or code in reach
    ]
    return render(
        request,
        "registry/organisation_warnings.html",
        {"page": page, "provinces": provinces, "province": province, "today": day},
    )
