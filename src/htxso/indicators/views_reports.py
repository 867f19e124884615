"""Pages of the periodic reports (``/ket-qua/bao-cao/…``).

Thin: parse (a form) → access (``@access`` and the model's policy, where office
membership is a policy hook) → service → redirect.  Another province's ids answer 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.files import PRIVATE, private_file_response
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404, reach_of
from htxso.geo.models import Province

from . import selectors_reports as sel
from . import services_reports as svc
from .forms_reports import (
    CopyForm,
    CycleForm,
    DecisionForm,
    FigureForm,
    MembersForm,
    OfficeForm,
    SectionForm,
    SubmissionForm,
    TemplateEditForm,
    TemplateForm,
)
from .models import (
    CompiledReport,
    ReportCycle,
    ReportFigure,
    ReportingOffice,
    ReportSection,
    ReportTemplate,
    Submission,
    SubmissionStatus,
)


def _warnings(sub: Submission | None) -> list[str]:
    return [svc.warning_text(w) for w in (sub.warnings if sub else [])]


def _editable_provinces(user: Any) -> list[Province]:
    everywhere, provinces, _orgs = reach_of(user, roles.REVIEWERS)
    qs = Province.objects.all() if everywhere else Province.objects.filter(pk__in=provinces)
    return list(qs.order_by("code"))


# ------------------------------------------------------------------ home


@access(authenticated=True)
def reports_home(request: HttpRequest) -> HttpResponse:
    """An office member's "my reports" (phone first) and, for the compiling office and
    the province's staff, the cycles they follow."""
    mine = sel.my_reports(request.user)
    cycles = list(sel.cycles_for(request.user)[:50])
    return render(
        request,
        "indicators/reports/home.html",
        {
            "mine": mine,
            "cycles": cycles,
            "may_define": bool(_editable_provinces(request.user)),
            "STATUS": SubmissionStatus,
        },
    )


# ------------------------------------------------------------------ the office's form


def _section_rows(sections, sub: Submission | None, platform: dict[str, int], form) -> list[dict]:
    rows = []
    for s in sections:
        rows.append(
            {
                "section": s,
                "narrative": form[f"narrative_{s.pk}"],
                "platform": [
                    (sel.PLATFORM_FIGURES[k], svc.number(platform.get(k)))
                    for k in s.platform_figures
                    if k in sel.PLATFORM_FIGURES
                ],
                "figures": [(f, form[f"figure_{f.key}"]) for f in s.figures.all()],
            }
        )
    return rows


