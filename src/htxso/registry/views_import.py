"""Import pages: upload → map columns → preview with every problem → import → report.

Department viewers see their province's import history and reports, read-only; only
those who may change the data (VCA, province officers, cooperative managers for their
own organisation's members, workers and annual figures) upload and import.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.consent import log_sensitive_export
from htxso.core.errors import Kind, ServiceError
from htxso.core.files import PRIVATE, private_file_response, private_storage
from htxso.core.forms import show_service_error
from htxso.core.policy import allowed, get_allowed_or_404, holds_at
from htxso.geo.models import Province

from .importing import report as import_report
from .importing.engine import column_title
from .importing.fields import fields_for
from .importing.values import ENCODING_NAMES
from .importing.values import render as render_problem
from .models import ImportJob, ImportKind, ImportStatus, Organisation
from .services import imports as services

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

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text % {
            "mb": services.reading.max_bytes() // (1024 * 1024)
        }
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"
        # where ImportJob.policy lets the user create a job (services.can_import)
        everywhere, reached, managed = ImportJob.policy.reach(user, "change")
        reach = None if everywhere else sorted(reached)  # None: every province
        provinces = Province.objects.all()
        if reach is not None:
            provinces = provinces.filter(pk__in=reach)
        self.fields["province"].queryset = provinces
        orgs = Organisation.objects.filter(pk__in=sorted(managed))
        self.fields["organisation"].queryset = orgs
        self.staff = reach is None or bool(reach)
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


class SheetForm(forms.Form):
    sheet = forms.CharField(required=False, max_length=200)


class MappingForm(forms.Form):
    """One optional column number per field of the job's kind (``map-<key>``)."""

    def __init__(self, *args: Any, job: ImportJob, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for spec in fields_for(job.kind, job.report.get("headers")):
            self.fields[f"map-{spec.key}"] = forms.CharField(required=False)

    def mapping(self) -> dict[str, int]:
        """The columns chosen (a field left blank, or not a column number, is unmapped)."""
        out: dict[str, int] = {}
        for name, value in self.cleaned_data.items():
            value = (value or "").strip()
            if value.isdigit():
                out[name.removeprefix("map-")] = int(value)
        return out


class RunForm(forms.Form):
    mode = forms.CharField(required=False, max_length=20)  # the service checks it


class CancelForm(forms.Form):
    confirm = forms.CharField(required=False, max_length=5)

    def clean_confirm(self) -> str:
        if self.cleaned_data.get("confirm") != "1":
            raise forms.ValidationError(_("Confirm that the import should be cancelled."))
        return "1"


def _refuse_actor(request: Any, exc: ServiceError) -> None:
    """A refusal of the actor answers 403/404 (``show_service_error`` raises); a
    refusal of the input returns, for the page to show where it belongs."""
    if exc.kind in (Kind.FORBIDDEN, Kind.NOT_FOUND):
        show_service_error(request, exc)


def _problems(request: Any, exc: ServiceError) -> list[str]:
    """The messages of a refusal of the input, listed on the page."""
    _refuse_actor(request, exc)
    return exc.messages


def _can_upload(user: Any) -> bool:
    everywhere, provinces, organisations = ImportJob.policy.reach(user, "change")
    return everywhere or bool(provinces) or bool(organisations)


@access(roles=roles.READERS)
def import_list(request: HttpRequest) -> HttpResponse:
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
            except ServiceError as exc:
                _refuse_actor(request, exc)
                form.add_error("file", exc)  # on the file field, with its code
            else:
                return redirect("registry:import_mapping", pk=job.pk)
    jobs = allowed(ImportJob, request.user, "view").select_related(
        "province", "organisation", "created_by"
    )
    page = Paginator(jobs, 20).get_page(request.GET.get("page"))
    return render(request, "registry/import/list.html", {"form": form, "page": page})


def _columns(job: ImportJob) -> list[tuple[int, str]]:
    headers = job.report.get("headers", [])
    return [(i, h or f"#{i + 1}") for i, h in enumerate(headers)]


@access(roles=roles.EDITORS)
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_allowed_or_404(
        ImportJob.objects.select_related("province"), request.user, "change", pk=pk
    )
    if job.status in RUNNING or job.status == ImportStatus.DONE:
        return redirect("registry:import_detail", pk=job.pk)
    errors: list[str] = []
    if request.method == "POST":
        choose_sheet = "choose_sheet" in request.POST
        form: forms.Form = (
            SheetForm(request.POST) if choose_sheet else MappingForm(request.POST, job=job)
        )
        if not form.is_valid():
            errors = [e for field_errors in form.errors.values() for e in field_errors]
        else:
            try:
                if isinstance(form, SheetForm):
                    services.import_choose_sheet(
                        actor=request.user, job=job, sheet=form.cleaned_data["sheet"]
                    )
                    return redirect("registry:import_mapping", pk=job.pk)
                assert isinstance(form, MappingForm)
                services.import_set_mapping(actor=request.user, job=job, mapping=form.mapping())
                return redirect("registry:import_detail", pk=job.pk)
            except ServiceError as exc:
                errors = _problems(request, exc)
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


@access(roles=roles.READERS)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_allowed_or_404(
        ImportJob.objects.select_related("province", "organisation", "created_by"),
        request.user,
        "view",
        pk=pk,
    )
    job = _recover_if_stopped(job)
    editable = ImportJob.policy.allows(request.user, "change", job)
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
        and ImportJob.policy.allows(request.user, "download_file", job),
    }
    return render(request, "registry/import/detail.html", context)


