"""Pages of the plans part: the youths' plan (propose, edit, actions, progress, Word
document), the alliance's review queue and decisions, the catalogue, the youth network.

Thin: parse (``forms_plans``) → access (``@access`` and ``Plan.policy``) → service or
selector → render.  Another cooperative's plan and another province's review are 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.documents.letters import DOCX_CONTENT_TYPE
from htxso.core.documents.responses import download_response
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import holds_at, reach_of

from . import selectors_plans as sel
from . import services_plans as services
from .documents_plans import plan_filename, render_plan_docx
from .forms_plans import (
    ActionForm,
    CommentForm,
    NoteForm,
    PlanForm,
    PostForm,
    ProfileForm,
    ProgressForm,
    ScopeForm,
    VisitForm,
)
from .models import DxLead
from .models.plans import Plan, PlanStatus, Topic

#: Who opens the plan pages at all (objects are then checked by the policy).
PEOPLE = roles.STAFF_AND_ORGANISATIONS


def _plan_url(plan: Plan, anchor: str = "") -> str:
    return reverse("assessment:plan_detail", args=[plan.pk]) + (f"#{anchor}" if anchor else "")


def _survey_url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # the survey part may not have the page yet
        return None


# ------------------------------------------------------------------ the youths


@access(roles=PEOPLE)
def plan_home(request: HttpRequest) -> HttpResponse:
    """The organisations the person writes a plan for, each with its plan or the way
    to propose one."""
    from . import selectors_survey

    rows = []
    for org in sel.led_organisations(request.user):
        plan = sel.current_plan(org.pk)
        rows.append(
            {
                "organisation": org,
                "plan": plan,
                "assessment": selectors_survey.latest_submitted(org.pk),
                "history": Plan.objects.filter(organisation=org, status=PlanStatus.APPROVED)
                .exclude(pk=plan.pk if plan else None)
                .order_by("-approved_on")[:5],
            }
        )
    everywhere, provinces, _orgs = reach_of(request.user, roles.REVIEWERS)
    reviewer = everywhere or bool(provinces)
    return render(
        request,
        "assessment/plans/home.html",
        {"rows": rows, "reviewer": reviewer, "survey_url": _survey_url("assessment:survey_home")},
    )


@access(roles=PEOPLE)
@require_POST
def plan_propose(request: HttpRequest, org_pk: int) -> HttpResponse:
    from htxso.registry.models import Organisation

    organisation = Organisation.objects.filter(pk=org_pk).first()
    if organisation is None or not services.may_write_plan_for(request.user, org_pk):
        if organisation is not None and sel.Plan.policy.allows_at(
            request.user, "view", organisation=org_pk
        ):
            raise PermissionDenied
        if organisation is not None and holds_at(
            request.user, roles.READERS, province=organisation.province_id
        ):
            raise PermissionDenied
        raise Http404
    try:
        plan = services.plan_propose(actor=request.user, organisation=organisation)
    except ServiceError as exc:
        show_service_error(request, exc)
        return redirect("assessment:plan_home")
    messages.success(request, _("A plan was proposed from your gaps: edit it to make it yours."))
    return redirect(_plan_url(plan))


def _detail_context(request: HttpRequest, plan: Plan, **forms) -> dict:
    user = request.user
    actions = sel.plan_actions(plan)
    may_edit = Plan.policy.allows(user, "edit", plan)
    may_review = Plan.policy.allows(user, "review", plan)
    context = {
        "plan": plan,
        "actions": actions,
        "totals": sel.plan_totals(actions),
        "visits": sel.plan_visits(plan),
        "may_edit": may_edit and plan.editable,
        "may_progress": may_edit and plan.status == PlanStatus.APPROVED,
        "may_submit": may_edit and plan.editable,
        "may_review": may_review and plan.status == PlanStatus.SUBMITTED,
        "may_visit": may_review and plan.status != PlanStatus.DRAFT,
        "may_comment": Plan.policy.allows(user, "comment", plan),
        "action_form": forms.get("action_form") or ActionForm(),
        "comment_form": CommentForm(),
        "progress_form": ProgressForm(),
        "return_form": forms.get("return_form") or NoteForm(),
        "approve_form": forms.get("approve_form") or NoteForm(),
        "visit_form": forms.get("visit_form") or VisitForm(initial={"visited_on": sel.today()}),
        "today": sel.today(),
    }
    return context


@access(roles=PEOPLE)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = sel.plan_get(request.user, pk)
    return render(request, "assessment/plans/detail.html", _detail_context(request, plan))


@access(roles=PEOPLE)
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = sel.plan_get(request.user, pk, "edit")
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                services.plan_update(actor=request.user, plan=plan, **form.cleaned_data)
            except ServiceError as exc:
                show_service_error(request, exc, form)
            else:
                messages.success(request, _("The plan was saved."))
                return redirect(_plan_url(plan))
    else:
        form = PlanForm(
            initial={
                "title": plan.title,
                "objectives": plan.objectives,
                "strategy": plan.strategy,
                "budget": plan.budget,
                "budget_note": plan.budget_note,
                "risks": plan.risks,
                "is_public": plan.is_public,
            }
        )
    return render(
        request,
        "assessment/plans/edit.html",
        {"plan": plan, "form": form, "editable": plan.editable},
    )


@access(roles=PEOPLE)
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = sel.plan_get(request.user, pk, "edit")
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.action_add(actor=request.user, plan=plan, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("The action was added."))
            return redirect(_plan_url(plan, "actions"))
    context = _detail_context(request, plan, action_form=form)
    return render(request, "assessment/plans/detail.html", context, status=400)


def _action_for(request: HttpRequest, pk: int):
    action = sel.action_get(request.user, pk)
    return action, action.plan


@access(roles=PEOPLE)
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action, plan = _action_for(request, pk)
    Plan.policy.check(request.user, "edit", plan)
    if request.method == "POST":
        form = ActionForm(request.POST)
        if form.is_valid():
            try:
                services.action_update(actor=request.user, action=action, **form.cleaned_data)
            except ServiceError as exc:
                show_service_error(request, exc, form)
            else:
                messages.success(request, _("The action was saved."))
                return redirect(_plan_url(plan, f"action-{action.pk}"))
    else:
        form = ActionForm(
            initial={
                "title": action.title,
                "owner": action.owner,
                "start": action.start.isoformat(),
                "end": action.end.isoformat(),
                "cost": action.cost,
            }
        )
    return render(
        request,
        "assessment/plans/action_edit.html",
        {"plan": plan, "action": action, "form": form, "editable": plan.editable},
    )


@access(roles=PEOPLE)
@require_POST
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    action, plan = _action_for(request, pk)
    Plan.policy.check(request.user, "edit", plan)
    try:
        services.action_remove(actor=request.user, action=action)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("The action was removed."))
    return redirect(_plan_url(plan, "actions"))


@access(roles=PEOPLE)
@require_POST
def action_progress(request: HttpRequest, pk: int) -> HttpResponse:
    action, plan = _action_for(request, pk)
    Plan.policy.check(request.user, "edit", plan)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the progress in percent (0–100)."))
        return redirect(_plan_url(plan, f"action-{action.pk}"))
    try:
        services.action_progress(
            actor=request.user,
            action=action,
            progress=form.cleaned_data["progress"],
            note=form.cleaned_data["note"],
        )
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("The progress was saved."))
    return redirect(_plan_url(plan, f"action-{action.pk}"))


@access(roles=PEOPLE)
@require_POST
def action_comment(request: HttpRequest, pk: int) -> HttpResponse:
    action, plan = _action_for(request, pk)
    Plan.policy.check(request.user, "comment", plan)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the comment first."))
        return redirect(_plan_url(plan, f"action-{action.pk}"))
    try:
        services.comment_add(actor=request.user, action=action, body=form.cleaned_data["body"])
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("The comment was added."))
    return redirect(_plan_url(plan, f"action-{action.pk}"))


@access(roles=PEOPLE)
@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = sel.plan_get(request.user, pk, "edit")
    try:
        services.plan_submit(actor=request.user, plan=plan)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("The plan was sent to the provincial alliance."))
    return redirect(_plan_url(plan))


@access(roles=PEOPLE)
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = sel.plan_get(request.user, pk)
    data = render_plan_docx(plan, sel.plan_actions(plan))
    return download_response(data, plan_filename(plan), DOCX_CONTENT_TYPE)


# ------------------------------------------------------------------ the alliance


@access(roles=roles.REVIEWERS)
def plan_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", PlanStatus.SUBMITTED)
    if status not in PlanStatus.values and status != "all":
        status = PlanStatus.SUBMITTED
    plans = sel.review_queue(request.user, status="" if status == "all" else status)
    counts = [
        (value, label, sel.review_queue(request.user, status=value).count())
        for value, label in PlanStatus.choices
    ]
    return render(
        request,
        "assessment/plans/queue.html",
        {
            "plans": plans[:200],
            "status": status,
            "statuses": PlanStatus.choices,
            "counts": counts,
        },
    )


@access(roles=roles.REVIEWERS)
@require_POST
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    plan = sel.plan_get(request.user, pk, "review")
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        services.plan_return(actor=request.user, plan=plan, note=form.cleaned_data.get("note", ""))
    except ServiceError as exc:
        show_service_error(request, exc, form)
        context = _detail_context(request, plan, return_form=form)
        return render(request, "assessment/plans/detail.html", context, status=400)
    messages.success(request, _("The plan was returned to the youths with your comment."))
    return redirect("assessment:plan_queue")


@access(roles=roles.REVIEWERS)
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = sel.plan_get(request.user, pk, "review")
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        services.plan_approve(actor=request.user, plan=plan, note=form.cleaned_data.get("note", ""))
    except ServiceError as exc:
        show_service_error(request, exc, form)
        context = _detail_context(request, plan, approve_form=form)
        return render(request, "assessment/plans/detail.html", context, status=400)
    messages.success(request, _("The plan was approved."))
    return redirect(_plan_url(plan))


@access(roles=roles.REVIEWERS)
@require_POST
def plan_visit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = sel.plan_get(request.user, pk, "review")
    form = VisitForm(request.POST)
    if form.is_valid():
        try:
            services.visit_record(actor=request.user, plan=plan, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("The visit was recorded."))
            return redirect(_plan_url(plan, "visits"))
    context = _detail_context(request, plan, visit_form=form)
    return render(request, "assessment/plans/detail.html", context, status=400)


# ------------------------------------------------------------------ catalogue


@access(roles=PEOPLE)
def catalogue(request: HttpRequest) -> HttpResponse:
    names = sel.dimension_names()
    items = list(sel.catalogue())
    for item in items:
        item.dimension_name = names.get(item.dimension_key, item.dimension_key)  # type: ignore[attr-defined]
    return render(request, "assessment/plans/catalogue.html", {"items": items})


# ------------------------------------------------------------------ the youth network


def _scope(request: HttpRequest) -> tuple[str, str | None]:
    chosen = ScopeForm(request.GET).chosen()
    province = sel.user_province(request.user) if chosen == "province" else None
    if chosen == "province" and province is None:
        chosen = "nation"
    return chosen, province


@access(roles=PEOPLE)
def network(request: HttpRequest) -> HttpResponse:
    chosen, province = _scope(request)
    return render(
        request,
        "assessment/plans/network.html",
        {
            "scope": chosen,
            "province": province,
            "profiles": sel.network_profiles(province=province)[:100],
            "plans": sel.network_plans(province=province)[:50],
            "topics": sel.topics(),
            "is_lead": DxLead.objects.filter(user=request.user, active=True).exists(),
        },
    )


@access(roles=PEOPLE)
def network_profile(request: HttpRequest, pk: int) -> HttpResponse:
    lead = sel.network_profile(pk)
    return render(
        request,
        "assessment/plans/network_profile.html",
        {
            "lead": lead,
            "plans": sel.network_plans().filter(organisation=lead.organisation)[:10],
        },
    )


@access(roles=PEOPLE)
def network_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = sel.network_plan(pk)
    actions = sel.plan_actions(plan)
    return render(
        request,
        "assessment/plans/network_plan.html",
        {"plan": plan, "actions": actions, "totals": sel.plan_totals(actions)},
    )


@access(roles=PEOPLE)
def network_topic(request: HttpRequest, pk: int) -> HttpResponse:
    topic = Topic.objects.filter(pk=pk).first()
    if topic is None:
        raise Http404
    chosen, province = _scope(request)
    form = PostForm()
    if request.method == "POST":
        form = PostForm(request.POST)
        if form.is_valid():
            try:
                services.post_add(actor=request.user, topic=topic, body=form.cleaned_data["body"])
            except ServiceError as exc:
                show_service_error(request, exc, form)
            else:
                messages.success(request, _("Your message was posted."))
                return redirect(
                    reverse("assessment:network_topic", args=[topic.pk]) + f"?scope={chosen}"
                )
    return render(
        request,
        "assessment/plans/network_topic.html",
        {
            "topic": topic,
            "posts": sel.topic_posts(topic, province=province)[:200],
            "form": form,
            "may_post": services.may_post(request.user),
            "scope": chosen,
        },
        status=400 if form.errors else 200,
    )


@access(roles=PEOPLE)
def network_me(request: HttpRequest) -> HttpResponse:
    leads = list(
        DxLead.objects.filter(user=request.user, active=True).select_related("organisation")
    )
    first = leads[0] if leads else None
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(actor=request.user, **form.cleaned_data)
            except ServiceError as exc:
                show_service_error(request, exc, form)
            else:
                messages.success(request, _("Your profile was saved."))
                return redirect("assessment:network")
    else:
        form = ProfileForm(
            initial={"public_profile": first.public_profile, "bio": first.bio} if first else None
        )
    return render(request, "assessment/plans/network_me.html", {"form": form, "leads": leads})
