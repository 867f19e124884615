"""The ward picker: an htmx partial listing a province's wards, searchable without accents."""

from __future__ import annotations

from django.shortcuts import render

from htxso.core.access import access
from htxso.core.text import fold

from .models import Ward


@access(public=True)
def ward_options(request):
    province = request.GET.get("province", "")[:2]
    q = fold(request.GET.get("q", "")[:100])
    wards = Ward.objects.none()
    if province.isdigit():
        wards = Ward.objects.filter(province_id=province)
        if q:
            wards = wards.filter(search_text__contains=q)
        wards = wards.order_by("name")[:200]
    return render(request, "geo/_ward_options.html", {"wards": wards})
