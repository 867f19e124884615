"""Members and workers of an organisation.

Personal fields (citizen ID, birth date, ethnicity, phone) are shown only to VCA, the
province's staff and the organisation's managers; a member sees the counts and their
own row only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.formatting import format_vnd
from htxso.core.policy import allowed, get_allowed_or_404, holds_at

from . import capital_owner, selectors
from .data.ethnicities import ETHNICITIES
from .forms import DateForm, MemberForm, WorkerForm
from .models import Membership, Organisation, Worker
from .services import members as services

ETHNICITY_NAMES = dict(ETHNICITIES)
PAGE_SIZE = 50


def _editable(request, pk: int) -> Organisation:
    return get_allowed_or_404(
        Organisation.objects.select_related("province"), request.user, "change", pk=pk
    )


def _decorate(rows, today) -> None:
    for row in rows:
        person = row.person
        row.age = person.age_on(today)
        row.ethnicity_name = ETHNICITY_NAMES.get(person.ethnicity, "")
        capital = getattr(row, "capital", None)
        row.capital_display = format_vnd(capital) if capital else ""
        income = getattr(row, "monthly_income", None)
        row.income_display = format_vnd(income) if income else ""


def _people_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_detailed(user=request.user, pk=pk)
    today = selectors.today()
    can_see = Organisation.policy.allows(request.user, "see_people", organisation)
    show_left = request.GET.get("left") == "1"
    if kind == "members":
        model, active_field = Membership, "left_on"
        order = ("kind", "person__full_name", "pk")
    else:
        model, active_field = Worker, "ended_on"
        order = ("-is_manager", "person__full_name", "pk")
    rows = own = None
    if can_see:
        qs = allowed(model, request.user, "view").filter(organisation=organisation)
        qs = qs.select_related("person").order_by(*order)
        if not show_left:
            qs = qs.filter(**{f"{active_field}__isnull": True})
        rows = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        _decorate(rows.object_list, today)
    else:
        own = list(selectors.own_rows(user=request.user, model=model, organisation=organisation))
        _decorate(own, today)
    return render(
        request,
        f"registry/members/{kind}.html",
        {
            "organisation": organisation,
            "page": rows,
            "own_rows": own,
            "can_see_people": can_see,
            # ID numbers and ethnicity: not for department viewers (issue 12, privacy)
            "can_see_sensitive": holds_at(
                request.user,
                roles.SENSITIVE_READERS,
                province=organisation.province_id,
                organisation=organisation.pk,
            ),
            "can_edit": Organisation.policy.allows(request.user, "change", organisation),
            "show_left": show_left,
            "leave_form": DateForm(),
            "today": today,
        },
    )


@access(roles=roles.STAFF_AND_ORGANISATIONS)
@require_GET
def member_list(request: HttpRequest, pk: int) -> HttpResponse:
    return _people_page(request, "members", pk)


@access(roles=roles.STAFF_AND_ORGANISATIONS)
@require_GET
def worker_list(request: HttpRequest, pk: int) -> HttpResponse:
    return _people_page(request, "workers", pk)


@access(roles=roles.EDITORS)
def member_register(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _editable(request, pk)
    register_url = capital_owner.register_url(organisation.pk)
    form = MemberForm(
        request.POST or None,
        initial={"kind": "official"},
        capital_managed=bool(register_url),
    )
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        saved = form.apply(
            lambda: services.member_register(
                actor=request.user,
                organisation=organisation,
                person=form.person_data(),
                kind=c["kind"],
                joined_on=c["joined_on"],
                capital=c.get("capital") or 0,
                certificate_no=c.get("certificate_no") or "",
                certificate_date=c.get("certificate_date"),
            )
        )
        if saved is not None:
            messages.success(
                request,
                _("%(name)s was registered as a member.") % {"name": saved.person.full_name},
            )
            return redirect("registry:member_list", pk=organisation.pk)
    return render(
        request,
        "registry/members/member_form.html",
        {
            "organisation": organisation,
            "form": form,
            "title": _("Register a member"),
            "capital_register_url": register_url,
        },
    )


@access(roles=roles.EDITORS)
def worker_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _editable(request, pk)
    form = WorkerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        saved = form.apply(
            lambda: services.worker_add(
                actor=request.user,
                organisation=organisation,
                person=form.person_data(),
                started_on=c["started_on"],
                position=c.get("position") or "",
                is_manager=c.get("is_manager") or False,
                monthly_income=c.get("monthly_income"),
            )
        )
        if saved is not None:
            messages.success(
                request, _("%(name)s was added to the workers.") % {"name": saved.person.full_name}
            )
            return redirect("registry:worker_list", pk=organisation.pk)
    return render(
        request,
        "registry/members/member_form.html",
        {"organisation": organisation, "form": form, "title": _("Add a worker")},
    )


def _end(
    request: HttpRequest, pk: int, row_pk: int, model, call, redirect_to: str, done: str
) -> HttpResponse:
    organisation = _editable(request, pk)
    row = get_allowed_or_404(
        model.objects.filter(organisation=organisation).select_related("organisation", "person"),
        request.user,
        "change",
        pk=row_pk,
    )
    form = DateForm(request.POST)
    if form.is_valid():
        saved = form.apply(lambda: call(row, form.cleaned_data["on"]))
        if saved is not None:
            messages.success(request, done % {"name": row.person.full_name})
            return redirect(redirect_to, pk=organisation.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(redirect_to, pk=organisation.pk)


@require_POST
@access(roles=roles.EDITORS)
def member_leave(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    return _end(
        request,
        pk,
        member_pk,
        Membership,
        lambda row, on: services.member_leave(actor=request.user, membership=row, left_on=on),
        "registry:member_list",
        _("%(name)s has left the organisation."),
    )


@require_POST
@access(roles=roles.EDITORS)
def worker_end(request: HttpRequest, pk: int, worker_pk: int) -> HttpResponse:
    return _end(
        request,
        pk,
        worker_pk,
        Worker,
        lambda row, on: services.worker_end(actor=request.user, worker=row, ended_on=on),
        "registry:worker_list",
        _("%(name)s's job was ended."),
    )
