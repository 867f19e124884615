"""Registry pages.  Thin: parse → access → selector → render."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from htxso.core.access import access

from . import selectors
from .models import OrganisationKind

STAFF_AND_ORGS = (
    "vca_admin",
    "province_officer",
    "department_viewer",
    "coop_manager",
    "coop_member",
)


@access(roles=STAFF_AND_ORGS)
def organisation_list(request):
    q = request.GET.get("q", "")[:200]
    kind = request.GET.get("kind", "")
    if kind not in OrganisationKind.values:
        kind = ""
    qs = selectors.organisation_list(user=request.user, q=q, kind=kind)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "kind": kind, "kinds": OrganisationKind.choices}
    template = (
        "registry/_organisation_rows.html" if request.htmx else "registry/organisation_list.html"
    )
    return render(request, template, context)


@access(roles=STAFF_AND_ORGS)
def organisation_detail(request, pk: int):
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    return render(request, "registry/organisation_detail.html", {"organisation": organisation})
