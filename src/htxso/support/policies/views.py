"""Pages of the support-policy catalogue, the matches of an organisation and the map.

Thin: parse (a form) → access (``@access`` and the policy) → service or selector →
render.  A draft of another province is a 404; a policy the officer may see but not
write (a national one) is a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404, holds, reach_of
from htxso.core.scoping import get_scope
from htxso.geo.models import Province
from htxso.registry.models import Organisation
from htxso.registry.rules.forms import criterion_form_for
from htxso.registry.rules.kinds import CriterionKind

from . import selectors, services
from .forms import FilterForm, MapForm, PolicyForm
from .models import SupportPolicy

PAGE_SIZE = 20


def _provinces() -> list[tuple[str, str]]:
    return list(Province.objects.order_by("name").values_list("code", "name"))


def _writable_provinces(user) -> list[tuple[str, str]]:
    everywhere, provinces, _orgs = reach_of(user, roles.REVIEWERS)
    rows = _provinces()
    return rows if everywhere else [(c, n) for c, n in rows if c in provinces]


def _has_organisations(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(get_scope(user).organisations_by_role.values())


def _may_write(user, policy: SupportPolicy) -> bool:
    return SupportPolicy.policy.allows(user, "change", policy)


# ------------------------------------------------------------------ the catalogue


@access(public=True)
def policy_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None, provinces=_provinces())
    values = form.values()
    qs = selectors.search(selectors.visible(request.user), **values)
    page = Paginator(qs.order_by("status", "-valid_until", "name"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "support/policies/list.html",
        {
            "form": form,
            "page": page,
            "rows": page.object_list,
            "may_create": holds(request.user, roles.REVIEWERS),
            "is_staff": holds(request.user, roles.STAFF),
            "mine": _has_organisations(request.user),
            "today": timezone.localdate(),
        },
    )


def _visible_or_404(request: HttpRequest, pk: int) -> SupportPolicy:
    policy = selectors.visible(request.user).filter(pk=pk).first()
    if policy is None:
        raise Http404
    return policy


@access(public=True)
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _visible_or_404(request, pk)
    return render(
        request,
        "support/policies/detail.html",
        {
            "policy": policy,
            "may_write": request.user.is_authenticated and _may_write(request.user, policy),
            "apply_url": selectors.apply_url(policy),
            "call_url": selectors.call_url(policy),
            "criteria": _criteria_rows(policy),
            "today": timezone.localdate(),
            "mine": _has_organisations(request.user),
        },
    )


def _criteria_rows(policy: SupportPolicy) -> list[dict]:
    names = dict(CriterionKind.choices)
    return [
        {
            "position": i,
            "label": c.get("label", "") if isinstance(c, dict) else "",
            "kind": names.get(c.get("kind"), c.get("kind")) if isinstance(c, dict) else "?",
        }
        for i, c in enumerate(policy.criteria or [], start=1)
    ]


@access(roles=roles.REVIEWERS)
def policy_create(request: HttpRequest) -> HttpResponse:
    provinces = _writable_provinces(request.user)
    if request.method == "POST":
        form = PolicyForm(request.POST, provinces=provinces)
        if form.is_valid():
            try:
                policy = services.policy_create(actor=request.user, data=form.data_for_service())
            except ServiceError as exc:
                show_service_error(request, exc, form)
            else:
                messages.success(request, _("Policy saved as a draft. Now add its criteria."))
                return redirect("support_policies:criteria", pk=policy.pk)
    else:
        form = PolicyForm(provinces=provinces)
    return render(request, "support/policies/form.html", {"form": form, "policy": None})


@access(roles=roles.REVIEWERS)
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_allowed_or_404(SupportPolicy, request.user, "change", pk=pk)
    provinces = _writable_provinces(request.user)
    if request.method == "POST":
        form = PolicyForm(request.POST, provinces=provinces)
        if form.is_valid():
            try:
                services.policy_update(
                    actor=request.user, policy=policy, data=form.data_for_service()
                )
            except ServiceError as exc:
                show_service_error(request, exc, form)
            else:
                messages.success(request, _("Policy saved."))
                return redirect("support_policies:detail", pk=policy.pk)
    else:
        initial = {name: getattr(policy, name) for name in services.FIELDS}
        form = PolicyForm(initial=initial, provinces=provinces)
    return render(request, "support/policies/form.html", {"form": form, "policy": policy})


@access(roles=roles.REVIEWERS)
def policy_criteria(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_allowed_or_404(SupportPolicy, request.user, "change", pk=pk)
    form = criterion_form_for(request, default_kind="operating_months")
    if request.method == "GET" and request.headers.get("HX-Request"):
        return render(request, "support/policies/_criterion_settings.html", {"form": form})
    if form.is_bound and form.is_valid():
        criterion = {
            "kind": form.cleaned_data["kind"],
            "label": form.cleaned_data["label"],
            "params": form.params(),
        }
        try:
            services.criterion_add(actor=request.user, policy=policy, criterion=criterion)
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("Criterion added."))
            return redirect("support_policies:criteria", pk=policy.pk)
    form.fields["kind"].widget.attrs.update(
        {
            "hx-get": request.path,
            "hx-target": "#criterion-settings",
            "hx-swap": "outerHTML",
            "hx-trigger": "change",
            "aria-controls": "criterion-settings",
        }
    )
    return render(
        request,
        "support/policies/criteria.html",
        {"policy": policy, "form": form, "criteria": _criteria_rows(policy)},
        status=400 if form.is_bound and form.errors else 200,
    )


@access(roles=roles.REVIEWERS)
@require_POST
def criterion_delete(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    policy = get_allowed_or_404(SupportPolicy, request.user, "change", pk=pk)
    try:
        services.criterion_remove(actor=request.user, policy=policy, position=position)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("Criterion removed."))
    return redirect("support_policies:criteria", pk=policy.pk)


@access(roles=roles.REVIEWERS)
@require_POST
def policy_publish(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_allowed_or_404(SupportPolicy, request.user, "change", pk=pk)
    try:
        services.policy_publish(actor=request.user, policy=policy)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("Policy published: everyone can read it now."))
    return redirect("support_policies:detail", pk=policy.pk)


@access(roles=roles.REVIEWERS)
@require_POST
def policy_retire(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_allowed_or_404(SupportPolicy, request.user, "change", pk=pk)
    try:
        services.policy_retire(actor=request.user, policy=policy)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("Policy marked as expired."))
    return redirect("support_policies:detail", pk=policy.pk)


# ------------------------------------------------------------------ matching


@access(authenticated=True)
def my_policies(request: HttpRequest) -> HttpResponse:
    """“Policies you may be eligible for”: the organisations of the user."""
    ids = sorted(
        {pk for pks in get_scope(request.user).organisations_by_role.values() for pk in pks}
    )
    organisations = list(Organisation.objects.filter(pk__in=ids).order_by("name"))
    if len(organisations) == 1:
        return redirect("support_policies:organisation", pk=organisations[0].pk)
    return render(request, "support/policies/mine.html", {"organisations": organisations})


@access(authenticated=True)
def organisation_policies(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_allowed_or_404(
        Organisation.objects.select_related("province"), request.user, "view", pk=pk
    )
    matches = selectors.policies_for(user=request.user, organisation=organisation)
    return render(
        request,
        "support/policies/organisation.html",
        {
            "organisation": organisation,
            "matches": matches,
            "today": timezone.localdate(),
            "page_heading": True,
        },
    )


@access(roles=roles.STAFF)
def eligibility_map(request: HttpRequest) -> HttpResponse:
    form = MapForm(request.GET or None)
    chosen = form.cleaned_data.get("policy") if form.is_valid() else None
    result = selectors.eligibility_map(user=request.user)
    policy = next((p for p in result.policies if p.pk == chosen), None)
    if policy is None and result.policies:
        policy = result.policies[0]
    names = dict(_provinces())
    rows = []
    if policy is not None:
        for code, counter in sorted(result.counts.get(policy.pk, {}).items()):
            total = sum(counter.values())
            rows.append(
                {
                    "code": code,
                    "name": names.get(code, code),
                    "eligible": counter[selectors.ELIGIBLE],
                    "not_eligible": counter[selectors.NOT_ELIGIBLE],
                    "cannot_check": counter[selectors.CANNOT_CHECK],
                    "total": total,
                }
            )
    return render(
        request,
        "support/policies/map.html",
        {
            "result": result,
            "policy": policy,
            "rows": rows,
            "totals": result.totals(policy.pk) if policy else {},
        },
    )


def eligible_block(request: HttpRequest, organisation: Organisation) -> str:
    """The "policies you may be eligible for" block as HTML, for a page of another app
    that cannot load this app's template tag (the registry's organisation page, through
    a hook filled in ``AppConfig.ready()``); empty for a user who may not see it."""
    from django.template.loader import render_to_string

    if not selectors.may_match(request.user, organisation):
        return ""
    matches = selectors.policies_for(user=request.user, organisation=organisation)
    return render_to_string(
        "support/policies/_eligible.html",
        {"organisation": organisation, "matches": matches},
        request=request,
    )
