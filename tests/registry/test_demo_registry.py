"""The registry demo: idempotent, ≥ 60 organisations per demo province, source 002's
shape in Nghệ An, legal-check material present, every code valid."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Avg, Count, Q, Sum

from htxso.core.codes import validate_cccd, validate_tax_code
from htxso.core.demodata import DEMO_PROVINCES
from htxso.registry.demo_data import SPECIAL
from htxso.registry.models import (
    AnnualReport,
    ClassificationScore,
    Membership,
    OcopProduct,
    Organisation,
    Person,
    UnionMembership,
    ValueChainLink,
    Worker,
)

from ..conftest import ensure_reference_data

REFERENCE = dt.date(2025, 12, 31)
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MODELS = [
    Organisation,
    Person,
    Membership,
    Worker,
    AnnualReport,
    OcopProduct,
    ValueChainLink,
    UnionMembership,
    ClassificationScore,
]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        # runs before the per-test fixtures: a transactional test of another file on
        # this worker may have flushed the categories and units the demo needs
        ensure_reference_data()
        call_command("seed_demo", verbosity=0)
        counts = {m.__name__: m.objects.count() for m in MODELS}
        call_command("seed_demo", verbosity=0)
        yield counts
        transaction.set_rollback(True)  # leave the test database as it was


def test_second_run_changes_nothing(seeded):
    assert seeded == {m.__name__: m.objects.count() for m in MODELS}


def test_each_province_has_sixty_organisations_of_three_kinds(seeded):
    for code in DEMO_PROVINCES:
        qs = Organisation.objects.filter(province_id=code)
        assert qs.count() >= 60, code
        assert set(qs.values_list("kind", flat=True)) == {"group", "cooperative", "union"}
        assert not qs.filter(ward__isnull=True).exists()
        assert not qs.exclude(ward__province_id=code).exists()
        first = qs.filter(kind="cooperative").order_by("id").first()
        assert first.name == SPECIAL[code][0]


def test_codes_are_valid(seeded):
    for tax_code in Organisation.objects.exclude(tax_code=None).values_list("tax_code", flat=True):
        assert validate_tax_code(tax_code) == tax_code
    # every member of a register has a citizen ID; a training participant may have none
    # (issue 16: CCCD when given, otherwise name + birth year + phone)
    assert not Person.objects.filter(citizen_id=None, memberships__isnull=False).exists()
    assert not Person.objects.filter(citizen_id="").exists()
    for person in Person.objects.exclude(citizen_id=None):
        cid = validate_cccd(person.citizen_id, birth_date=person.birth_date)
        assert cid.sex == person.sex


def test_ethnic_minorities_in_mountain_provinces(seeded):
    def ethnicities(code):
        return set(
            Person.objects.filter(organisation__province_id=code).values_list(
                "ethnicity", flat=True
            )
        )

    assert {"02", "07", "08", "09"} <= ethnicities("04")  # Tày, Nùng, HMông, Dao
    assert {"12", "20"} <= ethnicities("66")  # Ê-đê, Mnông
    assert "03" in ethnicities("40")  # Thái


def test_nghe_an_has_the_shape_of_source_002(seeded):
    reports = AnnualReport.objects.filter(
        organisation__province_id="40",
        organisation__kind="cooperative",
        year=2025,
        status__in=("submitted", "accepted"),
    )
    f = reports.aggregate(
        n=Count("id"),
        effective=Count("id", filter=Q(operating_effectively=True)),
        revenue=Avg("revenue"),
        income=Sum("average_income_month"),
    )
    assert abs(f["effective"] / f["n"] - 888 / 935) < 0.03
    assert abs(f["revenue"] - 2.6e9) < 0.15 * 2.6e9
    assert f["income"] / f["n"] > 5_000_000
    assert (
        Worker.objects.filter(organisation__province_id="40").aggregate(a=Avg("monthly_income"))[
            "a"
        ]
        > 5_000_000
    )


def test_three_years_of_reports_with_every_status(seeded):
    years = set(AnnualReport.objects.values_list("year", flat=True))
    assert {2023, 2024, 2025} <= years
    statuses = set(AnnualReport.objects.filter(year=2025).values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "returned", "accepted"}
    for code in DEMO_PROVINCES:  # a 2025 report missing after the deadline
        active = Organisation.objects.filter(province_id=code, status="active")
        assert active.exclude(annual_reports__year=2025).exists(), code


def test_legal_warnings_have_material(seeded):
    coops = Organisation.objects.filter(kind="cooperative")
    few = coops.annotate(
        n=Count(
            "memberships",
            filter=Q(memberships__kind="official", memberships__left_on__isnull=True),
        )
    ).filter(n__lt=5)
    assert few.filter(province_id="04").exists()
    big = [
        m
        for m in Membership.objects.filter(left_on__isnull=True, capital__gt=0).select_related(
            "organisation"
        )
        if m.organisation.charter_capital and m.capital > 0.3 * m.organisation.charter_capital
    ]
    assert {m.organisation.province_id for m in big} >= set(DEMO_PROVINCES)


def test_workers_youth_ocop_links_unions(seeded):
    by_org: dict[int, list[bool]] = {}
    for w in Worker.objects.filter(organisation__kind="cooperative").select_related("person"):
        by_org.setdefault(w.organisation_id, []).append(w.person.age_on(REFERENCE) < 35)
    shares = [sum(flags) / len(flags) for flags in by_org.values()]
    assert any(s > 0.4 for s in shares) and any(s < 0.4 for s in shares)
    from django.utils import timezone

    today = timezone.localdate()
    products = list(OcopProduct.objects.all())
    assert any(p.expires_soon(today) for p in products)
    assert any(p.expires_on <= today for p in products)
    coffee = ValueChainLink.objects.filter(organisation__province_id="66", product="Cà phê nhân")
    assert coffee.exists()
    assert UnionMembership.objects.filter(union__province_id="01").count() >= 3
    if ClassificationScore.objects.exists():
        grades = set(ClassificationScore.objects.filter(year=2024).values_list("grade", flat=True))
        assert {"good", "fair"} <= grades