@access(authenticated=True)
def report_fill(request: HttpRequest, pk: int, office: int) -> HttpResponse:
    """The office's report for a cycle: pre-filled platform figures, narratives and
    figures; save a draft or submit."""
    cycle = get_allowed_or_404(ReportCycle.objects.select_related("template"), request.user, pk=pk)
    office_obj = get_allowed_or_404(
        ReportingOffice.objects.filter(pk__in=cycle.template.offices.values("pk")),
        request.user,
        pk=office,
    )
    if not sel.is_member(request.user, office_obj):
        raise PermissionDenied  # the province's staff see the cycle, only members fill
    sub = Submission.objects.filter(cycle=cycle, office=office_obj).first()
    sections, defs = svc.template_parts(cycle.template)
    platform = sel.platform_figures(office_obj, cycle.period)
    initial: dict[str, str] = {}
    for s in sections:
        initial[f"narrative_{s.pk}"] = (sub.narratives if sub else {}).get(str(s.pk), "")
    for f in defs:
        value = (sub.figures if sub else {}).get(f.key)
        if value is None and sub is None and f.platform_key in platform:
            value = platform[f.platform_key]
        initial[f"figure_{f.key}"] = "" if value is None else svc.number(value)
    editable = sub is None or sub.status in svc.EDITABLE
    form = SubmissionForm(request.POST or None, sections=sections, initial_values=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = svc.submission_save(
                actor=request.user,
                cycle=cycle,
                office=office_obj,
                narratives=form.narratives(),
                figures=form.figures(),
                submit=form.wants_submit(),
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            if saved.status == SubmissionStatus.SUBMITTED:
                messages.success(request, _("Your report was submitted."))
                for text in _warnings(saved):
                    messages.warning(request, text)
            else:
                messages.success(request, _("Draft saved."))
            return redirect("indicators:report_fill", pk=cycle.pk, office=office_obj.pk)
    return render(
        request,
        "indicators/reports/fill.html",
        {
            "cycle": cycle,
            "office": office_obj,
            "sub": sub,
            "form": form,
            "rows": _section_rows(sections, sub, platform, form),
            "indicators": sel.indicator_values(cycle.template, cycle.period, office_obj),
            "editable": editable,
            "warnings": _warnings(sub),
            "events": list(sub.events.all()) if sub else [],
            "late": sel.is_overdue(cycle, sub, timezone.localdate()),
        },
    )


# ------------------------------------------------------------------ the compiling office


def _submission_context(request: HttpRequest, sub: Submission, form=None) -> dict:
    sections, _defs = svc.template_parts(sub.cycle.template)
    return {
        "sub": sub,
        "cycle": sub.cycle,
        "sections": [
            {
                "section": s,
                "narrative": sub.narratives.get(str(s.pk), ""),
                "platform": [
                    (sel.PLATFORM_FIGURES[k], svc.number(sub.platform.get(k)))
                    for k in s.platform_figures
                    if k in sel.PLATFORM_FIGURES
                ],
                "figures": [
                    (f, svc.number(sub.figures[f.key]) if f.key in sub.figures else None)
                    for f in s.figures.all()
                ],
            }
            for s in sections
        ],
        "warnings": _warnings(sub),
        "events": list(sub.events.all()),
        "may_review": Submission.policy.allows(request.user, "review", sub),
        "form": form or DecisionForm(),
    }


@access(authenticated=True)
def report_submission(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_allowed_or_404(
        Submission.objects.select_related("cycle", "cycle__template", "office"),
        request.user,
        pk=pk,
    )
    return render(request, "indicators/reports/submission.html", _submission_context(request, sub))


def _decide(request: HttpRequest, pk: int, doing: str) -> HttpResponse:
    sub = get_allowed_or_404(
        Submission.objects.select_related("cycle", "cycle__template", "office"),
        request.user,
        "review",
        pk=pk,
    )
    form = DecisionForm(request.POST)
    if form.is_valid():
        run = svc.submission_return if doing == "return" else svc.submission_accept
        try:
            run(actor=request.user, submission=sub, comment=form.cleaned_data["comment"])
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(
                request,
                _("The report was returned to the office.")
                if doing == "return"
                else _("The report was accepted."),
            )
            return redirect("indicators:report_cycle", pk=sub.cycle_id)
    sub.refresh_from_db()
    return render(
        request,
        "indicators/reports/submission.html",
        _submission_context(request, sub, form),
        status=400,
    )


@access(authenticated=True)
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "return")


@access(authenticated=True)
@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "accept")


@access(authenticated=True)
def report_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    """Who submitted, who is late, who was returned, with counts; compile and send."""
    cycle = get_allowed_or_404(
        ReportCycle.objects.select_related("template", "template__compiling_office"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "indicators/reports/cycle.html",
        {
            "cycle": cycle,
            "view": sel.overview(cycle),
            "compiled": list(cycle.compiled.all()),
            "may_compile": ReportCycle.policy.allows(request.user, "compile", cycle),
        },
    )


def _cycle_action(request: HttpRequest, pk: int, run) -> HttpResponse:
    cycle = get_allowed_or_404(ReportCycle, request.user, "compile", pk=pk)
    try:
        run(cycle)
    except ServiceError as exc:
        show_service_error(request, exc)
    return redirect("indicators:report_cycle", pk=cycle.pk)


@access(authenticated=True)
@require_POST
def report_remind(request: HttpRequest, pk: int) -> HttpResponse:
    def run(cycle):
        n = svc.cycle_remind(actor=request.user, cycle=cycle)
        messages.success(request, _("%(n)s reminders sent.") % {"n": n})

    return _cycle_action(request, pk, run)


@access(authenticated=True)
@require_POST
def report_compile(request: HttpRequest, pk: int) -> HttpResponse:
    def run(cycle):
        compiled = svc.cycle_compile(actor=request.user, cycle=cycle)
        messages.success(
            request,
            _("The province report was compiled (version %(v)s).") % {"v": compiled.version},
        )

    return _cycle_action(request, pk, run)


@access(authenticated=True)
@require_POST
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    compiled = get_allowed_or_404(CompiledReport, request.user, "compile", pk=pk)
    try:
        sent = svc.compiled_send(actor=request.user, compiled=compiled)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(
            request, _("Sent to: %(names)s.") % {"names": ", ".join(r["name"] for r in sent)}
        )
    return redirect("indicators:report_cycle", pk=compiled.cycle_id)


def _download(request: HttpRequest, pk: int, ext: str) -> HttpResponseBase:
    compiled = get_allowed_or_404(
        CompiledReport.objects.select_related("cycle", "cycle__template"), request.user, pk=pk
    )
    field = compiled.docx if ext == "docx" else compiled.xlsx
    return private_file_response(PRIVATE, field.name, svc.filename(compiled, ext))


@access(authenticated=True)
def report_docx(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _download(request, pk, "docx")


@access(authenticated=True)
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _download(request, pk, "xlsx")


# ------------------------------------------------------------------ the province defines


@access(roles=roles.STAFF)
def report_templates(request: HttpRequest) -> HttpResponse:
    provinces = _editable_provinces(request.user)
    form = TemplateForm(request.POST or None, provinces=provinces) if provinces else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                template = svc.template_create(
                    actor=request.user,
                    province_id=form.cleaned_data["province"],
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    due_day=form.cleaned_data["due_day"],
                    due_month=form.cleaned_data["due_month"],
                    compiling_office=form.cleaned_data["compiling_office"],
                    offices=list(form.cleaned_data["offices"]),
                    recipients=form.cleaned_data["recipients"],
                )
            except ServiceError as exc:
                show_service_error(request, exc, form)
            else:
                return redirect("indicators:report_template", pk=template.pk)
    templates = ReportTemplate.objects.allowed(request.user, "view").select_related("province")
    return render(
        request,
        "indicators/reports/templates.html",
        {"templates": templates, "form": form},
    )


def _template_page(request: HttpRequest, template: ReportTemplate, status: int = 200, **forms):
    sections, _defs = svc.template_parts(template)
    may_change = ReportTemplate.policy.allows(request.user, "change", template)
    edit_section = forms.get("edit_section")
    ctx = {
        "template": template,
        "sections": sections,
        "cycles": list(template.cycles.all()),
        "may_change": may_change,
        "locked": svc.template_locked(template),
        "section_form": forms.get("section_form") or SectionForm(),
        "figure_form": forms.get("figure_form") or FigureForm(),
        "cycle_form": forms.get("cycle_form") or CycleForm(),
        "figure_section": forms.get("figure_section"),
        "edit_form": (forms.get("edit_form") or TemplateEditForm(template=template))
        if may_change
        else None,
        "edit_open": "edit_form" in forms,
        "copy_form": forms.get("copy_form") or CopyForm(),
        "copy_open": "copy_form" in forms,
        "section_edit_forms": {
            s.pk: (
                forms["section_edit_form"]
                if edit_section is not None and edit_section.pk == s.pk
                else SectionForm(
                    prefix=f"s{s.pk}",
                    initial={
                        "title": s.title,
                        "guidance": s.guidance,
                        "platform_figures": s.platform_figures,
                    },
                )
            )
            for s in sections
        }
        if may_change
        else {},
        "edit_section": edit_section,
        "offices": list(template.offices.all()),
    }
    for s in sections:
        s.edit_form = ctx["section_edit_forms"].get(s.pk)
    return render(request, "indicators/reports/template.html", ctx, status=status)


@access(authenticated=True)
def report_template(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_allowed_or_404(ReportTemplate, request.user, pk=pk)
    return _template_page(request, template)


@access(roles=roles.REVIEWERS)
@require_POST
def report_section_add(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_allowed_or_404(ReportTemplate, request.user, "change", pk=pk)
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            svc.section_add(actor=request.user, template=template, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            return redirect("indicators:report_template", pk=template.pk)
    return _template_page(request, template, 400, section_form=form)


@access(roles=roles.REVIEWERS)
@require_POST
def report_figure_add(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_allowed_or_404(ReportSection, request.user, "change", pk=pk)
    form = FigureForm(request.POST)
    if form.is_valid():
        try:
            svc.figure_add(actor=request.user, section=section, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            return redirect("indicators:report_template", pk=section.template_id)
    return _template_page(request, section.template, 400, figure_form=form, figure_section=section)


@access(roles=roles.REVIEWERS)
@require_POST
def report_template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the template's name, due date, recipients and offices."""
    template = get_allowed_or_404(ReportTemplate, request.user, "change", pk=pk)
    form = TemplateEditForm(request.POST, template=template)
    if form.is_valid():
        try:
            svc.template_update(
                actor=request.user,
                template=template,
                name=form.cleaned_data["name"],
                due_day=form.cleaned_data["due_day"],
                due_month=form.cleaned_data["due_month"],
                offices=list(form.cleaned_data["offices"]),
                recipients=form.cleaned_data["recipients"],
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("The report template was changed."))
            return redirect("indicators:report_template", pk=template.pk)
    return _template_page(request, template, 400, edit_form=form)


@access(roles=roles.REVIEWERS)
@require_POST
def report_template_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy the template for the next periods (the old one is retired)."""
    template = get_allowed_or_404(ReportTemplate, request.user, "change", pk=pk)
    form = CopyForm(request.POST)
    if form.is_valid():
        try:
            copy = svc.template_copy(
                actor=request.user, template=template, name=form.cleaned_data["name"]
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(
                request, _("A copy was made for the next periods; the old template is retired.")
            )
            return redirect("indicators:report_template", pk=copy.pk)
    return _template_page(request, template, 400, copy_form=form)


@access(roles=roles.REVIEWERS)
@require_POST
def report_section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_allowed_or_404(
        ReportSection.objects.select_related("template"), request.user, "change", pk=pk
    )
    form = SectionForm(request.POST, prefix=f"s{section.pk}")
    if form.is_valid():
        try:
            svc.section_update(actor=request.user, section=section, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("The section was changed."))
            return redirect("indicators:report_template", pk=section.template_id)
    return _template_page(
        request, section.template, 400, section_edit_form=form, edit_section=section
    )


@access(roles=roles.REVIEWERS)
@require_POST
def report_section_delete(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_allowed_or_404(
        ReportSection.objects.select_related("template"), request.user, "change", pk=pk
    )
    try:
        svc.section_delete(actor=request.user, section=section)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("The section was removed."))
    return redirect("indicators:report_template", pk=section.template_id)


@access(roles=roles.REVIEWERS)
@require_POST
def report_figure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    figure = get_allowed_or_404(
        ReportFigure.objects.select_related("section__template"), request.user, "change", pk=pk
    )
    template_id = figure.section.template_id
    try:
        svc.figure_delete(actor=request.user, figure=figure)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("The figure was removed."))
    return redirect("indicators:report_template", pk=template_id)


@access(roles=roles.REVIEWERS)
@require_POST
def report_cycle_open(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_allowed_or_404(ReportTemplate, request.user, "change", pk=pk)
    form = CycleForm(request.POST)
    if form.is_valid():
        try:
            cycle = svc.cycle_open(
                actor=request.user, template=template, period=form.cleaned_data["period"]
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            return redirect("indicators:report_cycle", pk=cycle.pk)
    return _template_page(request, template, 400, cycle_form=form)


@access(roles=roles.STAFF)
def report_offices(request: HttpRequest) -> HttpResponse:
    provinces = _editable_provinces(request.user)
    form = OfficeForm(request.POST or None, provinces=provinces) if provinces else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                svc.office_create(actor=request.user, **form.cleaned_data)
            except ServiceError as exc:
                show_service_error(request, exc, form)
            else:
                messages.success(request, _("Office added."))
                return redirect("indicators:report_offices")
    offices = (
        ReportingOffice.objects.allowed(request.user, "view")
        .select_related("province", "ward")
        .prefetch_related("members")
    )
    return render(
        request,
        "indicators/reports/offices.html",
        {"offices": offices, "form": form, "may_change": bool(provinces)},
    )


@access(roles=roles.REVIEWERS)
@require_POST
def report_office_members(request: HttpRequest, pk: int) -> HttpResponse:
    office = get_allowed_or_404(ReportingOffice, request.user, "change", pk=pk)
    form = MembersForm(request.POST)
    if form.is_valid():
        from htxso.accounts.models import User

        names = form.names()
        users = list(User.objects.filter(username__in=names, is_active=True))
        missing = sorted(set(names) - {u.username for u in users})
        if missing:
            messages.error(
                request, _("Unknown user names: %(names)s.") % {"names": ", ".join(missing)}
            )
        else:
            svc.office_set_members(actor=request.user, office=office, users=users)
            messages.success(request, _("Members saved."))
    return redirect("indicators:report_offices")
