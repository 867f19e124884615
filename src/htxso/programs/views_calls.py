"""Call pages: list, creation and criteria (VCA), detail for everybody concerned."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import holds
from htxso.registry.models import Organisation
from htxso.registry.rules.forms import criterion_form_for

from . import selectors
from .documents import LetterUnavailable, national_letter
from .forms import CallForm
from .models import Application, CallStatus, Criterion, PublicationState
from .services import calls as services
from .services.common import notification_mark_read

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@access(authenticated=True)
def call_list(request):
    is_staff = holds(request.user, roles.STAFF)
    my_provinces = selectors.staff_province_ids(request.user)
    calls = list(
        selectors.calls_visible(request.user).prefetch_related("publications", "compilations")
    )
    managed = list(
        Organisation.objects.filter(pk__in=selectors.applicant_organisation_ids(request.user))
    )
    open_for_me = selectors.calls_for_organisations(request.user, managed) if managed else []
    applied = {(a.call_id, a.organisation_id): a for a in selectors.my_applications(request.user)}
    offers = []
    for c in open_for_me:
        by_province = {p.province_id: p for p in c.publications.all()}
        for o in managed:
            publication = by_province.get(o.province_id)
            if publication is not None and o.kind in (c.audience_kinds or []):
                publication.call = c  # the provincial deadline reads the call's
                offers.append(
                    {
                        "call": c,
                        "organisation": o,
                        "application": applied.get((c.pk, o.pk)),
                        "deadline": publication.effective_deadline,
                    }
                )
    for call in calls:
        published = {p.province_id for p in call.publications.all()}
        forwarded = {c.province_id for c in call.compilations.all()}
        call.my_states = [
            (code, PublicationState.of(published=code in published, forwarded=code in forwarded))
            for code in my_provinces
        ]
    return render(
        request,
        "programs/call_list.html",
        {
            "calls": calls if is_staff else [],
            "offers": offers,
            "my_applications": list(applied.values()),
            "notifications": selectors.unread_notifications(request.user, 20),
            "is_vca": holds(request.user, roles.VCA),
            "is_staff": is_staff,
            "my_provinces": my_provinces,
        },
    )


@access(authenticated=True)
@require_POST
def notifications_read(request):
    notification_mark_read(actor=request.user)
    return redirect("programs:call_list")


def _form_data(form) -> dict:
    return dict(form.cleaned_data)


@access(roles=roles.VCA)
def call_create(request):
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(actor=request.user, data=_form_data(form))
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("Call created. Now add its criteria."))
            return redirect("programs:call_criteria", call_id=call.pk)
    return render(request, "programs/call_form.html", {"form": form, "call": None})


@access(roles=roles.VCA)
def call_edit(request, call_id):
    call = selectors.call_visible_or_404(request.user, call_id)
    initial = {
        name: getattr(call, name)
        for name in services.CALL_FIELDS
        if name not in ("deadline", "forward_deadline")
    }
    initial["deadline"] = timezone.localtime(call.deadline)
    if call.forward_deadline:
        initial["forward_deadline"] = timezone.localtime(call.forward_deadline)
    form = CallForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_update(actor=request.user, call=call, data=_form_data(form))
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("Call saved."))
            return redirect("programs:call_detail", call_id=call.pk)
    return render(request, "programs/call_form.html", {"form": form, "call": call})


@access(roles=roles.VCA)
def call_criteria(request, call_id):
    call = selectors.call_visible_or_404(request.user, call_id)
    form = criterion_form_for(request, default_kind="youth_share")
    if request.method == "GET" and request.headers.get("HX-Request"):
        return render(request, "programs/_criterion_settings.html", {"form": form})
    if form.is_bound and form.is_valid():
        try:
            services.criterion_add(
                actor=request.user,
                call=call,
                kind=form.cleaned_data["kind"],
                label=form.cleaned_data["label"],
                params=form.params(),
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("Criterion added."))
            return redirect("programs:call_criteria", call_id=call.pk)
    form.fields["kind"].widget.attrs.update(
        {
            "hx-get": request.path,
            "hx-target": "#criterion-settings",
            "hx-swap": "outerHTML",
            "hx-trigger": "change",
            "aria-controls": "criterion-settings",
        }
    )
    criteria = list(call.criteria.all())
    for criterion in criteria:
        criterion.description = criterion_summary(criterion)
    return render(
        request,
        "programs/call_criteria.html",
        {"call": call, "form": form, "criteria": criteria},
    )


@access(roles=roles.VCA)
@require_POST
def criterion_delete(request, criterion_id):
    criterion = get_object_or_404(Criterion, pk=criterion_id)
    try:
        services.criterion_delete(actor=request.user, criterion=criterion)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("Criterion removed."))
    return redirect("programs:call_criteria", call_id=criterion.call_id)


@access(roles=roles.VCA)
@require_POST
def call_open(request, call_id):
    call = selectors.call_visible_or_404(request.user, call_id)
    try:
        services.call_open(actor=request.user, call=call)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("The call is open. Provincial alliances can now publish it."))
    return redirect("programs:call_detail", call_id=call.pk)


@access(roles=roles.VCA)
@require_POST
def call_close(request, call_id):
    call = selectors.call_visible_or_404(request.user, call_id)
    try:
        services.call_close(actor=request.user, call=call)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("The call is closed to new applications."))
    return redirect("programs:call_detail", call_id=call.pk)


@access(roles=roles.VCA)
def call_letter(request, call_id):
    call = selectors.call_visible_or_404(request.user, call_id)
    try:
        content = national_letter(call)
    except LetterUnavailable as exc:
        show_service_error(request, exc)
        return redirect("programs:call_detail", call_id=call.pk)
    return download(content, f"cong-van-dot-{call.pk}.docx", DOCX)


@access(authenticated=True)
def call_detail(request, call_id):
    call = selectors.call_visible_or_404(request.user, call_id)
    criteria = list(call.criteria.all())
    publications = list(call.publications.select_related("province"))
    managed = list(
        Organisation.objects.filter(pk__in=selectors.applicant_organisation_ids(request.user))
    )
    existing = {
        a.organisation_id: a
        for a in Application.objects.filter(call=call, organisation__in=managed)
    }
    candidates = []
    for organisation in managed:
        application = existing.get(organisation.pk)
        reason = ""
        if application is None:
            from .services.applications import check_can_apply

            try:
                check_can_apply(call, organisation)
            except ServiceError as exc:
                reason = exc.text
        candidates.append(
            {"organisation": organisation, "application": application, "reason": reason}
        )
    for criterion in criteria:
        criterion.description = criterion_summary(criterion)
    return render(
        request,
        "programs/call_detail.html",
        {
            "call": call,
            "criteria": criteria,
            "publications": publications,
            "candidates": candidates,
            "is_vca": holds(request.user, roles.VCA),
            "my_provinces": selectors.staff_province_ids(request.user),
            "is_staff": holds(request.user, roles.STAFF),
            "CallStatus": CallStatus,
        },
    )


def criterion_summary(criterion) -> str:
    """The criterion's kind and settings in one line, for people."""
    from htxso.registry.models import OrganisationKind, Sector
    from htxso.registry.rules.text import grade_label, pct

    p = criterion.params or {}
    kind = criterion.get_kind_display()
    if criterion.kind == "youth_share":
        text = f"{kind} > {pct(float(p.get('threshold', 40)))}"
    elif criterion.kind == "finance":
        what = _("profit") if p.get("field") == "profit" else _("revenue")
        how = _("growing") if p.get("mode") == "growing" else _("positive")
        text = _("%(kind)s: %(what)s %(how)s in the last %(n)s annual reports") % {
            "kind": kind,
            "what": what,
            "how": how,
            "n": p.get("years", 2),
        }
    elif criterion.kind == "grade":
        text = f"{kind} ≥ {grade_label(p.get('at_least', 'fair'))}"
    elif criterion.kind == "value_chain":
        text = f"{kind} ≥ {p.get('min_links', 1)}"
    elif criterion.kind == "ocop":
        text = f"{kind} ≥ {p.get('min_stars', 3)}★"
    elif criterion.kind == "operating_months":
        text = f"{kind} ≥ {p.get('min_months', 12)}"
    elif criterion.kind == "sector":
        names = dict(Sector.choices)
        text = f"{kind}: " + ", ".join(str(names.get(s, s)) for s in p.get("sectors", []))
    elif criterion.kind == "org_kind":
        names = dict(OrganisationKind.choices)
        text = f"{kind}: " + ", ".join(str(names.get(k, k)) for k in p.get("kinds", []))
    elif criterion.kind == "province":
        text = f"{kind}: " + ", ".join(p.get("provinces", []))
    elif criterion.kind == "declared":
        return _("Declared by the applicant, checked by the province")
    else:
        text = str(kind)
    if p.get("as_of"):
        text += " · " + _("on %(date)s") % {"date": p["as_of"]}
    return text
