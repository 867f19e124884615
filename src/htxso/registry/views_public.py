"""The public directory and public profiles: no sign-in, public fields only.

No personal data reaches these pages: no member or worker names, no phone numbers of
people, no citizen IDs, no ethnicity — only the organisation's own public fields and
aggregate counts.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from htxso.core.access import access

from . import selectors
from .views_organisations import detail_context, render_list


@access(public=True)
def public_directory(request: HttpRequest) -> HttpResponse:
    filters = selectors.OrganisationFilters.from_params(request.GET)
    qs = selectors.public_directory(filters=filters)
    return render_list(
        request,
        qs,
        filters,
        template="registry/public/directory.html",
        partial="registry/_organisation_rows.html",
        extra={"public": True},
    )


@access(public=True)
def public_profile(request: HttpRequest, key: str) -> HttpResponse:
    organisation = selectors.organisation_public_get(key=key)
    context = detail_context(request, organisation, public=True)
    return render(request, "registry/public/profile.html", context)
