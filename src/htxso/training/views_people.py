"""Pages of the people part: the review of likely duplicates (VCA, province officer) and
the figures of unique people trained (staff; a department viewer reads aggregates)."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.accounts.phones import display_phone
from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404, reach_of
from htxso.geo.models import Province
from htxso.registry.data.ethnicities import ETHNICITIES
from htxso.registry.models import Person

from . import selectors_counts, services_people
from .forms_people import DecideForm, FiguresForm
from .models import DuplicateCandidate, DuplicateStatus, Enrolment
from .people import REASONS

PAGE_SIZE = 25
ETHNICITY_NAMES = dict(ETHNICITIES)


def _candidates(user: Any):
    enrolments = Prefetch(
        "enrolments", queryset=Enrolment.objects.select_related("course").order_by("course_id")
    )
    people = Person.objects.select_related("organisation").prefetch_related(enrolments)
    return (
        DuplicateCandidate.policy.queryset(user, "view")
        .select_related("province", "decided_by")
        .prefetch_related(Prefetch("first", queryset=people), Prefetch("second", queryset=people))
    )


def _card(person: Person) -> dict[str, Any]:
    return {
        "person": person,
        "phone": display_phone(person.phone) if person.phone else "",
        "ethnicity": ETHNICITY_NAMES.get(person.ethnicity, ""),
        "year": str(person.birth_year or (person.birth_date.year if person.birth_date else "")),
        "courses": [e.course for e in person.enrolments.all()],
    }


@access(roles=roles.REVIEWERS)
def duplicates(request: HttpRequest) -> HttpResponse:
    qs = _candidates(request.user).filter(status=DuplicateStatus.OPEN).order_by("found_at", "id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"cand": c, "a": _card(c.first), "b": _card(c.second), "why": REASONS.get(c.reason, "")}
        for c in page.object_list
    ]
    return render(request, "training/people/duplicates.html", {"page": page, "rows": rows})


def _get(request: HttpRequest, pk: int, action: str) -> DuplicateCandidate:
    return get_allowed_or_404(_candidates(request.user), request.user, action, pk=pk)


@access(roles=roles.REVIEWERS)
def duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    cand = _get(request, pk, "view")
    return render(
        request,
        "training/people/duplicate.html",
        {
            "cand": cand,
            "a": _card(cand.first),
            "b": _card(cand.second),
            "why": REASONS.get(cand.reason, ""),
            "form": DecideForm(),
            "is_open": cand.status == DuplicateStatus.OPEN,
        },
    )


@access(roles=roles.REVIEWERS)
@require_POST
def duplicate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    cand = _get(request, pk, "change")
    form = DecideForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "training/people/duplicate.html",
            {
                "cand": cand,
                "a": _card(cand.first),
                "b": _card(cand.second),
                "why": REASONS.get(cand.reason, ""),
                "form": form,
                "is_open": cand.status == DuplicateStatus.OPEN,
            },
            status=400,
        )
    decision = form.cleaned_data["decision"]
    try:
        kept = services_people.decide_duplicate(
            actor=request.user, candidate=cand, decision=decision
        )
    except ServiceError as exc:
        show_service_error(request, exc)
        return redirect("training:duplicate", cand.pk)
    if kept is not None:
        messages.success(request, _("Merged into %(name)s.") % {"name": kept.full_name})
    else:
        messages.success(request, _("Marked as different people."))
    return redirect("training:duplicates")


# ------------------------------------------------------------------ the figures


def province_choices(user: Any) -> list[tuple[str, str]]:
    everywhere, provinces, _orgs = reach_of(user, roles.STAFF)
    qs = Province.objects.order_by("code")
    if not everywhere:
        qs = qs.filter(code__in=sorted(provinces))
    choices = [(p.code, p.name) for p in qs]
    if everywhere:
        choices.insert(0, ("national", _("National courses")))
    return choices


def _figures(request: HttpRequest) -> tuple[FiguresForm, selectors_counts.Breakdown]:
    form = FiguresForm(request.GET or None, provinces=province_choices(request.user))
    filters = form.filters() if request.GET else {}
    return form, selectors_counts.unique_people_breakdown(actor=request.user, **filters)


@access(roles=roles.STAFF)
def figures(request: HttpRequest) -> HttpResponse:
    form, board = _figures(request)
    return render(
        request,
        "training/people/figures.html",
        {
            "form": form,
            "board": board,
            "query": request.GET.urlencode(),
            "small": selectors_counts.SMALL,
        },
    )


@access(roles=roles.STAFF)
def figures_xlsx(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook

    _form, board = _figures(request)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Unique people")[:31]
    ws.append([_("Unique people trained"), board.trained])
    ws.append([_("Unique people who completed"), board.completed])
    ws.append([_("Young people (under 35) trained"), board.youth_trained])
    ws.append([_("Young people (under 35) who completed"), board.youth_completed])
    tables = [
        (_("By sex"), board.sex),
        (_("By age at the course's start"), board.age),
        (_("By ethnicity"), board.ethnicity),
        (_("By province of the course"), board.province),
    ]
    for title, rows in tables:
        ws.append([])
        ws.append([title, _("Trained"), _("Completed")])
        if rows is None:
            ws.append([_("Too few people to show this without identifying anyone.")])
            continue
        for r in rows:
            ws.append([str(r.label), r.trained_shown, r.completed_shown])
    ws.append([])
    ws.append(
        [
            _(
                "Counts of different people, not of enrolments. Ethnicity: cells under "
                "%(n)s show “<%(n)s”; “…” hides a cell so that none can be computed back."
            )
            % {"n": selectors_counts.SMALL}
        ]
    )
    ws.column_dimensions["A"].width = 48
    out = io.BytesIO()
    wb.save(out)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="dao-tao-so-lieu-{stamp}.xlsx"'
    return response
