"""Pages of the member portal (``/quan-tri-htx/thanh-vien/``), the manager's governance
home (``/quan-tri-htx/``), questions to the board and the profit distribution.

The portal is a light page for a cheap phone on a slow network: a handful of cards, no
script needed, a fixed number of queries.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404, reach_of
from htxso.registry.models import Membership, Organisation

from . import selectors_portal, services_portal
from .forms_disclosures import AnswerForm
from .forms_portal import (
    ApproveForm,
    DistributionForm,
    PickForm,
    QuestionForm,
    ServiceUseForm,
    YearForm,
)
from .models.portal import DistributionStatus, ProfitDistribution, ProfitShare, Question, ServiceUse
from .models.votes import MatterKind, Resolution, ResolutionStatus

#: A cooperative with more members records services used by import, not on one page.
MAX_GRID = 300


def _pick(request: HttpRequest) -> int | None:
    form = PickForm(request.GET)
    return form.cleaned_data.get("org") if form.is_valid() else None


# ------------------------------------------------------------------ homes


@access(authenticated=True)
def home(request: HttpRequest) -> HttpResponse:
    """The manager's governance home; a member goes to the portal, staff to the
    province's table."""
    user = request.user
    managed = list(selectors_portal.managed_organisations(user))
    picked = _pick(request)
    organisation = None
    if picked is not None:
        organisation = get_allowed_or_404(Organisation, user, "view", pk=picked)
        if not ProfitDistribution.policy.allows_at(user, "change", organisation=organisation.pk):
            raise PermissionDenied
    elif len(managed) >= 1:
        organisation = managed[0]
    if organisation is None:
        if _is_staff(user):
            return redirect("governance:on_time")
        return redirect("governance:portal")
    today = timezone.localdate()
    return render(
        request,
        "governance/portal/home.html",
        {
            "h": selectors_portal.manager_home(organisation, on=today),
            "organisation": organisation,
            "managed": managed,
            "today": today,
        },
    )


def _is_staff(user) -> bool:
    everywhere, provinces, _orgs = reach_of(user, roles.STAFF)
    return everywhere or bool(provinces)


@access(authenticated=True)
def portal(request: HttpRequest) -> HttpResponse:
    """The member's home: my membership, capital, services, assembly, votes, resolutions,
    disclosures and questions."""
    memberships = selectors_portal.memberships_of(request.user)
    if not memberships:
        return render(request, "governance/portal/not_member.html", status=200)
    picked = _pick(request)
    membership = memberships[0]
    if picked is not None:
        membership = next((m for m in memberships if m.organisation_id == picked), None)
        if membership is None:
            raise Http404
    today = timezone.localdate()
    return render(
        request,
        "governance/portal/portal.html",
        {
            "p": selectors_portal.portal(request.user, membership, on=today),
            "memberships": memberships,
            "question_form": QuestionForm(),
            "today": today,
        },
    )


# ------------------------------------------------------------------ questions


@require_POST
@access(roles=roles.ORGANISATION_PEOPLE)
def question_new(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_allowed_or_404(Organisation, request.user, "view", pk=pk)
    membership = next(
        (m for m in selectors_portal.memberships_of(request.user) if m.organisation_id == pk),
        None,
    )
    if membership is None:
        raise Http404
    form = QuestionForm(request.POST)
    if form.is_valid() and form.apply(
        lambda: services_portal.question_ask(
            actor=request.user, membership=membership, text=form.cleaned_data["text"]
        )
    ):
        messages.success(request, _("Your question is sent to the board."))
    else:
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, " ".join(errors) or _("Write your question."))
    return redirect(f"{_portal_url()}?org={organisation.pk}#questions")


def _portal_url() -> str:
    return reverse("governance:portal")


@access(roles=roles.READERS)
def questions(request: HttpRequest, pk: int) -> HttpResponse:
    """The questions members asked the board (the manager answers them here)."""
    organisation = get_allowed_or_404(Organisation, request.user, "view", pk=pk)
    items = (
        Question.policy.queryset(request.user, "view")
        .filter(organisation=organisation)
        .select_related("membership__person")
        .order_by("answered_at", "-created_at")[:200]
    )
    return render(
        request,
        "governance/portal/questions.html",
        {
            "organisation": organisation,
            "items": items,
            "manager": Question.policy.allows_at(
                request.user, "change", organisation=organisation.pk
            ),
            "answer_form": AnswerForm(),
        },
    )


@require_POST
@access(roles=roles.MANAGERS)
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    q = get_allowed_or_404(Question, request.user, "change", pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid() and form.apply(
        lambda: services_portal.question_answer(
            actor=request.user, question=q, answer=form.cleaned_data["answer"]
        )
    ):
        messages.success(request, _("Answer sent."))
    else:
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, " ".join(errors) or _("Write the answer."))
    return redirect("governance:questions", pk=q.organisation_id)


# ------------------------------------------------------------------ profit distribution


