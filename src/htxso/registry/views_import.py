"""Import pages: upload → map columns → preview with every problem → import → report.

Department viewers see their province's import history and reports, read-only; only
those who may change the data (VCA, province officers, cooperative managers for their
own organisation's members, workers and annual figures) upload and import.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from htxso.core.access import access
from htxso.core.files import PRIVATE, private_file_response, private_storage
from htxso.core.scoping import get_editable_or_404, get_scope, get_visible_or_404
from htxso.geo.models import Province

from .importing import report as import_report
from .importing.engine import column_title
from .importing.fields import fields_for
from .importing.values import ENCODING_NAMES
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
    if job.status in RUNNING or job.status == ImportStatus.DONE:
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
            for field in fields_for(job.kind, job.report.get("headers")):
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
        for field in fields_for(job.kind, job.report.get("headers"))
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


def _not_imported(job: ImportJob) -> list[str]:
    """The file's columns no field is mapped to: shown, so that nothing is dropped
    without the officer seeing it."""
    used = {int(col) for col in job.mapping.values()}
    return [
        column_title(col, header)
        for col, header in enumerate(job.report.get("headers", []))
        if col not in used
    ]


def _conversions(job: ImportJob) -> list[tuple[str, list[tuple[str, int]]]]:
    """Per column, how many cells were converted from each legacy encoding."""
    return [
        (column, [(ENCODING_NAMES.get(enc, enc), n) for enc, n in sorted(counts.items())])
        for column, counts in (job.report.get("conversions") or {}).items()
    ]


#: Converted rows listed on the page (all of them are in the downloadable report).
CONVERTED_ROWS_SHOWN = 50


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
    # committed by the worker after every batch (the data of that batch with it)
    done = job.processed_rows
    total = job.total_rows or job.report.get("estimated_rows") or 0
    percent = min(99, round(100 * done / total)) if total else None
    return {"done": done, "total": total, "percent": percent}


def _recover_if_stopped(job: ImportJob) -> ImportJob:
    """A job shown as checking/importing whose worker died is rolled back now (a large
    undo continues in the background) and shown as failed."""
    if job.status in RUNNING and services.stale_jobs(job_ids=[job.pk]).exists():
        services.import_recover_stale(job_ids=[job.pk], undo_now=False)
        job.refresh_from_db()
    return job


@access(roles=SEE)
def import_detail(request, pk: int):
    job = get_visible_or_404(
        ImportJob.objects.select_related("province", "organisation", "created_by"),
        request.user,
        pk=pk,
    )
    job = _recover_if_stopped(job)
    editable = ImportJob.objects.editable_by(request.user).filter(pk=job.pk).exists()
    # counts and outcomes of the check (also those of a job stopped before importing)
    preview = job.status == ImportStatus.PREVIEW or (
        job.status in (ImportStatus.FAILED, ImportStatus.CANCELLED)
        and job.report.get("step") == "validate"
    )
    rows = list(_problem_rows(job, preview))
    # rows whose only remark is a conversion from an old font are not "problems": they
    # are listed apart, under the conversions
    problems = [r for r in rows if any(sev != "note" for _text, sev in r["problems"])]
    converted = [r for r in rows if all(sev == "note" for _text, sev in r["problems"])]
    page = Paginator(problems, 50).get_page(request.GET.get("page"))
    context = {
        "job": job,
        "editable": editable,
        "preview": preview,
        "page": page,
        "problem_count": len(problems),
        "running": job.status in RUNNING,
        "progress": _progress(job),
        "restartable": services.can_restart(job),
        "not_imported": _not_imported(job) if job.mapping else [],
        "conversions": _conversions(job),
        "converted_rows": converted[:CONVERTED_ROWS_SHOWN],
        "converted_count": len(converted),
        "modes": ImportJob.Mode.choices,
        "has_report": bool(job.report.get("report_file")),
        # the same rule as import_file_download: the uploader and national staff
        "may_download_file": editable
        and bool(job.file)
        and (job.created_by_id == request.user.pk or get_scope(request.user).national_edit),
    }
    return render(request, "registry/import/detail.html", context)


@access(roles=SEE)
def import_progress(request, pk: int):
    job = _recover_if_stopped(get_visible_or_404(ImportJob, request.user, pk=pk))
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
def import_cancel(request, pk: int):
    """Stop a job being checked or imported; the worker undoes what it wrote."""
    job = get_editable_or_404(ImportJob, request.user, pk=pk)
    try:
        if request.POST.get("confirm") != "1":
            raise ValidationError(_("Confirm that the import should be cancelled."))
        services.import_cancel(actor=request.user, job=job)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The import is being cancelled: everything it wrote is taken back."),
        )
    return redirect("registry:import_detail", pk=job.pk)


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
    if name and private_storage().exists(name):
        return private_file_response(PRIVATE, name, filename)
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
    response["Cache-Control"] = "private, no-store"
    return response


@access(roles=CHANGE)
def import_file_download(request, pk: int):
    """The uploaded spreadsheet itself, for the person who uploaded it and national
    staff; others who may run the import work from the report."""
    job = get_editable_or_404(ImportJob, request.user, pk=pk)
    if job.created_by_id != request.user.pk and not get_scope(request.user).national_edit:
        raise PermissionDenied
    return private_file_response(PRIVATE, job.file.name, job.original_name)
