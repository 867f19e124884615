"""Small builders for the people part's tests."""

from __future__ import annotations

import datetime as dt
import itertools

from htxso.core.actors import OPERATOR
from htxso.registry.models import Person
from htxso.training.models import Course, Enrolment

_codes = itertools.count(1)


def course(province="04", *, kind="digital_skills", audience="youth", funded_by="", **over):
    n = next(_codes)
    return Course.objects.create(
        code=f"k-{n}",
        title=over.pop("title", f"Khóa {n}"),
        kind=kind,
        audience=audience,
        funded_by=funded_by,
        province_id=province,
        starts_on=over.pop("starts_on", dt.date(2026, 3, 2)),
        **over,
    )


def person(name="Nguyễn Văn An", **over):
    p = Person(full_name=name, **over)
    p.save()
    return p


def enrol(c, p, *, status="enrolled", age=None, **over):
    return Enrolment.objects.create(
        course=c, person=p, source="staff", status=status, age_at_start=age, **over
    )


ACTOR = OPERATOR
