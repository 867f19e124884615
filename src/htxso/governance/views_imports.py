"""Services used by members, imported from a file: upload → preview → confirm.

The preview shows every row (matched, or its problem); the confirmation writes all the
rows or none, and only when no row has a problem.  The rows travel from the preview to
the confirmation signed (``forms_imports``), the file itself is not kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.documents.workbooks import XLSX_CONTENT_TYPE, Column, Sheet, build_workbook
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404
from htxso.registry.models import Membership, Organisation

from . import imports_portal
from .forms_imports import ServiceUseConfirmForm, ServiceUseUploadForm, sign_rows
from .forms_portal import YearForm
from .models.portal import ServiceUse

#: Rows of each kind shown on the preview (the counts say how many there are).
SHOWN = 300


def _organisation(request: HttpRequest, pk: int) -> Organisation:
    organisation = get_allowed_or_404(Organisation, request.user, "view", pk=pk)
    if not ServiceUse.policy.allows_at(request.user, "change", organisation=organisation.pk):
        raise PermissionDenied
    return organisation


def _default_year(request: HttpRequest) -> int:
    form = YearForm(request.GET)
    form.is_valid()
    return form.cleaned_data.get("year") or timezone.localdate().year - 1


@access(roles=roles.MANAGERS)
def service_use_import(request: HttpRequest, pk: int) -> HttpResponse:
    """The upload form (GET) and the preview of the file (POST)."""
    organisation = _organisation(request, pk)
    reading = confirm = None
    if request.method == "POST":
        form = ServiceUseUploadForm(request.POST, request.FILES)
        if form.is_valid():
            year = form.cleaned_data["year"]
            reading = form.apply(
                lambda: imports_portal.read_service_use(
                    form.cleaned_data["file"], organisation=organisation, year=year
                )
            )
            if reading is not None and not reading.refused:
                confirm = ServiceUseConfirmForm(
                    initial={
                        "year": year,
                        "payload": sign_rows(
                            organisation_id=organisation.pk,
                            user_id=request.user.pk,
                            year=year,
                            rows=reading.pairs(),
                        ),
                    }
                )
    else:
        form = ServiceUseUploadForm(initial={"year": _default_year(request)})
    context = {"organisation": organisation, "form": form, "reading": reading, "confirm": confirm}
    if reading is not None:
        context.update(
            counts=reading.counts,
            refused_rows=reading.refused[:SHOWN],
            ready_rows=reading.ready[:SHOWN],
            more_refused=max(0, len(reading.refused) - SHOWN),
            more_ready=max(0, len(reading.ready) - SHOWN),
        )
        return render(request, "governance/portal/service_use_import_preview.html", context)
    return render(request, "governance/portal/service_use_import.html", context)


@require_POST
@access(roles=roles.MANAGERS)
def service_use_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the previewed rows, all or none."""
    organisation = _organisation(request, pk)
    back = reverse("governance:service_use_import", kwargs={"pk": organisation.pk})
    form = ServiceUseConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The preview is missing: upload the file again."))
        return redirect(back)
    year = form.cleaned_data["year"]
    rows = form.rows_for(organisation_id=organisation.pk, user_id=request.user.pk)
    if not rows:
        messages.error(
            request,
            _("The preview has expired or is not for this cooperative: upload the file again."),
        )
        return redirect(f"{back}?year={year}")
    try:
        n = imports_portal.service_use_import(
            actor=request.user, organisation=organisation, year=year, rows=rows
        )
    except ServiceError as exc:
        show_service_error(request, exc)
        return redirect(f"{back}?year={year}")
    messages.success(request, _("Imported: %(n)s members' services used.") % {"n": n})
    url = reverse("governance:service_use", kwargs={"pk": organisation.pk})
    return redirect(f"{url}?year={year}")


@require_GET
@access(roles=roles.MANAGERS)
def service_use_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """An .xlsx to fill in: the cooperative's active members, their id and name."""
    organisation = _organisation(request, pk)
    year = _default_year(request)
    members = (
        Membership.objects.filter(organisation=organisation, left_on__isnull=True)
        .select_related("person")
        .order_by("person__full_name", "pk")[: imports_portal.MAX_ROWS]
    )
    member, name, year_h, amount = imports_portal.TEMPLATE_HEADER
    sheet = Sheet(
        title="Dich vu su dung",
        columns=[
            Column("member", member, width=24),
            Column("name", name, width=32),
            Column("year", year_h, width=8),
            Column("amount", amount, "vnd"),
        ],
        rows=[
            {"member": str(m.pk), "name": m.person.full_name, "year": str(year), "amount": None}
            for m in members
        ],
    )
    response = HttpResponse(build_workbook([sheet]), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="dich-vu-su-dung-{organisation.pk}-{year}.xlsx"'
    )
    return response