@access(roles=roles.READERS)
def distributions(request: HttpRequest, pk: int) -> HttpResponse:
    """The cooperative's distributions, and the manager's calculation form."""
    organisation = get_allowed_or_404(Organisation, request.user, "view", pk=pk)
    manager = ProfitDistribution.policy.allows_at(
        request.user, "change", organisation=organisation.pk
    )
    form = None
    if manager:
        if request.method == "POST":
            form = DistributionForm(request.POST, org_kind=organisation.kind)
            if form.is_valid():
                d = form.cleaned_data
                dist = form.apply(
                    lambda: services_portal.distribution_calculate(
                        actor=request.user,
                        organisation=organisation,
                        year=d["year"],
                        profit_after_tax=d["profit_after_tax"],
                        indivisible_fund=d["indivisible_fund"],
                        development_fund=d["development_fund"],
                        reserve_fund=d["reserve_fund"],
                        other_funds=d["other_funds"],
                        by_services_pct=d["by_services_pct"],
                        outside_income=d["outside_income"],
                    )
                )
                if dist is not None:
                    messages.success(request, _("Calculated."))
                    return redirect("governance:distribution", pk=dist.pk)
        else:
            form = DistributionForm(
                initial={"year": timezone.localdate().year - 1}, org_kind=organisation.kind
            )
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "governance/portal/distributions.html",
        {
            "organisation": organisation,
            "items": selectors_portal.distributions_for(request.user, organisation),
            "form": form,
            "fund_rules": services_portal.fund_rules(org_kind=organisation.kind),
            "article": services_portal.DISTRIBUTION_ARTICLE,
            "article_confirmed": services_portal.DISTRIBUTION_ARTICLE_CONFIRMED,
        },
    )


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def distribution(request: HttpRequest, pk: int) -> HttpResponse:
    """A distribution: totals for everyone of the cooperative; every member's share for
    the readers, the member's own share for a member."""
    dist = get_allowed_or_404(
        ProfitDistribution.objects.select_related("organisation", "resolution"),
        request.user,
        "view",
        pk=pk,
    )
    shares = (
        ProfitShare.policy.queryset(request.user, "view")
        .filter(distribution=dist)
        .select_related("membership__person")
        .order_by("membership__person__full_name", "id")[:2000]
    )
    manager = ProfitDistribution.policy.allows(request.user, "change", dist)
    approve_form = None
    if manager and dist.status == DistributionStatus.DRAFT:
        approve_form = ApproveForm()
        approve_form.fields["resolution"].choices = _profit_resolutions(dist)
    return render(
        request,
        "governance/portal/distribution.html",
        {
            "dist": dist,
            "shares": shares,
            "manager": manager,
            "approve_form": approve_form,
            "fund_rules": services_portal.fund_rules(org_kind=dist.organisation.kind),
            "article": services_portal.DISTRIBUTION_ARTICLE,
            "article_confirmed": services_portal.DISTRIBUTION_ARTICLE_CONFIRMED,
        },
    )


def _profit_resolutions(dist: ProfitDistribution) -> list[tuple[int, str]]:
    return [
        (r.pk, f"{r.number or '—'} · {r.title}")
        for r in Resolution.objects.filter(
            organisation_id=dist.organisation_id,
            matter=MatterKind.PROFIT,
            status=ResolutionStatus.CLOSED,
            passed=True,
        ).order_by("-closed_at")[:20]
    ]


@require_POST
@access(roles=roles.MANAGERS)
def distribution_approve(request: HttpRequest, pk: int) -> HttpResponse:
    dist = get_allowed_or_404(ProfitDistribution, request.user, "change", pk=pk)
    form = ApproveForm(request.POST)
    form.fields["resolution"].choices = _profit_resolutions(dist)
    if not form.is_valid():
        messages.error(request, _("Choose the resolution that approved it."))
        return redirect("governance:distribution", pk=dist.pk)
    resolution = Resolution.objects.get(pk=form.cleaned_data["resolution"])
    try:
        services_portal.distribution_approve(
            actor=request.user, distribution=dist, resolution=resolution
        )
        messages.success(request, _("Approved: members now see their share."))
    except ServiceError as exc:
        show_service_error(request, exc)
    return redirect("governance:distribution", pk=dist.pk)


@access(roles=roles.MANAGERS)
def service_use(request: HttpRequest, pk: int) -> HttpResponse:
    """Services each member used in a year (the key of the distribution by services)."""
    organisation = get_allowed_or_404(Organisation, request.user, "view", pk=pk)
    if not ServiceUse.policy.allows_at(request.user, "change", organisation=organisation.pk):
        raise PermissionDenied
    year_form = YearForm(request.GET)
    year_form.is_valid()
    year = year_form.cleaned_data.get("year") or timezone.localdate().year - 1
    members = list(
        Membership.objects.filter(organisation=organisation, left_on__isnull=True)
        .select_related("person")
        .order_by("person__full_name", "id")[: MAX_GRID + 1]
    )
    too_many = len(members) > MAX_GRID
    members = members[:MAX_GRID]
    initial = dict(
        ServiceUse.objects.filter(organisation=organisation, year=year).values_list(
            "membership_id", "amount"
        )
    )
    if request.method == "POST":
        form = ServiceUseForm(request.POST, members=members, initial_amounts=initial)
        if form.is_valid():
            n = form.apply(
                lambda: services_portal.service_use_record(
                    actor=request.user, organisation=organisation, year=year, amounts=form.amounts()
                )
            )
            if n is not None:
                messages.success(request, _("Saved: %(n)s members.") % {"n": n})
                return redirect(f"{request.path}?year={year}")
    else:
        form = ServiceUseForm(members=members, initial_amounts=initial)
    return render(
        request,
        "governance/portal/service_use.html",
        {
            "organisation": organisation,
            "form": form,
            "year": year,
            "too_many": too_many,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 4, -1)),
        },
    )
