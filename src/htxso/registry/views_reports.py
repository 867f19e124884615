"""Annual report pages.  Thin: parse → access → selector/service → render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.formatting import ParseError, format_number, format_vnd, parse_vnd
from htxso.core.forms import bounded_integers, show_service_error
from htxso.core.policy import get_allowed_or_404

from . import selectors_reports as selectors
from .models import AnnualReport, Organisation, ReportStatus, report_due_date
from .services import reports as services


def _cap(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


BOOL_CHOICES = [
    ("", gettext_lazy("Not stated")),
    ("yes", gettext_lazy("Yes")),
    ("no", gettext_lazy("No")),
]


@bounded_integers
class ReportForm(forms.Form):
    """One field per figure of form VII-2; amounts accept "1.234.567"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in services.INTEGER_FIELDS:
            label = AnnualReport._meta.get_field(name).verbose_name
            self.fields[name] = forms.IntegerField(
                label=_cap(label),
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
            )
        for name in services.MONEY_FIELDS:
            field = AnnualReport._meta.get_field(name)
            self.fields[name] = forms.CharField(
                label=_cap(field.verbose_name),
                required=False,
                max_length=40,
                help_text=field.help_text or None,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )
        for name in services.BOOL_FIELDS:
            label = AnnualReport._meta.get_field(name).verbose_name
            self.fields[name] = forms.ChoiceField(
                label=_cap(label), required=False, choices=BOOL_CHOICES
            )
        self.fields["notes"] = forms.CharField(
            label=_("Notes"),
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def _clean_money(self, name):
        value = self.cleaned_data.get(name)
        if not value:
            return None
        try:
            return parse_vnd(value, allow_negative=True)
        except ParseError as exc:
            raise ValidationError(str(exc), code=exc.code) from exc

    def clean(self):
        data = super().clean()
        for name in services.MONEY_FIELDS:
            if name in data:
                try:
                    data[name] = self._clean_money(name)
                except ValidationError as exc:
                    self.add_error(name, exc)
        for name in services.BOOL_FIELDS:
            data[name] = {"yes": True, "no": False}.get(data.get(name) or "")
        return data


class NextStepForm(forms.Form):
    """Which button saved the form: keep the draft, or submit it too."""

    then = forms.ChoiceField(choices=[("save", "save"), ("submit", "submit")], required=False)

    @classmethod
    def wants_submit(cls, data: Any) -> bool:
        form = cls(data)
        return form.is_valid() and form.cleaned_data["then"] == "submit"


class ReviewForm(forms.Form):
    """The province's decision on a submitted report (the service checks the comment)."""

    decision = forms.ChoiceField(choices=[("accept", "accept"), ("return", "return")])
    comment = forms.CharField(required=False, strip=False)

    def clean_comment(self) -> str:
        return self.cleaned_data["comment"][:5000]


def _initial(report: AnnualReport | None, prefill: dict) -> dict:
    source = {name: getattr(report, name) for name in services.FIELDS} if report else prefill
    initial = {}
    for name, value in source.items():
        if value is None:
            continue
        if name in services.MONEY_FIELDS:
            initial[name] = format_number(value)
        elif name in services.BOOL_FIELDS:
            initial[name] = "yes" if value else "no"
        else:
            initial[name] = value
    return initial


def _figures(report: AnnualReport) -> list[tuple[str, str]]:
    rows = []
    for name in services.FIELDS:
        if name == "notes":
            continue
        value = getattr(report, name)
        label = _cap(AnnualReport._meta.get_field(name).verbose_name)
        if value is None:
            shown = "—"
        elif name in services.MONEY_FIELDS:
            shown = format_vnd(value)
        elif name in services.BOOL_FIELDS:
            shown = _("Yes") if value else _("No")
        else:
            shown = format_number(value)
        rows.append((label, shown))
    return rows


def _may_file(user: Any, organisation: Organisation) -> bool:
    return AnnualReport.policy.allows_at(
        user, "file", province=organisation.province_id, organisation=organisation.pk
    )


@access(roles=roles.READERS)
def report_list_for_org(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_allowed_or_404(
        Organisation.objects.select_related("province"), request.user, "view", pk=org_pk
    )
    reports = list(selectors.report_list(user=request.user, organisation=organisation))
    today = services.today_local()
    existing = {r.year for r in reports}
    years = [y for y in range(today.year, today.year - 4, -1) if y not in existing]
    return render(
        request,
        "registry/reports/org_reports.html",
        {
            "organisation": organisation,
            "reports": [(r, services.is_late(r, today=today)) for r in reports],
            "new_years": years,
            "can_edit": _may_file(request.user, organisation),
            "due_this_year": report_due_date(today.year),
        },
    )


@access(roles=roles.MANAGERS)
def report_edit(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    if not 1990 <= year <= 2100:
        raise Http404
    organisation = get_allowed_or_404(
        Organisation.objects.select_related("province"), request.user, "view", pk=org_pk
    )
    if not _may_file(request.user, organisation):
        raise PermissionDenied
    today = services.today_local()
    report = AnnualReport.objects.filter(organisation=organisation, year=year).first()
    year_error = ""
    try:
        services.validate_year(year, today=today)
    except ServiceError as exc:
        year_error = "; ".join(exc.messages)
    locked = services.locked_reason(report) if report else ""
    prefill = services.report_prefill(organisation=organisation, year=year) if not report else {}
    if request.method == "POST" and not locked and not year_error:
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                report = services.annual_report_save(
                    actor=request.user,
                    organisation=organisation,
                    year=year,
                    data=form.cleaned_data,
                    today=today,
                )
            except ServiceError as exc:
                show_service_error(request, exc, form)
            else:
                if NextStepForm.wants_submit(request.POST):
                    try:
                        services.annual_report_submit(actor=request.user, report=report)
                    except ServiceError as exc:
                        show_service_error(request, exc)
                        return redirect("registry:report_detail", pk=report.pk)
                    messages.success(request, _("The report was submitted to the province."))
                else:
                    messages.success(request, _("The draft was saved."))
                return redirect("registry:report_detail", pk=report.pk)
    else:
        form = ReportForm(initial=_initial(report, prefill))
    status = 409 if request.method == "POST" and locked else 200
    return render(
        request,
        "registry/reports/report_form.html",
        {
            "organisation": organisation,
            "year": year,
            "report": report,
            "form": form,
            "locked": locked,
            "year_error": year_error,
            "prefilled": bool(prefill) and request.method == "GET",
            "due_on": report_due_date(year),
            "late": today > report_due_date(year),
        },
        status=status,
    )


@access(roles=roles.READERS)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    organisation = report.organisation
    return render(
        request,
        "registry/reports/report_detail.html",
        {
            "report": report,
            "organisation": report.organisation,
            "figures": _figures(report),
            "events": selectors.report_events(report),
            "late": services.is_late(report),
            "can_edit": report.status in services.EDITABLE
            and _may_file(request.user, organisation),
            "can_review": report.status == ReportStatus.SUBMITTED
            and AnnualReport.policy.allows_at(
                request.user,
                "review",
                province=organisation.province_id,
                organisation=organisation.pk,
            ),
            "locked": services.locked_reason(report),
        },
    )


def _redirect_detail(report: AnnualReport) -> HttpResponse:
    return redirect("registry:report_detail", pk=report.pk)


@access(roles=roles.MANAGERS)
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk, action="file")
    try:
        services.annual_report_submit(actor=request.user, report=report)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("The report was submitted to the province."))
    return _redirect_detail(report)


@access(roles=roles.REVIEWERS)
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk, action="review")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or to return the report."))
        return _redirect_detail(report)
    decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
    try:
        if decision == "accept":
            services.annual_report_accept(actor=request.user, report=report, comment=comment)
            messages.success(request, _("The report was accepted."))
        else:
            services.annual_report_return(actor=request.user, report=report, comment=comment)
            messages.success(request, _("The report was returned to the organisation."))
    except ServiceError as exc:
        show_service_error(request, exc)
    return _redirect_detail(report)


@access(roles=roles.STAFF)
def report_queue(request: HttpRequest) -> HttpResponse:
    today = services.today_local()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 1990), today.year)
    status = request.GET.get("status", "")
    if status not in ReportStatus.values:
        status = ""
    provinces = selectors.province_choices(request.user)
    province = request.GET.get("province", "")
    if province not in {code for code, _name in provinces}:
        province = ""
    reports = selectors.report_list(user=request.user, year=year, status=status, province=province)
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    due = report_due_date(year)
    missing_qs = selectors.organisations_without_report(
        user=request.user, year=year, province=province
    )
    missing = list(missing_qs[:50])
    return render(
        request,
        "registry/reports/queue.html",
        {
            "page": page,
            "rows": [(r, services.is_late(r, today=today)) for r in page.object_list],
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "status": status,
            "statuses": ReportStatus.choices,
            "province": province,
            "provinces": provinces,
            "counts": selectors.report_counts(user=request.user, year=year, province=province),
            "due": due,
            "past_due": today > due,
            "missing": missing,
            "missing_count": missing_qs.count() if len(missing) == 50 else len(missing),
        },
    )
