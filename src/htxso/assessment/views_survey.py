"""Pages of the survey part: start or resume, one dimension per page (autosaved),
evidence, submit, results; DX leads; the questionnaire and its XLSForm.

Phone first.  Every page works without JavaScript (the dimension form is a normal
POST that saves every answer given and keeps the others); ``assessment_survey.js``
adds autosave of each answer as it changes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.accounts.models import RoleAssignment
from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.files import PRIVATE, private_file_response
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404, holds
from htxso.registry.models import Organisation

from . import selectors_survey as sel
from . import services_survey as services
from .forms_survey import (
    AutosaveForm,
    ConfirmForm,
    DimensionAnswersForm,
    EvidenceForm,
    LeadForm,
    StartForm,
    field_name,
)
from .models import (
    Assessment,
    AssessmentStatus,
    DimensionFamily,
    DxLead,
    Evidence,
    Question,
    Questionnaire,
    QuestionnaireStatus,
)

PEOPLE = roles.STAFF_AND_ORGANISATIONS


def _answerable(request: HttpRequest, pk: int) -> Assessment:
    """A draft the user may answer (404 for not theirs, 403 for staff who only read)."""
    return get_allowed_or_404(
        Assessment.objects.select_related("organisation", "questionnaire"),
        request.user,
        "answer",
        pk=pk,
    )


def _visible(request: HttpRequest, pk: int) -> Assessment:
    return get_allowed_or_404(
        Assessment.objects.select_related("organisation", "questionnaire", "province"),
        request.user,
        "view",
        pk=pk,
    )


# ------------------------------------------------------------------ home, start


@access(roles=PEOPLE)
def home(request: HttpRequest) -> HttpResponse:
    orgs = sel.organisations_to_answer(request.user)
    rounds: dict[int, list[Assessment]] = {}
    for a in Assessment.objects.filter(organisation__in=orgs).order_by("round"):
        rounds.setdefault(a.organisation_id, []).append(a)
    cards = []
    for org in orgs:
        items = rounds.get(org.pk, [])
        cards.append(
            {
                "org": org,
                "rounds": items,
                "draft": next((a for a in items if a.status == AssessmentStatus.DRAFT), None),
                "latest": next(
                    (a for a in reversed(items) if a.status == AssessmentStatus.SUBMITTED), None
                ),
                "may_name_leads": DxLead.policy.allows_at(
                    request.user, "change", organisation=org.pk
                ),
            }
        )
    staff = Assessment.policy.reach(request.user, "view")
    return render(
        request,
        "assessment/survey/home.html",
        {
            "cards": cards,
            "is_staff_reader": bool(staff[0] or staff[1]),
            "questionnaire": services.current_questionnaire(),
            "start_form": StartForm(),
        },
    )


@access(roles=PEOPLE)
@require_POST
def start(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_allowed_or_404(Organisation, request.user, "view", pk=org_id)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The round number is not valid."))
        return redirect("assessment:survey_home")
    try:
        a = services.start(
            actor=request.user, organisation=org, round=form.cleaned_data.get("round")
        )
    except ServiceError as exc:
        show_service_error(request, exc)
        return redirect("assessment:survey_home")
    first = sel.questionnaire_tree(a.questionnaire)[0]["dimension"]
    return redirect("assessment:survey_answer", pk=a.pk, dimension=first.key)


# ------------------------------------------------------------------ answering


def _pages(a: Assessment) -> list[dict[str, Any]]:
    return sel.questionnaire_tree(a.questionnaire)


def _answer_context(request, a, tree, index, form) -> dict[str, Any]:
    page = tree[index]
    answers = sel.answers_by_question(a)
    missing = sel.missing_by_dimension(a)
    rows = []
    for q in page["questions"]:
        ans = answers.get(q.pk)
        rows.append(
            {
                "q": q,
                "field": form[field_name(q)],
                "answer": ans,
                "evidence": list(ans.evidence.all()) if ans else [],
                "needs_evidence_now": bool(
                    q.needs_evidence and ans and ans.score and ans.score > 0
                ),
                "evidence_form": EvidenceForm(initial={"question": q.pk}, auto_id=f"ev{q.pk}_%s"),
            }
        )
    return {
        "a": a,
        "page": page,
        "rows": rows,
        "form": form,
        "index": index,
        "count": len(tree),
        "prev": tree[index - 1]["dimension"] if index > 0 else None,
        "next": tree[index + 1]["dimension"] if index + 1 < len(tree) else None,
        "steps": [
            {
                "dimension": p["dimension"],
                "missing": missing.get(p["dimension"].pk, 0),
                "current": i == index,
            }
            for i, p in enumerate(tree)
        ],
        "missing_total": sum(missing.values()),
    }


def _initial(a: Assessment, questions: list[Question]) -> dict[str, Any]:
    answers = sel.answers_by_question(a)
    initial: dict[str, Any] = {}
    for q in questions:
        ans = answers.get(q.pk)
        if ans is None:
            continue
        if q.kind == "number":
            initial[field_name(q)] = (
                "" if ans.number is None else format(ans.number.normalize(), "f")
            )
        elif q.kind == "multi":
            initial[field_name(q)] = ans.choices
        else:
            initial[field_name(q)] = ans.choices[0] if ans.choices else ""
    return initial


@access(roles=PEOPLE)
def answer(request: HttpRequest, pk: int, dimension: str) -> HttpResponse:
    a = _answerable(request, pk)
    if a.status != AssessmentStatus.DRAFT:
        return redirect("assessment:survey_results", pk=a.pk)
    tree = _pages(a)
    keys = [p["dimension"].key for p in tree]
    if dimension not in keys:
        raise Http404
    index = keys.index(dimension)
    questions = tree[index]["questions"]
    if request.method == "POST":
        form = DimensionAnswersForm(request.POST, questions=questions)
        saved = 0
        if form.is_valid():
            for q, choices, number in form.answered():
                try:
                    services.save_answer(
                        actor=request.user, assessment=a, question=q, choices=choices, number=number
                    )
                    saved += 1
                except ServiceError as exc:
                    if exc.code == "assessment_submitted":
                        show_service_error(request, exc)
                        return redirect("assessment:survey_results", pk=a.pk)
                    for message in exc.field_messages().values() or [[exc.text]]:
                        for text in message:
                            form.add_error(field_name(q), text)
        if form.errors:
            messages.error(request, _("Some answers were not saved: see the messages below."))
            return render(
                request,
                "assessment/survey/answer.html",
                _answer_context(request, a, tree, index, form),
                status=400,
            )
        go = form.cleaned_data.get("go", "")
        target = {"prev": index - 1, "next": index + 1}.get(go, index)
        if target >= len(tree):
            return redirect("assessment:survey_submit", pk=a.pk)
        if saved:
            messages.success(request, _("Your answers are saved."))
        return redirect("assessment:survey_answer", pk=a.pk, dimension=keys[max(0, target)])
    form = DimensionAnswersForm(initial=_initial(a, questions), questions=questions)
    return render(
        request, "assessment/survey/answer.html", _answer_context(request, a, tree, index, form)
    )


@access(roles=PEOPLE)
@require_POST
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Save one question (the page's JS calls it when an answer changes)."""
    a = _answerable(request, pk)
    meta = AutosaveForm(request.POST)
    if not meta.is_valid():
        return JsonResponse(
            {"code": "validation_error", "message": _("The request is not valid.")}, status=400
        )
    question = (
        Question.objects.filter(pk=meta.cleaned_data["question"])
        .prefetch_related("options")
        .first()
    )
    if question is None:
        return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404)
    version = meta.cleaned_data.get("version")
    form = DimensionAnswersForm(request.POST, questions=[question])
    if not form.is_valid():
        errors = [str(e) for e in form.errors.get(field_name(question), [])]
        return JsonResponse({"code": "invalid", "message": " ".join(errors)}, status=400)
    given = form.answered()
    try:
        if version is not None and version != a.questionnaire.version:
            raise services.conflict(
                _(
                    "This page was made for another version of the questionnaire: your assessment "
                    "keeps version %(version)s. Reload the page; your saved answers are kept."
                ),
                "version_changed",
                {"version": a.questionnaire.version},
            )
        if not given:
            return JsonResponse(
                {"code": "choice_required", "message": _("Choose an answer.")}, status=400
            )
        _q, choices, number = given[0]
        saved = services.save_answer(
            actor=request.user, assessment=a, question=question, choices=choices, number=number
        )
    except ServiceError as exc:
        from htxso.core.api import STATUS_OF_KIND

        return JsonResponse(
            {"code": exc.code, "message": exc.text}, status=STATUS_OF_KIND.get(exc.kind, 400)
        )
    return JsonResponse(
        {
            "code": "saved",
            "message": _("Saved"),
            "question": question.pk,
            "score": str(saved.score),
            "needs_evidence": bool(question.needs_evidence and saved.score and saved.score > 0),
            "missing": sum(sel.missing_by_dimension(a).values()),
        }
    )


