"""A small world of figures for the statistics tests, computed by hand in the comments.

Cao Bằng (04), year 2024 — on top of the shared ``world`` (a1 cooperative, a2 group,
b1 cooperative in Đắk Lắk 66):
  a3 cooperative (high_tech), a4 union, a5 cooperative dissolved.
Counted reports (submitted/accepted): a1, a3, a2, a5 → 4; a4's is a draft.
  share effective: a1 yes, a3 no, a5 yes → 2/3 = 66.67 %
  revenue per cooperative: (3 + 1 + 2) bn / 3 = 2,000,000,000
  income per worker: (6 M × 10 + 4 M × 30) / 40 = 4,500,000
  workers: 10 + 30 + 5 = 45; youth: (4 + 6) / (10 + 30) = 25 %
  members: a1 25 + a3 10 + a2 8 = 43 (cooperatives 35, groups 8)
Operating: a1, a2, a3, a4 → value chain: a1 (link), a2 (report) → 2/4 = 50 %
  high tech: a3 → 1
OCOP valid on 31/12/2024: a1 4★, a2 5★ (a3's expired) → 2
Published grades 2024: a1 good, a3 fair, a2 weak (a4 only reviewed) → good/fair 2/3
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

PERSON_NAME = "Nguyễn Thị Bí Mật"
PERSON_CITIZEN_ID = "004190012345"
PERSON_PHONE = "0912345678"


def build_stats_world(world) -> dict:
    from htxso.registry.models import (
        AnnualReport,
        ClassificationScheme,
        ClassificationScore,
        OcopProduct,
        Organisation,
        Person,
        ProvinceTarget,
        ValueChainLink,
        Worker,
    )

    a1, a2, b1 = world.orgs["a1"], world.orgs["a2"], world.orgs["b1"]
    a3 = Organisation.objects.create(
        kind="cooperative",
        name="HTX Chè Cao Bằng",
        tax_code="0101245486",
        province_id="04",
        high_tech=True,
    )
    a4 = Organisation.objects.create(
        kind="union", name="Liên hiệp HTX Cao Bằng", tax_code="0314409058", province_id="04"
    )
    a5 = Organisation.objects.create(
        kind="cooperative",
        name="HTX Đã giải thể",
        tax_code="0314409058-002",
        province_id="04",
        status="dissolved",
    )

    def report(org, status, **values):
        return AnnualReport.objects.create(organisation=org, year=2024, status=status, **values)

    report(
        a1,
        "submitted",
        operating_effectively=True,
        revenue=3_000_000_000,
        workers_total=10,
        workers_youth=4,
        average_income_month=6_000_000,
        members_official=20,
        members_associate=5,
        in_value_chain=False,
        uses_high_tech=False,
    )
    report(
        a3,
        "accepted",
        operating_effectively=False,
        revenue=1_000_000_000,
        workers_total=30,
        workers_youth=6,
        average_income_month=4_000_000,
        members_official=10,
        members_associate=0,
    )
    report(a2, "accepted", workers_total=5, members_official=8, in_value_chain=True)
    report(a4, "draft", revenue=9_000_000_000, operating_effectively=True, workers_total=99)
    report(a5, "submitted", operating_effectively=True, revenue=2_000_000_000)
    report(b1, "accepted", operating_effectively=True, revenue=50_000_000_000, workers_total=7)
    AnnualReport.objects.create(organisation=a1, year=2023, status="accepted", revenue=1)

    ValueChainLink.objects.create(
        organisation=a1,
        product="Gạo",
        partner_name="Công ty A",
        role="supplier",
        started_on=dt.date(2023, 5, 1),
    )
    ValueChainLink.objects.create(
        organisation=a3,
        product="Chè",
        partner_name="Công ty B",
        role="supplier",
        started_on=dt.date(2022, 1, 1),
        ended_on=dt.date(2023, 12, 31),
    )

    def ocop(org, stars, certified, expires):
        OcopProduct.objects.create(
            organisation=org,
            name=f"Sản phẩm {stars} sao",
            stars=stars,
            certified_on=certified,
            expires_on=expires,
        )

    ocop(a1, 4, dt.date(2023, 1, 1), dt.date(2026, 1, 1))
    ocop(a3, 3, dt.date(2021, 6, 1), dt.date(2024, 6, 1))
    ocop(a2, 5, dt.date(2024, 3, 1), dt.date(2027, 3, 1))
    ocop(b1, 3, dt.date(2024, 3, 1), dt.date(2027, 3, 1))

    scheme = ClassificationScheme.objects.create(
        code="test-scheme", name="Test", criteria=[], thresholds={"good": 80}
    )

    def score(org, grade, status):
        ClassificationScore.objects.create(
            organisation=org, scheme=scheme, year=2024, grade=grade, status=status
        )

    score(a1, "good", "published")
    score(a3, "fair", "published")
    score(a2, "weak", "published")
    score(a4, "average", "reviewed")

    ProvinceTarget.objects.create(
        province_id="04", indicator="share_good_or_fair", year=2030, value=60, comparison=">"
    )
    ProvinceTarget.objects.create(
        province_id="04", indicator="cooperatives", year=2030, value=10, comparison=">="
    )
    ProvinceTarget.objects.create(
        province_id="04",
        indicator="revenue_per_cooperative",
        year=2025,
        value=Decimal(2_600_000_000),
        comparison=">=",
    )
    ProvinceTarget.objects.create(
        province_id="04",
        indicator="revenue_per_cooperative",
        year=2030,
        value=Decimal(5_000_000_000),
        comparison=">=",
    )

    # a person with personal data, who must never appear in open data
    person = Person.objects.create(
        organisation=a1,
        full_name=PERSON_NAME,
        citizen_id=PERSON_CITIZEN_ID,
        phone=PERSON_PHONE,
        ethnicity="01",
        birth_date=dt.date(1995, 4, 2),
    )
    Worker.objects.create(
        organisation=a1, person=person, started_on=dt.date(2020, 1, 1), monthly_income=7_000_000
    )
    return {"a3": a3, "a4": a4, "a5": a5}
