"""Small builders for the frameworks part's tests."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from htxso.core.actors import OPERATOR
from htxso.indicators.models import Framework, Indicator, IndicatorValue, Target
from htxso.registry.models import AnnualReport, Organisation, Person
from htxso.training.models import Course, Enrolment

_n = itertools.count(1)


def org(kind="cooperative", province="04", **over: Any) -> Organisation:
    from htxso.registry.demo_plan import demo_tax_code

    n = next(_n)
    if kind != "group":
        over.setdefault("tax_code", demo_tax_code("90", 5000 + n))
    return Organisation.objects.create(
        kind=kind, name=over.pop("name", f"HTX Mẫu {n}"), province_id=province, **over
    )


def report(o: Organisation, year: int, status="accepted", **over: Any) -> AnnualReport:
    return AnnualReport.objects.create(organisation=o, year=year, status=status, **over)


def course(province="04", *, kind="digital_skills", audience="youth", funded_by="", **over):
    n = next(_n)
    return Course.objects.create(
        code=f"fw-k-{n}",
        title=over.pop("title", f"Khóa {n}"),
        kind=kind,
        audience=audience,
        funded_by=funded_by,
        province_id=province,
        starts_on=over.pop("starts_on", dt.date(2025, 3, 2)),
        **over,
    )


def person(name="Nguyễn Văn An", **over: Any) -> Person:
    p = Person(full_name=name, **over)
    p.save()
    return p


def enrol(c, p, *, status="completed", age=None, **over: Any) -> Enrolment:
    return Enrolment.objects.create(
        course=c, person=p, source="staff", status=status, age_at_start=age, **over
    )


def framework(code="fw-test", province=None, **over: Any) -> Framework:
    return Framework.objects.create(
        code=code, name=over.pop("name", "Khung thử"), province_id=province, **over
    )


def indicator(fw: Framework, code="ind", formula="registry.cooperatives", **over: Any) -> Indicator:
    return Indicator.objects.create(
        framework=fw, code=code, name=over.pop("name", code), formula=formula, **over
    )


def target(ind: Indicator, period: str, value, comparison=">=", province=None) -> Target:
    return Target.objects.create(
        indicator=ind,
        period=period,
        value=Decimal(value),
        comparison=comparison,
        province_id=province,
    )


def cached(
    ind: Indicator, period: str, value, *, cell="", province=None, at=None
) -> IndicatorValue:
    from django.utils import timezone

    return IndicatorValue.objects.create(
        indicator=ind,
        period=period,
        cell=cell,
        province_id=province,
        value=None if value is None else Decimal(value),
        numerator=None if value is None else Decimal(value),
        computed_at=at or timezone.now(),
    )


ACTOR = OPERATOR
