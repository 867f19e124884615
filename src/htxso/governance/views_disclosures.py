"""Pages of disclosures (Art. 14): a cooperative's disclosures (members read what is
posted; the manager sees what is due and late, records, posts, takes down and answers
members' requests), one disclosure and its file, and the province's table of who
discloses on time.

Thin: parse (a form) → access (``@access`` and the model's policy) → service or selector
→ render.  Another cooperative's disclosure is a 404, whoever asks.
"""

from __future__ import annotations

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.files import PRIVATE, private_file_response
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404, holds_at, reach_of
from htxso.geo.models import Province
from htxso.registry.models import Organisation

from . import rules, selectors_disclosures, services_disclosures
from .forms_disclosures import AnswerForm, DisclosureForm, PeriodForm, RequestForm
from .models.disclosures import Disclosure, DisclosureRequest
from .models.rules import RuleKey


def _may_change(user, organisation: Organisation) -> bool:
    return Disclosure.policy.allows_at(user, "change", organisation=organisation.pk)


def _rules(organisation: Organisation) -> dict:
    """The two rules shown beside the disclosures, with their articles."""
    out = {}
    for name, key in (
        ("days", RuleKey.DISCLOSURE_WORKING_DAYS),
        ("keep", RuleKey.DISCLOSURE_KEEP_DAYS),
    ):
        try:
            out[name] = rules.rule(key, org_kind=organisation.kind)
        except ServiceError:
            out[name] = None
    return out