# ------------------------------------------------------------------ evidence


@access(roles=PEOPLE)
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    a = _answerable(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    back = None
    if form.is_valid():
        question = (
            Question.objects.filter(
                pk=form.cleaned_data["question"], questionnaire_id=a.questionnaire_id
            )
            .select_related("dimension")
            .first()
        )
        if question is None:
            raise Http404
        back = question.dimension.key
        answer_row = a.answers.filter(question=question).first()
        if answer_row is None:
            messages.error(request, _("Answer the question first, then add its evidence."))
        else:
            try:
                services.evidence_add(
                    actor=request.user, answer=answer_row, upload=form.cleaned_data["file"]
                )
                messages.success(request, _("The evidence is added."))
            except ServiceError as exc:
                show_service_error(request, exc)
    else:
        messages.error(request, _("Choose a photo or a PDF file to send."))
    if back is None:
        back = _pages(a)[0]["dimension"].key
    return redirect(reverse("assessment:survey_answer", args=[a.pk, back]) + "#evidence")


def _evidence(request: HttpRequest, pk: int, action: str) -> Evidence:
    return get_allowed_or_404(
        Evidence.objects.select_related("answer__assessment", "answer__question__dimension"),
        request.user,
        action,
        pk=pk,
    )


@access(roles=PEOPLE)
def evidence_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    ev = _evidence(request, pk, "view")
    return private_file_response(PRIVATE, ev.file.name, ev.filename, content_type=ev.content_type)


@access(roles=PEOPLE)
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    ev = _evidence(request, pk, "answer")
    a, key = ev.answer.assessment, ev.answer.question.dimension.key
    try:
        services.evidence_remove(actor=request.user, evidence=ev)
        messages.success(request, _("The evidence is removed."))
    except ServiceError as exc:
        show_service_error(request, exc)
    return redirect(reverse("assessment:survey_answer", args=[a.pk, key]) + "#evidence")


# ------------------------------------------------------------------ submit, results


@access(roles=PEOPLE)
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    a = _answerable(request, pk)
    if a.status != AssessmentStatus.DRAFT:
        return redirect("assessment:survey_results", pk=a.pk)
    if request.method == "POST":
        ConfirmForm(request.POST).is_valid()
        try:
            services.submit(actor=request.user, assessment=a)
        except ServiceError as exc:
            show_service_error(request, exc)
            return redirect("assessment:survey_submit", pk=a.pk)
        messages.success(request, _("Your assessment is submitted. Here are your scores."))
        return redirect("assessment:survey_results", pk=a.pk)
    tree = _pages(a)
    missing = sel.missing_by_dimension(a)
    return render(
        request,
        "assessment/survey/submit.html",
        {
            "a": a,
            "pages": [
                {
                    "dimension": p["dimension"],
                    "missing": missing.get(p["dimension"].pk, 0),
                    "total": len(p["questions"]),
                }
                for p in tree
            ],
            "missing_total": sum(missing.values()),
            "evidence_missing": sel.evidence_missing(a),
        },
    )


def results_context(a: Assessment) -> dict[str, Any]:
    scores = sel.dimension_scores(a)
    medians = sel.peer_medians(a)
    bands = {b.level: b for b in sel.level_bands(a.questionnaire_id)}
    rows = [
        {
            "s": s,
            "band": bands.get(s.level),
            "median": medians.get(s.dimension.key) if medians else None,
        }
        for s in scores
    ]
    eu = [r for r in rows if r["s"].dimension.family == DimensionFamily.EU_DMA]
    dbi = [r for r in rows if r["s"].dimension.family == DimensionFamily.DBI]
    eu_mean = (
        (sum((r["s"].score for r in eu), Decimal(0)) / len(eu)).quantize(Decimal("0.1"))
        if eu
        else None
    )
    dbi_mean = sum((r["s"].score for r in dbi), Decimal(0)) / len(dbi) if dbi else None
    from .scoring_survey import level_for

    dbi_level = level_for(dbi_mean, bands.values()) if dbi_mean is not None else None
    return {
        "a": a,
        "rows": [r for r in rows if r["s"].dimension.family != DimensionFamily.DBI],
        "eu_rows": eu,
        "dbi_rows": dbi,
        "eu_mean": eu_mean,
        "dbi_level": dbi_level,
        "dbi_band": bands.get(dbi_level) if dbi_level is not None else None,
        "band": bands.get(a.level) if a.level is not None else None,
        "bands": [bands[k] for k in sorted(bands)],
        "gaps": sel.gaps(a),
        "medians": medians,
        "peers": sel.peer_count(a),
        "min_peers": sel.MIN_PEERS,
    }


@access(roles=PEOPLE)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    a = _visible(request, pk)
    if a.status != AssessmentStatus.SUBMITTED:
        if services.may_answer_for(request.user, a.organisation_id):
            return redirect("assessment:survey_submit", pk=a.pk)
        return render(
            request,
            "assessment/survey/draft_status.html",
            {"a": a, "missing_total": sum(sel.missing_by_dimension(a).values())},
        )
    context = results_context(a)
    context["rounds"] = list(
        Assessment.objects.filter(organisation_id=a.organisation_id).order_by("round")
    )
    context["may_answer"] = services.may_answer_for(request.user, a.organisation_id)
    context["answers"] = _answer_rows(a)
    context["start_form"] = StartForm(initial={"round": a.round + 1})
    return render(request, "assessment/survey/results.html", context)


def _answer_rows(a: Assessment) -> list[dict[str, Any]]:
    """The round's answers, part by part, with the chosen options' labels and evidence
    (for the cooperative and the province's staff who read it)."""
    answers = sel.answers_by_question(a)
    parts = []
    for page in _pages(a):
        rows = []
        for q in page["questions"]:
            ans = answers.get(q.pk)
            labels = {o.value: o for o in q.options.all()}
            rows.append(
                {
                    "q": q,
                    "answer": ans,
                    "options": [labels[c] for c in (ans.choices if ans else []) if c in labels],
                    "evidence": list(ans.evidence.all()) if ans else [],
                }
            )
        parts.append({"dimension": page["dimension"], "rows": rows})
    return parts


@access(roles=roles.STAFF)
def assessment_list(request: HttpRequest) -> HttpResponse:
    qs = sel.assessments_for(request.user).order_by("-updated_at", "-pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "assessment/survey/list.html", {"page": page})


# ------------------------------------------------------------------ DX leads


def _people(org: Organisation) -> list[tuple[int, str]]:
    rows = (
        RoleAssignment.objects.filter(organisation=org, role__in=sorted(roles.ORGANISATION_PEOPLE))
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )
    seen: dict[int, str] = {}
    for r in rows:
        seen.setdefault(r.user_id, r.user.full_name or r.user.get_username())
    return list(seen.items())


@access(roles=PEOPLE)
def leads(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_allowed_or_404(Organisation, request.user, "view", pk=org_id)
    if not DxLead.policy.allows_at(
        request.user, "view", province=org.province_id, organisation=org.pk
    ):
        raise PermissionDenied  # sees the organisation, but its role does not name leads
    may_change = DxLead.policy.allows_at(request.user, "change", organisation=org.pk)
    people = _people(org)
    form = LeadForm(people=people)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        form = LeadForm(request.POST, people=people)
        if form.is_valid():
            from htxso.accounts.models import User

            try:
                services.lead_name(
                    actor=request.user,
                    organisation=org,
                    user=User.objects.get(pk=form.cleaned_data["user"]),
                    public_profile=form.cleaned_data["public_profile"],
                    bio=form.cleaned_data["bio"],
                )
                messages.success(request, _("The DX lead is named."))
                return redirect("assessment:survey_leads", org_id=org.pk)
            except ServiceError as exc:
                show_service_error(request, exc, form)
    return render(
        request,
        "assessment/survey/leads.html",
        {"org": org, "leads": sel.leads_of(org.pk), "form": form, "may_change": may_change},
        status=400 if form.errors else 200,
    )


@access(roles=roles.MANAGERS)
@require_POST
def lead_retire(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_allowed_or_404(
        DxLead.objects.select_related("organisation"), request.user, "change", pk=pk
    )
    try:
        services.lead_retire(actor=request.user, lead=lead)
        messages.success(request, _("The DX lead is retired; their answers stay."))
    except ServiceError as exc:
        show_service_error(request, exc)
    return redirect("assessment:survey_leads", org_id=lead.organisation_id)


# ------------------------------------------------------------------ questionnaire


@access(roles=PEOPLE)
def questionnaires(request: HttpRequest) -> HttpResponse:
    qn = services.current_questionnaire()
    return render(
        request,
        "assessment/survey/questionnaire.html",
        {
            "qn": qn,
            "tree": sel.questionnaire_tree(qn) if qn else [],
            "versions": sel.published_questionnaires(),
            "bands": sel.level_bands(qn.pk) if qn else [],
        },
    )


@access(roles=PEOPLE)
def questionnaire_xlsform(request: HttpRequest, pk: int) -> HttpResponse:
    # national data without a province or an organisation: the published versions for
    # everyone who opens the page, drafts too for the VCA
    qs = Questionnaire.objects.all()
    if not holds(request.user, roles.VCA):
        qs = qs.filter(status=QuestionnaireStatus.PUBLISHED)
    qn = qs.filter(pk=pk).first()
    if qn is None:
        raise Http404
    response = HttpResponse(
        sel.questionnaire_xlsform(qn),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{qn.code}-v{qn.version}.xlsx"'
    return response
