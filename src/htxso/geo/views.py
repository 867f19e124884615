"""The ward picker: an htmx partial listing a province's wards, searchable without accents."""

from __future__ import annotations

from django.shortcuts import render

from htxso.core.access import access

from . import selectors
from .models import Ward


@access(public=True)
def ward_options(request):
    province = request.GET.get("province", "")[:2]
    q = request.GET.get("q", "")[:100]
    wards = selectors.wards_of(province, q)[:200] if province.isdigit() else Ward.objects.none()
    return render(request, "geo/_ward_options.html", {"wards": wards})
