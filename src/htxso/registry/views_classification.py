"""Classification pages: self-score, province review, publication."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core.access import access
from htxso.core.forms import bounded_integers
from htxso.core.scoping import get_visible_or_404

from . import classification_rules as rules
from . import selectors_reports as selectors
from .models import ClassificationScheme, ClassificationScore, Organisation, ScoreStatus
from .services import classification as services
from .services.reports import today_local, validate_year

STAFF = ("vca_admin", "province_officer", "department_viewer")
READERS = (*STAFF, "coop_manager", "coop_member")
MANAGERS = ("vca_admin", "coop_manager")
REVIEWERS = ("vca_admin", "province_officer")


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


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = field if field in form.fields else f"c_{field}"
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


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


@access(roles=READERS)
def classification_list_for_org(request, org_pk: int):
    organisation = get_visible_or_404(
        Organisation.objects.select_related("province"), request.user, pk=org_pk
    )
    scores = list(selectors.score_list(user=request.user, organisation=organisation))
    today = today_local()
    can_edit = services.can_edit(request.user, None, organisation)
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


@access(roles=MANAGERS)
def classification_edit(request, org_pk: int, year: int, scheme: str):
    if not 1990 <= year <= 2100:
        raise Http404
    organisation = get_visible_or_404(
        Organisation.objects.select_related("province"), request.user, pk=org_pk
    )
    if not services.can_edit(request.user, None, organisation):
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
    except ValidationError as exc:
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
                if request.POST.get("then") == "submit":
                    services.classification_submit(actor=request.user, score=score)
                    messages.success(request, _("The self-score was sent to the province."))
                else:
                    messages.success(request, _("The self-score was saved."))
            except ValidationError as exc:
                _apply_errors(form, exc)
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


@access(roles=READERS)
def classification_detail(request, pk: int):
    score = selectors.score_get(user=request.user, pk=pk)
    can_review = services.can_review(request.user, score)
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
            "can_edit": services.can_edit(request.user, score, score.organisation),
            "can_review": can_review and score.status == ScoreStatus.SUBMITTED,
            "can_publish": can_review and score.status == ScoreStatus.REVIEWED,
            "timeline": services.timeline_for(score.year),
        },
    )


@access(roles=MANAGERS)
@require_POST
def classification_submit(request, pk: int):
    score = selectors.score_get(user=request.user, pk=pk)
    if not services.can_edit(request.user, None, score.organisation):
        raise PermissionDenied
    try:
        services.classification_submit(actor=request.user, score=score)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("The self-score was sent to the province."))
    return redirect("registry:classification_detail", pk=score.pk)


@access(roles=REVIEWERS)
@require_POST
def classification_review(request, pk: int):
    score = selectors.score_get(user=request.user, pk=pk)
    if not services.can_review(request.user, score):
        raise PermissionDenied
    points = None
    if any(k.startswith("c_") for k in request.POST):
        points = {}
        for c in score.scheme.criteria:
            raw = request.POST.get(f"c_{c['code']}", "").strip()
            try:
                points[c["code"]] = int(raw) if raw else 0
            except ValueError:
                messages.error(request, _("Points must be whole numbers."))
                return redirect("registry:classification_detail", pk=score.pk)
    try:
        services.classification_review(
            actor=request.user,
            score=score,
            decision=request.POST.get("decision", ""),
            comment=request.POST.get("comment", "")[:5000],
            points=points,
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("The review was recorded."))
    return redirect("registry:classification_detail", pk=score.pk)


@access(roles=REVIEWERS)
@require_POST
def classification_publish(request, pk: int):
    score = selectors.score_get(user=request.user, pk=pk)
    if not services.can_review(request.user, score):
        raise PermissionDenied
    try:
        services.classification_publish(actor=request.user, score=score)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("The classification was published."))
    return redirect("registry:classification_detail", pk=score.pk)


@access(roles=STAFF)
def classification_queue(request):
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
