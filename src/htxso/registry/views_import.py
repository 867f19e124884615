"""Import pages: upload → map columns → preview with every problem → import → report.

Department viewers see their province's import history and reports, read-only; only
those who may change the data (VCA, province officers, cooperative managers for their
own organisation's members, workers and annual figures) upload and import.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from htxso.core.access import access
from htxso.core.scoping import get_editable_or_404, get_scope, get_visible_or_404
from htxso.geo.models import Province

from .importing import report as import_report
from .importing.fields import fields_for
from .importing.values import render as render_problem
from .models import ImportJob, ImportKind, ImportStatus, Organisation
from .services import imports as services

SEE = ("vca_admin", "province_officer", "department_viewer", "coop_manager")
CHANGE = ("vca_admin", "province_officer", "coop_manager")
RUNNING = (ImportStatus.VALIDATING, ImportStatus.RUNNING)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (xlsx or csv)"),
        help_text=_("Up to %(mb)s MB. The first rows may hold titles; merged headers are fine."),
    )
    kind = forms.ChoiceField(label=_("What the file contains"), choices=ImportKind.choices)
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = get_scope(user)
        self.fields["file"].help_text = self.fields["file"].help_text % {
            "mb": services.reading.max_bytes() // (1024 * 1024)
        }
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"
        provinces = Province.objects.all()
        if not scope.national_edit:
            provinces = provinces.filter(pk__in=sorted(scope.edit_provinces))
        self.fields["province"].queryset = provinces
        orgs = Organisation.objects.filter(pk__in=sorted(scope.edit_organisations))
        self.fields["organisation"].queryset = orgs
        self.staff = scope.national_edit or bool(scope.edit_provinces)
        if not self.staff:
            del self.fields["province"]
            self.fields["kind"].choices = [
                c for c in ImportKind.choices if c[0] != ImportKind.ORGANISATIONS
            ]
            self.fields["organisation"].required = True
            if len(orgs) == 1:
                self.fields["organisation"].initial = orgs[0]
        else:
            del self.fields["organisation"]
            if len(provinces) == 1:
                self.fields["province"].initial = provinces[0]
            self.fields["province"].required = True


def _can_upload(user) -> bool:
    scope = get_scope(user)
    return scope.national_edit or bool(scope.edit_provinces or scope.edit_organisations)


@access(roles=SEE)
def import_list(request):
    form = None
    if _can_upload(request.user):
        form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                job = services.import_upload(
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    province=form.cleaned_data.get("province"),
                    organisation=form.cleaned_data.get("organisation"),
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect("registry:import_mapping", pk=job.pk)
    jobs = ImportJob.objects.visible_to(request.user).select_related(
        "province", "organisation", "created_by"
    )
    page = Paginator(jobs, 20).get_page(request.GET.get("page"))
    return render(request, "registry/import/list.html", {"form": form, "page": page})


def _columns(job: ImportJob) -> list[tuple[int, str]]:
    headers = job.report.get("headers", [])
    return [(i, h or f"#{i + 1}") for i, h in enumerate(headers)]


@access(roles=CHANGE)
def import_mapping(request, pk: int):
    job = get_editable_or_404(ImportJob.objects.select_related("province"), request.user, pk=pk)
    if job.status in RUNNING or job.status in (ImportStatus.DONE, ImportStatus.CANCELLED):
        return redirect("registry:import_detail", pk=job.pk)
    errors = []
    if request.method == "POST":
        try:
            if "choose_sheet" in request.POST:
                services.import_choose_sheet(
                    actor=request.user, job=job, sheet=request.POST.get("sheet", "")
                )
                return redirect("registry:import_mapping", pk=job.pk)
            mapping = {}
            for field in fields_for(job.kind):
                value = request.POST.get(f"map-{field.key}", "")
                if value.strip().isdigit():
                    mapping[field.key] = int(value)
            services.import_set_mapping(actor=request.user, job=job, mapping=mapping)
            return redirect("registry:import_detail", pk=job.pk)
        except ValidationError as exc:
            errors = exc.messages
    columns = _columns(job)
    rows = [
        {
            "spec": field,
            "selected": job.mapping.get(field.key),
            "required": field.required
            or (field.key == "org_tax_code" and job.organisation_id is None),
        }
        for field in fields_for(job.kind)
        if not (field.key == "org_tax_code" and job.organisation_id)
    ]
    context = {
        "job": job,
        "columns": columns,
        "rows": rows,
        "errors": errors,
        "preview": job.report.get("preview", []),
        "sheets": job.report.get("sheets", []),
    }
    return render(request, "registry/import/mapping.html", context)


def _problem_rows(job: ImportJob, preview: bool):
    for row in job.report.get("problems", []):
        yield {
            "row": row["row"],
            "label": row["label"],
            "key": row["key"],
            "outcome": import_report.outcome_label(row["outcome"], preview=preview),
            "skipped": row["outcome"] == "skipped",
            "ignored": row["outcome"] == "ignored",
            "problems": [(render_problem(p), p.get("severity", "error")) for p in row["problems"]],
        }


def _progress(job: ImportJob) -> dict:
    done = max(job.processed_rows, cache.get(f"import-progress-{job.pk}") or 0)
    total = job.total_rows or job.report.get("estimated_rows") or 0
    percent = min(99, round(100 * done / total)) if total else None
    return {"done": done, "total": total, "percent": percent}


@access(roles=SEE)
def import_detail(request, pk: int):
    job = get_visible_or_404(
        ImportJob.objects.select_related("province", "organisation", "created_by"),
        request.user,
        pk=pk,
    )
    editable = ImportJob.objects.editable_by(request.user).filter(pk=job.pk).exists()
    preview = job.status == ImportStatus.PREVIEW
    problems = list(_problem_rows(job, preview))
    page = Paginator(problems, 50).get_page(request.GET.get("page"))
    context = {
        "job": job,
        "editable": editable,
        "preview": preview,
        "page": page,
        "problem_count": len(problems),
        "running": job.status in RUNNING,
        "progress": _progress(job),
        "modes": ImportJob.Mode.choices,
        "has_report": bool(job.report.get("report_file")),
    }
    return render(request, "registry/import/detail.html", context)


@access(roles=SEE)
def import_progress(request, pk: int):
    job = get_visible_or_404(ImportJob, request.user, pk=pk)
    if job.status not in RUNNING:
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    return render(
        request,
        "registry/import/_progress.html",
        {"job": job, "running": True, "progress": _progress(job)},
    )


@require_POST
@access(roles=CHANGE)
def import_run(request, pk: int):
    job = get_editable_or_404(ImportJob, request.user, pk=pk)
    try:
        services.import_start(actor=request.user, job=job, mode=request.POST.get("mode", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("registry:import_detail", pk=job.pk)


@access(roles=SEE)
def import_report_download(request, pk: int):
    job = get_visible_or_404(ImportJob, request.user, pk=pk)
    name = job.report.get("report_file")
    filename = f"bao-cao-nhap-{job.pk}.xlsx"
    if name and default_storage.exists(name):
        return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=filename)
    # no rows checked yet: a report of what is known
    counts = {"total": job.total_rows}
    outcomes = [
        (r["row"], r["outcome"], r["key"], r["label"], r["problems"])
        for r in job.report.get("problems", [])
    ]
    data = import_report.build_xlsx(outcomes, counts=counts, preview=True, title=job.original_name)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