@access(roles=roles.READERS)
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = _recover_if_stopped(get_allowed_or_404(ImportJob, request.user, "view", pk=pk))
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
@access(roles=roles.EDITORS)
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a job being checked or imported; the worker undoes what it wrote."""
    job = get_allowed_or_404(ImportJob, request.user, "change", pk=pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("registry:import_detail", pk=job.pk)
    try:
        services.import_cancel(actor=request.user, job=job)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(
            request,
            _("The import is being cancelled: everything it wrote is taken back."),
        )
    return redirect("registry:import_detail", pk=job.pk)


@require_POST
@access(roles=roles.EDITORS)
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_allowed_or_404(ImportJob, request.user, "change", pk=pk)
    form = RunForm(request.POST)
    mode = form.cleaned_data["mode"] if form.is_valid() else ""
    try:
        services.import_start(actor=request.user, job=job, mode=mode)
    except ServiceError as exc:
        show_service_error(request, exc)
    return redirect("registry:import_detail", pk=job.pk)


@access(roles=roles.READERS)
def import_report_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_allowed_or_404(ImportJob, request.user, "view", pk=pk)
    name = job.report.get("report_file")
    filename = f"bao-cao-nhap-{job.pk}.xlsx"
    if job.kind in (ImportKind.MEMBERS, ImportKind.WORKERS):  # rows keyed by ID number
        # ID numbers are sensitive data: only the roles that work with them (a
        # department viewer reads the import's figures on its page, not the rows)
        if not holds_at(
            request.user,
            roles.SENSITIVE_READERS,
            province=job.province_id,
            organisation=job.organisation_id,
        ):
            raise PermissionDenied(
                _(
                    "This report lists people by their ID number: only the province's "
                    "officer, the cooperative's manager and the VCA may download it."
                )
            )
        log_sensitive_export(
            actor=request.user,
            what=f"{job.get_kind_display()}: {job.original_name}"[:200],
            people=job.total_rows,
            province=job.province_id,
            organisation_id=job.organisation_id,
        )
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


@access(roles=roles.EDITORS)
def import_file_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The uploaded spreadsheet itself, for the person who uploaded it and national
    staff; others who may run the import work from the report (403)."""
    job = get_allowed_or_404(ImportJob, request.user, "change", pk=pk)
    ImportJob.policy.check(request.user, "download_file", job)
    if job.kind in (ImportKind.MEMBERS, ImportKind.WORKERS):  # ID numbers, ethnicity
        log_sensitive_export(
            actor=request.user,
            what=f"{job.get_kind_display()}: {job.original_name}"[:200],
            people=job.total_rows,
            province=job.province_id,
            organisation_id=job.organisation_id,
        )
    return private_file_response(PRIVATE, job.file.name, job.original_name)
