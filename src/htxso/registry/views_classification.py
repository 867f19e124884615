"""Classification pages: self-score, province review, publication."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import bounded_integers, show_service_error
from htxso.core.policy import get_allowed_or_404

from . import classification_rules as rules
from . import selectors_reports as selectors
from .models import ClassificationScheme, ClassificationScore, Organisation, ScoreStatus
from .services import classification as services
from .services.reports import today_local, validate_year
from .views_reports import NextStepForm


def _label(item: dict, key: str = "label") -> str:
    lang = "en" if (get_language() or "vi").startswith("en") else "vi"
    return item.get(f"{key}_{lang}") or item.get(f"{key}_vi") or item.get("code", "")


@bounded_integers
class ScoreForm(forms.Form):
    months_suspended = forms.IntegerField(
        min_value=0,
        max_value=12,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    had_sanction = forms.BooleanField(required=False)

    def __init__(self, *args, scheme: ClassificationScheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.fields["months_suspended"].label = _("Months suspended in the year")
        self.fields["had_sanction"].label = _("An administrative sanction was imposed in the year")
        for c in scheme.criteria:
            self.fields[f"c_{c['code']}"] = forms.IntegerField(
                label=f"{c['code']}. {_label(c)}",
                required=False,
                min_value=0,
                max_value=int(c["max_points"]),
                widget=forms.NumberInput(
                    attrs={
                        "inputmode": "numeric",
                        "data-max": c["max_points"],
                        "class": "score-input",
                    }
                ),
            )

    def criterion_rows(self):
        """(group label, [(criterion, bound field)]) in scheme order."""
        groups: list[tuple[str, list]] = []
        for c in self.scheme.criteria:
            group = _label(c, "group_label")
            if not groups or groups[-1][0] != group:
                groups.append((group, []))
            groups[-1][1].append((c, self[f"c_{c['code']}"]))
        return groups

    def points(self) -> dict:
        return {
            c["code"]: self.cleaned_data.get(f"c_{c['code']}") or 0 for c in self.scheme.criteria
        }


@bounded_integers
class ReviewForm(forms.Form):
    """The province's review: a decision, a comment and, when the officer changed them,
    the points of each criterion (the service checks them against the scheme)."""

    decision = forms.CharField(required=False)
    comment = forms.CharField(required=False, strip=False)

    def __init__(self, *args: Any, scheme: ClassificationScheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        for c in scheme.criteria:
            self.fields[f"c_{c['code']}"] = forms.IntegerField(required=False)

    def clean_comment(self) -> str:
        return self.cleaned_data["comment"][:5000]

    def points(self) -> dict[str, int] | None:
        """The points typed, or ``None`` when the form sent none (a decision only)."""
        if not any(key.startswith("c_") for key in self.data):
            return None
        return {
            c["code"]: self.cleaned_data.get(f"c_{c['code']}") or 0 for c in self.scheme.criteria
        }


def _on_criteria(form: forms.Form, exc: ServiceError) -> ServiceError:
    """The service names a criterion by its code; the form's field is ``c_<code>``."""
    if not exc.fields:
        return exc
    fields = {
        name if name in form.fields or f"c_{name}" not in form.fields else f"c_{name}": items
        for name, items in exc.fields.items()
    }
    return ServiceError(exc.code, exc.message, exc.params, fields=fields, kind=exc.kind)


def _score_rows(score: ClassificationScore) -> list[dict]:
    points = services.criteria_points(score)
    return [
        {
            "code": c["code"],
            "label": _label(c),
            "group": _label(c, "group_label"),
            "points": points.get(c["code"], 0),
            "max": c["max_points"],
            "check": c.get("check", False),
        }
        for c in score.scheme.criteria
    ]


