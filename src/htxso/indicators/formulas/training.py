"""Formulas over training: unique people trained or who completed a course.

They count people, not enrolments, with the training module's own selectors
(``training.selectors_counts``): the courses of the scope (the course's province; a
national framework counts every course), started by the period's last day and — when
the framework or the parameters give a start — on or after it (``since``), or within
the period (``within_period``).  "Youth" is the training figures' definition: under 35
at the start of the course (the youngest of the person's enrolments).  Ethnicity cells
are protected like the training figures (cells of 1–4 and the ones that would reveal
them are not shown).

Parameters (all optional): ``kind`` (course kind), ``audience``, ``funded_by`` (words of
the funder), ``completed`` (default true), ``youth`` (default false), ``since``
(yyyy-mm-dd), ``within_period`` (default false).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Case, Count, IntegerField, Max, Min, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from htxso.registry.models import Person
from htxso.registry.models.people import YOUTH_AGE
from htxso.training.models import Audience, CourseKind, EnrolmentStatus
from htxso.training.selectors_counts import (
    AGE_BANDS,
    UNKNOWN,
    Filters,
    courses,
    enrolments,
    protect,
)

from ..models.frameworks import Unit
from ..periods import Period
from .base import NOTE_NO_DATA, NOTE_SUPPRESSED, SYSTEM, Result, cell_key, count, formula

SOURCE = "training"

PARAMS = {
    "kind": _(
        "course kind, one of: digital_skills, tot, value_chain, store_opening, workshop, other"
    ),
    "audience": _("course audience, one of: youth, trainers, members, policymakers, general"),
    "funded_by": _("words of the funder (e.g. EU)"),
    "completed": _("true: people who completed (default); false: people trained"),
    "youth": _("true: only people under 35 at the start of the course"),
    "since": _("count courses started on or after this day (yyyy-mm-dd)"),
    "within_period": _("true: only courses started within the period"),
}


def _flag(params: Mapping[str, Any], key: str, default: bool) -> bool:
    value = params.get(key, default)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def filters(period: Period, province: Any, params: Mapping[str, Any]) -> Filters:
    since = period.start if _flag(params, "within_period", False) else _date(params.get("since"))
    return Filters(
        kind=str(params.get("kind") or ""),
        audience=str(params.get("audience") or ""),
        funded_by=str(params.get("funded_by") or ""),
        date_from=since,
        date_to=period.end,
        province=getattr(province, "pk", province) or "",
    )


def _per_person(enrolled: QuerySet[Any], *, completed: bool, youth: bool) -> QuerySet[Any]:
    qs = enrolled.values("person_id").annotate(
        youngest=Min("age_at_start"),
        done=Max(
            Case(
                When(status=EnrolmentStatus.COMPLETED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        ),
    )
    if completed:
        qs = qs.filter(done=1)
    if youth:
        qs = qs.filter(youngest__lt=YOUTH_AGE)
    return qs


def people(
    *, period: Period, province: Any, params: Mapping[str, Any], by: Sequence[str] = ()
) -> Result:
    f = filters(period, province, params)
    if not courses(actor=SYSTEM, f=f).exists():
        return Result(None, note=NOTE_NO_DATA)
    completed = _flag(params, "completed", True)
    youth = _flag(params, "youth", False)
    enrolled = enrolments(actor=SYSTEM, f=f)
    per_person = _per_person(enrolled, completed=completed, youth=youth)
    total = per_person.count()
    result = count(total)
    ids = per_person.values("person_id")
    if "sex" in by:
        rows = Person.objects.filter(pk__in=ids).order_by().values("sex").annotate(n=Count("id"))
        for r in rows:
            result.cells[cell_key(sex=r["sex"] or UNKNOWN)] = count(r["n"])
    if "age_band" in by:
        for key, _label, low, high in AGE_BANDS:
            band = per_person
            if low is not None:
                band = band.filter(youngest__gte=low)
            if high is not None:
                band = band.filter(youngest__lte=high)
            n = band.count()
            if n:
                result.cells[cell_key(age_band=key)] = count(n)
        unknown = per_person.filter(youngest__isnull=True).count()
        if unknown:
            result.cells[cell_key(age_band=UNKNOWN)] = count(unknown)
    if "ethnicity" in by:
        rows = list(
            Person.objects.filter(pk__in=ids)
            .order_by()
            .values("ethnicity")
            .annotate(n=Count("id"))
            .order_by("-n", "ethnicity")
        )
        shown = protect([r["n"] for r in rows], total)
        for i, r in enumerate(rows):
            key = cell_key(ethnicity=r["ethnicity"] or UNKNOWN)
            if shown is not None and isinstance(shown[i], int):
                result.cells[key] = count(shown[i])
            else:
                result.cells[key] = Result(None, note=NOTE_SUPPRESSED)
    if "province" in by:
        scoped = enrolled.filter(person_id__in=ids)
        if completed:
            scoped = scoped.filter(status=EnrolmentStatus.COMPLETED)
        rows = (
            scoped.values("course__province")
            .annotate(n=Count("person_id", distinct=True))
            .order_by("course__province")
        )
        for r in rows:
            result.cells[cell_key(province=r["course__province"] or "national")] = count(r["n"])
    return result


def _preset(**fixed: Any) -> Any:
    def compute(
        *, period: Period, province: Any, params: Mapping[str, Any], by: Sequence[str] = ()
    ) -> Result:
        return people(period=period, province=province, params={**params, **fixed}, by=by)

    return compute


_DISAGGREGATIONS = ("sex", "age_band", "ethnicity", "province")

formula(
    "training.people",
    _("People trained (unique)"),
    unit=Unit.PEOPLE,
    source=SOURCE,
    cumulative=True,
    description=_(
        "Different people with an enrolment (completed, unless the parameters say "
        "otherwise) in the courses the parameters select, started by the end of the period."
    ),
    disaggregations=_DISAGGREGATIONS,
    params=PARAMS,
)(people)

formula(
    "training.youth_digital_completed",
    _("Young people who completed a digital-skills course"),
    unit=Unit.PEOPLE,
    source=SOURCE,
    cumulative=True,
    description=_(
        "Different people under 35 at the start of the course who completed a "
        "digital-skills course started by the end of the period."
    ),
    disaggregations=_DISAGGREGATIONS,
    params={k: PARAMS[k] for k in ("audience", "funded_by", "since", "within_period")},
)(_preset(kind=CourseKind.DIGITAL_SKILLS, completed=True, youth=True))

formula(
    "training.youth_dx_plans",
    _("Young people who completed a value-chain digital transformation course"),
    unit=Unit.PEOPLE,
    source=SOURCE,
    cumulative=True,
    description=_(
        "Different people under 35 at the start who completed a value-chain digital "
        "transformation course (where the digital transformation plan is built)."
    ),
    disaggregations=_DISAGGREGATIONS,
    params={k: PARAMS[k] for k in ("funded_by", "since", "within_period")},
)(_preset(kind=CourseKind.VALUE_CHAIN, completed=True, youth=True))

formula(
    "training.trainers_trained",
    _("Trainers trained"),
    unit=Unit.PEOPLE,
    source=SOURCE,
    cumulative=True,
    description=_("Different people who completed a training-of-trainers course."),
    disaggregations=_DISAGGREGATIONS,
    params={k: PARAMS[k] for k in ("funded_by", "since", "within_period")},
)(_preset(kind=CourseKind.TOT, completed=True))

formula(
    "training.policymakers",
    _("Policymakers trained"),
    unit=Unit.PEOPLE,
    source=SOURCE,
    cumulative=True,
    description=_("Different people who attended a course for policymakers."),
    disaggregations=_DISAGGREGATIONS,
    params={k: PARAMS[k] for k in ("kind", "funded_by", "since", "within_period")},
)(_preset(audience=Audience.POLICYMAKERS, completed=False))

formula(
    "training.cooperative_people",
    _("Members and workers of cooperatives trained"),
    unit=Unit.PEOPLE,
    source=SOURCE,
    cumulative=True,
    description=_(
        "Different people who completed a course for members and workers of "
        "cooperatives (the pilot's audience; narrow it with the course kind or funder)."
    ),
    disaggregations=_DISAGGREGATIONS,
    params={k: PARAMS[k] for k in ("kind", "funded_by", "since", "within_period")},
)(_preset(audience=Audience.MEMBERS, completed=True))
