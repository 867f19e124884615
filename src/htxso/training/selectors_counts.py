"""Counting people, not enrolments.

"Trained" is a person with at least one enrolment (not withdrawn) in the courses the
filters and the actor's reach select; "completed" a person with at least one completed
one.  Merged duplicates count once: a merge moves the enrolments to the kept record.

Breakdowns (each person in exactly one cell, so cells add up to the total):

* **sex** and **ethnicity** — the person's record; ethnicity is sensitive: only
  aggregates, cells of 1–4 shown as ``<5``, and more cells hidden (or the table withheld)
  until no suppressed cell can be computed back from the total (see :func:`protect`);
* **age band** — the age at the course's start (``Enrolment.age_at_start``), the
  youngest of the person's enrolments: someone trained at 34 counts as trained young
  even if a later course found them 36.  Bands 15–24 and 25–34 make up the "youth
  (under 35)" figure; 35–54, 55+ and "under 15" follow the statistics office's labour
  bands;
* **province** — of the course (national courses apart).  A person trained in two
  provinces is in both rows, so this table does not add up to the total.

The page costs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from htxso.core.actors import Actor
from htxso.registry.data.ethnicities import ETHNICITIES
from htxso.registry.models import Person
from htxso.registry.models.people import YOUTH_AGE, Sex

from .models import Audience, Course, CourseKind, Enrolment, EnrolmentStatus

#: Cells below this are suppressed in sensitive tables.
SMALL = 5
SMALL_LABEL = f"<{SMALL}"
HIDDEN_LABEL = "…"

#: (key, label, lowest age, highest age) — ``None`` = open.
AGE_BANDS: list[tuple[str, Any, int | None, int | None]] = [
    ("under15", _("under 15"), None, 14),
    ("15_24", _("15–24"), 15, 24),
    ("25_34", _("25–34"), 25, YOUTH_AGE - 1),
    ("35_54", _("35–54"), YOUTH_AGE, 54),
    ("55_up", _("55 and over"), 55, None),
]
YOUTH_BANDS = ("under15", "15_24", "25_34")
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    audience: str = ""
    funded_by: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    province: str = ""

    @classmethod
    def of(cls, **filters: Any) -> Filters:
        known = {k: v for k, v in filters.items() if k in cls.__dataclass_fields__}
        unknown = set(filters) - set(known)
        if unknown:
            raise TypeError(f"unknown filters {sorted(unknown)}")
        return cls(**known)


def courses(*, actor: Actor, f: Filters) -> QuerySet[Course]:
    """The courses counted: the actor's reach (``Course.policy`` view) and the filters."""
    qs = Course.policy.queryset(actor, "view", Course.objects.all())
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.audience:
        qs = qs.filter(audience=f.audience)
    if f.funded_by:
        qs = qs.filter(funded_by__icontains=f.funded_by)
    if f.date_from:
        qs = qs.filter(starts_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(starts_on__lte=f.date_to)
    if f.province == "national":
        qs = qs.filter(province__isnull=True)
    elif f.province:
        qs = qs.filter(province_id=f.province)
    return qs


def enrolments(*, actor: Actor, f: Filters) -> QuerySet[Enrolment]:
    qs = Enrolment.objects.exclude(status=EnrolmentStatus.WITHDRAWN)
    selected = courses(actor=actor, f=f)
    if selected.query.where:  # only when something narrows them (keeps the count lean)
        qs = qs.filter(course__in=selected.values("pk"))
    return qs.order_by()


def unique_people(*, actor: Actor, completed: bool = False, **filters: Any) -> int:
    """How many different people were trained (or completed) — one query."""
    qs = enrolments(actor=actor, f=Filters.of(**filters))
    if completed:
        qs = qs.filter(status=EnrolmentStatus.COMPLETED)
    return qs.aggregate(n=Count("person_id", distinct=True))["n"]


@dataclass
class Row:
    key: str
    label: Any
    trained: int
    completed: int
    trained_shown: Any = None
    completed_shown: Any = None

    def __post_init__(self) -> None:
        if self.trained_shown is None:
            self.trained_shown = self.trained
        if self.completed_shown is None:
            self.completed_shown = self.completed


@dataclass
class Breakdown:
    trained: int
    completed: int
    youth_trained: int
    youth_completed: int
    sex: list[Row] = field(default_factory=list)
    age: list[Row] = field(default_factory=list)
    #: ``None`` when too few people to show any ethnicity figure safely.
    ethnicity: list[Row] | None = None
    province: list[Row] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        def rows(items: list[Row] | None) -> list[dict[str, Any]] | None:
            if items is None:
                return None
            return [
                {
                    "key": r.key,
                    "label": str(r.label),
                    "trained": r.trained_shown,
                    "completed": r.completed_shown,
                }
                for r in items
            ]

        return {
            "trained": self.trained,
            "completed": self.completed,
            "youth_trained": self.youth_trained,
            "youth_completed": self.youth_completed,
            "sex": rows(self.sex),
            "age": rows(self.age),
            "ethnicity": rows(self.ethnicity),
            "province": rows(self.province),
        }


def protect(
    values: list[int], total: int, *, force: frozenset[int] = frozenset()
) -> list[Any] | None:
    """What may be shown of one column of a sensitive table whose total is ``total``.

    Cells of 1–4 show ``<5``; cells in ``force`` (e.g. "completed" where "trained" is
    suppressed) are hidden.  While the total would let anyone compute a suppressed cell
    back (its range, given the others' ranges and the sum, is one value — e.g. a single
    suppressed cell, or two ``<5`` cells summing to 2), the smallest shown cell of 5 or
    more is hidden too.  ``None`` when even that cannot protect them: the column must be
    withheld (the total is shown elsewhere).
    """
    if total == 0:  # nobody: every cell is 0, as the total already says
        return [0] * len(values)
    state = ["show"] * len(values)
    for i, v in enumerate(values):
        if i in force:
            state[i] = "forced"
        elif 0 < v < SMALL:
            state[i] = "small"

    def bounds(i: int) -> tuple[int, int]:
        if state[i] == "show":
            return values[i], values[i]
        if state[i] == "small":
            return 1, SMALL - 1
        if state[i] == "forced":
            return 0, total
        return SMALL, total  # hidden to protect the small ones: 5 or more

    while True:
        hidden = [i for i, s in enumerate(state) if s != "show"]
        if not hidden:
            break
        ranges = [bounds(i) for i in range(len(values))]
        lo_sum = sum(r[0] for r in ranges)
        hi_sum = sum(r[1] for r in ranges)
        exposed = any(
            max(ranges[i][0], total - (hi_sum - ranges[i][1]))
            == min(ranges[i][1], total - (lo_sum - ranges[i][0]))
            for i in hidden
        )
        if not exposed:
            break
        shown = [i for i, s in enumerate(state) if s == "show" and values[i] >= SMALL]
        if not shown:
            return None
        state[min(shown, key=lambda i: (values[i], i))] = "hidden"
    return [
        values[i] if s == "show" else SMALL_LABEL if s == "small" else HIDDEN_LABEL
        for i, s in enumerate(state)
    ]


def _protect_rows(rows: list[Row], trained: int, completed: int) -> list[Row] | None:
    shown_t = protect([r.trained for r in rows], trained)
    if shown_t is None:
        return None
    force = frozenset(i for i, v in enumerate(shown_t) if not isinstance(v, int))
    shown_c = protect([r.completed for r in rows], completed, force=force)
    if shown_c is None:
        return None
    for r, t, c in zip(rows, shown_t, shown_c, strict=True):
        r.trained_shown, r.completed_shown = t, c
    return rows


def _band_sql(column: str) -> str:
    whens = []
    for key, _label, low, high in AGE_BANDS:
        cond = [f"{column} IS NOT NULL"]
        if low is not None:
            cond.append(f"{column} >= {int(low)}")
        if high is not None:
            cond.append(f"{column} <= {int(high)}")
        whens.append(f"WHEN {' AND '.join(cond)} THEN '{key}'")
    return f"CASE {' '.join(whens)} ELSE '{UNKNOWN}' END"


def _cells(enrolled: QuerySet[Enrolment]) -> dict[tuple[str, str, str], tuple[int, int]]:
    """People per (sex, ethnicity, age band): one query.  The enrolments (reach and
    filters applied by the ORM) are first reduced to one row per person — the youngest
    age at a course's start, whether any was completed — then joined to the people."""
    per_person = enrolled.values("person_id").annotate(
        youngest=Min("age_at_start"),
        done=Max(
            Case(
                When(status=EnrolmentStatus.COMPLETED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        ),
    )
    inner, params = per_person.query.sql_with_params()
    qn = connection.ops.quote_name
    band = _band_sql("p.youngest")
    # Constants, quoted names and the ORM's own SQL; every value is a parameter.
    select = f"pe.{qn('sex')}, pe.{qn('ethnicity')}, {band}"
    table = qn(Person._meta.db_table)
    sql = f"SELECT {select}, COUNT(*), SUM(p.done) FROM ({inner}) p JOIN {table} pe"  # noqa: S608
    sql += f" ON pe.{qn('id')} = p.person_id GROUP BY {select}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(s or "", e or "", b): (int(t), int(c or 0)) for s, e, b, t, c in cursor.fetchall()}


def unique_people_breakdown(*, actor: Actor, **filters: Any) -> Breakdown:
    """Trained and completed people, in total and by sex, age band, ethnicity
    (suppressed) and province — two queries."""
    f = Filters.of(**filters)
    enrolled = enrolments(actor=actor, f=f)
    cells = _cells(enrolled)  # (sex, ethnicity, band) -> (trained, completed)

    def margin(index: int) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for key, (t, c) in cells.items():
            t0, c0 = out.get(key[index], (0, 0))
            out[key[index]] = (t0 + t, c0 + c)
        return out

    by_sex = margin(0)
    trained = sum(t for t, _c in by_sex.values())
    completed = sum(c for _t, c in by_sex.values())
    sex_labels = dict(Sex.choices)
    sex = [
        Row(key, label, *by_sex.get(key, (0, 0)))
        for key, label in [*sex_labels.items(), ("", _("not recorded"))]
        if key in by_sex or key in sex_labels
    ]

    by_band = margin(2)
    age = [Row(key, label, *by_band.get(key, (0, 0))) for key, label, _l, _h in AGE_BANDS]
    if UNKNOWN in by_band:
        age.append(Row(UNKNOWN, _("age not known"), *by_band[UNKNOWN]))
    youth_t = sum(by_band.get(k, (0, 0))[0] for k in YOUTH_BANDS)
    youth_c = sum(by_band.get(k, (0, 0))[1] for k in YOUTH_BANDS)

    by_eth = margin(1)
    names = dict(ETHNICITIES)
    eth_rows = [
        Row(code or UNKNOWN, names.get(code, code) if code else _("not recorded"), t, c)
        for code, (t, c) in sorted(by_eth.items(), key=lambda kv: (not kv[0], -kv[1][0], kv[0]))
    ]
    ethnicity = _protect_rows(eth_rows, trained, completed)

    prov = (
        enrolled.values("course__province", "course__province__name")
        .annotate(
            trained=Count("person_id", distinct=True),
            completed=Count("person_id", distinct=True, filter=Q(status=EnrolmentStatus.COMPLETED)),
        )
        .order_by("course__province")
    )
    province = [
        Row(
            r["course__province"] or "national",
            r["course__province__name"] or _("National courses"),
            r["trained"],
            r["completed"],
        )
        for r in prov
    ]
    return Breakdown(trained, completed, youth_t, youth_c, sex, age, ethnicity, province)


def filter_choices() -> dict[str, Any]:
    return {"kinds": CourseKind.choices, "audiences": Audience.choices}