def _may_score(user: Any, organisation: Organisation) -> bool:
    return ClassificationScore.policy.allows_at(
        user, "score", province=organisation.province_id, organisation=organisation.pk
    )


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def classification_list_for_org(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_allowed_or_404(
        Organisation.objects.select_related("province"), request.user, "view", pk=org_pk
    )
    scores = list(selectors.score_list(user=request.user, organisation=organisation))
    today = today_local()
    can_edit = _may_score(request.user, organisation)
    return render(
        request,
        "registry/classification/org_scores.html",
        {
            "organisation": organisation,
            "scores": scores,
            "schemes": services.schemes_for(organisation) if can_edit else [],
            "years": list(range(today.year, today.year - 3, -1)),
            "can_edit": can_edit,
        },
    )


@access(roles=roles.MANAGERS)
def classification_edit(request: HttpRequest, org_pk: int, year: int, scheme: str) -> HttpResponse:
    if not 1990 <= year <= 2100:
        raise Http404
    organisation = get_allowed_or_404(
        Organisation.objects.select_related("province"), request.user, "view", pk=org_pk
    )
    if not _may_score(request.user, organisation):
        raise PermissionDenied
    scheme_obj = get_object_or_404(ClassificationScheme, code=scheme, is_active=True)
    score = (
        ClassificationScore.objects.filter(organisation=organisation, scheme=scheme_obj, year=year)
        .select_related("scheme", "organisation")
        .first()
    )
    problem = ""
    try:
        validate_year(year)
    except ServiceError as exc:
        problem = "; ".join(exc.messages)
    if not problem and scheme_obj not in services.schemes_for(organisation):
        problem = _("This scheme does not apply to this organisation.")
    if not problem and score is not None and score.status not in services.EDITABLE:
        problem = _("The score was sent to the province and can no longer be changed.")
    if request.method == "POST" and not problem:
        form = ScoreForm(request.POST, scheme=scheme_obj)
        if form.is_valid():
            try:
                score = services.classification_save(
                    actor=request.user,
                    organisation=organisation,
                    scheme=scheme_obj,
                    year=year,
                    points=form.points(),
                    months_suspended=form.cleaned_data["months_suspended"],
                    had_sanction=form.cleaned_data["had_sanction"],
                )
                if NextStepForm.wants_submit(request.POST):
                    services.classification_submit(actor=request.user, score=score)
                    messages.success(request, _("The self-score was sent to the province."))
                else:
                    messages.success(request, _("The self-score was saved."))
            except ServiceError as exc:
                show_service_error(request, _on_criteria(form, exc), form)
            else:
                return redirect("registry:classification_detail", pk=score.pk)
    else:
        initial = {}
        if score is not None:
            initial = {f"c_{k}": v for k, v in services.criteria_points(score).items()}
            initial["months_suspended"] = services.months_suspended_of(score)
            initial["had_sanction"] = score.had_administrative_sanction
        form = ScoreForm(initial=initial, scheme=scheme_obj)
    return render(
        request,
        "registry/classification/score_form.html",
        {
            "organisation": organisation,
            "scheme": scheme_obj,
            "year": year,
            "score": score,
            "form": form,
            "problem": problem,
            "max_total": scheme_obj.max_total,
            "current_total": score.total if score else 0,
            "thresholds": scheme_obj.thresholds,
            "timeline": services.timeline_for(year),
        },
        status=409 if request.method == "POST" and problem else 200,
    )


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def classification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    score = selectors.score_get(user=request.user, pk=pk)
    organisation = score.organisation
    can_review = ClassificationScore.policy.allows_at(
        request.user, "review", province=organisation.province_id, organisation=organisation.pk
    )
    return render(
        request,
        "registry/classification/score_detail.html",
        {
            "score": score,
            "organisation": score.organisation,
            "rows": _score_rows(score),
            "groups": [
                {**g, "label": _label(g)}
                for g in rules.group_totals(score.scheme.criteria, services.criteria_points(score))
            ],
            "months_suspended": services.months_suspended_of(score),
            "reason": rules.REASON_LABELS.get(score.not_graded_reason, ""),
            "can_edit": score.status in services.EDITABLE
            and _may_score(request.user, organisation),
            "can_review": can_review and score.status == ScoreStatus.SUBMITTED,
            "can_publish": can_review and score.status == ScoreStatus.REVIEWED,
            "timeline": services.timeline_for(score.year),
        },
    )


@access(roles=roles.MANAGERS)
@require_POST
def classification_submit(request: HttpRequest, pk: int) -> HttpResponse:
    score = selectors.score_get(user=request.user, pk=pk, action="score")
    try:
        services.classification_submit(actor=request.user, score=score)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("The self-score was sent to the province."))
    return redirect("registry:classification_detail", pk=score.pk)


@access(roles=roles.REVIEWERS)
@require_POST
def classification_review(request: HttpRequest, pk: int) -> HttpResponse:
    score = selectors.score_get(user=request.user, pk=pk, action="review")
    form = ReviewForm(request.POST, scheme=score.scheme)
    if not form.is_valid():
        messages.error(request, _("Points must be whole numbers."))
        return redirect("registry:classification_detail", pk=score.pk)
    try:
        services.classification_review(
            actor=request.user,
            score=score,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            points=form.points(),
        )
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("The review was recorded."))
    return redirect("registry:classification_detail", pk=score.pk)


@access(roles=roles.REVIEWERS)
@require_POST
def classification_publish(request: HttpRequest, pk: int) -> HttpResponse:
    score = selectors.score_get(user=request.user, pk=pk, action="review")
    try:
        services.classification_publish(actor=request.user, score=score)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("The classification was published."))
    return redirect("registry:classification_detail", pk=score.pk)


@access(roles=roles.STAFF)
def classification_queue(request: HttpRequest) -> HttpResponse:
    today = today_local()
    try:
        year = int(request.GET.get("year") or today.year - 1)
    except ValueError:
        year = today.year - 1
    year = min(max(year, 1990), today.year)
    status = request.GET.get("status", "")
    if status not in ScoreStatus.values:
        status = ""
    provinces = selectors.province_choices(request.user)
    province = request.GET.get("province", "")
    if province not in {code for code, _name in provinces}:
        province = ""
    qs = selectors.score_list(user=request.user, year=year, status=status, province=province)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/classification/queue.html",
        {
            "page": page,
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "status": status,
            "statuses": ScoreStatus.choices,
            "province": province,
            "provinces": provinces,
        },
    )