def _own_membership(user, organisation: Organisation):
    from .selectors_assemblies import membership_of

    return membership_of(user, organisation.pk)


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def disclosure_list(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_allowed_or_404(Organisation, request.user, "view", pk=pk)
    manager = _may_change(request.user, organisation)
    today = timezone.localdate()
    if manager or holds_at(
        request.user, roles.STAFF, province=organisation.province_id
    ):  # the manager and staff see every row, members what is posted
        items = Disclosure.policy.queryset(request.user, "view").filter(organisation=organisation)
    else:
        items = selectors_disclosures.posted_for(request.user, organisation, on=today)
    items = items.order_by("-event_on", "-id")[:200]
    context = {
        "organisation": organisation,
        "items": items,
        "manager": manager,
        "rules": _rules(organisation),
        "today": today,
    }
    if manager:
        context["due"] = selectors_disclosures.due_and_late(organisation, on=today)
        context["requests"] = list(
            selectors_disclosures.requests_open(organisation).order_by("created_at")[:50]
        )
    membership = _own_membership(request.user, organisation)
    if membership is not None:
        context["request_form"] = RequestForm()
        context["my_requests"] = list(
            DisclosureRequest.objects.filter(membership=membership).order_by("-id")[:10]
        )
    return render(request, "governance/portal/disclosure_list.html", context)


@access(roles=roles.MANAGERS)
def disclosure_new(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_allowed_or_404(Organisation, request.user, "view", pk=pk)
    if not _may_change(request.user, organisation):
        raise PermissionDenied
    if request.method == "POST":
        form = DisclosureForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            created = form.apply(
                lambda: services_disclosures.record(
                    actor=request.user,
                    organisation=organisation,
                    kind=d["kind"],
                    title=d["title"],
                    event_on=d["event_on"],
                    body=d["body"],
                    file=d.get("file"),
                    post=bool(d["post"]),
                    posted_on=d.get("posted_on"),
                )
            )
            if created is not None:
                if created.is_late:
                    messages.warning(request, _("Recorded. It is posted after its due day."))
                else:
                    messages.success(request, _("Recorded."))
                return redirect("governance:disclosure_detail", pk=created.pk)
    else:
        form = DisclosureForm(initial={"post": True, "event_on": timezone.localdate()})
    return render(
        request,
        "governance/portal/disclosure_form.html",
        {"organisation": organisation, "form": form, "rules": _rules(organisation)},
    )


@require_POST
@access(roles=roles.MANAGERS)
def capital_holders_publish(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_allowed_or_404(Organisation, request.user, "view", pk=pk)
    try:
        d = services_disclosures.publish_capital_holders(
            actor=request.user, organisation=organisation
        )
    except ServiceError as exc:
        show_service_error(request, exc)
        return redirect("governance:disclosure_list", pk=organisation.pk)
    messages.success(request, _("The list of members with capital is posted."))
    return redirect("governance:disclosure_detail", pk=d.pk)


def _visible(request: HttpRequest, pk: int) -> tuple[Disclosure, bool]:
    d = get_allowed_or_404(
        Disclosure.objects.select_related("organisation"), request.user, "view", pk=pk
    )
    manager = _may_change(request.user, d.organisation)
    staff = holds_at(request.user, roles.STAFF, province=d.organisation.province_id)
    # a member reads what is posted and not taken down
    if not (manager or staff) and (d.posted_on is None or d.withdrawn_on is not None):
        raise Http404
    return d, manager


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    d, manager = _visible(request, pk)
    today = timezone.localdate()
    context = {
        "d": d,
        "organisation": d.organisation,
        "manager": manager,
        "may_take_down": manager
        and d.posted_on is not None
        and d.withdrawn_on is None
        and (d.keep_until is None or today >= d.keep_until),
        "rules": _rules(d.organisation),
    }
    if _own_membership(request.user, d.organisation) is not None:
        context["request_form"] = RequestForm()
    return render(request, "governance/portal/disclosure_detail.html", context)


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def disclosure_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    d, _manager = _visible(request, pk)
    if not d.file:
        raise Http404
    ext = os.path.splitext(d.file.name)[1].lower()[:6]
    return private_file_response(PRIVATE, d.file.name, f"cong-khai-{d.pk}{ext}")


@require_POST
@access(roles=roles.MANAGERS)
def disclosure_post(request: HttpRequest, pk: int) -> HttpResponse:
    d = get_allowed_or_404(Disclosure, request.user, "change", pk=pk)
    try:
        d = services_disclosures.post(actor=request.user, disclosure=d)
        messages.success(request, _("Posted to the members."))
    except ServiceError as exc:
        show_service_error(request, exc)
    return redirect("governance:disclosure_detail", pk=d.pk)


@require_POST
@access(roles=roles.MANAGERS)
def disclosure_take_down(request: HttpRequest, pk: int) -> HttpResponse:
    d = get_allowed_or_404(Disclosure, request.user, "change", pk=pk)
    try:
        services_disclosures.take_down(actor=request.user, disclosure=d)
        messages.success(request, _("Taken down."))
    except ServiceError as exc:
        show_service_error(request, exc)
    return redirect("governance:disclosure_detail", pk=d.pk)


@require_POST
@access(roles=roles.ORGANISATION_PEOPLE)
def request_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A member asks for a document (``disclosure`` optional, from its page)."""
    organisation = get_allowed_or_404(Organisation, request.user, "view", pk=pk)
    membership = _own_membership(request.user, organisation)
    if membership is None:
        raise Http404
    form = RequestForm(request.POST)
    if form.is_valid():
        disclosure = None
        if form.cleaned_data.get("disclosure"):
            disclosure = (
                selectors_disclosures.posted_for(request.user, organisation)
                .filter(pk=form.cleaned_data["disclosure"])
                .first()
            )
            if disclosure is None:
                raise Http404
        created = form.apply(
            lambda: services_disclosures.request_create(
                actor=request.user,
                membership=membership,
                message=form.cleaned_data["message"],
                disclosure=disclosure,
            )
        )
        if created is not None:
            messages.success(request, _("Your request is sent to the manager."))
            return redirect("governance:disclosure_list", pk=organisation.pk)
    messages.error(request, _("Write what you ask for."))
    return redirect("governance:disclosure_list", pk=organisation.pk)


@require_POST
@access(roles=roles.MANAGERS)
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_allowed_or_404(DisclosureRequest, request.user, "change", pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        if form.apply(
            lambda: services_disclosures.request_answer(
                actor=request.user, request=req, answer=form.cleaned_data["answer"]
            )
        ):
            messages.success(request, _("Answer sent."))
        else:
            messages.error(request, " ".join(form.non_field_errors()) or _("Not saved."))
    else:
        messages.error(request, _("Write the answer."))
    return redirect("governance:disclosure_list", pk=req.organisation_id)


@access(roles=roles.STAFF)
def on_time(request: HttpRequest) -> HttpResponse:
    """The province's table: which cooperatives post their disclosures on time."""
    everywhere, provinces, _orgs = reach_of(request.user, roles.STAFF)
    form = PeriodForm(request.GET)
    form.is_valid()
    code = (form.cleaned_data.get("province") or "") if form.is_bound else ""
    if everywhere:
        choices = list(Province.objects.order_by("name").values_list("code", "name"))
    else:
        choices = list(
            Province.objects.filter(code__in=sorted(provinces))
            .order_by("name")
            .values_list("code", "name")
        )
    codes = [c for c, _n in choices]
    if not codes:
        raise PermissionDenied
    if code not in codes:
        code = codes[0]
    today = timezone.localdate()
    year = form.cleaned_data.get("year") or today.year
    table = selectors_disclosures.on_time_table(code, year, today=today)
    return render(
        request,
        "governance/portal/on_time.html",
        {
            "table": table,
            "share": selectors_disclosures.on_time_share(code, year, today=today),
            "province": dict(choices)[code],
            "code": code,
            "year": year,
            "years": list(range(today.year, today.year - 4, -1)),
            "choices": choices,
        },
    )
